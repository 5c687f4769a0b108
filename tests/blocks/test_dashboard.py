"""The staff dashboard (``lifelong_dashboard``) through its views and handlers, and its report files."""
import datetime
import io
import json
import re
import uuid

import openpyxl
import pytest
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lifelong_xblocks.models.reports import ReportFile
from lifelong_xblocks.reports import files as report_files
from lifelong_xblocks.reports import ledger

DASHBOARD = "<lifelong_dashboard display_name='活动周看板'/>"
UTC = datetime.timezone.utc


@pytest.fixture(autouse=True)
def report_storage(settings, tmp_path):
    """Report files go to a storage of this test's own (the configurable storage setting)."""
    settings.STORAGES = {**settings.STORAGES, "dashboard_test": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "STORAGE": "dashboard_test", "REPORTS_IN_PROCESS": True}
    return tmp_path


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def board(scenario):
    return scenario(DASHBOARD)


def seed(course_key, learners, blocks=2, start=datetime.datetime(2026, 11, 23, 2, 0, tzinfo=UTC)):
    """``learners`` learners active in ``blocks`` blocks of ``course_key`` (every second one completes)."""
    from django.contrib.auth import get_user_model  # noqa: PLC0415
    from lifelong_xblocks import clock  # noqa: PLC0415

    users = [get_user_model().objects.create(username=f"seed_{uuid.uuid4().hex[:8]}") for _ in range(learners)]
    refs = [ledger.BlockRef(course_key, f"{course_key}+block{n}", "lifelong_bookshelf" if n % 2 else
                            "lifelong_reading_log", title=f"活动 {n}") for n in range(blocks)]
    original = clock.now
    try:
        for index, user in enumerate(users):
            clock.now = lambda index=index: start + datetime.timedelta(days=index % 3)
            for ref in refs:
                ledger.record(ref, user.pk, ledger.Change(figures={"n": index},
                                                           completion=1.0 if index % 2 == 0 else 0.5))
    finally:
        clock.now = original
    return users


# ---- learners -------------------------------------------------------------------------------------
def our_queries(queries):
    """The queries of the package (not the workbench runtime's own field storage)."""
    return [query["sql"] for query in queries.captured_queries if "workbench_xblockstate" not in query["sql"]]


def test_learners_see_only_a_note_and_nothing_is_read_for_them(board):
    learner = board("student_1")
    learner.render()     # the learner's user row exists from now on
    with CaptureQueriesContext(connection) as queries:
        html = learner.fresh().render().body_html()
    read = our_queries(queries)
    assert len(read) == 1 and "auth_user" in read[0], read      # identity only
    assert "course staff" in html
    assert "<svg" not in html and "data-ll-produce" not in html and "data-ll-filters" not in html


def test_the_note_is_translated(board):
    with translation.override("zh-hans"):
        html = board("student_1").render().body_html()
    assert "课程教职人员" in html or "工作人员" in html, html


@pytest.mark.parametrize("handler, data", [("summary", {}), ("request_report", {"format": "csv"}),
                                           ("report_status", {})])
def test_every_data_handler_refuses_learners(board, handler, data):
    status, answer = board("student_1").call(handler, data)
    assert status == 403 and answer["error"]
    assert not ReportFile.objects.exists()


def test_mobile_state_is_a_clear_403_for_learners_and_anonymous(board):
    status, answer = board("student_1").call("student_view_user_state", method="GET")
    assert status == 403 and answer["error"] == "Only course staff can do this."
    status, answer = board("none").call("student_view_user_state", method="GET")
    assert status == 403 and "sign in" in answer["error"]


def test_learners_cannot_download_reports(board, ask):
    staff = board("staff")
    report = ask(staff, {"format": "csv"})[1]["report"]
    status, answer = board("student_1").call("download_report", method="GET", suffix=str(report["id"]))
    assert status == 403 and answer["error"]


# ---- staff view -----------------------------------------------------------------------------------
def test_staff_see_charts_with_tables_filters_and_report_buttons(board):
    staff = board("staff")
    seed(staff.block.course_key, 4)
    html = staff.fresh().render().body_html()
    assert html.count('role="img"') == 4
    for name in ("per_day", "per_block", "audience_group", "region"):
        assert f'data-ll-chart="{name}"' in html
    assert html.count("ll-table-stack") >= 4 and "<caption" in html
    assert 'data-ll-produce="csv"' in html and 'data-ll-produce="xlsx"' in html and "data-ll-anonymize" in html
    assert 'type="date"' in html and 'name="block_types"' in html


