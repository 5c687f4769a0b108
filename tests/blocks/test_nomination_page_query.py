"""The nomination page's two queries (nominating.own_and_shown, SQL compiled once per connection) read
the same nominations, seat figures and materials as the ORM's querysets."""
from django.db.models import Prefetch

from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.nominations import nominating, quota, showcase
from tests.blocks import test_nomination_block as block_tests
from tests.blocks.test_nomination_block import png, ready, review_to_recognised, start, upload

campaign, upload_storage = block_tests.campaign, block_tests.upload_storage     # the block tests' fixtures


def as_read(nomination):
    return ({name: getattr(nomination, name) for name in nominating.PAGE_FIELDS},
            [(m.pk, m.kind, m.link, m.stored_file and (m.stored_file.original_name, m.stored_file.size,
                                                       m.stored_file.content_type))
             for m in showcase.materials_of(nomination)])


def test_own_and_shown_reads_what_the_orm_reads(campaign):
    alice, bob, staff = campaign("alice"), campaign("bob"), campaign("staff")
    recognised = ready(alice)
    upload(alice, recognised, "image", "portrait.png", png())
    alice.call("save_draft", {"id": recognised, "version": 2, "consent_portrait": True})
    assert alice.call("submit_nomination", {"id": recognised})[0] == 200
    review_to_recognised(staff, recognised)
    draft = start(alice)
    upload(alice, draft, "image", "second.png", png())
    start(bob)

    block = alice.fresh().block
    camp = block.campaign
    own, shown = nominating.own_and_shown(camp, block.person.user_id)
    expected_own = Nomination.objects.filter(usage_key=camp.usage_key, user_id=block.person.user_id).prefetch_related(
        Prefetch("materials", queryset=NominationMaterial.objects.select_related("stored_file")))
    assert [as_read(n) for n in own] == [as_read(n) for n in expected_own]
    assert [as_read(n) for n in shown] == [as_read(n) for n in showcase.shown(camp.usage_key)]
    assert len(shown) == 1 and len(own) == 2
    seats = quota.seats_by_organisation(camp.usage_key)
    assert {n.pk: n.seats_taken for n in own} == {recognised: 0, draft: seats["zhejiang"]}   # the draft's form figure
    assert nominating.own_and_shown(camp, None)[1][0].pk == recognised


def test_the_pages_show_the_materials_read_with_them(campaign):
    alice, staff = campaign("alice"), campaign("staff")
    nomination_id = ready(alice)
    upload(alice, nomination_id, "image", "portrait.png", png())
    alice.call("save_draft", {"id": nomination_id, "version": 2, "consent_portrait": True})
    assert alice.call("submit_nomination", {"id": nomination_id})[0] == 200
    review_to_recognised(staff, nomination_id)
    picture = NominationMaterial.objects.get(kind="image").pk
    for viewer in ("alice", "visitor"):
        assert f"/material/{picture}" in campaign(viewer).render().body_html()
    assert "portrait.png" in campaign("alice").render().body_html()
