"""Nominating, the quota, the deadline and the review, through the domain functions (SQLite and MariaDB)."""
import datetime

import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.errors import Conflict, InvalidInput, NotAllowed
from lifelong_xblocks.identity import Person
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.moderation import ModerationAction
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.moderation import history
from lifelong_xblocks.nominations import campaign as campaigns
from lifelong_xblocks.nominations import nominating, quota, review, showcase
from lifelong_xblocks.nominations.nominating import FormInvalid

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc
STORY = "他在乡村夜校学会了电商直播，带动全村二十多户农民把土特产卖到了全国各地。" * 3
ANSWERS = {"name": "李建国", "age_band": "45_59", "region": "hebei", "occupation": "新型职业农民",
           "phone": "+86 139 1234 5678", "story": STORY}
SETTINGS = {"category": "learning_star", "opens_at": "2026-11-01 08:00", "closes_at": "2026-12-01 18:00",
            "time_zone": "Asia/Shanghai", "quota_min": 1, "quota_max": 2, "who_may_nominate": "enrolled",
            "required_fields": ["name", "age_band", "region", "occupation", "phone", "story"],
            "rubric": [{"key": "story", "label": "Story", "weight": 3}, {"key": "impact", "label": "Impact",
                                                                           "weight": 1}]}


def person(username, staff=False):
    user, _ = get_user_model().objects.get_or_create(username=username)
    return Person(user_id=user.pk, username=username, anonymous_id="", is_staff=staff)


@pytest.fixture
def camp(clock):
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    return campaigns.build("course-v1:OU+N+2026", "block-v1:OU+N+2026+type@lifelong_nomination+block@star", SETTINGS)


def ready(camp, who, organisation="hebei", **answers):
    nomination = nominating.start(camp, who, organisation)
    return nominating.save_draft(camp, who, nomination.pk, {"version": nomination.version,
                                                            "answers": {**ANSWERS, **answers},
                                                            "consent_publication": True})


def test_a_draft_is_saved_and_submitted_and_the_history_names_the_actor(camp):
    alice = person("alice")
    draft = ready(camp, alice)
    assert draft.phone == "13912345678" and "phone" not in draft.form and draft.headline == "李建国"
    submitted = nominating.submit(camp, alice, draft.pk)
    assert submitted.status == "submitted" and submitted.submitted_at is not None
    [entry] = history(submitted)
    assert (entry.action, entry.actor.username) == ("submit", "alice")


def test_a_stale_version_is_refused_and_changes_nothing(camp):
    alice = person("alice")
    draft = ready(camp, alice)
    with pytest.raises(Conflict):
        nominating.save_draft(camp, alice, draft.pk, {"version": draft.version - 1, "answers": {"name": "别人"}})
    assert Nomination.objects.get(pk=draft.pk).form["name"] == "李建国"


def test_bad_answers_refuse_the_whole_save_with_every_field_named(camp):
    alice = person("alice")
    draft = ready(camp, alice)
    with pytest.raises(FormInvalid) as refused:
        nominating.save_draft(camp, alice, draft.pk, {"version": draft.version, "answers": {
            "name": "新名字", "achievements": "身份证110105194912310021", "gender": "x"}})
    assert set(refused.value.fields) == {"achievements", "gender"}
    assert Nomination.objects.get(pk=draft.pk).form["name"] == "李建国"


def test_an_incomplete_draft_is_not_submitted_and_stays_a_draft(camp):
    alice = person("alice")
    draft = nominating.start(camp, alice, "hebei")
    with pytest.raises(FormInvalid) as refused:
        nominating.submit(camp, alice, draft.pk)
    assert {"name", "phone", "story", "consent_publication"} <= set(refused.value.fields)
    assert Nomination.objects.get(pk=draft.pk).status == "draft"


def test_quota_reached_keeps_the_draft_and_other_organisations_are_not_affected(camp):
    alice, bob = person("alice"), person("bob")
    for _ in range(2):
        nominating.submit(camp, alice, ready(camp, alice).pk)
    third = ready(camp, bob)
    with pytest.raises(Conflict) as refused:
        nominating.submit(camp, bob, third.pk)
    assert "Quota reached" in refused.value.message
    assert Nomination.objects.get(pk=third.pk).status == "draft"
    nominating.submit(camp, bob, ready(camp, bob, organisation="hunan").pk)
    assert quota.seats_by_organisation(camp.usage_key) == {"hebei": 2, "hunan": 1}


