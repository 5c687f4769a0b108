"""The reading log's render queries run as SQL compiled once per connection (``compiled_query``):
they give exactly the rows Django's own querysets give, and another block or learner gets its own."""
from django.contrib.auth import get_user_model

from lifelong_xblocks import moderation
from lifelong_xblocks.reading import log_wall, reading_log
from test_reading_log_queries import LOG, add_check_ins


def test_prepared_wall_and_own_log_are_the_querysets_rows(scenario, clock):
    as_user = scenario(LOG)
    block = as_user("student_1").block
    add_check_ins(block, 30)
    users = get_user_model().objects
    learner, reader = users.get(username="student_1"), users.get(username="reader0")
    shown = log_wall.wall(block.usage_key, learner.pk)
    moderation.flag(log_wall._wall_entry(block.usage_key, shown[0]["id"]), reporter=learner.pk, reason="")
    for viewer in (learner, reader):
        expected = list(log_wall.wall_query(block.usage_key, viewer.pk))
        assert expected and any(row["reported"] for row in expected) == (viewer == learner)
        assert log_wall._WALL.dicts(usage_key=block.usage_key, viewer_id=viewer.pk) == expected
        assert log_wall._WALL.dicts(usage_key=block.usage_key, viewer_id=viewer.pk) == expected      # compiled already
        own = list(reading_log.learner_log_query(block.usage_key, viewer.pk))
        assert own and reading_log._LEARNER_LOG.dicts(usage_key=block.usage_key, user_id=viewer.pk) == own
    wall = log_wall.wall(block.usage_key, learner.pk)
    assert wall[0]["reported"] is True and all(entry["username"] != "student_1" for entry in wall)
    assert len(wall) == log_wall.WALL_SIZE
    assert log_wall.wall(block.usage_key, learner.pk, size=log_wall.WALL_SIZE - 1) == wall[:-1]   # Django's own
    days, entry, member = reading_log.learner_log(block.usage_key, learner.pk, clock().date())
    assert len(days) == 30 and entry is None and member is False


def test_another_block_shares_the_compiled_query_but_not_the_rows(scenario, clock):
    as_user = scenario(LOG)
    block = as_user("student_1").block
    add_check_ins(block, 5)
    learner = get_user_model().objects.get(username="student_1")
    assert log_wall.wall(block.usage_key, learner.pk)
    assert log_wall.wall("block-v1:Other+X+2026+type@lifelong_reading_log+block@x", learner.pk) == []
    assert reading_log.learner_log("block-v1:Other+X+2026+type@lifelong_reading_log+block@x", learner.pk,
                                   clock().date()) == ({}, None, None)


def test_own_log_and_wall_in_one_statement_read_what_the_two_queries_read(scenario, clock):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    as_user = scenario(LOG)
    block = as_user("student_1").block
    add_check_ins(block, 30)
    users = get_user_model().objects
    learner, reader, newcomer = (users.get(username="student_1"), users.get(username="reader0"),
                                 users.get_or_create(username="newcomer")[0])
    shown = log_wall.wall(block.usage_key, learner.pk)
    moderation.flag(log_wall._wall_entry(block.usage_key, shown[3]["id"]), reporter=learner.pk, reason="")
    today = clock().date()
    for viewer in (learner, reader, newcomer):
        with CaptureQueriesContext(connection) as captured:
            own, wall, member = log_wall.log_and_wall(block.usage_key, viewer.pk)
        assert len(captured.captured_queries) == 1
        days, entry, expected_member = reading_log.learner_log(block.usage_key, viewer.pk, today)
        assert reading_log.days_and_entry(own, today) == (days, entry)
        assert [row["day"] for row in own] == sorted(days)
        assert wall == log_wall.wall(block.usage_key, viewer.pk, size=log_wall.WALL_SIZE - 1) + wall[-1:]
        assert wall == log_wall.wall(block.usage_key, viewer.pk)
        assert member == (expected_member if expected_member is not None else (viewer == reader))
    assert [entry["reported"] for entry in log_wall.log_and_wall(block.usage_key, learner.pk)[1]].count(True) == 1
    assert log_wall.log_and_wall("block-v1:Other+X+2026+type@lifelong_reading_log+block@x", learner.pk) == \
        ([], [], None)


def test_a_learners_render_runs_three_of_our_queries(scenario, clock):
    from test_reading_log_queries import our_queries
    as_user = scenario(LOG)
    block = as_user("student_1").block
    add_check_ins(block, 30)
    assert as_user("student_1").call("check_in", {"book_title": "today", "minutes": 5,
                                                  "reflection": "mine", "shared": False})[0] == 200
    html = as_user("student_1").render().body_html()
    assert "shared 9</p>" in html and "shared 29</p>" not in html and ">mine</textarea>" in html
    assert len(our_queries(as_user("student_1").render)) == 3
