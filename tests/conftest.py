"""Shared fixtures: blocks built from OLX in xblock-sdk's WorkbenchRuntime, and calls to their
handlers the way the LMS makes them (a webob request to ``runtime.handle``)."""
import datetime
import json
import os

import pytest
from webob import Request
from workbench.runtime import WorkbenchRuntime

from tests import mariadb


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # pylint: disable=unused-argument
    """A test that failed on an InnoDB deadlock (1213) reports the server's account of it, so a rare
    deadlock seen once in CI can be understood from the log alone."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and os.environ.get("LIFELONG_DB") == "mariadb" and "1213" in str(report.longrepr):
        report.sections.append(("InnoDB: latest detected deadlock", _latest_deadlock()))


def _latest_deadlock():
    import MySQLdb  # pylint: disable=import-outside-toplevel

    try:
        conn = mariadb.connect()
        try:
            cursor = conn.cursor()
            cursor.execute("SHOW ENGINE INNODB STATUS")
            status = cursor.fetchone()[2]
        finally:
            conn.close()
    except MySQLdb.Error as error:
        return f"(SHOW ENGINE INNODB STATUS failed: {error})"
    start = status.find("LATEST DETECTED DEADLOCK")
    end = status.find("TRANSACTIONS\n------------", start)
    return status[start:end] if start >= 0 else "(none recorded)"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Every test starts with empty Django caches: the dashboard keeps its summary for a minute,
    and one test's figures must not show in the next."""
    from django.core.cache import caches  # pylint: disable=import-outside-toplevel

    for cache in caches.all():
        cache.clear()
    yield


class RecordingRuntime(WorkbenchRuntime):
    """The workbench runtime, keeping what blocks publish (completion, grade) for assertions."""

    def __init__(self, user_id=None):
        super().__init__(user_id)
        self.published = []

    def publish(self, block, event_type, event_data):
        self.published.append((event_type, event_data))
        super().publish(block, event_type, event_data)


class BlockClient:
    """One user's view of one block: render views and call handlers."""

    def __init__(self, usage_id, student):
        self.usage_id = usage_id
        self.student = student
        self.runtime = RecordingRuntime(student)
        self.block = self.runtime.get_block(usage_id)

    def fresh(self):
        """The block as the next request sees it (a new runtime, as each LMS request has)."""
        return BlockClient(self.usage_id, self.student)

    def render(self, view="student_view", context=None):
        return self.block.render(view, context or {})

    def call(self, handler, data=None, method="POST", suffix="", body=None):
        """Call a handler; returns (status code, decoded JSON or raw body)."""
        request = Request.blank("/", method=method)
        if method == "POST":
            request.body = body if body is not None else json.dumps(data if data is not None else {}).encode()
            request.content_type = "application/json"
        response = self.runtime.handle(self.block, handler, request, suffix)
        try:
            payload = json.loads(response.body.decode("utf-8")) if response.body else None
        except ValueError:
            payload = response.body
        return response.status_code, payload

    def events(self, kind):
        return [data for event_type, data in self.runtime.published if event_type == kind]


@pytest.fixture
def scenario(db, settings):
    """``scenario(xml)`` parses OLX once and returns ``as_user(student) -> BlockClient``."""
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "WORKBENCH_STAFF_IDS": ["staff"]}

    def build(xml):
        usage_id = RecordingRuntime("author").parse_xml_string(xml)

        def as_user(student="student_1"):
            return BlockClient(usage_id, student)

        return as_user

    return build


class Clock:
    """Server time under the test's control (the anti-skip rule and reading time depend on it)."""

    def __init__(self, start):
        self.now = start

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    from django.utils import timezone  # pylint: disable=import-outside-toplevel
    fake = Clock(datetime.datetime(2026, 11, 30, 2, 0, tzinfo=datetime.timezone.utc))
    monkeypatch.setattr(timezone, "now", fake)
    return fake
