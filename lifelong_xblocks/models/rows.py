"""Creating a learner's row when several requests of that learner race to create it.

On MySQL/MariaDB (InnoDB) the obvious ``get_or_create`` followed by ``select_for_update`` inside
one transaction deadlocks under a burst of requests: every loser of the INSERT race keeps a
shared lock on the winner's row until it ends, and two of them then both ask for the exclusive
lock (error 1213).  So the row is made to exist first, in a statement of its own that commits
at once (``INSERT IGNORE`` / ``ON CONFLICT DO NOTHING``), and only then locked inside the
caller's transaction.
"""
from django.db import transaction


def ensure_row(model, defaults=None, **lookup):
    """Make sure a row matching ``lookup`` exists (created with ``defaults`` if not).

    Call it *before* opening the transaction that locks the row.  Inside an outer transaction
    it still works, but then the insert is part of that transaction.
    """
    manager = model._default_manager  # pylint: disable=protected-access
    if manager.filter(**lookup).exists():
        return
    with transaction.atomic(using=manager.db):
        manager.bulk_create([model(**lookup, **(defaults or {}))], ignore_conflicts=True)
