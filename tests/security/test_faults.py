"""Faults: the database connection dropped inside a handler's transaction, the file storage failing,
an export or a course report dying midway, and a mobile client retrying what already succeeded.

Each fault must end cleanly: a JSON answer (503 with ``Retry-After`` when the database or the storage
failed), nothing half-written in the database, no row pointing at a missing file, no half-written
file offered for download, and the same request sent again succeeds.

The connection is dropped for real on MariaDB (``KILL`` of the handler's connection, from a second
connection, right before a chosen statement inside the handler's transaction: the server rolls the
transaction back and frees its locks); elsewhere the statement raises the OperationalError a
dropped connection raises.  Runs on SQLite in ``make test`` and on MariaDB in ``make test-db-mariadb``.
"""
import contextlib
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import FileSystemStorage
from django.db import OperationalError, connection
from webob import Request

from lifelong_xblocks import exports
from lifelong_xblocks.models import LessonProgress
from lifelong_xblocks.models.activity import LearnerBlockActivity
from lifelong_xblocks.models.bookshelf import Book, BookVote
from lifelong_xblocks.models.files import StoredFile
from lifelong_xblocks.models.live import LiveRegistration, LiveSessionState
from lifelong_xblocks.models.moderation import ModerationAction
from lifelong_xblocks.models.nominations import Nomination, NominationMaterial
from lifelong_xblocks.models.reading_log import ReadingCheckIn
from lifelong_xblocks.models.recitation import Recitation, RecitationLike

ON_MARIADB = connection.vendor == "mysql"
# On MariaDB the connection is killed for real, so the test cannot run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=ON_MARIADB)

FIXTURE_AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "chromium_recording_opus_fmp4_4s.m4a"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。" * 2
ANSWERS = {"name": "张桂兰", "gender": "female", "age_band": "60_69", "region": "zhejiang",
           "occupation": "退休职工", "phone": "138 0013 8000", "story": STORY, "achievements": "2025年市级优秀志愿者"}
SHELF = "<lifelong_bookshelf display_name='Shelf' min_recommendations='1' min_votes='1'/>"
RECITATION = "<lifelong_recitation display_name='Poem' passage='Read it.' max_seconds='120'/>"
LIVE = ("<lifelong_live_session display_name='Lecture' start_time='2026-11-30T03:00:00Z' "
        "end_time='2026-11-30T04:00:00Z' time_zone='Asia/Shanghai' join_url='https://meet.example.org/j/1' "
        "capacity='2' attendance_mode='online'/>")
LESSON = ("<lifelong_microlesson display_name='Lesson' media_duration='100' completion_threshold='0.9' "
          "video_sources='[{\"url\": \"https://media.example.org/a.mp4\", \"label\": \"360p\", \"height\": 360}]'/>")
READING = "<lifelong_reading_log display_name='Reading week' goal_days='5'/>"
NOMINATION = ("<lifelong_nomination display_name='Stars' nomination_category='learning_star' "
              "opens_at='2026-11-01 08:00' closes_at='2026-12-31 18:00' quota_min='1' quota_max='3'/>")


# ---- faults, injected -----------------------------------------------------------------------------

def _kill_this_connection():
    """``KILL`` the default connection's session from a second connection (MariaDB)."""
    import MySQLdb  # noqa: PLC0415

    victim = connection.connection.thread_id()
    db = connection.settings_dict
    killer = MySQLdb.connect(host=db["HOST"] or "127.0.0.1", port=int(db["PORT"] or 3306), user=db["USER"],
                             password=db["PASSWORD"], connect_timeout=5)
    try:
        killer.cursor().execute(f"KILL {int(victim)}")
    finally:
        killer.close()