def test_staff_render_reads_a_constant_number_of_queries(board, ask, settings):
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "SUMMARY_MAX_AGE": 0}   # counted every time
    staff = board("staff")
    course = staff.block.course_key
    staff.render()
    ask(staff, {"format": "csv"})

    def count():
        with CaptureQueriesContext(connection) as queries:
            staff.fresh().render()
        return len(queries)

    seed(course, 3)
    small = count()
    seed(course, 30, blocks=4)
    assert count() == small


def figures(html):
    return re.findall(r"<dd>([^<]*)</dd>", html)


def test_a_page_view_shows_the_summary_counted_within_the_minute_and_show_counts_anew(board, clock):
    staff = board("staff")
    course = staff.block.course_key
    seed(course, 2)
    first = staff.fresh().render().body_html()
    assert figures(first)[0] == "2" and "Counted at " in first and "up to 60 seconds" in first
    seed(course, 3)
    with CaptureQueriesContext(connection) as queries:
        again = staff.fresh().render().body_html()
    assert figures(again) == figures(first)                      # the same count, not read again
    assert not [sql for sql in our_queries(queries) if "learnerblockactivity" in sql.lower()]
    status, answer = staff.call("summary", {})                  # "Show": counted now
    assert status == 200 and answer["summary"]["participants"] == 5 and answer["summary"]["counted_at"]
    assert figures(staff.fresh().render().body_html())[0] == "5"  # and kept for the next page view
    clock.advance(61)
    seed(course, 1)
    assert figures(staff.fresh().render().body_html())[0] == "6"  # a minute later: counted again


def test_the_summary_is_kept_per_filters_and_language(board):
    staff = board("staff")
    course = staff.block.course_key
    seed(course, 2)
    staff.fresh().render()
    with translation.override("zh-hans"):
        html = staff.fresh().render().body_html()
    assert "统计于" in html and "Counted at" not in html          # not the English page's summary
    status, answer = staff.call("summary", {"block_types": ["lifelong_bookshelf"]})
    assert status == 200 and answer["summary"]["block_types"] == ["lifelong_bookshelf"]
    assert [entry["block_type"] for entry in answer["summary"]["blocks"]] == ["lifelong_bookshelf"]


