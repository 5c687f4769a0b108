"""The state machine: every action from every status, by nominator and by staff."""
import itertools

import pytest

from lifelong_xblocks.errors import Conflict, NotAllowed
from lifelong_xblocks.nominations import states

ALLOWED = {
    ("submit", "draft"): "submitted",
    ("resubmit", "returned_for_changes"): "resubmitted",
    ("withdraw", "submitted"): "withdrawn",
    ("withdraw", "under_review"): "withdrawn",
    ("withdraw", "returned_for_changes"): "withdrawn",
    ("withdraw", "resubmitted"): "withdrawn",
    ("start_review", "submitted"): "under_review",
    ("start_review", "resubmitted"): "under_review",
    ("return", "submitted"): "returned_for_changes",
    ("return", "under_review"): "returned_for_changes",
    ("return", "resubmitted"): "returned_for_changes",
    ("recommend", "under_review"): "recommended",
    ("recognise", "recommended"): "recognised",
    ("not_select", "under_review"): "not_selected",
    ("not_select", "recommended"): "not_selected",
}
NOMINATOR_ACTIONS = {"submit", "resubmit", "withdraw"}


@pytest.mark.parametrize("action, status", list(itertools.product(states.TRANSITIONS, states.STATUSES)))
def test_every_action_from_every_status(action, status):
    by = states.NOMINATOR if action in NOMINATOR_ACTIONS else states.STAFF
    if (action, status) in ALLOWED:
        assert states.transition(action, status, by).target == ALLOWED[(action, status)]
        assert action in states.allowed_actions(status, by)
    else:
        with pytest.raises(Conflict):
            states.transition(action, status, by)
        assert action not in states.allowed_actions(status, by)


@pytest.mark.parametrize("action", sorted(states.TRANSITIONS))
def test_nobody_takes_the_other_sides_actions(action):
    wrong = states.STAFF if action in NOMINATOR_ACTIONS else states.NOMINATOR
    status = next(status for (a, status) in ALLOWED if a == action)
    with pytest.raises(NotAllowed):
        states.transition(action, status, wrong)


def test_final_statuses_allow_nothing():
    for status in ("recognised", "not_selected", "withdrawn"):
        assert states.allowed_actions(status, states.STAFF) == []
        assert states.allowed_actions(status, states.NOMINATOR) == []


def test_seats_are_held_from_submission_until_withdrawal():
    assert states.HOLDS_SEAT == set(states.STATUSES) - {"draft", "withdrawn"}


def test_unknown_action_is_refused():
    with pytest.raises(Conflict):
        states.transition("publish", "draft", states.STAFF)