@contextlib.contextmanager
def connection_dropped_at(table, statement):
    """The connection drops right before the first ``statement`` (INSERT, UPDATE ...) on ``table``."""
    pattern = re.compile(rf"^\s*{statement}\b.*[`\"]{table}[`\"]", re.I | re.S)
    seen = {"dropped": 0}

    def wrapper(execute, sql, params, many, context):
        if not seen["dropped"] and pattern.search(sql):
            seen["dropped"] += 1
            if ON_MARIADB:
                _kill_this_connection()
            else:
                raise OperationalError(2013, "Lost connection to server during query (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield seen
    assert seen["dropped"] == 1, f"no {statement} on {table} happened"


class FailingStorage(FileSystemStorage):
    """A file storage whose saves and/or deletes fail, as a full disk or an unreachable bucket does."""

    fail_save = False
    fail_delete = False
    fail_open = False

    def _save(self, name, content):
        if FailingStorage.fail_save:
            raise OSError(28, "No space left on device (injected)")
        return super()._save(name, content)

    def _open(self, name, mode="rb"):
        if FailingStorage.fail_open:
            raise OSError(110, "Connection timed out (injected)")
        return super()._open(name, mode)

    def delete(self, name):
        if FailingStorage.fail_delete:
            raise OSError(5, "Input/output error (injected)")
        return super().delete(name)


@pytest.fixture
def storage_dir(settings, tmp_path):
    """Uploads go to a :class:`FailingStorage` named in the package's ``STORAGE`` setting."""
    settings.STORAGES = {**settings.STORAGES, "faulty": {
        "BACKEND": f"{__name__}.FailingStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "STORAGE": "faulty", "REPORTS_IN_PROCESS": True}
    FailingStorage.fail_save = FailingStorage.fail_delete = FailingStorage.fail_open = False
    yield tmp_path
    FailingStorage.fail_save = FailingStorage.fail_delete = FailingStorage.fail_open = False


def files_in(root):
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


def assert_every_row_has_its_file(root):
    missing = [row.storage_name for row in StoredFile.objects.all() if not (Path(root) / row.storage_name).is_file()]
    assert missing == [], f"rows pointing at missing files: {missing}"


def assert_unavailable(status, answer):
    assert status == 503, answer
    assert isinstance(answer, dict) and answer["error"], answer


def upload(client, handler, fields, name, data):
    request = Request.blank("/", POST={**fields, "file": (name, data)})
    response = client.runtime.handle(client.block, handler, request, "")
    return response.status_code, json.loads(response.body.decode("utf-8")), response


# ---- (a) the connection dropped inside a handler's transaction ----------------------------------

def _bookshelf(scenario, clock):
    shelf = scenario(SHELF)
    assert shelf("staff").call("recommend", {"title": "平凡的世界", "author": "路遥"})[0] == 200
    book = Book.objects.get()
    return {"client": shelf("reader"), "handler": "vote", "data": {"book": book.pk},
            # the vote row is inserted, then the tally moves: the drop comes between the two
            "drop": ("lifelong_xblocks_book", "UPDATE"),
            "state": lambda: (Book.objects.get().vote_count, BookVote.objects.count()), "after": (1, 1)}


def _recitation(scenario, clock):
    gallery = scenario(RECITATION)
    client = gallery("listener")
    owner = get_user_model().objects.create(username="reader")
    recording = StoredFile.objects.create(course_key=client.block.course_key, usage_key=client.block.usage_key,
                                          user=owner, purpose="recitation", kind="audio", storage_name="r/1.m4a",
                                          original_name="poem.m4a", content_type="audio/mp4", size=1, sha256="0" * 64)
    entry = Recitation.objects.create(course_key=client.block.course_key, usage_key=client.block.usage_key,
                                      user=owner, recording=recording, gallery_consent=True, featured=True)
    return {"client": client, "handler": "like", "data": {"recitation": entry.pk, "liked": True},
            "drop": ("lifelong_xblocks_recitation", "UPDATE"),
            "state": lambda: (Recitation.objects.get().like_count, RecitationLike.objects.count()), "after": (1, 1)}


def _live_session(scenario, clock):
    session = scenario(LIVE)
    assert session("first").call("sign_up")[0] == 200
    # the queue number is taken from the session's row, then the registration is inserted
    return {"client": session("second"), "handler": "sign_up", "data": {},
            "drop": ("lifelong_xblocks_liveregistration", "INSERT"),
            "state": lambda: (LiveSessionState.objects.get().last_queue_number, LiveRegistration.objects.count()),
            "after": (2, 2)}


def _nomination(scenario, clock):
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)
    campaign = scenario(NOMINATION)
    client = campaign("nominator")
    status, answer = client.call("start_nomination", {"organisation": "zhejiang"})
    nomination = answer["id"]
    assert client.call("save_draft", {"id": nomination, "version": 1, "answers": ANSWERS,
                                      "consent_publication": True})[0] == 200
    assert upload(client, "upload_material", {"nomination": str(nomination), "kind": "document"},
                  "推荐表.pdf", PDF)[0] == 200
    # the status moves, then the moderation log is written: the drop comes between the two
    return {"client": client, "handler": "submit_nomination", "data": {"id": nomination},
            "drop": ("lifelong_xblocks_moderationaction", "INSERT"),
            "state": lambda: (Nomination.objects.get().status, ModerationAction.objects.filter(action="submit").count()),
            "after": ("submitted", 1)}


def _live_check_in(scenario, clock):
    session = scenario(LIVE)
    client = session("learner")
    assert client.call("sign_up")[0] == 200
    clock.advance(55 * 60)                      # 02:55 UTC: inside the join window
    return {"client": client, "handler": "check_in", "data": {},
            "drop": ("lifelong_xblocks_liveregistration", "UPDATE"),
            "state": lambda: LiveRegistration.objects.values_list("checked_in_at", flat=True).get() is not None,
            "after": True}


def _playback(scenario, clock):
    client = scenario(LESSON)("learner")
    assert client.call("report_progress", {"intervals": [], "position": 0, "duration": 100})[0] == 200
    clock.advance(10)
    return {"client": client, "handler": "report_progress",
            "data": {"intervals": [[0, 10]], "position": 10, "duration": 100},
            "drop": ("lifelong_xblocks_lessonprogress", "UPDATE"),
            "state": lambda: LessonProgress.objects.values_list("played", flat=True).get(),
            "after": [[0.0, 10.0]]}


DROPS = {"bookshelf vote": _bookshelf, "recitation like": _recitation, "live session sign-up": _live_session,
         "live session check-in": _live_check_in, "micro-lesson playback": _playback,
         "nomination submit": _nomination}


@pytest.mark.parametrize("case", DROPS)
def test_a_connection_dropped_inside_the_transaction_fails_cleanly_and_a_retry_succeeds(
        case, scenario, clock, storage_dir):
    setup = DROPS[case](scenario, clock)
    client, before = setup["client"], setup["state"]()
    with connection_dropped_at(*setup["drop"]):
        status, answer = client.fresh().call(setup["handler"], setup["data"])
    assert_unavailable(status, answer)
    assert setup["state"]() == before, "half-written: the failed request left changes behind"
    status, answer = client.fresh().call(setup["handler"], setup["data"])
    assert status == 200, answer
    assert setup["state"]() == setup["after"]
    assert client.fresh().call(setup["handler"], setup["data"])[0] == 200, "the retry of a success was refused"
    assert setup["state"]() == setup["after"], "a retry of a success changed something"


def test_a_reading_check_in_whose_connection_drops_leaves_one_whole_row_or_none(scenario, clock):
    """The day's row is made to exist with the request's values, then locked and updated, in the
    handler's transaction: a drop before the update leaves no row or that whole row (the test's
    own transaction keeps what a savepoint wrote), never a partial one."""
    client = scenario(READING)("reader")
    data = {"book_title": "平凡的世界", "minutes": 25}
    with connection_dropped_at("lifelong_xblocks_readingcheckin", "UPDATE"):
        assert_unavailable(*client.fresh().call("check_in", data))
    assert [(row.book_title, row.minutes) for row in ReadingCheckIn.objects.all()] in ([], [("平凡的世界", 25)])
    status, answer = client.fresh().call("check_in", data)
    assert status == 200 and answer["entry"]["minutes"] == 25, answer
    assert client.fresh().call("check_in", data)[0] == 200
    assert ReadingCheckIn.objects.count() == 1


@pytest.mark.django_db(transaction=True)   # the model's save marks an enclosing test transaction for rollback
def test_a_connection_dropped_while_the_fields_are_saved_answers_503_and_the_retry_changes_nothing(scenario, clock):
    """The block's own fields (``learner_record``) are saved last, in the handler's one
    transaction; a drop there answers 503 (it was a 500 from the runtime) and takes the vote back
    with it, and the retry of the (idempotent) vote answers 200 with the vote counted once."""
    setup = _bookshelf(scenario, clock)
    with connection_dropped_at("workbench_xblockstate", "UPDATE"):
        assert_unavailable(*setup["client"].fresh().call(setup["handler"], setup["data"]))
    assert setup["state"]() == (0, 0), "a vote whose fields were never saved was kept"
    assert setup["client"].fresh().call(setup["handler"], setup["data"])[0] == 200
    assert setup["state"]() == setup["after"]


@pytest.mark.django_db(transaction=True)
def test_the_ledger_and_the_fields_are_written_together_or_not_at_all(scenario, clock):
    """A handler ends with one transaction for the learner's ledger row and the block's fields
    (``BaseBlock.save``): a drop while the fields are saved takes the ledger's change back too, and
    the retry writes both."""
    setup = _playback(scenario, clock)
    client = setup["client"]

    def written():
        row = LearnerBlockActivity.objects.get()
        return row.figures, row.last_activity, client.fresh().block.learner_record

    before = written()
    assert before[0] == {"coverage": 0.0, "completed": False}
    with connection_dropped_at("workbench_xblockstate", "UPDATE"):
        assert_unavailable(*client.fresh().call(setup["handler"], setup["data"]))
    assert written() == before, "the ledger kept a change whose fields were never saved"
    assert client.fresh().call(setup["handler"], setup["data"])[0] == 200
    figures, _at, record = written()
    assert figures == record == {"coverage": 0.1, "completed": False}


@pytest.mark.django_db(transaction=True)
def test_fields_that_cannot_be_saved_at_all_answer_503_not_500_and_change_nothing(scenario, clock):
    """Every save of the block's fields fails during the request (the runtime saves again after the
    handler): the answer is the 503, the runtime's second save finds nothing to write, and neither
    the ledger nor the fields move."""
    setup = _playback(scenario, clock)
    client = setup["client"]
    ledger_before = list(LearnerBlockActivity.objects.values_list("figures", "last_activity"))
    failures = []

    def fail_every_field_save(execute, sql, params, many, context):
        if re.match(r'^\s*UPDATE\s+[`"]workbench_xblockstate[`"]', sql):
            failures.append(sql)
            raise OperationalError(2013, "Lost connection to server during query (injected)")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail_every_field_save):
        assert_unavailable(*client.fresh().call(setup["handler"], setup["data"]))
    assert len(failures) == 1, "the runtime tried to save again what the failed request left"
    assert list(LearnerBlockActivity.objects.values_list("figures", "last_activity")) == ledger_before
    assert client.fresh().block.learner_record == {"coverage": 0.0, "completed": False}


def test_a_database_failure_answers_503_with_retry_after_in_the_learners_language(scenario, clock):
    shelf = scenario(SHELF)
    assert shelf("staff").call("recommend", {"title": "Book", "author": "Author"})[0] == 200
    client = shelf("reader")
    request = Request.blank("/", method="POST", body=json.dumps({"book": Book.objects.get().pk}).encode(),
                            content_type="application/json")
    with connection_dropped_at("lifelong_xblocks_book", "UPDATE"):
        response = client.runtime.handle(client.fresh().block, "vote", request, "")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert response.content_type == "application/json"
    assert json.loads(response.body)["error"] == "The server could not finish this just now. Please try again in a moment."


# ---- (b) storage failing ------------------------------------------------------------------------

def _nomination_draft(scenario, clock):
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=datetime.UTC)
    client = scenario(NOMINATION)("nominator")
    nomination = client.call("start_nomination", {"organisation": "zhejiang"})[1]["id"]
    return client, nomination


