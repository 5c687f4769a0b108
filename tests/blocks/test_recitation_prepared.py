"""The gallery query of a learner's render runs as SQL compiled once per connection (``compiled_query``):
it gives exactly the rows Django's own queryset gives; the rendered gallery stays the same."""
from django.contrib.auth import get_user_model

from lifelong_xblocks.reading import recitation_gallery as gallery
from test_recitation_support import OLX, featured, upload_storage_fixture  # noqa: F401


def test_prepared_gallery_is_the_querysets_rows(scenario, upload_storage):
    as_user = scenario(OLX)
    first, second = featured(as_user, "reader_a"), featured(as_user, "reader_b")
    assert as_user("viewer").call("like", {"recitation": first, "liked": True})[0] == 200
    block = as_user("viewer").block
    users = get_user_model().objects
    for name, liked in (("viewer", {first}), ("reader_a", set()), ("reader_b", set())):
        viewer_id = users.get(username=name).pk
        expected = list(gallery.gallery_query(block.usage_key, viewer_id))
        assert [row["id"] for row in expected] == [second, first]
        assert gallery._GALLERY.dicts(usage_key=block.usage_key, viewer_id=viewer_id) == expected
        assert gallery._GALLERY.dicts(usage_key=block.usage_key, viewer_id=viewer_id) == expected       # compiled already
        shown = gallery.gallery(block.usage_key, viewer_id)
        assert {row["id"] for row in shown if row["liked"]} == liked
        assert gallery.gallery(block.usage_key, viewer_id, limit=1) == shown[:1]    # Django's own
    assert [row["liked"] for row in gallery.gallery(block.usage_key)] == [False, False]
    assert gallery.gallery("block-v1:Other+X+2026+type@lifelong_recitation+block@x", 1) == []


def test_the_gallery_html_names_and_escapes_each_recording(scenario, upload_storage):
    as_user = scenario(OLX)
    featured(as_user, "reader_<b>")
    mine = featured(as_user, "viewer")
    html = as_user("viewer").render().body_html()
    assert "<strong>reader_&lt;b&gt;</strong>" in html and 'aria-label="Recording by reader_&lt;b&gt;"' in html
    assert html.count("data-ll-like ") == 1 and html.count("<details class=\"ll-report\">") == 1
    assert f'data-ll-entry="{mine}"' in html and "Likes: 0" in html and "2 s</span>" in html


def test_the_learners_own_state_read_as_values_is_learner_summary(scenario, upload_storage):
    from lifelong_xblocks.reading import recitation as recitations
    as_user = scenario(OLX)
    featured(as_user, "reader_a")
    assert as_user("reader_b").call("set_consent", {"consent": True})[0] == 409     # nothing submitted yet
    block = as_user("reader_a").block
    users = get_user_model().objects
    reader_a, nobody = users.get(username="reader_a").pk, users.get_or_create(username="nobody")[0].pk
    own = recitations.get_recitation(block.usage_key, reader_a)
    summary, own_id = recitations.own_recitation(block.usage_key, reader_a)
    assert summary == recitations.learner_summary(own) and own_id == own.pk and summary["in_gallery"] is True
    assert recitations.own_recitation(block.usage_key, nobody) == (recitations.learner_summary(None), None)
    assert recitations.own_recitation(block.usage_key, None) == (recitations.learner_summary(None), None)
    html = as_user("reader_a").render().body_html()
    assert f'/recording/{own.pk}' in html and "data-ll-own-audio" in html
