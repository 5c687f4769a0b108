"""Twenty submissions at once for an organisation with five seats left: exactly five get through.

Marked ``mariadb``: only real row locks say anything about it (SQLite has one writer per file).
"""

import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.errors import Conflict
from lifelong_xblocks.identity import Person
from lifelong_xblocks.models.moderation import ModerationAction
from lifelong_xblocks.models.nominations import Nomination
from lifelong_xblocks.nominations import campaign as campaigns
from lifelong_xblocks.nominations import nominating, quota

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

THREADS = 20
STORY = "社区老年大学的学员们一起学习书法与手机摄影，并把作品做成了社区展览，吸引了很多邻居参加。" * 3
SETTINGS = {"category": "learning_star", "opens_at": "", "closes_at": "2099-01-01 00:00", "quota_min": 3,
            "quota_max": 6, "who_may_nominate": "enrolled",
            "required_fields": ["name", "age_band", "region", "occupation", "phone", "story"]}


def test_twenty_submissions_at_once_fill_exactly_the_five_seats_left(concurrently):
    camp = campaigns.build("course-v1:OU+N+2026", "block-v1:OU+N+2026+type@lifelong_nomination+block@q", SETTINGS)
    people = []
    drafts = []
    for i in range(THREADS + 1):
        user = get_user_model().objects.create(username=f"nominator{i}")
        who = Person(user_id=user.pk, username=user.username, anonymous_id="", is_staff=False)
        draft = nominating.start(camp, who, "sichuan")
        drafts.append(nominating.save_draft(camp, who, draft.pk, {
            "version": draft.version, "consent_publication": True,
            "answers": {"name": f"学员{i}", "age_band": "70_plus", "region": "sichuan", "occupation": "退休职工",
                        "phone": "13800138000", "story": STORY}}))
        people.append(who)
    nominating.submit(camp, people[THREADS], drafts[THREADS].pk)   # one seat already taken: five left

    def submit(i):
        return nominating.submit(camp, people[i], drafts[i].pk).pk

    results, errors = concurrently(submit, THREADS)
    unexpected = [(i, repr(error)) for i, error in errors if not isinstance(error, Conflict)]
    assert unexpected == []
    assert len(results) == 5 and len(errors) == THREADS - 5
    assert all("Quota reached" in error.message for _i, error in errors)
    assert quota.seats_taken(camp.usage_key, "sichuan") == 6
    assert Nomination.objects.filter(status="draft").count() == THREADS - 5, "refused drafts are kept"
    assert ModerationAction.objects.filter(action="submit").count() == 6
