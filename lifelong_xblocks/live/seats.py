"""Seats and the waiting list, enforced under one lock per session.

Every change of seats locks the session's :class:`LiveSessionState` row (made to exist first in
a statement of its own, see ``models.rows``), counts the seats taken, and only then gives a seat
or a place on the waiting list.  So with capacity 30 and 60 learners signing up at once, exactly
30 get a seat and 30 wait, and a freed seat goes to the first learner waiting.
"""
import contextlib
from types import SimpleNamespace

from django.db import transaction
from django.db.models import Count, Q, Subquery
from django.db.models.functions import Coalesce

from lifelong_xblocks import clock
from lifelong_xblocks.errors import Conflict
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.compiled_query import CompiledQueries, CompiledQuery
from lifelong_xblocks.models.classroom import LessonProgress
from lifelong_xblocks.models.live import LiveRegistration, LiveSessionState
from lifelong_xblocks.models.rows import ensure_row

REGISTERED, WAITING, CANCELLED = LiveRegistration.REGISTERED, LiveRegistration.WAITING, LiveRegistration.CANCELLED


@contextlib.contextmanager
def locked_session(course_key, usage_key):
    """The session's state row, locked for the duration of the ``with`` (one seat change at a time)."""
    ensure_row(LiveSessionState, {"course_key": course_key}, usage_key=usage_key)
    with transaction.atomic():
        yield LiveSessionState.objects.select_for_update().get(usage_key=usage_key)


def get_state(usage_key):
    """The session's state row, or ``None`` while nobody has signed up and staff changed nothing."""
    return LiveSessionState.objects.filter(usage_key=usage_key).first()


OWN_FIELDS = ("id", "status", "queue_number", "queued_at", "registered_at", "promoted", "cancelled_at",
              "checked_in_at", "check_in_method", "by_staff")


STATE_FIELDS = ("start_override", "end_override", "overrides_start", "cancelled", "cancel_reason", "sequence")
LESSON_FIELDS = ("coverage", "position")


def _page_query(count_seats):
    def build(usage_key, user_id):
        own = LiveRegistration.objects.filter(usage_key=usage_key, user_id=user_id)
        lesson = LessonProgress.objects.filter(usage_key=usage_key, user_id=user_id)
        annotations = {f"own_{name}": Subquery(own.values(name)[:1]) for name in OWN_FIELDS}
        annotations.update({f"lesson_{name}": Subquery(lesson.values(name)[:1]) for name in ("id", *LESSON_FIELDS)})
        if count_seats:     # bounded by the capacity; a session without one may have 10,000 registered
            taken = (LiveRegistration.objects.filter(usage_key=usage_key, status=REGISTERED).order_by()
                     .values("usage_key").annotate(n=Count("id")).values("n"))
            annotations["seats_taken"] = Coalesce(Subquery(taken), 0)
        return LiveSessionState.objects.filter(usage_key=usage_key).annotate(**annotations).values(
            *STATE_FIELDS, *annotations)
    return CompiledQuery(build, usage_key=str, user_id=int)


_PAGE_QUERIES = CompiledQueries(_page_query)


def page_state(usage_key, user_id, count_seats=True):
    """What a learner's page shows, in ONE query (compiled once per connection, see ``compiled_query``):
    ``(state, registration, lesson, lesson_read)``.

    ``state``: the session's state row as plain data (``None`` while nobody has signed up and staff
    changed nothing), carrying ``seats_taken`` when ``count_seats``; ``registration``: the learner's,
    or ``None`` (for reading only); ``lesson``: the learner's replay progress (``coverage``,
    ``position``) or ``None``.  The learner's rows ride on the state row as subqueries: a
    registration never exists without it (every seat change goes through :func:`locked_session`);
    without a state row ``lesson_read`` is False and the progress is still to be read.
    """
    rows = _PAGE_QUERIES(bool(count_seats)).dicts(usage_key=usage_key, user_id=user_id)
    if not rows:
        return None, None, None, False
    row = rows[0]
    state = SimpleNamespace(**{name: row[name] for name in STATE_FIELDS},
                            seats_taken=row.get("seats_taken"))
    registration = None
    if row["own_id"] is not None:
        registration = LiveRegistration(usage_key=usage_key, user_id=user_id,
                                        **{name: row[f"own_{name}"] for name in OWN_FIELDS})
    lesson = None
    if row["lesson_id"] is not None:
        lesson = SimpleNamespace(**{name: row[f"lesson_{name}"] for name in LESSON_FIELDS})
    return state, registration, lesson, True


def get_registration(usage_key, user_id):
    if user_id is None:
        return None
    return LiveRegistration.objects.filter(usage_key=usage_key, user_id=user_id).first()


def seats_taken(usage_key):
    return LiveRegistration.objects.filter(usage_key=usage_key, status=REGISTERED).count()


def promote_waiting(usage_key, capacity, now):
    """Give free seats to the learners waiting longest (call with the session locked).

    Returns ``(promoted, taken)``: the registrations moved up and the seats taken afterwards.
    """
    promoted = []
    taken = seats_taken(usage_key) if capacity else 0
    if capacity and taken >= capacity:
        return promoted, taken
    queue = LiveRegistration.objects.filter(usage_key=usage_key, status=WAITING).order_by("queue_number")
    for registration in (queue[:capacity - taken] if capacity else queue):
        registration.status = REGISTERED
        registration.registered_at = now
        registration.promoted = True
        registration.save(update_fields=["status", "registered_at", "promoted", "modified"])
        promoted.append(registration)
    return promoted, taken + len(promoted)


