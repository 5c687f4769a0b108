"""Many requests of one learner at once (two tabs, a phone retrying on a slow link), with real
threads on separate database connections and the row locks of the real database.

Marked ``mariadb``: SQLite has no row locks (one writer for the whole file), so these run in
``make test-db-mariadb`` and are skipped on SQLite.
"""
import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from lifelong_xblocks.classroom import progress
from lifelong_xblocks.errors import Conflict
from lifelong_xblocks.models import ComfortSettings, LessonProgress, ParticipantProfile, QuickCheckAttempt
from lifelong_xblocks.profiles import api as profiles

pytestmark = [pytest.mark.mariadb, pytest.mark.django_db(transaction=True)]

THREADS = 20
COURSE = "course-v1:OU+LL101+2025"
USAGE = "block-v1:OU+LL101+2025+type@lifelong_microlesson+block@lesson1"
QUESTIONS = [{"id": "q1", "kind": "single", "prompt": "?",
              "choices": [{"id": "a", "text": "A", "correct": True}, {"id": "b", "text": "B"}]}]


@pytest.fixture
def learner():
    return get_user_model().objects.create(username="learner")


def _unexpected(errors, allowed=()):
    return [(i, repr(error)) for i, error in errors if not isinstance(error, allowed)]


MANY_CHOICES = [{"id": "q1", "kind": "multiple", "prompt": "?",
                 "choices": [{"id": f"c{n}", "text": f"C{n}", "correct": n == 0} for n in range(6)]}]


def distinct_answers(i):
    """Thread ``i``'s own answers (a different set of choices for each of up to 63 threads): the same
    answers as the latest attempt are that attempt again, not a new one."""
    return {"q1": [f"c{n}" for n in range(6) if (i + 1) >> n & 1]}


def test_quick_check_submitted_at_once_stores_exactly_max_attempts(learner, concurrently):
    def submit(i):
        attempt, _results = progress.submit_quick_check(
            COURSE, USAGE, learner.pk, MANY_CHOICES, distinct_answers(i), max_attempts=3, pass_score=1.0)
        return attempt.number

    results, errors = concurrently(submit, THREADS)
    assert _unexpected(errors, Conflict) == []
    assert sorted(number for _i, number in results) == [1, 2, 3]
    assert len(errors) == THREADS - 3
    assert list(QuickCheckAttempt.objects.filter(usage_key=USAGE, user=learner)
                .values_list("number", flat=True)) == [1, 2, 3]
    assert LessonProgress.objects.filter(usage_key=USAGE, user=learner).count() == 1


def test_quick_check_without_limit_numbers_every_attempt_once(learner, concurrently):
    def submit(i):
        return progress.submit_quick_check(COURSE, USAGE, learner.pk, MANY_CHOICES, distinct_answers(i),
                                           max_attempts=0, pass_score=1.0)[0].number

    results, errors = concurrently(submit, THREADS)
    assert _unexpected(errors) == []
    assert sorted(number for _i, number in results) == list(range(1, THREADS + 1))


def test_the_same_answers_sent_at_once_are_one_attempt(learner, concurrently):
    """A double tap or a phone retrying: identical submissions at once use up one attempt."""
    def submit(_i):
        return progress.submit_quick_check(COURSE, USAGE, learner.pk, QUESTIONS, {"q1": "b"},
                                           max_attempts=3, pass_score=1.0)[0].number

    results, errors = concurrently(submit, THREADS)
    assert _unexpected(errors) == []
    assert {number for _i, number in results} == {1}
    assert QuickCheckAttempt.objects.filter(usage_key=USAGE, user=learner).count() == 1


def test_playback_reports_at_once_make_one_row_and_lose_nothing(learner, concurrently):
    """Each thread reports its own 2 s of a 100 s video; the union of all of them must be kept."""
    def report(i):
        return progress.record_playback(
            COURSE, USAGE, learner.pk, {"intervals": [[i * 5, i * 5 + 2]], "position": i * 5 + 2, "duration": 100},
            authored_duration=100).pk

    results, errors = concurrently(report, THREADS)
    assert _unexpected(errors) == []
    assert len({pk for _i, pk in results}) == 1
    row = LessonProgress.objects.get(usage_key=USAGE, user=learner)
    assert LessonProgress.objects.count() == 1
    assert row.played == [[float(i * 5), float(i * 5 + 2)] for i in range(THREADS)]
    assert row.coverage == pytest.approx(2 * THREADS / 100)


def test_first_playback_reports_at_once_raise_no_integrity_error(concurrently):
    """Every learner's first report races only with their own (different users never block)."""
    users = [get_user_model().objects.create(username=f"learner{i}") for i in range(THREADS)]

    def report(i):
        user = users[i // 2]  # two reports per learner at once
        return progress.record_playback(COURSE, USAGE, user.pk, {"intervals": [], "position": 0, "duration": 60}).pk

    _results, errors = concurrently(report, THREADS)
    assert not [e for _i, e in errors if isinstance(e, IntegrityError)]
    assert _unexpected(errors) == []
    assert LessonProgress.objects.count() == THREADS // 2


def test_comfort_saved_at_once_keeps_one_row_and_every_change(learner, concurrently):
    def save(i):
        change = {"low_bandwidth": True} if i % 2 else {"large_text": True}
        return profiles.save_comfort(learner.pk, change).pk

    results, errors = concurrently(save, THREADS)
    assert _unexpected(errors) == []
    assert len({pk for _i, pk in results}) == 1
    comfort = ComfortSettings.objects.get(user=learner)
    assert (comfort.low_bandwidth, comfort.large_text) == (True, True)


def test_profile_saved_at_once_keeps_one_row(learner, concurrently):
    region = profiles.regions()[0][0]

    def save(i):
        return profiles.save_profile(learner.pk, bool(i % 2), "older_adult" if i % 2 else "", region).pk

    results, errors = concurrently(save, THREADS)
    assert _unexpected(errors) == []
    assert len({pk for _i, pk in results}) == 1
    assert ParticipantProfile.objects.filter(user=learner).count() == 1
