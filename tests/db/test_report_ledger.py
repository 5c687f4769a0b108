"""The activity ledger: fed by every block's real handlers, few queries per handler, none on a
render, race-safe, and read back in chunks with a constant number of queries."""
import datetime
import math

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity
from lifelong_xblocks.reports import ledger
from lifelong_xblocks.reports.rows import ReportFilter, learner_rows
from tests import report_course as fixtures

report_course = fixtures.report_course
LEDGER_TABLES = ("lifelong_xblocks_learnerblockactivity", "lifelong_xblocks_learneractivityday")
FIGURES = {
    "lifelong_microlesson": {"coverage", "completed"},
    "lifelong_live_session": {"status"},
    "lifelong_bookshelf": {"recommended", "voted", "completed"},
    "lifelong_reading_log": {"last_day", "days", "goal_reached"},
    "lifelong_recitation": {"submitted", "submissions", "consent"},
    "lifelong_nomination": {"nominations", "last_status"},
}


def ledger_queries(work):
    with CaptureQueriesContext(connection) as captured:
        work()
    return [q["sql"] for q in captured.captured_queries if any(table in q["sql"] for table in LEDGER_TABLES)]


def test_every_block_feeds_the_ledger_through_its_handlers(report_course):
    rows = {(row.block_type, row.user.username): row for row in LearnerBlockActivity.objects.select_related("user")}
    assert {tag for tag, _name in rows} == set(FIGURES)
    for tag, figures in FIGURES.items():
        ann = rows[(tag, "ann")]
        assert ann.course_key == "workbench" and ann.usage_key == report_course.usage_key(tag)
        assert ann.completion == 1.0 and ann.completed_at is not None, tag
        assert set(ann.figures) == figures, tag
        assert ann.first_activity <= ann.last_activity and not ann.by_staff
    lesson = rows[("lifelong_microlesson", "ann")]
    assert (lesson.score, lesson.max_score, lesson.title) == (2.0, 2.0, "=Lesson")
    assert rows[("lifelong_microlesson", "-bob")].completion == 0.0
    live = rows[("lifelong_live_session", "ann")]
    assert live.completed_at == datetime.datetime(2026, 11, 20, 3, 10, tzinfo=datetime.timezone.utc), "staff check-in"
    assert rows[("lifelong_reading_log", "staff")].by_staff


def test_staff_undo_sets_completion_back_and_learner_completion_never_goes_back(report_course, clock):
    clock.now = fixtures.START + datetime.timedelta(minutes=75)      # during the session
    staff = report_course.client("lifelong_live_session", "staff")
    assert staff.call("undo_check_in", {"user": "ann"})[0] == 200
    live = LearnerBlockActivity.objects.get(block_type="lifelong_live_session", user__username="ann")
    assert (live.completion, live.completed_at) == (0.0, None)
    block = report_course.client("lifelong_microlesson", "ann").block
    user_id = block.person.user_id
    ledger.record(block.activity_block, user_id, ledger.Change(completion=0.5))
    lesson = LearnerBlockActivity.objects.get(block_type="lifelong_microlesson", user_id=user_id)
    assert lesson.completion == 1.0 and lesson.completed_at is not None


def test_handlers_add_two_ledger_queries_three_on_a_first_action_and_renders_none(report_course, clock):
    clock.advance(2 * 86400)
    log = report_course.client("lifelong_reading_log", "-bob")
    first = ledger_queries(lambda: log.call("check_in", {"book_title": "x", "minutes": 3}))
    again = ledger_queries(lambda: log.fresh().call("check_in", {"book_title": "y", "minutes": 4}))
    # first: UPDATE (no row), the row inserted with the change, the day row
    assert len(first) <= 3 and len(again) <= 2, (first, again)
    lesson = report_course.client("lifelong_microlesson", "-bob")
    graded = ledger_queries(lambda: lesson.call("submit_quick_check", {"answers": {"q1": ["a"]}}))
    assert len(graded) <= 2, graded     # grade, completion and figures: one UPDATE, one day INSERT
    row = LearnerBlockActivity.objects.get(block_type="lifelong_microlesson", user__username="-bob")
    assert (row.score, row.completion) == (2.0, 0.0), "passed, but coverage is still missing"
    for tag in FIGURES:
        for name in ("ann", "-bob", "staff"):
            client = report_course.client(tag, name)
            assert ledger_queries(client.render) == [], (tag, name)
            assert ledger_queries(lambda c=client: c.fresh().call("student_view_user_state", method="GET")) == []


def _ledger_rows(count, course="course-v1:OU+Big+2026"):
    users = get_user_model().objects.bulk_create([get_user_model()(username=f"r{n}") for n in range(count)])
    moment = datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc)
    LearnerBlockActivity.objects.bulk_create([
        LearnerBlockActivity(course_key=course, usage_key="b1", block_type="lifelong_bookshelf", user=user,
                             first_activity=moment, last_activity=moment, completion=1.0, figures={"votes": 2})
        for user in users])
    return ReportFilter.build(course)


@pytest.mark.parametrize("anonymize", [False, True])
def test_rows_take_one_query_per_chunk(db, anonymize):
    report = _ledger_rows(95)
    for chunk in (10, 40, 95, 200):
        with CaptureQueriesContext(connection) as captured:
            rows = list(learner_rows(report, anonymize=anonymize, chunk=chunk))
        assert len(rows) == 95
        chunks = math.ceil(95 / chunk) + (1 if 95 % chunk == 0 else 0)
        assert len(captured.captured_queries) == chunks, [q["sql"] for q in captured.captured_queries]
    assert rows[0][-1] == "votes=2"


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_a_burst_of_one_learners_requests_keeps_one_row_and_the_highest_completion(concurrently):
    learner = get_user_model().objects.create(username="burst")
    block = ledger.BlockRef("course-v1:OU+LL+1", "block-v1:OU+LL+1+type@lifelong_bookshelf+block@b",
                            "lifelong_bookshelf", "Shelf")

    def act(i):
        ledger.record(block, learner.pk, ledger.Change(figures={"n": i}, completion=1.0 if i == 7 else 0.0))

    _results, errors = concurrently(act, 20)
    assert errors == []
    row = LearnerBlockActivity.objects.get()
    assert row.completion == 1.0 and row.completed_at is not None
    assert LearnerActivityDay.objects.count() == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_a_burst_over_two_blocks_of_one_type_shares_the_day_row_without_deadlock(concurrently):
    """The day row is written in the activity row's transaction: requests of one learner in two blocks
    of the same type (one day row) and first activities (the insert race) must neither deadlock nor fail."""
    learner = get_user_model().objects.create(username="burst2")
    blocks = [ledger.BlockRef("course-v1:OU+LL+1", f"block-v1:OU+LL+1+type@lifelong_bookshelf+block@b{n}",
                              "lifelong_bookshelf", "Shelf") for n in (1, 2)]

    def act(i):
        ledger.record(blocks[i % 2], learner.pk, ledger.Change(figures={"n": i}, completion=1.0 if i < 2 else 0.5))

    _results, errors = concurrently(act, 20)
    assert errors == []
    rows = LearnerBlockActivity.objects.order_by("usage_key")
    assert [row.completion for row in rows] == [1.0, 1.0]
    assert LearnerActivityDay.objects.count() == 1