def sign_up(course_key, usage_key, user_id, capacity, by_staff=False, now=None):
    """A seat if one is free, else a place at the end of the waiting list.  Asking twice changes nothing."""
    now = now or clock.now()
    with locked_session(course_key, usage_key) as state:
        registration = get_registration(usage_key, user_id)
        if registration is not None and registration.status in (REGISTERED, WAITING):
            return registration
        _promoted, taken = promote_waiting(usage_key, capacity, now)   # seats an author added go to those waiting first
        status = REGISTERED if not capacity or taken < capacity else WAITING
        if registration is None:
            registration = LiveRegistration(course_key=course_key, usage_key=usage_key, user_id=user_id,
                                            by_staff=by_staff)
        registration.status = status
        registration.queued_at = now
        registration.queue_number = _next_number(state)
        registration.registered_at = now if status == REGISTERED else None
        registration.promoted = False
        registration.cancelled_at = None
        registration.save()
    return registration


def cancel(course_key, usage_key, user_id, capacity, now=None):
    """Give up a seat or a place on the waiting list; a freed seat goes to the first learner waiting."""
    now = now or clock.now()
    if get_registration(usage_key, user_id) is None:   # refused without creating the state row
        raise Conflict(_("You are not signed up for this session."))
    with locked_session(course_key, usage_key):
        registration = LiveRegistration.objects.get(usage_key=usage_key, user_id=user_id)
        if registration.status == CANCELLED:
            return registration, []
        if registration.checked_in_at:
            raise Conflict(_("You have already checked in to this session."))
        registration.status = CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at", "modified"])
        promoted, _taken = promote_waiting(usage_key, capacity, now)
    return registration, promoted


def fill_free_seats(course_key, usage_key, capacity, now=None):
    """Promote learners waiting when seats are free, e.g. after an author raised the capacity.
    (Called when someone is known to be waiting.)"""
    if capacity and seats_taken(usage_key) >= capacity:
        return []
    with locked_session(course_key, usage_key):
        return promote_waiting(usage_key, capacity, now or clock.now())[0]


def check_in(course_key, usage_key, user_id, capacity, method, by_staff=False, now=None):
    """Count the learner as attending.  The caller has checked the phase (server time) and, for a
    QR check-in, the code.  A learner who has no seat yet gets one if one is free."""
    now = now or clock.now()
    with locked_session(course_key, usage_key) as state:
        _promoted, taken = promote_waiting(usage_key, capacity, now)
        registration = get_registration(usage_key, user_id)
        if registration is None or registration.status != REGISTERED:
            if capacity and taken >= capacity:
                raise Conflict(_("The session is full and you do not have a seat, so you cannot check in."))
            if registration is None:
                registration = LiveRegistration(course_key=course_key, usage_key=usage_key, user_id=user_id,
                                                by_staff=by_staff, queued_at=now, queue_number=_next_number(state))
            registration.status = REGISTERED
            registration.registered_at = now
            registration.cancelled_at = None
        if registration.checked_in_at is None:
            registration.checked_in_at = now
            registration.check_in_method = method
        registration.save()
    return registration


def _next_number(state):
    """The next place in the queue (call with ``state`` locked)."""
    state.last_queue_number += 1
    state.save(update_fields=["last_queue_number", "modified"])
    return state.last_queue_number


def waiting_position(usage_key, registration):
    """1 for the first learner waiting, ``None`` when not waiting."""
    if registration is None or registration.status != WAITING:
        return None
    ahead = LiveRegistration.objects.filter(usage_key=usage_key, status=WAITING,
                                            queue_number__lt=registration.queue_number)
    return ahead.count() + 1


def summary(usage_key):
    """Learners' figures (staff trying the session out left out): seats, waiting, check-ins by method."""
    learners = LiveRegistration.objects.filter(usage_key=usage_key, by_staff=False)
    return learners.aggregate(
        registered=Count("id", filter=Q(status=REGISTERED)),
        waiting=Count("id", filter=Q(status=WAITING)),
        cancelled=Count("id", filter=Q(status=CANCELLED)),
        checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
        checked_in_online=Count("id", filter=Q(checked_in_at__isnull=False, check_in_method="online")),
        checked_in_qr=Count("id", filter=Q(checked_in_at__isnull=False, check_in_method="qr")),
        checked_in_staff=Count("id", filter=Q(checked_in_at__isnull=False, check_in_method="staff")),
        promoted=Count("id", filter=Q(promoted=True, status=REGISTERED)),
    )


def registration_rows(usage_key, usernames=None, statuses=None):
    """Registrations with usernames, the waiting list in its order, streamed from the database."""
    rows = LiveRegistration.objects.filter(usage_key=usage_key)
    if statuses:
        rows = rows.filter(status__in=list(statuses))
    if usernames is not None:
        rows = rows.filter(user__username__in=list(usernames))
    return (rows.order_by("queue_number")
            .values_list("user__username", "status", "queued_at", "registered_at", "promoted", "cancelled_at",
                         "checked_in_at", "check_in_method", "by_staff"))


def replay_only_rows(usage_key, usernames=None):
    """``(username, coverage, by_staff)`` of learners who watched the replay without signing up."""
    from lifelong_xblocks.models import LessonProgress  # noqa: PLC0415 (the lesson's model, shared)
    signed_up = LiveRegistration.objects.filter(usage_key=usage_key).values("user_id")
    rows = LessonProgress.objects.filter(usage_key=usage_key).exclude(user_id__in=signed_up)
    if usernames is not None:
        rows = rows.filter(user__username__in=list(usernames))
    return rows.order_by("id").values_list("user__username", "coverage", "by_staff")
