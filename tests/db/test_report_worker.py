"""The dashboard's report task run by a real Celery worker process, as Open edX's LMS workers run it.

The handler side only queues the task (``REPORTS_IN_PROCESS`` off, as in Open edX); a separate
``celery worker`` process, with the local Redis as broker and a SQLite file shared with this test,
produces the file and stores it.  Nothing of pytest-django's in-memory database is involved: both
processes use the file database under ``tmp_path``.
"""
import json
import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
BROKER = "redis://127.0.0.1:6379/0"

DRIVER = r"""
import json, sys, time, datetime
import report_worker_app  # noqa: F401  (Django and the Celery app)
from django.conf import settings
from django.contrib.auth import get_user_model
from lifelong_xblocks.models.reports import ReportFile
from lifelong_xblocks.reports import files, ledger
from lifelong_xblocks.uploads.store import storage

settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "REPORTS_IN_PROCESS": False}
course = "course-v1:Worker+T1+2026"
staff = get_user_model().objects.create(username="worker_staff")
for n in range(5):
    user = get_user_model().objects.create(username=f"worker_learner_{n}")
    ledger.record(ledger.BlockRef(course, course + "+shelf", "lifelong_bookshelf", "书架"), user.pk,
                  ledger.Change(figures={"votes": n}, completion=1.0))
report = files.request_report(course, course + "+dash", staff.pk, sys.argv[1],
                              {"since": None, "until": None, "block_types": None})
deadline = time.monotonic() + 90
while time.monotonic() < deadline:
    report.refresh_from_db()
    if report.status in ("ready", "failed"):
        break
    time.sleep(0.2)
stored = bool(report.storage_name) and storage().exists(report.storage_name)
head = storage().open(report.storage_name, "rb").read(4) if stored else b""
print(json.dumps({"status": report.status, "size": report.size, "stored": stored, "error": report.error,
                  "head": head.hex()}))
"""


def redis_up():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def worker_env(tmp_path):
    if os.environ.get("LIFELONG_DB", "sqlite") != "sqlite":
        pytest.skip("the worker test shares a SQLite file between two processes")
    if not redis_up():
        pytest.fail("the local Redis (127.0.0.1:6379) is not running")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO / "workbench"), str(REPO)]),
           "DJANGO_SETTINGS_MODULE": "lifelong_settings", "LIFELONG_SQLITE": str(tmp_path / "worker.db"),
           "LIFELONG_VAR_DIR": str(tmp_path), "LIFELONG_TEST_BROKER": BROKER,
           "LIFELONG_TEST_QUEUE": f"lifelong-report-test-{uuid.uuid4().hex[:12]}"}
    subprocess.run([sys.executable, "-m", "django", "migrate", "--noinput", "-v", "0"], env=env, check=True,
                   cwd=REPO, timeout=300)
    return env


@pytest.fixture
def worker(worker_env, tmp_path):
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(  # noqa: S603
        [str(VENV_BIN / "celery"), "-A", "report_worker_app", "worker", "--pool=solo", "--concurrency=1",
         "-Q", worker_env["LIFELONG_TEST_QUEUE"], "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-l", "warning"], env=worker_env, cwd=HERE, stdout=log, stderr=subprocess.STDOUT)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


@pytest.mark.parametrize("fmt, magic", [("csv", "efbbbf"), ("xlsx", "504b0304")])
def test_a_celery_worker_produces_and_stores_the_report(worker, worker_env, tmp_path, fmt, magic):
    answer = subprocess.run([sys.executable, "-c", DRIVER, fmt], env=worker_env, cwd=HERE, capture_output=True,
                            text=True, timeout=180)
    assert answer.returncode == 0, answer.stderr
    result = json.loads(answer.stdout.strip().splitlines()[-1])
    log = (tmp_path / "worker.log").read_text(errors="replace")
    assert worker.poll() is None, log
    assert result["status"] == "ready", (result, log)
    assert result["stored"] and result["size"] > 0 and result["head"].startswith(magic)


SLOW_PRODUCER = r"""
import sys, time
import report_worker_app  # noqa: F401  (Django)
from lifelong_xblocks.reports import files, writers

def slow(course_key, fmt, fileobj, **options):
    fileobj.write(b"\xef\xbb\xbfhalf a report\r\n")
    fileobj.flush()
    print("writing", flush=True)
    time.sleep(60)

writers.write_report = slow
files.produce_report(int(sys.argv[1]))
"""

CHECK_AFTER_KILL = r"""
import json, datetime
import report_worker_app  # noqa: F401
from lifelong_xblocks.models.reports import ReportFile
from lifelong_xblocks.reports import files
from lifelong_xblocks.uploads.store import storage
report = ReportFile.objects.get()
before = report.status
ReportFile.objects.filter(pk=report.pk).update(created=report.created - datetime.timedelta(hours=3))
files.course_reports(report.course_key)        # listing notices the lost report
report.refresh_from_db()
folders = storage().listdir("lifelong/reports") if storage().exists("lifelong/reports") else ([], [])
print(json.dumps({"before": before, "after": report.status, "stored": report.storage_name,
                  "files": folders, "error": report.error}))
"""

MAKE_REPORT = r"""
import report_worker_app  # noqa: F401
from django.contrib.auth import get_user_model
from lifelong_xblocks.models.reports import ReportFile
staff = get_user_model().objects.create(username="killed_staff")
print(ReportFile.objects.create(course_key="course-v1:Kill+T+2026", usage_key="x", requested_by=staff,
                                format="csv").pk)
"""


def test_a_worker_killed_midway_never_offers_a_half_written_file(worker_env):
    run = {"env": worker_env, "cwd": HERE, "capture_output": True, "text": True, "timeout": 120}
    made = subprocess.run([sys.executable, "-c", MAKE_REPORT], **run)
    assert made.returncode == 0, made.stderr
    report_id = made.stdout.strip().splitlines()[-1]
    producer = subprocess.Popen([sys.executable, "-c", SLOW_PRODUCER, report_id], env=worker_env, cwd=HERE,  # noqa: S603
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert producer.stdout.readline().strip() == "writing", producer.stderr.read()
        producer.kill()      # SIGKILL: no cleanup code runs
        producer.wait(timeout=20)
    finally:
        if producer.poll() is None:
            producer.kill()
    checked = subprocess.run([sys.executable, "-c", CHECK_AFTER_KILL], **run)
    assert checked.returncode == 0, checked.stderr
    result = json.loads(checked.stdout.strip().splitlines()[-1])
    assert result["before"] == "running" and result["stored"] == ""
    assert result["files"] == [[], []] or result["files"] == ([], [])
    assert result["after"] == "failed" and result["error"]