class UnreachableCache(BaseCache):
    """A cache whose server is down: reading and writing raise, as Django's Redis backend does."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        raise ConnectionError("cache server down")

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        raise ConnectionError("cache server down")

    def clear(self):
        pass


def test_a_cache_that_is_down_only_means_counting_every_view(board, settings, caplog):
    settings.CACHES = {**settings.CACHES, "down": {"BACKEND": "tests.blocks.test_dashboard.UnreachableCache"}}
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "SUMMARY_CACHE": "down"}
    staff = board("staff")
    course = staff.block.course_key
    seed(course, 2)
    assert figures(staff.fresh().render().body_html())[0] == "2"
    seed(course, 1)
    assert figures(staff.fresh().render().body_html())[0] == "3"
    status, answer = staff.call("summary", {})
    assert status == 200 and answer["summary"]["participants"] == 3
    assert "counting without it" in caplog.text


def test_with_no_keeping_every_view_counts(board, settings):
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "SUMMARY_MAX_AGE": 0}
    staff = board("staff")
    course = staff.block.course_key
    seed(course, 2)
    assert figures(staff.fresh().render().body_html())[0] == "2"
    seed(course, 1)
    html = staff.fresh().render().body_html()
    assert figures(html)[0] == "3" and "Counted at " in html and "seconds" not in html


def test_author_view_reads_no_course_data(board):
    staff = board("staff")
    staff.render()
    with CaptureQueriesContext(connection) as queries:
        html = staff.fresh().render("author_view").body_html()
    assert len(our_queries(queries)) <= 1, our_queries(queries)
    assert "<svg" not in html and "活动周看板" in html


def test_student_view_data_is_content_only(board):
    data = board("student_1").block.student_view_data()
    assert data["title"] == "活动周看板" and data["staff_only"] is True
    assert "lifelong_bookshelf" in data["block_types"] and "lifelong_dashboard" not in data["block_types"]


def test_completion_is_excluded_and_there_is_no_score(board):
    from xblock.completable import XBlockCompletionMode  # noqa: PLC0415
    block = board("staff").block
    assert XBlockCompletionMode.get_mode(block) == XBlockCompletionMode.EXCLUDED
    assert not block.has_score


# ---- summary and filters ------------------------------------------------------------------------
def test_summary_follows_the_filters(board):
    staff = board("staff")
    seed(staff.block.course_key, 6)
    status, everything = staff.call("summary", {})
    assert status == 200 and "html" in everything
    status, first_day = staff.call("summary", {"since": "2026-11-23", "until": "2026-11-23"})
    assert status == 200
    assert first_day["filters"] == {"since": "2026-11-23", "until": "2026-11-23", "block_types": []}
    status, shelf_only = staff.call("summary", {"block_types": ["lifelong_bookshelf"], "html": False})
    assert status == 200 and "html" not in shelf_only and shelf_only["filters"]["block_types"] == ["lifelong_bookshelf"]


def test_bad_filters_name_every_field(board):
    status, answer = board("staff").call("summary", {"since": "2026-13-01", "until": "yesterday",
                                                     "block_types": ["lifelong_nothing"]})
    assert status == 400 and set(answer["fields"]) == {"since", "until", "block_types"}
    status, answer = board("staff").call("summary", {"since": "2026-11-30", "until": "2026-11-01"})
    assert status == 400 and set(answer["fields"]) == {"until"}
    status, answer = board("staff").call("summary", {"block_types": "lifelong_bookshelf,<script>"})
    assert status == 400 and set(answer["fields"]) == {"block_types"}


def test_filter_errors_are_translated(board):
    with translation.override("zh-hans"):
        status, answer = board("staff").call("summary", {"since": "abc"})
    assert status == 400 and answer["fields"]["since"] != "Give the date as YYYY-MM-DD, e.g. 2026-12-01."


# ---- Studio ---------------------------------------------------------------------------------------
def validation_of(scenario, xml):
    block = scenario(xml)("staff").block
    return [message.text for message in block.validate().messages]


def test_studio_validation(scenario):
    assert validation_of(scenario, "<lifelong_dashboard default_since='2026-11-23' default_until='2026-11-29'/>") == []
    problems = validation_of(scenario, "<lifelong_dashboard default_since='23/11/2026' default_until='2026-11-01' "
                                       "block_types='[\"lifelong_nothing\"]'/>")
    assert len(problems) == 2 and any("YYYY-MM-DD" in text for text in problems)
    assert len(validation_of(scenario, "<lifelong_dashboard default_since='2026-11-30' "
                                       "default_until='2026-11-01'/>")) == 1


def test_authored_period_and_block_types_are_the_defaults(scenario):
    staff = scenario("<lifelong_dashboard default_since='2026-11-23' default_until='2026-11-29' "
                     "block_types='[\"lifelong_reading_log\"]'/>")("staff")
    html = staff.render().body_html()
    assert 'value="2026-11-23"' in html and 'value="2026-11-29"' in html
    assert 'value="lifelong_bookshelf"' not in html and 'value="lifelong_reading_log"' in html
    status, answer = staff.call("summary", {"block_types": ["lifelong_bookshelf"]})
    assert status == 400 and "block_types" in answer["fields"]
    status, answer = staff.call("student_view_user_state", method="GET")
    assert status == 200 and answer["filters"]["block_types"] == ["lifelong_reading_log"]


# ---- report files -------------------------------------------------------------------------------
def test_a_csv_report_is_produced_stored_and_downloaded(board, report_storage, ask):
    staff = board("staff")
    seed(staff.block.course_key, 3)
    status, answer = ask(staff, {"format": "csv", "since": "2026-11-23"})
    assert status == 200, answer
    report = answer["report"]
    assert report["status"] == "ready" and report["download_url"] and report["size"] > 0
    row = ReportFile.objects.get()
    assert stored_files(report_storage) == sorted([row.storage_name, row.summary_storage_name])
    status, body = staff.call("download_report", method="GET", suffix=str(report["id"]))
    assert status == 200 and body.startswith("\ufeff".encode())
    # the summary tables, a file of their own as the lifelong_report command writes them
    assert report["summary_download_url"]
    status, summary = staff.call("download_report", method="GET", suffix=f"{report['id']}/summary")
    assert status == 200 and summary.startswith("\ufeff".encode()) and summary != body
    assert staff.call("download_report", method="GET", suffix=f"{report['id']}/other")[0] == 404
    response = staff.runtime.handle(staff.block, "download_report", _get(), str(report["id"]))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response.headers["Content-Disposition"]


def test_an_xlsx_report_opens_and_can_be_anonymized(board, ask):
    staff = board("staff")
    users = seed(staff.block.course_key, 3)
    status, answer = ask(staff, {"format": "xlsx", "anonymize": True})
    assert status == 200 and answer["report"]["status"] == "ready" and answer["report"]["anonymize"] is True
    assert answer["report"]["summary_download_url"] is None      # the summary is a sheet of the workbook
    status, body = staff.call("download_report", method="GET", suffix=str(answer["report"]["id"]))
    assert status == 200
    workbook = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
    text = " ".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                    for cell in row if cell is not None)
    assert not any(user.username in text for user in users)


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Ask for a report as the LMS does (handlers run outside a transaction, so the report is handed
    on when its row is committed), then read it back: ``(status, {"report": ..., "asked": answer})``."""
    def ask_for(client, data):
        with django_capture_on_commit_callbacks(execute=True):
            status, answer = client.call("request_report", data)
        if status != 200:
            return status, answer
        status, now = client.call("report_status", {"report": answer["report"]["id"]})
        return status, {"report": now["report"], "asked": answer}
    return ask_for


