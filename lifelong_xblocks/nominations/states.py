"""The life of a nomination: which action leads from which status to which, and who may take it.

    draft -> submitted -> under_review -> recommended -> recognised | not_selected
    submitted | under_review | resubmitted -> returned_for_changes -> resubmitted -> under_review
    submitted | under_review | returned_for_changes | resubmitted -> withdrawn   (before closing)
"""
from dataclasses import dataclass

from lifelong_xblocks.errors import Conflict, NotAllowed
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_

DRAFT, SUBMITTED, UNDER_REVIEW = "draft", "submitted", "under_review"
RETURNED, RESUBMITTED = "returned_for_changes", "resubmitted"
RECOMMENDED, RECOGNISED, NOT_SELECTED, WITHDRAWN = "recommended", "recognised", "not_selected", "withdrawn"

STATUS_LABELS = {
    DRAFT: N_("Draft"),
    SUBMITTED: N_("Submitted"),
    UNDER_REVIEW: N_("Under review"),
    RETURNED: N_("Returned for changes"),
    RESUBMITTED: N_("Resubmitted"),
    RECOMMENDED: N_("Recommended"),
    RECOGNISED: N_("Recognised"),
    NOT_SELECTED: N_("Not selected"),
    WITHDRAWN: N_("Withdrawn"),
}
STATUSES = tuple(STATUS_LABELS)

# A nomination holds one of its organisation's seats from submission until it is withdrawn.
HOLDS_SEAT = frozenset(STATUSES) - {DRAFT, WITHDRAWN}
# The nominator may change answers and materials only in these (and only while the campaign is open).
EDITABLE = frozenset({DRAFT, RETURNED})
# What may be deleted (with its files): never anything that is or was in review.
DELETABLE = frozenset({DRAFT, WITHDRAWN})

NOMINATOR, STAFF = "nominator", "staff"


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    by: str                   # NOMINATOR (the nominator, while the campaign is open) or STAFF
    label: str                # gettext_noop'd, for buttons and the history


TRANSITIONS = {t.action: t for t in (
    Transition("submit", frozenset({DRAFT}), SUBMITTED, NOMINATOR, N_("Submitted")),
    Transition("resubmit", frozenset({RETURNED}), RESUBMITTED, NOMINATOR, N_("Resubmitted")),
    Transition("withdraw", frozenset({SUBMITTED, UNDER_REVIEW, RETURNED, RESUBMITTED}), WITHDRAWN, NOMINATOR,
               N_("Withdrawn")),
    Transition("start_review", frozenset({SUBMITTED, RESUBMITTED}), UNDER_REVIEW, STAFF, N_("Review started")),
    Transition("return", frozenset({SUBMITTED, UNDER_REVIEW, RESUBMITTED}), RETURNED, STAFF,
               N_("Returned for changes")),
    Transition("recommend", frozenset({UNDER_REVIEW}), RECOMMENDED, STAFF, N_("Recommended")),
    Transition("recognise", frozenset({RECOMMENDED}), RECOGNISED, STAFF, N_("Recognised")),
    Transition("not_select", frozenset({UNDER_REVIEW, RECOMMENDED}), NOT_SELECTED, STAFF, N_("Not selected")),
)}
STAFF_ACTIONS = tuple(action for action, t in TRANSITIONS.items() if t.by == STAFF)
# Other actions recorded in the history (not status changes).
OTHER_ACTION_LABELS = {
    "reassign": N_("Organisation reassigned"),
    "take_down": N_("Taken down from the showcase"),
    "restore": N_("Shown in the showcase again"),
}


def transition(action, status, by):
    """The :class:`Transition` for ``action`` from ``status`` by ``by``, or a typed refusal."""
    found = TRANSITIONS.get(action)
    if found is None:
        raise Conflict(_("Unknown action."))
    if found.by != by:
        raise NotAllowed(_("Only course staff can do this.") if found.by == STAFF
                         else _("Only the nominator can do this."))
    if status not in found.sources:
        raise Conflict(_("This is not possible while the nomination is “{status}”.").format(
            status=_(STATUS_LABELS.get(status, status))))
    return found


def allowed_actions(status, by):
    """Actions ``by`` may take from ``status``, in the order of the table."""
    return [action for action, t in TRANSITIONS.items() if t.by == by and status in t.sources]


def action_label(action):
    found = TRANSITIONS.get(action)
    return found.label if found else OTHER_ACTION_LABELS.get(action, action)