def test_storage_failing_on_save_stores_no_row_and_says_so(scenario, clock, storage_dir):
    client, nomination = _nomination_draft(scenario, clock)
    fields = {"nomination": str(nomination), "kind": "document"}
    FailingStorage.fail_save = True
    status, answer, response = upload(client.fresh(), "upload_material", fields, "推荐表.pdf", PDF)
    assert status == 503 and answer["fields"] == {"file": answer["error"]} and "stored" in answer["error"]
    assert response.headers["Retry-After"] == "5"
    assert StoredFile.objects.count() == 0 and NominationMaterial.objects.count() == 0
    assert files_in(storage_dir) == []
    FailingStorage.fail_save = False
    assert upload(client.fresh(), "upload_material", fields, "推荐表.pdf", PDF)[0] == 200
    assert StoredFile.objects.count() == 1 and NominationMaterial.objects.count() == 1
    assert_every_row_has_its_file(storage_dir)


def test_storage_failing_on_save_of_a_recording_changes_nothing(scenario, storage_dir):
    client = scenario(RECITATION)("reader")
    FailingStorage.fail_save = True
    status, answer, _response = upload(client.fresh(), "submit_recording", {"consent": "1"}, "poem.m4a",
                                       FIXTURE_AUDIO.read_bytes())
    assert status == 503 and answer["fields"]["file"], answer
    assert StoredFile.objects.count() == 0 and Recitation.objects.count() == 0 and files_in(storage_dir) == []


