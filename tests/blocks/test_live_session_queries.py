"""Queries per render must not grow with the number of learners signed up."""
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifelong_xblocks.live import seats

BLOCK = """<lifelong_live_session start_time="2026-11-30T03:00:00Z" end_time="2026-11-30T04:00:00Z"
    join_url="https://meet.example.org/j/1" capacity="20" attendance_mode="hybrid" venue_address="Library"/>"""


def _sign_up_many(block, count, start):
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"many{start + i}") for i in range(count)])
    for user in users:
        seats.sign_up(block.course_key, block.usage_key, user.pk, capacity=20)


def _queries(client):
    client = client.fresh()
    with CaptureQueriesContext(connection) as captured:
        client.render()
    # The workbench reads each field with a query of its own: count only ours.
    return len([q for q in captured.captured_queries if "workbench_xblockstate" not in q["sql"]])


def test_learner_and_staff_views_take_the_same_queries_for_5_or_50_learners(scenario, clock):
    as_user = scenario(BLOCK)
    learner, staff = as_user("ann"), as_user("staff")
    learner.call("sign_up")
    _queries(learner), _queries(staff)          # warm up: users and comfort rows created
    _sign_up_many(learner.block, 5, 0)
    few = (_queries(learner), _queries(staff))
    _sign_up_many(learner.block, 45, 5)
    many = (_queries(learner), _queries(staff))
    assert few == many, (few, many)
    assert many[0] <= 3 and many[1] <= 14


def _handler_queries(client, handler):
    client = client.fresh()
    with CaptureQueriesContext(connection) as captured:
        status, _answer = client.call(handler)
    assert status == 200
    return len([q for q in captured.captured_queries if "workbench_xblockstate" not in q["sql"]
                and "SAVEPOINT" not in q["sql"]])


def test_sign_up_and_cancel_take_the_same_queries_for_5_or_50_learners_waiting(scenario, clock):
    as_user = scenario(BLOCK)                   # 20 seats: everyone after the 20th waits
    as_user("warm").call("sign_up")
    _sign_up_many(as_user("warm").block, 24, 100)
    few = (_handler_queries(as_user("ann"), "sign_up"), _handler_queries(as_user("ann"), "cancel_registration"))
    _sign_up_many(as_user("warm").block, 45, 124)
    many = (_handler_queries(as_user("bob"), "sign_up"), _handler_queries(as_user("bob"), "cancel_registration"))
    assert few == many, (few, many)
    # + the activity ledger on a learner's first action (reports/ledger.py); on MySQL + the learner's
    # lock, taken by the handler and by the ledger (models.rows.lock_learner)
    assert max(many) <= 15 + 3 + (2 if connection.vendor == "mysql" else 0), many
