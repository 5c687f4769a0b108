"""The course report from a course filled through every block's handlers: summary arithmetic, the
since/until/block-type filters, anonymisation, formula injection in CSV and XLSX, the XLSX read back."""
import csv
import datetime
import io
import random

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks import identity
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity
from lifelong_xblocks.models.participants import ParticipantProfile
from lifelong_xblocks.reports import rows as report_rows
from lifelong_xblocks.reports.summary import course_summary
from lifelong_xblocks.reports.writers import write_report
from tests import report_course as fixtures

report_course = fixtures.report_course
COURSE = "workbench"   # the workbench's blocks have no course key of their own
BOM = "\ufeff".encode()


def csv_rows(data):
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM):].decode("utf-8"))))


def export(fmt="csv", **options):
    out, summary_out = io.BytesIO(), io.BytesIO()
    write_report(COURSE, fmt, out, summary_fileobj=summary_out, **options)
    return out.getvalue(), summary_out.getvalue()


# ---- summary arithmetic -------------------------------------------------------------------------
def test_summary_of_the_course(report_course):
    summary = course_summary(COURSE)
    # ann: 6 blocks, all completed; -bob: 4 blocks, the bookshelf completed; staff left out
    assert (summary["participants"], summary["learner_blocks"], summary["completions"], summary["completers"]) == \
        (2, 10, 7, 2)
    assert summary["completion_rate"] == 0.7
    per_block = {entry["block_type"]: (entry["participants"], entry["completed"], entry["completion_rate"])
                 for entry in summary["blocks"]}
    assert per_block == {"lifelong_bookshelf": (2, 2, 1.0), "lifelong_live_session": (2, 1, 0.5),
                         "lifelong_microlesson": (2, 1, 0.5), "lifelong_nomination": (2, 1, 0.5),
                         "lifelong_reading_log": (1, 1, 1.0), "lifelong_recitation": (1, 1, 1.0)}
    assert [entry["title"] for entry in summary["blocks"]][:1] == ["读书会书架"]
    groups = [(e["code"], e["label"], e["participants"], e["completers"], e["learner_blocks"], e["completed"],
               e["completion_rate"]) for e in summary["audience_groups"]]
    assert groups == [("older_adult", "Older adult", 1, 1, 6, 6, 1.0), ("", "Not given", 1, 1, 4, 1, 0.25)]
    assert [(e["code"], e["participants"], e["completed"]) for e in summary["regions"]] == \
        [("zhejiang", 1, 6), ("", 1, 1)]
    assert summary["days"] == [{"day": "2026-11-20", "participants": 2}, {"day": "2026-11-21", "participants": 2}]


def test_a_profile_given_without_consent_is_never_used(report_course):
    ParticipantProfile.objects.filter(user__username="-bob").update(audience_group="veteran", region="beijing")
    summary = course_summary(COURSE)
    assert {e["code"] for e in summary["audience_groups"]} == {"older_adult", ""}
    learners = csv_rows(export()[0])
    assert not {"Veteran", "Beijing", "北京"} & {cell for row in learners for cell in row}


def test_learner_rows_never_carry_the_profile_even_with_consent(report_course):
    """The profile is promised to be counted only in totals: no row of a learner holds it."""
    for anonymize in (False, True):
        learners = csv_rows(export(anonymize=anonymize)[0])
        assert "Audience group" not in learners[0] and "Region" not in learners[0]
        assert not {"Older adult", "Zhejiang", "older_adult", "zhejiang"} & {c for row in learners for c in row}


