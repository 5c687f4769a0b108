"""The gallery: only featured recordings whose learners consented; likes, plays, reports; staff
moderation with comments; and who may download which recording."""
import pytest

from lifelong_xblocks import moderation
from lifelong_xblocks.models.moderation import ContentFlag, ModerationAction
from lifelong_xblocks.models.recitation import RecitationLike, RecitationPlay
from test_recitation_support import (OLX, STAFF, featured, get, recitation_of, submit,  # noqa: F401
                                     upload_storage_fixture, wav_bytes)


def gallery_ids(client):
    status, answer = client.call("gallery_entries", method="GET")
    assert status == 200
    return [entry["id"] for entry in answer["entries"]]


def test_the_gallery_shows_only_featured_consented_unhidden_recordings(scenario, upload_storage):
    as_user = scenario(OLX)
    shown = featured(as_user, "reader_a")
    featured(as_user, "reader_b", consent="0")                       # featured, no consent
    submit(as_user("reader_c"), wav_bytes())                         # consented, not featured
    hidden = featured(as_user, "reader_d")
    as_user(STAFF).call("moderate", {"recitation": hidden, "action": "hide", "comment": "背景噪音"})
    assert gallery_ids(as_user("viewer")) == [shown]
    html = as_user("viewer").render().body_html()
    assert "reader_a" in html and not any(name in html for name in ("reader_b", "reader_c", "reader_d"))


def test_withdrawn_consent_takes_a_recording_out_of_the_gallery_at_once(scenario, upload_storage):
    as_user = scenario(OLX)
    pk = featured(as_user, "reader_a")
    as_user("reader_a").call("set_consent", {"consent": False})
    assert gallery_ids(as_user("viewer")) == []
    assert get(as_user("viewer"), "recording", str(pk)).status_code == 403


def test_like_and_unlike_are_idempotent(scenario, upload_storage):
    as_user = scenario(OLX)
    pk = featured(as_user, "reader_a")
    viewer = as_user("viewer")
    assert viewer.call("like", {"recitation": pk, "liked": True}) == (200, {"liked": True, "likes": 1})
    assert viewer.call("like", {"recitation": pk, "liked": True}) == (200, {"liked": True, "likes": 1})
    assert as_user("viewer_2").call("like", {"recitation": pk, "liked": True})[1]["likes"] == 2
    assert viewer.call("like", {"recitation": pk, "liked": False}) == (200, {"liked": False, "likes": 1})
    assert viewer.call("like", {"recitation": pk, "liked": False}) == (200, {"liked": False, "likes": 1})
    assert RecitationLike.objects.count() == 1 and recitation_of("reader_a").like_count == 1


def test_likes_are_refused_outside_the_gallery_and_on_ones_own_recording(scenario, upload_storage):
    as_user = scenario(OLX)
    submit(as_user("reader_a"), wav_bytes())
    not_featured = recitation_of("reader_a").pk
    assert as_user("viewer").call("like", {"recitation": not_featured, "liked": True})[0] == 403
    pk = featured(as_user, "reader_b")
    assert as_user("reader_b").call("like", {"recitation": pk, "liked": True})[0] == 409
    for bad in ({"recitation": pk, "liked": "yes"}, {"recitation": "x", "liked": True}, {"liked": True}):
        assert as_user("viewer").call("like", bad)[0] in (400, 403)
    assert not RecitationLike.objects.exists()


def test_plays_count_once_per_learner_and_recording_and_not_the_owners_or_staffs(scenario, upload_storage):
    as_user = scenario(OLX)
    pk = featured(as_user, "reader_a")
    assert as_user("viewer").call("count_play", {"recitation": pk})[1] == {"counted": True, "plays": 1}
    assert as_user("viewer").call("count_play", {"recitation": pk})[1] == {"counted": False, "plays": 1}
    assert as_user("reader_a").call("count_play", {"recitation": pk})[1]["counted"] is False
    assert as_user(STAFF).call("count_play", {"recitation": pk})[1]["counted"] is False
    assert as_user("viewer_2").call("count_play", {"recitation": pk})[1]["plays"] == 2
    # a new recording has its own plays; it needs featuring again first
    submit(as_user("reader_a"), wav_bytes(3))
    as_user(STAFF).call("moderate", {"recitation": pk, "action": "feature"})
    assert recitation_of("reader_a").play_count == 0
    assert as_user("viewer").call("count_play", {"recitation": pk})[1] == {"counted": True, "plays": 1}
    assert RecitationPlay.objects.filter(recording=recitation_of("reader_a").recording).count() == 1


