"""When a session takes place, and which phase it is in at a given server time.

The authored start and end are UTC strings (``2026-12-01T11:30:00Z``) in XBlock fields; a staff
reschedule kept in :class:`LiveSessionState` replaces them while the authored start is still
the one it was made against.  The browser's clock never decides a phase.
"""
from datetime import datetime, timedelta

from lifelong_xblocks import clock

# Phases, in the order a session goes through them.
UPCOMING = "upcoming"      # before the join window opens
JOINABLE = "joinable"      # join window open, not started yet
LIVE = "live"              # between start and end
ENDED = "ended"
CANCELLED = "cancelled"
UNSCHEDULED = "unscheduled"  # no valid start/end authored yet


def parse_utc(text):
    """An authored UTC time (``...Z`` or with an offset), or ``None`` when it is not one."""
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(clock.UTC)


def as_utc_text(moment):
    """How a time is stored in a field: ``2026-12-01T11:30:00Z``."""
    return moment.astimezone(clock.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Schedule:
    """A session's schedule in force.  ``sequence`` (the calendar file's SEQUENCE) may be given as
    a function, asked only when something needs it: a learner's page never does, and reading the
    block's revision field is a query of its own in some runtimes."""

    __slots__ = ("start", "end", "zone_name", "join_window_minutes", "cancelled", "cancel_reason", "rescheduled",
                 "_sequence")

    def __init__(self, start, end, zone_name, join_window_minutes, cancelled=False, cancel_reason="",
                 rescheduled=False, sequence=0):
        self.start, self.end, self.zone_name, self.join_window_minutes = start, end, zone_name, join_window_minutes
        self.cancelled, self.cancel_reason, self.rescheduled = cancelled, cancel_reason, rescheduled
        self._sequence = sequence

    def __repr__(self):
        return (f"Schedule(start={self.start!r}, end={self.end!r}, zone_name={self.zone_name!r}, "
                f"cancelled={self.cancelled!r}, rescheduled={self.rescheduled!r})")

    @property
    def sequence(self):
        if callable(self._sequence):
            self._sequence = self._sequence()
        return self._sequence

    @property
    def is_set(self):
        return self.start is not None and self.end is not None and self.end > self.start

    @property
    def join_opens(self):
        return self.start - timedelta(minutes=max(0, self.join_window_minutes)) if self.is_set else None

    def phase(self, now=None):
        """The phase at ``now`` (server time)."""
        if self.cancelled:
            return CANCELLED
        if not self.is_set:
            return UNSCHEDULED
        now = now or clock.now()
        if now < self.join_opens:
            return UPCOMING
        if now < self.start:
            return JOINABLE
        if now < self.end:
            return LIVE
        return ENDED

    def can_join(self, now=None):
        """Join URL, passcode and check-in are offered from the join window to the end."""
        return self.phase(now) in (JOINABLE, LIVE)

    def minutes(self):
        return round((self.end - self.start).total_seconds() / 60) if self.is_set else 0


def authored_key(authored_start, authored_end):
    """What a staff reschedule remembers of the authored schedule it replaced (both ends, compact:
    ``20261201T113000Z/20261201T130000Z``), so a later Studio or OLX change of either takes over."""
    moments = (parse_utc(authored_start), parse_utc(authored_end))
    return "/".join(moment.strftime("%Y%m%dT%H%M%SZ") if moment else "" for moment in moments)


def effective_schedule(authored_start, authored_end, zone_name, join_window_minutes, state=None, revision=0):
    """The schedule learners see: the authored one, or the staff reschedule made against it.

    ``revision`` counts the schedule changes authored in Studio (a number, or a function giving
    it, asked only when the SEQUENCE is); with the staff changes kept in ``state`` it makes the
    calendar SEQUENCE, which so only ever grows.
    """
    start, end = parse_utc(authored_start), parse_utc(authored_end)
    rescheduled = False
    if state is not None and state.start_override and \
            state.overrides_start == authored_key(authored_start, authored_end):
        start, end, rescheduled = state.start_override, state.end_override, True
    return Schedule(
        start=start, end=end, zone_name=zone_name, join_window_minutes=join_window_minutes,
        cancelled=bool(state and state.cancelled), cancel_reason=state.cancel_reason if state else "",
        rescheduled=rescheduled, sequence=_sequence(revision, state.sequence if state else 0),
    )


def _sequence(revision, staff_changes):
    if callable(revision):
        return lambda: (revision() or 0) + staff_changes
    return (revision or 0) + staff_changes