def test_a_row_that_cannot_be_written_takes_its_stored_file_away(scenario, clock, storage_dir):
    client, nomination = _nomination_draft(scenario, clock)
    with connection_dropped_at("lifelong_xblocks_storedfile", "INSERT"):
        status, answer, _response = upload(client.fresh(), "upload_material",
                                           {"nomination": str(nomination), "kind": "document"}, "推荐表.pdf", PDF)
    assert_unavailable(status, answer)
    assert StoredFile.objects.count() == 0 and files_in(storage_dir) == []


def test_a_material_whose_link_cannot_be_written_takes_its_stored_file_away(scenario, clock, storage_dir,
                                                                         django_capture_on_commit_callbacks):
    client, nomination = _nomination_draft(scenario, clock)
    with django_capture_on_commit_callbacks(execute=True), \
            connection_dropped_at("lifelong_xblocks_nominationmaterial", "INSERT"):
        status, answer, _response = upload(client.fresh(), "upload_material",
                                           {"nomination": str(nomination), "kind": "document"}, "推荐表.pdf", PDF)
    assert_unavailable(status, answer)
    assert StoredFile.objects.count() == 0 and NominationMaterial.objects.count() == 0
    assert files_in(storage_dir) == [], "a stored file outlived its refused upload"


def test_storage_failing_on_delete_keeps_the_database_change(scenario, clock, storage_dir, caplog,
                                                             django_capture_on_commit_callbacks):
    client, nomination = _nomination_draft(scenario, clock)
    assert upload(client, "upload_material", {"nomination": str(nomination), "kind": "document"},
                  "推荐表.pdf", PDF)[0] == 200
    material = NominationMaterial.objects.get()
    left = files_in(storage_dir)
    FailingStorage.fail_delete = True
    with django_capture_on_commit_callbacks(execute=True):   # the file is deleted once the removal commits
        status, answer = client.fresh().call("remove_material", {"id": nomination, "material": material.pk})
    assert status == 200, answer
    assert NominationMaterial.objects.count() == 0 and StoredFile.objects.count() == 0
    assert files_in(storage_dir) == left, "the file stays behind, an orphan no row points at"
    assert "left behind" in caplog.text