def _get():
    from webob import Request  # noqa: PLC0415
    return Request.blank("/", method="GET")


def test_bad_report_requests_change_nothing(board, ask):
    status, answer = ask(board("staff"), {"format": "pdf", "anonymize": "yes",
                                                            "until": "tomorrow"})
    assert status == 400 and set(answer["fields"]) == {"format", "anonymize", "until"}
    assert not ReportFile.objects.exists()


def test_one_unfinished_report_per_person_and_course(board, ask, settings):
    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "WORKBENCH_STAFF_IDS": ["staff", "teacher"]}
    staff, teacher = board("staff"), board("teacher")
    staff.render()
    ReportFile.objects.create(course_key=staff.block.course_key, usage_key=staff.block.usage_key,
                              requested_by_id=staff.block.person.user_id, format="csv",
                              status=ReportFile.RUNNING)
    status, answer = ask(staff, {"format": "xlsx"})
    assert status == 409 and "still being produced" in answer["error"]
    assert ReportFile.objects.count() == 1
    assert ask(teacher, {"format": "xlsx"})[0] == 200      # another person of the course may


def test_a_lost_report_times_out_and_the_person_may_ask_again(board, clock, ask):
    staff = board("staff")
    staff.render()
    lost = ReportFile.objects.create(course_key=staff.block.course_key, usage_key=staff.block.usage_key,
                                     requested_by_id=staff.block.person.user_id, format="csv",
                                     status=ReportFile.RUNNING)
    clock.advance(3 * 3600)
    status, answer = ask(staff, {"format": "csv"})
    assert status == 200 and answer["report"]["status"] == "ready"
    lost.refresh_from_db()
    assert lost.status == ReportFile.FAILED and lost.unfinished is None and lost.error


def test_reports_are_listed_newest_first_for_the_course_only(board, scenario, clock, ask):
    staff = board("staff")
    for fmt in ("csv", "xlsx", "csv"):
        assert ask(staff, {"format": fmt})[0] == 200
        clock.advance(60)
    other = scenario("<vertical_demo><lifelong_dashboard/></vertical_demo>")
    status, answer = staff.call("report_status", {})
    ids = [report["id"] for report in answer["reports"]]
    assert status == 200 and ids == sorted(ids, reverse=True) and len(ids) == 3
    assert [report["format"] for report in answer["reports"]] == ["csv", "xlsx", "csv"]
    assert "data-ll-download" in answer["html"]
    status, one = staff.call("report_status", {"report": ids[-1]})
    assert status == 200 and one["report"]["id"] == ids[-1]
    del other


def test_download_only_ready_reports_of_this_course(board):
    staff = board("staff")
    staff.render()
    waiting = ReportFile.objects.create(course_key=staff.block.course_key, usage_key=staff.block.usage_key,
                                        requested_by_id=staff.block.person.user_id, format="csv")
    elsewhere = ReportFile.objects.create(course_key="course-v1:Other+X+2026", usage_key="x",
                                          requested_by_id=staff.block.person.user_id, format="csv",
                                          status=ReportFile.READY, unfinished=None, storage_name="lifelong/x.csv")
    for suffix in (str(waiting.pk), str(elsewhere.pk), "abc", "", "99999999999999999999"):
        status, answer = staff.call("download_report", method="GET", suffix=suffix)
        assert status in (400, 404) and answer["error"], suffix