def test_learners_report_a_gallery_entry_once_and_hiding_resolves_reports(scenario, upload_storage):
    as_user = scenario(OLX)
    pk = featured(as_user, "reader_a")
    assert as_user("viewer").call("report", {"recitation": pk, "reason": "<b>不合适</b>"})[1]["new"] is True
    assert as_user("viewer").call("report", {"recitation": pk, "reason": "again"})[1]["new"] is False
    assert as_user("viewer").call("report", {"recitation": pk, "reason": "x" * 501})[0] == 400
    assert as_user("reader_a").call("report", {"recitation": pk})[0] == 409
    staff_html = as_user(STAFF).render().body_html()
    assert "1 report" in staff_html
    as_user(STAFF).call("moderate", {"recitation": pk, "action": "hide", "comment": "已处理"})
    assert ContentFlag.objects.get().resolved_at is not None


def test_staff_feature_and_hide_with_a_comment_recorded_with_who_and_when(scenario, upload_storage):
    as_user = scenario(OLX)
    pk = featured(as_user, "reader_a")
    status, answer = as_user(STAFF).call("moderate", {"recitation": pk, "action": "hide", "comment": "请重录"})
    assert status == 200 and {key: answer[key] for key in ("featured", "hidden", "in_gallery", "staff_comment")} \
        == {"featured": False, "hidden": True, "in_gallery": False, "staff_comment": "请重录"}
    assert answer["message"] == "Hidden; its reports are closed."
    log = moderation.history(recitation_of("reader_a"))
    assert [(a.action, a.note, a.actor.username) for a in log] == [("feature", "好", STAFF),
                                                                   ("hide", "请重录", STAFF)]
    assert all(action.created for action in log)
    assert "请重录" in as_user("reader_a").render().body_html(), "the learner reads the staff comment"


@pytest.mark.parametrize("data", [{"recitation": 1, "action": "delete"}, {"recitation": "1", "action": "feature",
                                                                          "comment": "x" * 1001},
                                  {"action": "feature"}, {"recitation": "²", "action": "feature"},
                                  {"recitation": 10 ** 30, "action": "feature"},
                                  {"recitation": 1, "action": "feature", "comment": {"x": 1}},
                                  {"recitation": 1, "action": "feature", "page": "-1"}])
def test_bad_moderation_is_refused_and_changes_nothing(scenario, upload_storage, data):
    as_user = scenario(OLX)
    submit(as_user("reader_a"), wav_bytes())
    if data.get("recitation") in (1, "1"):          # the learner's real recording; other values stay odd
        data = dict(data, recitation=recitation_of("reader_a").pk)
    assert as_user(STAFF).call("moderate", data)[0] == 400
    assert not ModerationAction.objects.exists() and not recitation_of("reader_a").featured


def test_who_may_download_which_recording(scenario, upload_storage):
    as_user = scenario(OLX)
    in_gallery = featured(as_user, "reader_a")
    submit(as_user("reader_b"), wav_bytes())
    private = recitation_of("reader_b").pk
    cases = [
        ("reader_b", private, 200), (STAFF, private, 200), ("viewer", private, 403), ("reader_a", private, 403),
        ("viewer", in_gallery, 200), ("reader_a", in_gallery, 200), ("none", in_gallery, 403),
        ("none", private, 403), ("viewer", 999999, 403), ("viewer", "../etc", 403),
    ]
    for student, pk, expected in cases:
        response = get(as_user(student), "recording", str(pk))
        assert response.status_code == expected, (student, pk, response.status_code)
        if expected == 200:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.content_type == "audio/wav" and response.body.startswith(b"RIFF")


@pytest.mark.parametrize("handler", ["download_zip", "download_csv", "download_xlsx"])
def test_staff_downloads_are_refused_to_learners(scenario, upload_storage, handler):
    as_user = scenario(OLX)
    submit(as_user("reader_a"), wav_bytes())
    assert get(as_user("reader_a"), handler).status_code == 403
    assert get(as_user("none"), handler).status_code == 403
    assert get(as_user(STAFF), handler).status_code == 200


def test_learners_cannot_moderate(scenario, upload_storage):
    as_user = scenario(OLX)
    submit(as_user("reader_a"), wav_bytes())
    pk = recitation_of("reader_a").pk
    for student in ("reader_a", "viewer", "none"):
        assert as_user(student).call("moderate", {"recitation": pk, "action": "feature"})[0] == 403
    assert not recitation_of("reader_a").featured and not ModerationAction.objects.exists()


@pytest.mark.parametrize("handler", ["like", "count_play", "report"])
@pytest.mark.parametrize("value", ["²", "١", 10 ** 30, "1e3", -1, None, [1]])
def test_odd_recording_ids_are_refused_clearly(scenario, upload_storage, handler, value):
    as_user = scenario(OLX)
    featured(as_user, "reader_a")
    status, answer = as_user("viewer").call(handler, {"recitation": value, "liked": True})
    assert status == 400 and answer["error"] == "Choose a recording."