def test_storage_failing_to_delete_a_replaced_recording_keeps_the_new_one(scenario, storage_dir,
                                                                          django_capture_on_commit_callbacks):
    client = scenario(RECITATION)("reader")
    audio = FIXTURE_AUDIO.read_bytes()
    assert upload(client, "submit_recording", {"consent": "1"}, "poem.m4a", audio)[0] == 200
    FailingStorage.fail_delete = True
    with django_capture_on_commit_callbacks(execute=True):
        status, answer, _response = upload(client.fresh(), "submit_recording", {"consent": "0"}, "again.m4a", audio)
    assert status == 200, answer
    recitation = Recitation.objects.get()
    assert recitation.submissions == 2 and StoredFile.objects.get().pk == recitation.recording_id
    assert_every_row_has_its_file(storage_dir)


def test_storage_failing_to_open_a_file_answers_503_json_not_a_broken_download(scenario, storage_dir):
    client = scenario(RECITATION)("reader")
    assert upload(client, "submit_recording", {"consent": "1"}, "poem.m4a", FIXTURE_AUDIO.read_bytes())[0] == 200
    entry = Recitation.objects.get().pk
    FailingStorage.fail_open = True
    status, answer = client.fresh().call("recording", method="GET", suffix=str(entry))
    assert_unavailable(status, answer)
    FailingStorage.fail_open = False
    status, body = client.fresh().call("recording", method="GET", suffix=str(entry))
    assert status == 200 and body == FIXTURE_AUDIO.read_bytes()


