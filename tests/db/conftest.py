"""The database tests run on whichever database the settings configure.

SQLite by default; ``LIFELONG_DB=mariadb`` switches to the local MariaDB (see
``workbench/lifelong_settings.py``).  Tests marked ``mariadb`` (real concurrency with
row locks) run only there: SQLite serialises every writer on one file lock, so they
say nothing about it.

In CI (``CI=true``) with ``LIFELONG_DB=mariadb``, an unreachable server stops the run
with an error instead of quietly skipping what it was meant to check.
"""
import os
import threading

import pytest
from django.db import connection, connections

from tests import mariadb

ON_MARIADB = os.environ.get("LIFELONG_DB", "sqlite") == "mariadb"
IN_CI = os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}
_PROBLEM = {}


def mariadb_problem():
    """Why the configured MariaDB cannot be used, or ``None`` when it answers."""
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    db = settings.DATABASES["default"]
    where = f"{db.get('USER')}@{db.get('HOST')}:{db.get('PORT')}"
    try:
        import MySQLdb  # pylint: disable=import-outside-toplevel
    except ImportError as error:
        return f"mysqlclient is not installed ({error}); run pip install -e '.[mysql]'"
    try:
        conn = mariadb.connect()
    except MySQLdb.Error as error:
        return f"cannot connect to MariaDB as {where}: {error}"
    conn.close()
    return None


def pytest_configure(config):
    if not ON_MARIADB:
        return
    problem = mariadb_problem()
    if problem and IN_CI:
        pytest.exit(f"LIFELONG_DB=mariadb in CI, but {problem}", returncode=3)
    _PROBLEM["mariadb"] = problem


def pytest_runtest_setup(item):
    if item.get_closest_marker("mariadb") and not ON_MARIADB:
        pytest.skip("needs MariaDB: run with LIFELONG_DB=mariadb (make test-db-mariadb)")
    if ON_MARIADB and _PROBLEM.get("mariadb"):
        pytest.skip(_PROBLEM["mariadb"])


@pytest.fixture
def make_user(db):
    """``make_user(username)`` -> a saved Django user."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel

    def make(username):
        return get_user_model().objects.create(username=username)

    return make


def run_concurrently(function, count, timeout=120):
    """Call ``function(i)`` in ``count`` threads released together, each on its own connection.

    Returns ``(results, errors)``: lists of ``(i, value)`` and ``(i, exception)``.
    """
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def worker(i):
        try:
            barrier.wait(timeout=timeout)
            value = function(i)
            with lock:
                results.append((i, value))
        except Exception as error:  # pylint: disable=broad-except
            with lock:
                errors.append((i, error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,), name=f"db-worker-{i}") for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker thread hung"
    return results, errors


@pytest.fixture
def concurrently():
    """``concurrently(function, count)`` -> ``(results, errors)``; see :func:`run_concurrently`."""
    yield run_concurrently
    connection.close()
