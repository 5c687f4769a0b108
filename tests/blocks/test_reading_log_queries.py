"""Rendering a reading log costs the same number of queries with 10 or 1,000 check-ins."""
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong_xblocks.models.reading_log import ReadingCheckIn, ReadingWallMember

LOG = "<lifelong_reading_log goal_days='5'/>"


def our_queries(work):
    with CaptureQueriesContext(connection) as captured:
        work()
    return [q["sql"] for q in captured.captured_queries if "lifelong_xblocks_" in q["sql"] or "auth_user" in q["sql"]]


def add_check_ins(block, count, first_user=0):
    """``count`` check-ins: a long history for student_1 and shared reflections of others."""
    users = get_user_model()
    learner = users.objects.get_or_create(username="student_1")[0]
    others = [users.objects.get_or_create(username=f"reader{n}")[0] for n in range(first_user, first_user + 10)]
    rows = []
    for n in range(count):
        rows.append(ReadingCheckIn(course_key=block.course_key, usage_key=block.usage_key, user=learner,
                                   day=date(2026, 11, 29) - timedelta(days=n + first_user * 400), book_title="b",
                                   minutes=10 + n % 50))
        rows.append(ReadingCheckIn(course_key=block.course_key, usage_key=block.usage_key, user=others[n % 10],
                                   day=date(2026, 11, 29) - timedelta(days=n // 10 + first_user * 400),
                                   book_title="b", minutes=5, reflection=f"shared {n}", shared=True))
    ReadingCheckIn.objects.bulk_create(rows)
    ReadingWallMember.objects.bulk_create([ReadingWallMember(course_key=block.course_key, usage_key=block.usage_key,
                                                             user=other, sharing=True) for other in others],
                                           ignore_conflicts=True)


def test_queries_do_not_grow_with_check_ins(scenario, clock):
    as_user = scenario(LOG)
    block = as_user("student_1").block
    add_check_ins(block, 10)
    as_user("staff").render()  # the workbench creates its users on first sight
    learner = as_user("student_1")
    learner.call("check_in", {"book_title": "today", "minutes": 5})
    few = (our_queries(as_user("student_1").render), our_queries(as_user("staff").render),
           our_queries(lambda: as_user("student_1").call("check_in", {"book_title": "again", "minutes": 6})),
           our_queries(lambda: as_user("student_1").call("student_view_user_state", method="GET")))
    add_check_ins(block, 1000, first_user=1)
    assert ReadingCheckIn.objects.filter(user__username="student_1").count() == 1011
    many = (our_queries(as_user("student_1").render), our_queries(as_user("staff").render),
            our_queries(lambda: as_user("student_1").call("check_in", {"book_title": "again", "minutes": 7})),
            our_queries(lambda: as_user("student_1").call("student_view_user_state", method="GET")))
    for name, before, after in zip(("learner view", "staff view", "check-in", "mobile state"), few, many, strict=True):
        assert len(after) == len(before), name
    learner_view, staff_view, check_in, _state = many
    assert "shared 9</p>" in as_user("student_1").render().body_html()       # the wall is really shown
    # check-in: 7 + 2 for the activity ledger (reports/ledger.py: its row's UPDATE, the day's INSERT)
    assert len(learner_view) <= 3 and len(staff_view) <= 14 and len(check_in) <= 9, (
        len(learner_view), len(staff_view), len(check_in))
