"""Live sessions (lectures, book-club meetups): the schedule staff change in the LMS, and seats.

What authors write in Studio (title, start, end, capacity ...) are XBlock fields.  What happens
in the LMS lives here: the LMS cannot write content or settings fields, so a staff reschedule or
cancellation, and the calendar SEQUENCE that grows with it, are kept in :class:`LiveSessionState`.
That row is also the lock every seat change takes, so seats are counted under one lock.
"""
from django.db import models

from lifelong_xblocks.models.keys import KEY_LENGTH, BlockRecord


class LiveSessionState(models.Model):
    """One row per session block: staff changes made in the LMS, and the seat lock."""

    course_key = models.CharField(max_length=KEY_LENGTH, db_index=True)
    usage_key = models.CharField(max_length=KEY_LENGTH, unique=True)
    # A staff reschedule; applies while the authored start and end are still the ones it was made
    # against (``overrides_start`` holds ``live.schedule.authored_key``: a later Studio edit wins).
    start_override = models.DateTimeField(null=True, blank=True)
    end_override = models.DateTimeField(null=True, blank=True)
    overrides_start = models.CharField(max_length=40, blank=True, default="")
    cancelled = models.BooleanField(default=False)
    cancel_reason = models.CharField(max_length=500, blank=True, default="")
    # Grows with each staff reschedule or cancellation; added to the block's own revision to
    # make the iCalendar SEQUENCE.
    sequence = models.PositiveIntegerField(default=0)
    # The last number given to a request for a place (the waiting list's order).
    last_queue_number = models.PositiveIntegerField(default=0)
    modified = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"live session state of {self.usage_key}"


class LiveRegistration(BlockRecord):
    """A learner's place in a session: a seat, a place on the waiting list, or cancelled."""

    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    STATUSES = ((REGISTERED, REGISTERED), (WAITING, WAITING), (CANCELLED, CANCELLED))

    status = models.CharField(max_length=12, choices=STATUSES)
    # When the learner (last) asked for a place, and the number that orders the waiting list
    # (times can tie; numbers are given under the session's lock and never repeat).
    queued_at = models.DateTimeField()
    queue_number = models.PositiveIntegerField(default=0)
    registered_at = models.DateTimeField(null=True, blank=True)   # got a seat (signed up or promoted)
    promoted = models.BooleanField(default=False)                 # the seat came from the waiting list
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    check_in_method = models.CharField(max_length=8, blank=True, default="")   # "online" or "qr"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["usage_key", "user"], name="lifelong_live_seat_once")]
        indexes = [models.Index(fields=["usage_key", "status", "queue_number"], name="lifelong_live_queue")]

    def __str__(self):
        return f"{self.status} place of user {self.user_id} in {self.usage_key}"