def test_summary_arithmetic_matches_the_rows_for_random_ledgers(db):
    users = get_user_model().objects.bulk_create([get_user_model()(username=f"u{n}") for n in range(40)])
    chance = random.Random(5)
    for user in users[:30]:
        ParticipantProfile.objects.create(user=user, consented=chance.random() < 0.7, answered_at=datetime.datetime(
            2026, 11, 1, tzinfo=datetime.timezone.utc), audience_group=chance.choice(["veteran", "older_adult"]),
            region=chance.choice(["beijing", "hebei"]))
    moment = datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc)
    rows = []
    for user in users:
        for block in chance.sample(range(8), chance.randint(0, 8)):
            rows.append(LearnerBlockActivity(course_key=COURSE, usage_key=f"b{block}", user=user,
                                             block_type="lifelong_microlesson", first_activity=moment,
                                             last_activity=moment, completion=chance.choice([0.0, 0.5, 1.0]),
                                             by_staff=chance.random() < 0.1))
    LearnerBlockActivity.objects.bulk_create(rows)
    LearnerBlockActivity.objects.create(course_key="other", usage_key="x", user=users[0], block_type="lifelong_microlesson",
                                        first_activity=moment, last_activity=moment, completion=1.0)
    counted = [row for row in rows if not row.by_staff]
    summary = course_summary(COURSE)
    assert summary["learner_blocks"] == len(counted)
    assert summary["completions"] == sum(row.completion >= 1.0 for row in counted)
    assert summary["participants"] == len({row.user_id for row in counted})
    assert summary["completers"] == len({row.user_id for row in counted if row.completion >= 1.0})
    assert sum(e["learner_blocks"] for e in summary["audience_groups"]) == len(counted)
    assert sum(e["participants"] for e in summary["regions"]) == summary["participants"]
    assert sum(e["completed"] for e in summary["blocks"]) == summary["completions"]
    profiles = {p.user_id: p for p in ParticipantProfile.objects.all()}
    for entry in summary["audience_groups"]:
        mine = [row for row in counted if (profiles[row.user_id].audience_group if row.user_id in profiles
                                           and profiles[row.user_id].consented else "") == entry["code"]]
        assert entry["learner_blocks"] == len(mine)
        assert entry["completed"] == sum(row.completion >= 1.0 for row in mine)
    assert len(csv_rows(export()[0])) == len(counted) + 1


# ---- filters ----------------------------------------------------------------------------------
def test_since_until_and_block_types(report_course):
    later = course_summary(COURSE, since="2026-11-21")
    assert (later["learner_blocks"], later["completions"]) == (6, 5)
    assert later["days"] == [{"day": "2026-11-21", "participants": 2}]
    earlier = course_summary(COURSE, until=datetime.date(2026, 11, 20))
    assert {e["block_type"] for e in earlier["blocks"]} == {"lifelong_microlesson", "lifelong_live_session"}
    assert earlier["days"] == [{"day": "2026-11-20", "participants": 2}]
    shelf = course_summary(COURSE, block_types=["lifelong_bookshelf"])
    assert (shelf["learner_blocks"], shelf["completions"], shelf["block_types"]) == (2, 2, ["lifelong_bookshelf"])
    assert shelf["days"] == [{"day": "2026-11-21", "participants": 2}]
    learners = csv_rows(export(since="2026-11-21", block_types=["lifelong_nomination", "lifelong_bookshelf"])[0])
    assert sorted(row[1] for row in learners[1:]) == ["lifelong_bookshelf"] * 2 + ["lifelong_nomination"] * 2
    assert course_summary(COURSE, since="2026-11-22")["learner_blocks"] == 0


@pytest.mark.parametrize("options, field", [
    ({"since": "2026-13-01"}, "since"), ({"until": "yesterday"}, "until"),
    ({"since": "2026-11-21", "until": "2026-11-20"}, "since"), ({"block_types": ["lifelong_nope"]}, "block_types")])
def test_bad_options_are_refused_with_a_clear_error(db, options, field):
    with pytest.raises(InvalidInput) as refused:
        course_summary(COURSE, **options)
    assert refused.value.field == field
    out = io.BytesIO()
    with pytest.raises(InvalidInput):
        write_report(COURSE, "csv", out, **options)
    assert out.getvalue() == b"", "nothing written"
    if field == "block_types":
        assert "lifelong_microlesson" in refused.value.message and "lifelong_nope" in refused.value.message


def test_unknown_format_is_refused(db):
    with pytest.raises(InvalidInput):
        write_report(COURSE, "pdf", io.BytesIO())