def test_a_report_failing_midway_is_failed_and_leaves_no_file(board, report_storage, monkeypatch, ask):
    from lifelong_xblocks.reports import writers  # noqa: PLC0415

    def broken(course_key, fmt, fileobj, **options):
        fileobj.write(b"\xef\xbb\xbfhalf a report")
        raise RuntimeError("disk full")

    monkeypatch.setattr(writers, "write_report", broken)
    staff = board("staff")
    with translation.override("zh-hans"):
        status, answer = ask(staff, {"format": "csv"})
    assert status == 200 and answer["report"]["status"] == "failed"
    assert answer["report"]["download_url"] is None and answer["report"]["error"]
    assert answer["report"]["error"] != report_files.FAILED_MESSAGE      # in the viewer's language
    assert stored_files(report_storage) == []
    row = ReportFile.objects.get()
    assert row.unfinished is None and row.storage_name == ""
    assert staff.call("download_report", method="GET", suffix=str(row.pk))[0] == 404
    # and the person may ask again at once
    monkeypatch.undo()
    assert ask(staff, {"format": "csv"})[1]["report"]["status"] == "ready"


def test_a_file_that_cannot_be_stored_is_never_offered(board, report_storage, monkeypatch, ask):
    from django.core.files.storage import FileSystemStorage  # noqa: PLC0415

    def refuse(*args, **kwargs):
        raise OSError("storage unavailable")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    status, answer = ask(board("staff"), {"format": "xlsx"})
    assert status == 200 and answer["report"]["status"] == "failed"
    assert stored_files(report_storage) == []


def test_a_report_is_produced_once(board, ask):
    staff = board("staff")
    report = ask(staff, {"format": "csv"})[1]["report"]
    assert report_files.produce_report(report["id"]) is None      # already done: nothing happens
    assert ReportFile.objects.get().status == ReportFile.READY


def test_the_celery_task_runs_eagerly_when_not_in_process(board, settings, ask):
    from celery import current_app  # noqa: PLC0415

    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "REPORTS_IN_PROCESS": False}
    current_app.conf.task_always_eager = True
    try:
        status, answer = ask(board("staff"), {"format": "csv"})
    finally:
        current_app.conf.task_always_eager = False
    assert status == 200
    assert ReportFile.objects.get().status == ReportFile.READY


def test_a_broker_that_is_down_fails_the_report_at_once(board, settings, monkeypatch, ask):
    from lifelong_xblocks.reports import tasks  # noqa: PLC0415

    def down(*args, **kwargs):
        raise ConnectionRefusedError("no broker")

    settings.LIFELONG_XBLOCKS = {**settings.LIFELONG_XBLOCKS, "REPORTS_IN_PROCESS": False}
    monkeypatch.setattr(tasks.produce_report_task, "delay", down)
    status, answer = ask(board("staff"), {"format": "csv"})
    assert status == 200
    row = ReportFile.objects.get()
    assert row.status == ReportFile.FAILED and row.unfinished is None
    assert ask(board("staff"), {"format": "csv"})[0] == 200   # not stuck


def test_studio_editor_offers_the_block_types_and_saves_a_choice(board):
    staff = board("staff")
    studio = staff.render("studio_view").content
    assert "lifelong_bookshelf" in studio and "lifelong_dashboard\"" not in studio
    status, answer = staff.call("submit_studio_edits", {"values": {
        "default_since": "2026-11-23", "block_types": ["lifelong_bookshelf", "lifelong_reading_log"]}, "defaults": []})
    assert status == 200, answer
    html = staff.fresh().render().body_html()
    assert 'value="2026-11-23"' in html and 'value="lifelong_microlesson"' not in html
    status, answer = staff.call("submit_studio_edits", {"values": {"default_until": "2026-11-01"}, "defaults": []})
    assert status == 400 and "start date" in json.dumps(answer)


def test_the_platforms_celery_finds_the_task_in_the_apps_tasks_module():
    from celery import Celery  # noqa: PLC0415
    from django.apps import apps  # noqa: PLC0415

    app = Celery("lms_like")
    app.autodiscover_tasks(lambda: [config.name for config in apps.get_app_configs()], force=True)
    assert "lifelong_xblocks.reports.tasks.produce_report_task" in app.tasks