def test_withdrawing_frees_a_seat(camp):
    alice = person("alice")
    first = nominating.submit(camp, alice, ready(camp, alice).pk)
    nominating.submit(camp, alice, ready(camp, alice).pk)
    nominating.withdraw(camp, alice, first.pk)
    nominating.submit(camp, alice, ready(camp, alice).pk)
    assert quota.seats_taken(camp.usage_key, "hebei") == 2


def test_below_minimum_and_full_organisations(camp):
    alice = person("alice")
    nominating.submit(camp, alice, ready(camp, alice).pk)
    nominating.submit(camp, alice, ready(camp, alice).pk)
    rows = {row["code"]: row for row in quota.overview(camp)}
    assert rows["hebei"]["full"] and not rows["hebei"]["below_minimum"]
    assert rows["beijing"]["below_minimum"] and rows["beijing"]["taken"] == 0


def test_deadline_edges_are_decided_by_server_time(camp, clock):
    alice = person("alice")
    draft = ready(camp, alice)
    closes = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)   # 18:00 in Shanghai
    clock.now = closes - datetime.timedelta(seconds=1)
    assert camp.phase() == "open"
    clock.now = closes
    assert camp.phase() == "closed"
    with pytest.raises(InvalidInput):
        nominating.submit(camp, alice, draft.pk)
    with pytest.raises(InvalidInput):
        nominating.save_draft(camp, alice, draft.pk, {"version": draft.version, "answers": {"name": "x"}})
    with pytest.raises(InvalidInput):
        nominating.start(camp, alice, "hebei")
    assert Nomination.objects.get(pk=draft.pk).status == "draft", "drafts stay after closing"


def test_nothing_can_be_started_before_opening(camp, clock):
    clock.now = datetime.datetime(2026, 11, 1, 0, 0, tzinfo=UTC) - datetime.timedelta(seconds=1)  # 07:59:59
    with pytest.raises(InvalidInput):
        nominating.start(camp, person("alice"), "hebei")