# ---- (c) exports killed midway ------------------------------------------------------------------

def _failing_midway(monkeypatch, error, after_cells=20):
    """Exports fail after ``after_cells`` cells: past the header, in the middle of the rows."""
    calls = {"n": 0}

    def failing(real):
        def cell(value):
            calls["n"] += 1
            if calls["n"] > after_cells:
                raise error
            return real(value)
        return cell

    for name in ("neutralise", "neutralise_text"):    # every cell of every export passes one of them
        if hasattr(exports, name):
            monkeypatch.setattr(exports, name, failing(getattr(exports, name)))
    return calls


def _export_cases(scenario, clock):
    shelf = scenario(SHELF)
    for number in range(3):
        assert shelf("staff").call("recommend", {"title": f"Book {number}", "author": "Author"})[0] == 200
    reading = scenario(READING)
    for name in ("ann", "bob", "cat"):
        assert reading(name).call("check_in", {"book_title": "Book", "minutes": 5})[0] == 200
    live = scenario(LIVE)
    for name in ("ann", "bob", "cat"):
        assert live(name).call("sign_up")[0] == 200
    return {"bookshelf csv": (shelf, "download_books", "csv"), "bookshelf xlsx": (shelf, "download_books", "xlsx"),
            "reading log csv": (reading, "download_csv", ""), "reading log xlsx": (reading, "download_xlsx", ""),
            "live session csv": (live, "download_csv", ""), "live session xlsx": (live, "download_xlsx", "")}


