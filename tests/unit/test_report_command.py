"""``lifelong_report``: the course report from the command line, its errors and its files."""
import csv
import io
import os

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from lifelong_xblocks.reports import writers
from tests import report_course as fixtures

report_course = fixtures.report_course


@pytest.fixture
def out(tmp_path):
    """A folder for the reports alone (the course's uploads are stored in tmp_path)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("lifelong_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_csv_report_and_its_summary_file(report_course, out):
    target = out / "week.csv"
    said, err = run("workbench", "--output", str(target), "--since", "2026-11-01", "--until", "2026-11-30")
    assert "10 rows of 2 participants" in said and err == ""
    learners = list(csv.reader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert len(learners) == 11 and learners[0][0] == "Username"
    summary = (out / "week-summary.csv").read_bytes()
    assert summary.startswith("\ufeff".encode()) and "Completion by region".encode() in summary
    assert sorted(os.listdir(out)) == ["week-summary.csv", "week.csv"], "no temporary file left"


def test_xlsx_report_with_block_types_anonymized(report_course, out):
    target = out / "week.xlsx"
    run("workbench", "--format", "xlsx", "--output", str(target), "--anonymize",
        "--block-type", "lifelong_bookshelf", "--block-type", "lifelong_nomination")
    book = openpyxl.load_workbook(target)
    learners = list(book["Learner activity"].iter_rows(values_only=True))
    assert learners[0][0] == "Anonymous ID" and len(learners) == 5
    assert {row[1] for row in learners[1:]} == {"lifelong_bookshelf", "lifelong_nomination"}
    assert os.listdir(out) == ["week.xlsx"]


def test_headers_in_chinese(report_course, out):
    target = out / "周报.csv"
    run("workbench", "--output", str(target), "--language", "zh-cn")
    header = target.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert "用户名" in header and "完成" in header


@pytest.mark.parametrize("args, message", [
    (["--block-type", "lifelong_quiz"], "Choose from: lifelong_"),
    (["--since", "2026-02-30"], "YYYY-MM-DD"),
    (["--since", "2026-11-21", "--until", "2026-11-20"], "start date is after the end date"),
    (["--format", "pdf"], "Choose csv or xlsx"),
])
def test_bad_input_is_a_clear_error_and_writes_nothing(db, out, args, message):
    target = out / "r.csv"
    with pytest.raises(CommandError, match=message) as refused:
        run("workbench", "--output", str(target), *args)
    if "lifelong_quiz" in args:
        assert "lifelong_microlesson" in str(refused.value) and "lifelong_dashboard" in str(refused.value)
    assert os.listdir(out) == []


def test_an_output_in_a_missing_folder_is_refused(db, out):
    with pytest.raises(CommandError, match="existing folder"):
        run("workbench", "--output", str(out / "no" / "r.csv"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_failure_half_way_leaves_no_partial_file_and_keeps_the_old_one(report_course, out, monkeypatch, fmt):
    target = out / f"r.{fmt}"
    target.write_bytes(b"last week's report")
    real = writers.write_report

    def failing(course_key, fmt, fileobj, **options):
        def rows_then_fail(done, total):
            fileobj.write(b"half a report")
            raise OSError("disk full")
        return real(course_key, fmt, fileobj, **{**options, "progress": rows_then_fail})

    monkeypatch.setattr(writers, "write_report", failing)
    with pytest.raises(CommandError, match="disk full"):
        run("workbench", "--format", fmt, "--output", str(target))
    assert target.read_bytes() == b"last week's report"
    assert os.listdir(out) == [target.name]


def test_progress_bar_only_on_a_terminal(report_course, out, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    run("workbench", "--output", str(out / "r.csv"))
    assert "[" + "#" * 30 + "] 10/10" in terminal.getvalue()
    quiet = io.StringIO()
    monkeypatch.setattr("sys.stderr", quiet)
    run("workbench", "--output", str(out / "r.csv"))
    assert quiet.getvalue() == ""
