"""``models.rows``: an ``INSERT IGNORE`` of its own that InnoDB picks as a deadlock victim is repeated.

The deadlock is made on purpose with two connections: a bigger transaction inserts the session's
state row and, while the insert of the same row waits for it, asks for the row the waiting insert
has just put in the table's primary index.  InnoDB rolls back the smaller of the two, the insert.
"""
import threading
import time

import pytest
from django.db import connection, connections, transaction

from lifelong_xblocks.models.live import LiveSessionState
from lifelong_xblocks.models.rows import ensure_row, insert_ignore

COURSE = "course-v1:OU+LL101+2025"
USAGE = "block-v1:OU+LL101+2025+type@lifelong_live_session+block@deadlock"


def _wait_for_lock_wait(timeout=30):
    """Until some transaction waits for a row lock (another connection's view)."""
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT COUNT(*) FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.15)   # InnoDB refreshes the table only when it was not read for 0.1 s
    raise AssertionError("the insert never waited for the row lock")


def _deadlock_an_insert(insert):
    """Run ``insert()`` in a thread while a bigger transaction forces InnoDB to end it in a deadlock.

    Returns ``(value, error)`` of ``insert()``; the bigger transaction commits its state row."""
    outcome, big_ready, insert_started = {}, threading.Event(), threading.Event()

    def big():
        try:
            with transaction.atomic():
                for number in range(20):           # bigger than the insert: InnoDB rolls the insert back
                    LiveSessionState.objects.create(course_key=COURSE, usage_key=f"{USAGE}-filler{number}")
                own = LiveSessionState.objects.create(course_key=COURSE, usage_key=USAGE)
                big_ready.set()
                insert_started.wait(30)
                _wait_for_lock_wait()
                # the waiting insert holds the next primary key; asking for it closes the cycle
                list(LiveSessionState.objects.select_for_update().filter(pk=own.pk + 1))
        finally:
            connections.close_all()

    def small():
        try:
            big_ready.wait(30)
            insert_started.set()
            outcome["value"] = insert()
        except Exception as error:  # pylint: disable=broad-except
            outcome["error"] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=big), threading.Thread(target=small)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return outcome.get("value"), outcome.get("error")


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_an_insert_of_its_own_ended_in_a_deadlock_is_repeated_and_finds_the_row():
    value, error = _deadlock_an_insert(
        lambda: insert_ignore(LiveSessionState(course_key=COURSE, usage_key=USAGE), connection))
    assert error is None, repr(error)
    assert value is False                          # repeated after the deadlock: the row was there
    assert LiveSessionState.objects.filter(usage_key=USAGE).count() == 1


@pytest.mark.mariadb
@pytest.mark.django_db(transaction=True)
def test_a_shared_row_ensured_inside_a_transaction_survives_the_deadlock_too():
    def ensure_in_a_transaction():
        with transaction.atomic():               # a handler's transaction: the insert runs on its own connection
            ensure_row(LiveSessionState, {"course_key": COURSE}, usage_key=USAGE)
            return LiveSessionState.objects.select_for_update().get(usage_key=USAGE).course_key

    value, error = _deadlock_an_insert(ensure_in_a_transaction)
    assert error is None, repr(error)
    assert value == COURSE
    assert LiveSessionState.objects.filter(usage_key=USAGE).count() == 1