def _download(as_user, handler, suffix):
    client = as_user("staff")
    response = client.runtime.handle(client.block, handler, Request.blank("/"), suffix)
    return response


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_export_whose_database_fails_midway_offers_no_file(kind, scenario, clock, monkeypatch):
    cases = {name: case for name, case in _export_cases(scenario, clock).items() if name.endswith(kind)}
    for name, (as_user, handler, suffix) in cases.items():
        whole = _download(as_user, handler, suffix)
        assert whole.status_code == 200 and whole.content_length == len(whole.body), name
        calls = _failing_midway(monkeypatch, OperationalError(2013, "Lost connection (injected)"))
        response = _download(as_user, handler, suffix)
        assert calls["n"] > 20, f"{name}: the export did not get past its first rows"
        assert response.status_code == 503 and response.content_type == "application/json", name
        assert "Content-Disposition" not in response.headers, f"{name}: a cut-off file was offered"
        monkeypatch.undo()


def test_an_export_crashing_midway_raises_before_any_byte_is_sent(scenario, clock, monkeypatch):
    """Any other failure (a bug) escapes the handler before the answer starts: the platform answers
    its error page, never the first half of a spreadsheet with a 200."""
    cases = _export_cases(scenario, clock)
    for name, (as_user, handler, suffix) in cases.items():
        _failing_midway(monkeypatch, RuntimeError("worker killed (injected)"))
        with pytest.raises(RuntimeError):
            _download(as_user, handler, suffix)
        monkeypatch.undo()
        assert name


def test_a_download_cut_off_in_transit_is_seen_as_incomplete(scenario, clock):
    """Every export states its length, so a browser whose connection breaks knows the file is short."""
    for name, (as_user, handler, suffix) in _export_cases(scenario, clock).items():
        response = _download(as_user, handler, suffix)
        assert response.headers["Content-Length"] == str(len(response.body)), name
        assert response.headers["Content-Disposition"].startswith("attachment"), name


# ---- the course report: produced whole or not at all ----------------------------------------------

@pytest.fixture
def reports():
    return pytest.importorskip("lifelong_xblocks.reports.files")


@pytest.fixture
def produced(reports, django_capture_on_commit_callbacks):
    """``produced(course, user_id, fmt)``: a report asked for and produced (in process), re-read."""
    def produce(course, user_id, fmt):
        with django_capture_on_commit_callbacks(execute=True):
            report = reports.request_report(course, "", user_id, fmt, {})
        report.refresh_from_db()
        return report

    return produce


def test_a_course_report_failing_midway_is_marked_failed_and_stores_nothing(reports, produced, scenario, clock,
                                                                          storage_dir, monkeypatch):
    from lifelong_xblocks.reports import writers  # noqa: PLC0415

    shelf = scenario(SHELF)
    assert shelf("reader").call("recommend", {"title": "Book", "author": "Author"})[0] == 200
    staff = get_user_model().objects.create(username="report_staff")
    course = shelf("reader").block.course_key
    real = writers.write_report

    def dies_midway(course_key, fmt, fileobj, **options):
        fileobj.write(b"first rows,")
        raise OperationalError(2013, "Lost connection (injected)")

    for fmt in ("csv", "xlsx"):
        stored_before = files_in(storage_dir)
        monkeypatch.setattr(writers, "write_report", dies_midway)
        report = produced(course, staff.pk, fmt)
        assert report.status == "failed" and not report.storage_name, report.status
        with pytest.raises(reports.ReportMissing):
            reports.ready_file(course, str(report.pk))
        assert files_in(storage_dir) == stored_before
        monkeypatch.setattr(writers, "write_report", real)
        retry = produced(course, staff.pk, fmt)
        assert retry.status == "ready" and reports.ready_file(course, str(retry.pk)).pk == retry.pk


def test_a_course_report_whose_storage_fails_is_marked_failed(produced, scenario, clock, storage_dir):
    shelf = scenario(SHELF)
    assert shelf("reader").call("recommend", {"title": "Book", "author": "Author"})[0] == 200
    staff = get_user_model().objects.create(username="report_staff")
    FailingStorage.fail_save = True
    report = produced(shelf("reader").block.course_key, staff.pk, "csv")
    assert report.status == "failed" and files_in(storage_dir) == []


