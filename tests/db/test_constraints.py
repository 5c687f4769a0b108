"""The database itself refuses duplicates, whatever the code above it does."""
import pytest
from django.db import IntegrityError, transaction

from lifelong_xblocks.classroom import progress
from lifelong_xblocks.errors import Conflict
from lifelong_xblocks.models import ComfortSettings, LessonProgress, ParticipantProfile, QuickCheckAttempt
from lifelong_xblocks.profiles import api as profiles

COURSE = "course-v1:OU+LL101+2025"
USAGE = "block-v1:OU+LL101+2025+type@lifelong_microlesson+block@lesson1"
OTHER_USAGE = "block-v1:OU+LL101+2025+type@lifelong_microlesson+block@lesson2"
QUESTIONS = [{"id": "q1", "kind": "single", "prompt": "?",
              "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}]


def test_lesson_progress_once_per_usage_and_user(make_user):
    ann, bob = make_user("ann"), make_user("bob")
    LessonProgress.objects.create(course_key=COURSE, usage_key=USAGE, user=ann)
    LessonProgress.objects.create(course_key=COURSE, usage_key=USAGE, user=bob)
    LessonProgress.objects.create(course_key=COURSE, usage_key=OTHER_USAGE, user=ann)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonProgress.objects.create(course_key=COURSE, usage_key=USAGE, user=ann)
    assert LessonProgress.objects.filter(usage_key=USAGE, user=ann).count() == 1
    assert LessonProgress.objects.count() == 3


def test_quick_check_attempt_number_unique_per_usage_and_user(make_user):
    ann, bob = make_user("ann"), make_user("bob")
    fields = {"course_key": COURSE, "usage_key": USAGE, "score": 1.0}
    QuickCheckAttempt.objects.create(user=ann, number=1, **fields)
    QuickCheckAttempt.objects.create(user=ann, number=2, **fields)
    QuickCheckAttempt.objects.create(user=bob, number=1, **fields)
    QuickCheckAttempt.objects.create(user=ann, number=1, **{**fields, "usage_key": OTHER_USAGE})
    with pytest.raises(IntegrityError), transaction.atomic():
        QuickCheckAttempt.objects.create(user=ann, number=2, **fields)
    assert list(QuickCheckAttempt.objects.filter(usage_key=USAGE, user=ann)
                .values_list("number", flat=True)) == [1, 2]


def test_one_profile_and_one_comfort_row_per_user(make_user):
    ann = make_user("ann")
    ParticipantProfile.objects.create(user=ann, answered_at="2025-05-01T08:00:00Z")
    ComfortSettings.objects.create(user=ann)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantProfile.objects.create(user=ann, answered_at="2025-05-01T08:00:00Z")
    with pytest.raises(IntegrityError), transaction.atomic():
        ComfortSettings.objects.create(user=ann)


def test_quick_check_attempts_are_numbered_and_limited(make_user):
    ann = make_user("ann")
    questions = [{"id": "q1", "kind": "multiple", "prompt": "?", "choices": [
        {"id": choice, "text": choice.upper(), "correct": choice == "a"} for choice in "abcd"]}]
    for expected, wrong in ((1, ["b"]), (2, ["c"]), (3, ["d"])):
        attempt, _results = progress.submit_quick_check(COURSE, USAGE, ann.pk, questions, {"q1": wrong},
                                                        max_attempts=3, pass_score=1.0)
        assert attempt.number == expected and not attempt.passed
    again, _results = progress.submit_quick_check(COURSE, USAGE, ann.pk, questions, {"q1": ["d"]},
                                                  max_attempts=3, pass_score=1.0)
    assert again.number == 3, "the same answers as the latest attempt are that attempt (a retry)"
    with pytest.raises(Conflict):
        progress.submit_quick_check(COURSE, USAGE, ann.pk, questions, {"q1": ["a"]}, max_attempts=3, pass_score=1.0)
    assert list(QuickCheckAttempt.objects.values_list("number", flat=True)) == [1, 2, 3]
    assert LessonProgress.objects.filter(usage_key=USAGE, user=ann).count() == 1


def test_repeated_saves_update_the_one_row(make_user):
    ann = make_user("ann")
    profiles.save_profile(ann.pk, False)
    profiles.save_profile(ann.pk, True, "older_adult", profiles.regions()[0][0])
    profiles.save_comfort(ann.pk, {"large_text": True})
    profiles.save_comfort(ann.pk, {"playback_rate": 1.5})
    assert ParticipantProfile.objects.filter(user=ann).count() == 1
    assert ParticipantProfile.objects.get(user=ann).consented is True
    comfort = ComfortSettings.objects.get(user=ann)
    assert (comfort.large_text, comfort.playback_rate) == (True, 1.5)
