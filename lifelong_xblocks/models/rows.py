"""Creating rows when several requests race to create them, inside a handler's one transaction.

A state-changing handler runs in one transaction (``blocks/handlers.py``) that begins by locking the
acting learner's user row (:func:`lock_learner`), so the requests of one learner run one after the
other wherever they write: the rows only they create (their progress, check-in, registration,
activity-ledger row, profile) are then created and locked with no other request of theirs racing.
Without it, on MySQL/MariaDB (InnoDB), two requests that both found the row missing deadlocked:
the loser of the insert race keeps a shared lock on the winner's row until its transaction ends,
and two losers then both ask for the exclusive lock (error 1213); ``INSERT ... ON DUPLICATE KEY
UPDATE`` deadlocks too when more than two race on a secondary unique key
(``tests/db/test_handler_transactions.py``, ``tests/db/test_report_ledger.py``).

A row shared by learners (a session's state, an organisation's quota row) has first creators
that are different learners: :func:`ensure_row` commits its insert at once, on MySQL through a
connection of its own when it is called inside a transaction, so the creators never hold a lock on
the row from the insert (50 first sign-ups at once deadlocked before, ``test_http_concurrency``).

An ``INSERT IGNORE`` run as a statement of its own can still be chosen as InnoDB's deadlock victim
when several race on a row's unique keys (a book's two keys; seldom, a session's state row in a
burst).  Being its own transaction and changing nothing when the row is there, it is repeated
(:func:`insert_ignore`); inside a caller's transaction the error is the caller's.
"""
from django.contrib.auth import get_user_model
from django.db import OperationalError, connections
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

from lifelong_xblocks.compiled_query import CompiledQuery

DEADLOCK = 1213         # MySQL/MariaDB ER_LOCK_DEADLOCK
INSERT_ATTEMPTS = 5

_LEARNER = CompiledQuery(lambda user_id: get_user_model().objects.select_for_update().filter(pk=user_id)
                         .values_list("pk"), user_id=int)


def lock_learner(user_id):
    """Hold the learner's user row locked for update until the transaction ends (call it inside one).

    Every request of the learner that writes takes it first (the handler decorator), and anything
    that creates a learner's row in a transaction takes it before the insert (the ledger), so one
    order holds everywhere.  SQLite locks the whole database for a writing transaction: nothing to do."""
    if user_id is None or not connections["default"].features.has_select_for_update:
        return
    _LEARNER.rows(user_id=user_id)


def ensure_row(model, defaults=None, **lookup):
    """Make sure a row matching ``lookup`` (a unique constraint's fields) exists, created with
    ``defaults`` if not; the caller then locks it (``select_for_update``).  One query when the row
    exists, two when it is created.  A learner's row (``lookup`` names the user) is created in the caller's
    transaction, a shared row committed at once (see the module's text)."""
    manager = model._default_manager  # pylint: disable=protected-access
    if manager.filter(**lookup).exists():
        return
    row = model(**lookup, **(defaults or {}))
    connection = connections[manager.db]
    shared = not {"user", "user_id"} & set(lookup)
    if shared and connection.vendor == "mysql" and connection.in_atomic_block:
        own = type(connection)(dict(connection.settings_dict), connection.alias)   # committed at once
        try:
            insert_ignore(row, own)
        finally:
            own.close()
    else:
        # A learner's row, under the learner's lock in a handler (a connection of its own would wait
        # for that lock: the row's foreign key to the user); SQLite: one writer at a time;
        # PostgreSQL's ON CONFLICT DO NOTHING keeps no lock on the row it skips.
        insert_ignore(row, connection)


def insert_ignore(row, connection):
    """``INSERT IGNORE`` (``ON CONFLICT DO NOTHING``) of the unsaved model instance ``row``; True when
    it was inserted, False when a row with one of its unique keys was there already.

    Outside a transaction the statement is repeated when InnoDB ends it in a deadlock (the module's
    text); inside one, a deadlock has rolled the caller's transaction back and is raised."""
    query = InsertQuery(type(row), on_conflict=OnConflict.IGNORE)
    query.insert_values([f for f in row._meta.local_concrete_fields if not f.primary_key], [row])
    attempts = 1 if connection.in_atomic_block else INSERT_ATTEMPTS
    for attempt in range(attempts):
        try:
            return _execute_counting(query.get_compiler(connection=connection).as_sql(), connection)
        except OperationalError as error:
            if attempt == attempts - 1 or not is_deadlock(error):
                raise
    return False   # not reached


def is_deadlock(error):
    """Whether a database error is InnoDB's deadlock (the transaction was rolled back)."""
    return bool(getattr(error, "args", None)) and error.args[0] == DEADLOCK


def _execute_counting(statements, connection):
    inserted = 0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            inserted += cursor.rowcount
    return inserted > 0