# ---- anonymisation ------------------------------------------------------------------------------
def test_anonymized_report_has_stable_ids_and_no_usernames(report_course):
    data, summary = export(anonymize=True)
    again, _summary = export(anonymize=True)
    assert data == again
    learners = csv_rows(data)
    assert learners[0][0] == "Anonymous ID"
    ids = {row[0] for row in learners[1:]}
    users = dict(get_user_model().objects.values_list("username", "pk"))
    anonymise = identity.anonymous_id_function(COURSE)
    assert ids == {anonymise(users["ann"]), anonymise(users["-bob"])} and len(ids) == 2
    assert all(len(value) == 32 for value in ids)
    for name in ("ann", "-bob", "staff"):
        assert name.encode() not in data and name.encode() not in summary
    assert identity.anonymous_id_function("course-v1:Other+X+1")(users["ann"]) != anonymise(users["ann"])
    xlsx = openpyxl.load_workbook(io.BytesIO(export("xlsx", anonymize=True)[0]), read_only=True)
    cells = {str(cell) for row in xlsx["Learner activity"].iter_rows(values_only=True) for cell in row}
    assert not {"ann", "-bob", "'-bob"} & cells and ids <= cells


# ---- CSV and XLSX -----------------------------------------------------------------------------------
def test_csv_is_utf8_with_bom_and_neutralised(report_course):
    data, summary = export()
    learners = csv_rows(data)
    assert learners[0] == [label for label in report_rows.header()]
    assert len(learners) == 11
    names = {row[0] for row in learners[1:]}
    assert names == {"ann", "'-bob"}, "a username starting with - is not a formula"
    titles = {row[2] for row in learners[1:]}
    assert "'=Lesson" in titles and "读书会书架" in titles
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in learners for cell in row)
    sections = csv_rows(summary)
    assert ["Completions per block"] in sections and ["Participation per day"] in sections
    assert ["2026-11-20", "2"] in sections
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in sections for cell in row)
    assert any(row[:1] == ["'=Lesson"] for row in sections)


def test_xlsx_has_summary_and_learner_sheets_native_charts_and_no_formulas(report_course):
    data, _summary = export("xlsx")
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Course summary", "Learner activity"]
    learners = list(book["Learner activity"].iter_rows(values_only=True))
    assert list(learners[0]) == report_rows.header() and len(learners) == 11
    assert {row[0] for row in learners[1:]} == {"ann", "'-bob"}
    assert "'=Lesson" in {row[2] for row in learners[1:]}
    ann_lesson = next(row for row in learners if row[0] == "ann" and row[1] == "lifelong_microlesson")
    assert ann_lesson[6:10] == (1, "2026-11-20T02:01:40+00:00", 2, 2)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    charts = book["Course summary"]._charts    # noqa: SLF001 (openpyxl keeps the charts it read there)
    assert len(charts) == 4
    summary_cells = [row for row in book["Course summary"].iter_rows(values_only=True)]
    assert ("Participants", 2, None, None, None, None) in summary_cells
    assert any(row[0] == "'=Lesson" for row in summary_cells)


def test_an_empty_course_gives_headers_and_an_empty_summary(db):
    data, summary = export()
    assert csv_rows(data) == [report_rows.header()]
    assert course_summary("nothing-here")["days"] == []
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx")[0]))
    assert book.sheetnames == ["Course summary", "Learner activity"] and book["Learner activity"].max_row == 1


def test_progress_is_reported_per_chunk(report_course):
    seen = []
    write_report(COURSE, "csv", io.BytesIO(), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 10), (10, 10)]


def test_days_are_counted_once_per_learner(report_course):
    assert LearnerActivityDay.objects.filter(user__username="ann").count() == 6
    assert not LearnerActivityDay.objects.filter(user__username="staff").exists()


def test_learner_rows_past_a_sheets_limit_continue_on_the_next_sheet(report_course, monkeypatch):
    from lifelong_xblocks.reports import writers  # noqa: PLC0415

    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 4)      # a header and 3 rows a sheet
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx")[0]))
    assert book.sheetnames == ["Course summary", "Learner activity", "Learner activity (2)",
                               "Learner activity (3)", "Learner activity (4)"]
    rows = [row for sheet in book.worksheets[1:] for row in list(sheet.iter_rows(values_only=True))[1:]]
    assert len(rows) == 10 and all(sheet.max_row <= 4 for sheet in book.worksheets[1:])