def test_withdrawal_after_closing_is_refused(camp, clock):
    alice = person("alice")
    submitted = nominating.submit(camp, alice, ready(camp, alice).pk)
    clock.now = datetime.datetime(2026, 12, 2, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        nominating.withdraw(camp, alice, submitted.pk)


def test_the_organisation_is_fixed_after_submission_until_staff_reassign_it(camp):
    alice, staff = person("alice"), person("staff", staff=True)
    submitted = nominating.submit(camp, alice, ready(camp, alice).pk)
    review.act(camp, staff, submitted.pk, "return", "请补充材料")
    returned = Nomination.objects.get(pk=submitted.pk)
    with pytest.raises(FormInvalid) as refused:
        nominating.save_draft(camp, alice, returned.pk, {"version": returned.version, "organisation": "hunan"})
    assert "organisation" in refused.value.fields
    review.reassign(camp, staff, submitted.pk, "hunan")
    assert Nomination.objects.get(pk=submitted.pk).organisation == "hunan"
    assert [a.action for a in history(returned)] == ["submit", "return", "reassign"]


def test_reassigning_into_a_full_organisation_is_refused(camp):
    alice, staff = person("alice"), person("staff", staff=True)
    for _ in range(2):
        nominating.submit(camp, alice, ready(camp, alice, organisation="hunan").pk)
    other = nominating.submit(camp, alice, ready(camp, alice).pk)
    with pytest.raises(Conflict):
        review.reassign(camp, staff, other.pk, "hunan")


def test_a_full_review_and_the_showcase(camp):
    alice, staff = person("alice"), person("staff", staff=True)
    nomination = nominating.submit(camp, alice, ready(camp, alice).pk)
    review.act(camp, staff, nomination.pk, "return", "请补充成果")
    nominating.resubmit(camp, alice, nomination.pk)
    for action in ("start_review", "recommend", "recognise"):
        review.act(camp, staff, nomination.pk, action)
    entries = showcase.entries(camp, lambda code: code)
    assert [entry["headline"] for entry in entries] == ["李建国"]
    assert "139" not in repr(entries) and "5678" not in repr(entries)
    review.set_taken_down(camp, staff, nomination.pk, True, "本人要求")
    assert showcase.entries(camp, lambda code: code) == []
    actions = [a.action for a in history(nomination)]
    assert actions == ["submit", "return", "resubmit", "start_review", "recommend", "recognise", "take_down"]
    # The request was answered by the resubmission: the nominator no longer sees it, the history keeps it.
    assert Nomination.objects.get(pk=nomination.pk).feedback == ""
    assert [a.note for a in history(nomination) if a.action == "return"] == ["请补充成果"]


def test_without_consent_a_recognised_nomination_stays_out_of_the_showcase(camp):
    alice, staff = person("alice"), person("staff", staff=True)
    nomination = nominating.submit(camp, alice, ready(camp, alice).pk)
    Nomination.objects.filter(pk=nomination.pk).update(consent_publication=False)
    for action in ("start_review", "recommend", "recognise"):
        review.act(camp, staff, nomination.pk, action)
    assert showcase.entries(camp, lambda code: code) == []


def test_returning_needs_a_note_and_refused_actions_change_nothing(camp):
    alice, staff = person("alice"), person("staff", staff=True)
    nomination = nominating.submit(camp, alice, ready(camp, alice).pk)
    with pytest.raises(InvalidInput):
        review.act(camp, staff, nomination.pk, "return", "")
    with pytest.raises(Conflict):
        review.act(camp, staff, nomination.pk, "recognise")
    assert Nomination.objects.get(pk=nomination.pk).status == "submitted"
    assert ModerationAction.objects.count() == 1


def test_rubric_scores_of_several_reviewers_are_averaged(camp):
    alice = person("alice")
    nomination = nominating.submit(camp, alice, ready(camp, alice).pk)
    review.score(camp, person("r1", staff=True), nomination.pk, {"story": 10, "impact": 10})
    review.score(camp, person("r2", staff=True), nomination.pk, {"story": 5, "impact": 5})
    result = review.score(camp, person("r2", staff=True), nomination.pk, {"story": 8, "impact": 0})
    assert result == {"average": 80.0, "reviewers": 2}   # (100 + 60) / 2
    with pytest.raises(FormInvalid):
        review.score(camp, person("r1", staff=True), nomination.pk, {"story": 11, "impact": "a"})


def test_listing_filters_searches_and_pages(camp):
    alice = person("alice")
    for number in range(2):
        nominating.submit(camp, alice, ready(camp, alice, name=f"候选人{number}").pk)
    ready(camp, alice, name="草稿人")
    rows, total, pages, page = review.listing(camp, search="候选人1")
    assert [row.headline for row in rows] == ["候选人1"] and (total, pages, page) == (1, 1, 1)
    assert review.listing(camp, status="draft")[1] == 0, "drafts are the nominator's own"
    assert review.listing(camp, organisation="hunan")[1] == 0
    assert review.listing(camp, page="x")[3] == 1


def test_only_the_listed_may_nominate(camp):
    listed = campaigns.build(camp.course_key, camp.usage_key, {**SETTINGS, "who_may_nominate": "listed",
                                                                "nominator_usernames": ["alice"]})
    nominating.start(listed, person("alice"), "hebei")
    with pytest.raises(NotAllowed):
        nominating.start(listed, person("mallory"), "hebei")
    staff_only = campaigns.build(camp.course_key, camp.usage_key, {**SETTINGS, "who_may_nominate": "staff"})
    with pytest.raises(NotAllowed):
        nominating.start(staff_only, person("alice"), "hebei")


def test_nobody_reaches_anothers_nomination(camp):
    draft = ready(camp, person("alice"))
    with pytest.raises(NotAllowed):
        nominating.save_draft(camp, person("mallory"), draft.pk, {"version": draft.version, "answers": {"name": "x"}})
    with pytest.raises(NotAllowed):
        nominating.delete_own(camp, person("mallory"), draft.pk)


def test_deleting_a_withdrawn_nomination_deletes_its_files(camp):
    alice = person("alice")
    draft = ready(camp, alice)
    stored = StoredFile.objects.create(course_key=camp.course_key, usage_key=camp.usage_key, user_id=alice.user_id,
                                       purpose="nomination", kind="document", storage_name="lifelong/test/x.pdf",
                                       original_name="x.pdf", content_type="application/pdf", size=3, sha256="0")
    NominationMaterial.objects.create(nomination=draft, kind="document", stored_file=stored)
    submitted = nominating.submit(camp, alice, draft.pk)
    with pytest.raises(Conflict):
        nominating.delete_own(camp, alice, submitted.pk)
    nominating.withdraw(camp, alice, submitted.pk)
    nominating.delete_own(camp, alice, submitted.pk)
    assert not Nomination.objects.exists() and not StoredFile.objects.exists()
