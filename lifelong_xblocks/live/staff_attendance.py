"""Staff check learners in by hand, undo it, and remove registrations.

At an offline meetup a learner without a smartphone cannot scan the room's code, so the
organiser marks them present from the staff view (check-in method ``"staff"``).  Staff can also
take a check-in back (a mistake) and remove a registration (e.g. a duplicate account): the seat
is freed and goes to the first learner waiting, under the same state-row lock as a learner's
own cancellation (:func:`seats.locked_session`).

When staff may mark attendance: from the join window's opening until
:data:`HOURS_AFTER_END` hours after the end, so an organiser can still fix the list the next
morning.  Not for a cancelled session or one without a date.  Removing a registration follows a
learner's own cancellation: allowed until the end of the session, refused after a check-in.

Every change is recorded with :func:`moderation.record_action` in the same transaction (the
subject is the registration; the note names the learner).  Asking for what is already so
(marking a learner present twice, undoing an absent learner, removing a cancelled
registration) changes nothing and records nothing.
"""
from datetime import timedelta

from django.contrib.auth import get_user_model

from lifelong_xblocks import clock, moderation
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.live import seats
from lifelong_xblocks.live.schedule import CANCELLED, ENDED, UNSCHEDULED, UPCOMING, as_utc_text

STAFF = "staff"             # LiveRegistration.check_in_method of a check-in by staff
HOURS_AFTER_END = 12        # staff may mark attendance until this long after the end


def learner_named(username):
    """The user with this username, or :class:`InvalidInput` (field ``user``)."""
    if not isinstance(username, str) or not username.strip():
        raise InvalidInput(_("Say which learner: their username."), field="user")
    user = get_user_model().objects.filter(username=username.strip()).first()
    if user is None:
        raise InvalidInput(_("There is no user {user}.").format(user=username.strip()[:150]), field="user")
    return user


def attendance_closes(schedule):
    """The last moment staff may mark attendance (``None`` without a date)."""
    return schedule.end + timedelta(hours=HOURS_AFTER_END) if schedule.is_set else None


def refuse_unless_attendance_open(schedule, now=None):
    """:class:`Conflict` unless staff may mark attendance now (server time)."""
    now = now or clock.now()
    phase = schedule.phase(now)
    if phase == CANCELLED:
        raise Conflict(_("This session has been cancelled."))
    if phase == UNSCHEDULED:
        raise Conflict(_("This session has no date yet."))
    if phase == UPCOMING:
        raise Conflict(_("Learners can be marked present from {time}, when the join window opens.")
                       .format(time=clock.format_local(schedule.join_opens, schedule.zone_name)))
    if now >= attendance_closes(schedule):
        raise Conflict(_("Attendance can be changed until {hours} hours after the end of the session.")
                       .format(hours=HOURS_AFTER_END))


def attendance_open(schedule, now=None):
    try:
        refuse_unless_attendance_open(schedule, now)
    except Conflict:
        return False
    return True


def removal_open(schedule, now=None):
    return schedule.phase(now) not in (ENDED, UNSCHEDULED)


def _locked_registration(usage_key, learner):
    registration = seats.LiveRegistration.objects.select_for_update().filter(
        usage_key=usage_key, user_id=learner.pk).first()
    if registration is None:
        raise Conflict(_("{user} has not signed up for this session.").format(user=learner.username))
    return registration


def _note(learner, text):
    return f"learner {learner.username} (user id {learner.pk}): {text}"


def staff_check_in(course_key, usage_key, learner, actor_id, schedule, now=None):
    """Mark ``learner`` (a registered learner) present.  Returns ``(registration, changed)``;
    a learner already checked in (any way) keeps the first time and method."""
    now = now or clock.now()
    refuse_unless_attendance_open(schedule, now)
    _refuse_unknown(usage_key, learner)
    with seats.locked_session(course_key, usage_key):
        registration = _locked_registration(usage_key, learner)
        if registration.checked_in_at is not None:
            return registration, False
        if registration.status == seats.WAITING:
            raise Conflict(_("{user} is on the waiting list and has no seat, so cannot be marked present.")
                           .format(user=learner.username))
        if registration.status != seats.REGISTERED:
            raise Conflict(_("{user} cancelled their registration, so cannot be marked present.")
                           .format(user=learner.username))
        registration.checked_in_at = now
        registration.check_in_method = STAFF
        registration.save(update_fields=["checked_in_at", "check_in_method", "modified"])
        moderation.record_action(registration, actor=actor_id, action="check_in",
                                 note=_note(learner, "marked present by staff"))
    return registration, True


def undo_check_in(course_key, usage_key, learner, actor_id, schedule, now=None):
    """Take a check-in back (any method: staff may correct a wrong QR check-in too).
    Returns ``(registration, previous_method)``; ``previous_method`` is ``""`` when the learner
    was not checked in (nothing changed)."""
    now = now or clock.now()
    refuse_unless_attendance_open(schedule, now)
    _refuse_unknown(usage_key, learner)
    with seats.locked_session(course_key, usage_key):
        registration = _locked_registration(usage_key, learner)
        if registration.checked_in_at is None:
            return registration, ""
        previous = registration.check_in_method or "?"
        at = as_utc_text(registration.checked_in_at)
        registration.checked_in_at = None
        registration.check_in_method = ""
        registration.save(update_fields=["checked_in_at", "check_in_method", "modified"])
        moderation.record_action(registration, actor=actor_id, action="undo_check_in",
                                 note=_note(learner, f"check-in ({previous}, {at}) taken back"))
    return registration, previous


def remove_registration(course_key, usage_key, learner, actor_id, capacity, schedule, now=None):
    """Remove ``learner``'s seat or place on the waiting list, exactly like their own cancellation:
    a freed seat goes to the first learner waiting.  Returns ``(registration, promoted, changed)``."""
    now = now or clock.now()
    if not removal_open(schedule, now):
        raise Conflict(_("This session is over.") if schedule.is_set else _("This session has no date yet."))
    _refuse_unknown(usage_key, learner)
    with seats.locked_session(course_key, usage_key):
        registration = _locked_registration(usage_key, learner)
        if registration.status == seats.CANCELLED:
            return registration, [], False
        if registration.checked_in_at is not None:
            raise Conflict(_("{user} has checked in; undo the check-in first.").format(user=learner.username))
        was = registration.status
        registration.status = seats.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "modified"])
        promoted, _taken = seats.promote_waiting(usage_key, capacity, now)
        moved_up = ", ".join(f"user id {row.user_id}" for row in promoted) or "nobody"
        moderation.record_action(registration, actor=actor_id, action="remove_registration",
                                 note=_note(learner, f"registration removed (was {was}); moved up: {moved_up}"))
    return registration, promoted, True


def _refuse_unknown(usage_key, learner):
    """Refuse before taking the lock, so a request about nobody creates no state row."""
    if seats.get_registration(usage_key, learner.pk) is None:
        raise Conflict(_("{user} has not signed up for this session.").format(user=learner.username))

