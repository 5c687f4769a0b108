"""One transaction a handler (``blocks/handlers.py``), on a real database.

A state-changing handler commits once: the block's own rows, the learner's activity-ledger row and
the block's fields.  On MariaDB, a learner's first requests racing each other in that one
transaction must neither deadlock nor lose anything: the handler first locks the learner's user
row (``models.rows.lock_learner``), so they create their rows one after the other.  The threads
call the handlers through the workbench runtime, as the LMS does.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity
from lifelong_xblocks.models.classroom import LessonProgress
from lifelong_xblocks.models.live import LiveRegistration
from lifelong_xblocks.models.reading_log import ReadingCheckIn

THREADS = 12
LESSON = ("<lifelong_microlesson display_name='课' estimated_minutes='5' video_sources='[{\"url\": "
          "\"https://media.example.org/a.mp4\", \"label\": \"360p\", \"type\": \"video/mp4\"}]'/>")
LOG = "<lifelong_reading_log display_name='读书打卡'/>"
LECTURE = ("<lifelong_live_session display_name='大讲堂' session_kind='lecture' attendance_mode='online' "
           "start_time='2030-12-05T11:30:00Z' end_time='2030-12-05T13:00:00Z' "
           "join_url='https://meeting.example.org/j/1' capacity='3'/>")
PROGRESS = {"intervals": [], "position": 0, "duration": 100}


def commits(captured):
    return [q["sql"] for q in captured.captured_queries if q["sql"].upper().startswith("COMMIT")]


@pytest.mark.django_db(transaction=True)
def test_a_learners_first_progress_report_commits_once(scenario):
    as_user = scenario(LESSON)
    as_user("first-timer").render()               # the workbench makes the learner's user row here
    client = as_user("first-timer")
    with CaptureQueriesContext(connection) as captured:
        assert client.call("report_progress", PROGRESS)[0] == 200
    assert len(commits(captured)) == 1, [q["sql"][:80] for q in captured.captured_queries]
    assert LessonProgress.objects.filter(user__username="first-timer").count() == 1
    assert LearnerBlockActivity.objects.filter(user__username="first-timer").count() == 1
    assert LearnerActivityDay.objects.filter(user__username="first-timer").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_refusal_inside_the_domain_changes_nothing_and_the_handler_still_answers(scenario):
    client = scenario(LOG)("reader")
    status, answer = client.call("check_in", {"book_title": "", "minutes": 0})
    assert status == 400 and answer["error"]
    assert not ReadingCheckIn.objects.exists() and not LearnerBlockActivity.objects.exists()
    assert client.fresh().call("check_in", {"book_title": "平凡的世界", "minutes": 20})[0] == 200
    assert ReadingCheckIn.objects.count() == 1 and LearnerBlockActivity.objects.count() == 1


RACES = {   # the block, its handler and request, and the learner's row the first request creates
    "progress report": (LESSON, "report_progress", PROGRESS, LessonProgress),
    "reading check-in": (LOG, "check_in", {"book_title": "平凡的世界", "minutes": 20}, ReadingCheckIn),
    "sign-up": (LECTURE, "sign_up", {}, LiveRegistration),
}


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("race", RACES)
def test_a_learners_first_requests_at_once_neither_deadlock_nor_duplicate(scenario, concurrently, race):
    xml, handler, data, model = RACES[race]
    as_user = scenario(xml)
    as_user("racer").render()
    clients = [as_user("racer") for _ in range(THREADS)]    # one learner, a request per thread
    results, errors = concurrently(lambda i: clients[i].call(handler, data), THREADS)
    assert [(i, repr(error)) for i, error in errors] == []
    assert sorted(status for _i, (status, _answer) in results) == [200] * THREADS, results
    assert model.objects.filter(user__username="racer").count() == 1
    assert LearnerBlockActivity.objects.filter(user__username="racer").count() == 1
    assert LearnerActivityDay.objects.filter(user__username="racer").count() == 1