def test_a_course_report_whose_storage_fails_to_save_and_to_clean_up_is_still_marked_failed(
        produced, scenario, clock, storage_dir, monkeypatch):
    """The CSV report stores two files; the second save fails and so does the removal of the first:
    the report must still end failed (not stay "running", blocking its requester), the orphan logged."""
    shelf = scenario(SHELF)
    assert shelf("reader").call("recommend", {"title": "Book", "author": "Author"})[0] == 200
    staff = get_user_model().objects.create(username="report_staff")
    saves = {"n": 0}
    real_save = FailingStorage._save

    def second_save_fails(self, name, content):
        saves["n"] += 1
        if saves["n"] == 2:
            FailingStorage.fail_delete = True
            raise OSError(28, "No space left on device (injected)")
        return real_save(self, name, content)

    monkeypatch.setattr(FailingStorage, "_save", second_save_fails)
    report = produced(shelf("reader").block.course_key, staff.pk, "csv")
    assert saves["n"] == 2, "the CSV report did not store a summary file"
    assert report.status == "failed" and not report.storage_name


def test_the_report_command_interrupted_leaves_no_file(reports, scenario, clock, tmp_path, monkeypatch):
    from django.core.management import call_command  # noqa: PLC0415

    from lifelong_xblocks.reports import writers  # noqa: PLC0415

    shelf = scenario(SHELF)
    assert shelf("reader").call("recommend", {"title": "Book", "author": "Author"})[0] == 200
    course = shelf("reader").block.course_key

    def interrupted(course_key, fmt, fileobj, **options):
        fileobj.write(b"first rows,")
        if options.get("summary_fileobj"):
            options["summary_fileobj"].write(b"summary,")
        raise KeyboardInterrupt   # Ctrl-C, or the operator's SIGINT

    monkeypatch.setattr(writers, "write_report", interrupted)
    for fmt in ("csv", "xlsx"):
        with pytest.raises(KeyboardInterrupt):
            call_command("lifelong_report", course, "--format", fmt, "--output", str(tmp_path / f"report.{fmt}"),
                         stdout=io.StringIO())
        assert files_in(tmp_path) == [], f"{fmt}: a half-written report was left behind"


# ---- retries of what already succeeded --------------------------------------------------------

def test_a_recording_uploaded_again_by_a_retrying_phone_changes_nothing(scenario, storage_dir,
                                                                        django_capture_on_commit_callbacks):
    """The same bytes with the same consent: the copy is dropped, the recording stays featured with
    its plays (before, the retry counted a second submission and took it out of the gallery)."""
    as_user = scenario(RECITATION)
    reader, audio = as_user("reader"), FIXTURE_AUDIO.read_bytes()
    assert upload(reader, "submit_recording", {"consent": "1"}, "poem.m4a", audio)[0] == 200
    entry = Recitation.objects.get()
    assert as_user("staff").call("moderate", {"recitation": entry.pk, "action": "feature"})[0] == 200
    assert as_user("listener").call("count_play", {"recitation": entry.pk})[1]["plays"] == 1
    before = list(StoredFile.objects.values_list("pk", "storage_name"))
    with django_capture_on_commit_callbacks(execute=True):
        status, answer, _response = upload(reader.fresh(), "submit_recording", {"consent": "1"}, "poem.m4a", audio)
    assert status == 200, answer
    entry.refresh_from_db()
    assert (entry.submissions, entry.featured, entry.play_count) == (1, True, 1)
    assert list(StoredFile.objects.values_list("pk", "storage_name")) == before
    assert files_in(storage_dir) == [name for _pk, name in before]


def test_a_nomination_submitted_again_answers_as_the_first_time(scenario, clock, storage_dir):
    setup = _nomination(scenario, clock)
    client, data = setup["client"], setup["data"]
    first = client.fresh().call("submit_nomination", data)
    again = client.fresh().call("submit_nomination", data)
    assert first[0] == again[0] == 200, again
    assert setup["state"]() == ("submitted", 1)

