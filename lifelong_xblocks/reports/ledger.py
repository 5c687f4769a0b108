"""Recording learner activity in the course-wide ledger (``models/activity.py``).

Called from the shared hooks of ``blocks/base.py`` when a learner acts (never on a plain render).
One learner's activity in a block is one row, changed in place by a single ``UPDATE`` with
database expressions (``Greatest`` for completion, ``Coalesce`` for the first completion time), so
concurrent requests never lose each other's changes.  The day row is an ``INSERT ... ON CONFLICT DO
NOTHING``.  All of it runs in the handler's one transaction (``blocks/handlers.py``), with the
block's field save.

The learner's user row is locked first (``models.rows.lock_learner``, on MySQL: their other requests
wait; a handler holds it already), so a learner's activity rows and day rows are written by one
request at a time.  A learner's first activity in a block: the ``UPDATE`` finds nothing, so the row is
inserted with the change (``INSERT IGNORE``); should another request have inserted it meanwhile,
the ``UPDATE`` runs again.
Queries per call: 2 (the ``UPDATE``, the day row) usually, 3 on a learner's first activity in a block;
one more on MySQL, the lock.
"""
from dataclasses import dataclass

from django.db import connections, models, transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Greatest

from lifelong_xblocks import clock
from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity
from lifelong_xblocks.models.rows import insert_ignore, lock_learner

TITLE_MAX = 255


@dataclass
class BlockRef:
    """Which block the activity happened in."""

    course_key: str
    usage_key: str
    block_type: str
    title: str = ""
    zone_name: str | None = None   # "participation per day" counts days in this zone


@dataclass
class Change:
    """What a request changed: any of the block's figures, completion, score."""

    figures: dict | None = None
    completion: float | None = None
    score: float | None = None
    max_score: float | None = None
    # True: completion is set as given (a staff correction), not raised to the highest so far.
    exact_completion: bool = False

    def is_empty(self):
        return self.figures is None and self.completion is None and self.score is None


def record(block, user_id, change, *, by_staff=False, also=None):
    """Note ``change`` for ``user_id`` in ``block`` (a :class:`BlockRef`).

    ``also``: a callable run in the same transaction, after the ledger's statements (the block's
    field save: ``BaseBlock.save``).  It runs exactly once; if it raises, the ledger's change is
    rolled back with it.
    """
    if user_id is None:
        if also is not None:
            also()
        return
    now = clock.now()
    rows = LearnerBlockActivity.objects.filter(usage_key=block.usage_key, user_id=user_id)
    updates = _updates(block, change, now)
    day = None if by_staff else LearnerActivityDay(course_key=block.course_key, user_id=user_id,
                                                   block_type=block.block_type,
                                                   day=clock.today(block.zone_name, at=now))
    with transaction.atomic():
        lock_learner(user_id)   # the learner's writes one after the other (a handler holds it already)
        if not rows.update(**updates) and not insert_ignore(
                LearnerBlockActivity(**_new_row(block, user_id, change, now, by_staff)), connections[rows.db]):
            rows.update(**updates)     # inserted meanwhile by a writer without the lock (SQLite, Django 4.2)
        _note_day(day)
        if also is not None:
            also()


def _note_day(day):
    if day is not None:
        LearnerActivityDay.objects.bulk_create([day], ignore_conflicts=True)


def _updates(block, change, now):
    updates = {"last_activity": now, "title": block.title[:TITLE_MAX]}
    if change.figures is not None:
        updates["figures"] = change.figures
    if change.completion is not None:
        value = float(change.completion)
        if change.exact_completion:
            updates["completion"] = value
            updates["completed_at"] = Coalesce(F("completed_at"), Value(now, models.DateTimeField())) \
                if value >= 1.0 else None
        else:
            updates["completion"] = Greatest(F("completion"), Value(value, models.FloatField()))
            if value >= 1.0:
                updates["completed_at"] = Coalesce(F("completed_at"), Value(now, models.DateTimeField()))
    if change.score is not None:
        updates["score"] = change.score
        updates["max_score"] = change.max_score
    return updates


def _new_row(block, user_id, change, now, by_staff):
    completion = float(change.completion) if change.completion is not None else 0.0
    return {
        "course_key": block.course_key, "usage_key": block.usage_key, "block_type": block.block_type,
        "title": block.title[:TITLE_MAX], "user_id": user_id, "by_staff": by_staff,
        "first_activity": now, "last_activity": now, "figures": change.figures or {},
        "completion": completion, "completed_at": now if completion >= 1.0 else None,
        "score": change.score, "max_score": change.max_score if change.score is not None else None,
    }


def activity_of(usage_key, usernames):
    """``{username: LearnerBlockActivity}`` of the learners named in one block (one query)."""
    return {row.user.username: row for row in
            LearnerBlockActivity.objects.filter(usage_key=usage_key, user__username__in=list(usernames))
            .select_related("user").only("completion", "completed_at", "score", "max_score", "figures",
                                         "user__username")}
