"""Creating a learner's row when several requests of that learner race to create it.

A handler runs in one transaction (``blocks/handlers.py``), so the row is created and then locked
in the same transaction.  On MySQL/MariaDB (InnoDB) a plain ``INSERT IGNORE`` (or ``get_or_create``)
there deadlocks under a burst of requests: every loser of the INSERT race keeps a *shared* lock
on the winner's row until its transaction ends, and two of them then both ask for the exclusive
lock to change it (error 1213).  ``INSERT ... ON DUPLICATE KEY UPDATE`` takes the *exclusive*
lock on the existing row instead, so the losers simply wait their turn.  SQLite locks the whole
database for a writing transaction and PostgreSQL's ``ON CONFLICT DO NOTHING`` keeps no lock on
the row it skipped, so elsewhere the insert only ignores the conflict.
"""
from django.db import connections


def insert_or_lock(model, values, unique):
    """Insert a row of ``model`` with ``values``; if a row with the same ``unique`` fields exists
    (``unique`` names a unique constraint of the model), leave it as it is, but on MySQL hold it
    locked for update until the transaction ends.  Nothing tells which of the two happened."""
    manager = model._default_manager  # pylint: disable=protected-access
    row = model(**values)
    if connections[manager.db].vendor == "mysql":
        # ON DUPLICATE KEY UPDATE <a unique field> = the same value: no change, an exclusive lock.
        manager.bulk_create([row], update_conflicts=True, update_fields=[unique[0]])
    else:
        manager.bulk_create([row], ignore_conflicts=True)


def ensure_row(model, defaults=None, **lookup):
    """Make sure a row matching ``lookup`` (a unique constraint's fields) exists, created with
    ``defaults`` if not; call it before locking the row (``select_for_update``) in the same
    transaction.  One query when the row exists, two when it is created."""
    manager = model._default_manager  # pylint: disable=protected-access
    if manager.filter(**lookup).exists():
        return
    insert_or_lock(model, {**lookup, **(defaults or {})}, unique=list(lookup))
