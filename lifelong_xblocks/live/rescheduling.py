"""Staff changes to a session made in the LMS: reschedule and cancel.

Registrations are kept either way; learners see a banner, and the calendar file's SEQUENCE
grows so calendar apps replace the entry they have.  Each change is written to the shared
moderation log (who did what when).
"""

from lifelong_xblocks import clock, moderation
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.live.seats import locked_session
from lifelong_xblocks.live.schedule import as_utc_text, authored_key

MAX_MINUTES = 24 * 60
REASON_MAX = 500


def parse_new_times(start_text, end_text, zone_name):
    """Times typed by staff in the session's zone -> ``(start, end)`` in UTC, or :class:`InvalidInput`."""
    start = clock.parse_local(start_text, zone_name, field="start")
    end = clock.parse_local(end_text, zone_name, field="end")
    if end <= start:
        raise InvalidInput(_("The session must end after it starts."), field="end")
    if (end - start).total_seconds() > MAX_MINUTES * 60:
        raise InvalidInput(_("A session lasts at most 24 hours."), field="end")
    return start, end


def reschedule(course_key, usage_key, actor_id, authored, start, end, now=None):
    """Move the session to ``start``-``end`` (UTC).  ``authored`` is the authored ``(start, end)``
    it replaces; it is remembered, so a later Studio edit of either takes over again."""
    if end <= start:
        raise InvalidInput(_("The session must end after it starts."), field="end")
    if end <= (now or clock.now()):
        raise InvalidInput(_("The new time is already over."), field="end")
    with locked_session(course_key, usage_key) as state:
        if state.cancelled:
            raise Conflict(_("The session is cancelled."))
        state.start_override, state.end_override = start, end
        state.overrides_start = authored_key(*authored)
        state.sequence += 1
        state.save()
        moderation.record_action(state, actor=actor_id, action="reschedule",
                                 note=f"{as_utc_text(start)} - {as_utc_text(end)}")
    return state


def cancel_session(course_key, usage_key, actor_id, reason=""):
    """Cancel the session for everyone; registrations stay, so it can be taken back."""
    if reason is not None and not isinstance(reason, str):
        raise InvalidInput(_("The reason is text."), field="reason")
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise InvalidInput(_("The reason can be at most {limit} characters long.").format(limit=REASON_MAX),
                           field="reason")
    with locked_session(course_key, usage_key) as state:
        if state.cancelled:
            return state
        state.cancelled, state.cancel_reason = True, reason
        state.sequence += 1
        state.save()
        moderation.record_action(state, actor=actor_id, action="cancel", note=reason)
    return state


def reinstate(course_key, usage_key, actor_id):
    """Take a cancellation back (registrations were kept)."""
    with locked_session(course_key, usage_key) as state:
        if not state.cancelled:
            return state
        state.cancelled, state.cancel_reason = False, ""
        state.sequence += 1
        state.save()
        moderation.record_action(state, actor=actor_id, action="reinstate")
    return state

