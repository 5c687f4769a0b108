"""The staff dashboard in Chromium: learners see a note only; staff see four charts with accessible
names and tables, filter them (errors beside their fields), produce a CSV and an XLSX report and
download them; axe-core finds nothing at 360 px and on a desktop, in English and Chinese."""
import io
import json

import openpyxl
import pytest
from playwright.sync_api import expect

from pages import BlockPage, new_student, scenario_server
from workbench_server import STAFF_STUDENT

pytestmark = pytest.mark.browser

TAG = "lifelong_dashboard"
SCENARIO = """<lifelong_bookshelf display_name="读书会书架" min_recommendations="1" min_votes="1"/>
<lifelong_dashboard display_name="活动周数据看板"/>"""
PROFILES = (("enterprise_employee", "beijing"), ("older_adult", "shanghai"), ("veteran", "beijing"))
CHARTS = {"en": ("Learners active per day", "Learners who completed each activity", "Learners by audience group",
                 "Learners by region"),
          "zh-CN": ("每日参加学员", "各项活动的完成人数", "各类人群的学员", "各地区的学员")}


@pytest.fixture(scope="module")
def dash_server(browser):
    """A workbench with a bookshelf and the dashboard on one page, and learners who used the shelf."""
    with scenario_server({"lifelong_dashboard_browser": SCENARIO}, prefix="lifelong-dashboard-") as running:
        context = browser.new_context()
        page = context.new_page()
        for index, (group, region) in enumerate(PROFILES):
            BlockPage(page, running, TAG).open(new_student("reader"))
            shelf = BlockPage(page, running, "lifelong_bookshelf")
            assert shelf.call("save_profile", {"consented": True, "audience_group": group, "region": region})[0] == 200
            assert shelf.call("recommend", {"title": f"好书 {index}", "author": "作者"})[0] == 200
        context.close()
        yield running


def open_dashboard(page, server, who):
    block = BlockPage(page, server, TAG)
    return block, block.open(who)


def test_learners_see_only_the_note(dash_server, open_page, axe_source):
    page = open_page(locale="zh-CN", width=360, height=740)
    block, board = open_dashboard(page, dash_server, new_student("learner"))
    expect(board.locator("[data-ll-staff-only]")).to_contain_text("教职人员")
    expect(board.locator("svg, form, button")).to_have_count(0)
    assert block.axe(axe_source) == [] and block.too_wide(360) == []
    assert block.call("summary", {})[0] == 403
    assert page.js_errors == []


def test_staff_filter_the_charts_and_produce_csv_and_xlsx_reports(dash_server, open_page):
    page = open_page()
    block, board = open_dashboard(page, dash_server, STAFF_STUDENT)
    for name in CHARTS["en"]:
        expect(board.get_by_role("img", name=name)).to_have_count(1)
    expect(board.locator("[data-ll-chart=per_block] table tbody tr")).to_have_count(1)
    figures = board.locator(".ll-figures dd")
    expect(figures.first).to_have_text(str(len(PROFILES)))

    # a period that ends before it starts: the error is beside "To", which gets the focus
    board.get_by_label("From (optional)").fill("2026-12-02")
    board.get_by_label("To (optional)").fill("2026-12-01")
    board.get_by_role("button", name="Show").click()
    expect(board.locator("[data-ll-error-for=until]")).not_to_be_empty()
    expect(board.get_by_label("To (optional)")).to_be_focused()
    board.get_by_label("From (optional)").fill("")
    board.get_by_label("To (optional)").fill("")
    board.locator("input[name=block_types][value=lifelong_bookshelf]").check()
    with page.expect_response(lambda r: "/summary/" in r.url):
        board.get_by_role("button", name="Show").click()
    expect(board.locator("[data-ll-filter-status]")).to_have_text("The summary was updated.")
    expect(board.locator("[data-ll-error-for=until]")).to_be_empty()

    # a CSV report, produced in the workbench's process, then downloaded
    board.get_by_role("button", name="Produce CSV report").click()
    expect(board.locator("[data-ll-report-status]")).to_have_text("Your report is ready.")
    link = board.locator("tr[data-status=ready] [data-ll-download]").first
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".csv")
    body = open(download.value.path(), "rb").read()
    assert body.startswith("\ufeff".encode()) and "读书会书架".encode() in body
    with page.expect_download() as download:
        board.locator("tr[data-status=ready] [data-ll-download-summary]").first.click()
    assert download.value.suggested_filename.endswith("-summary.csv")

    # an anonymized XLSX report: usernames stay out of it
    board.get_by_label("Anonymize (anonymous ids instead of usernames)").check()
    board.get_by_role("button", name="Produce XLSX report").click()
    expect(board.locator("tr[data-status=ready]")).to_have_count(2)
    newest = board.locator("tr[data-report]").first
    expect(newest).to_contain_text("XLSX")
    with page.expect_download() as download:
        newest.locator("[data-ll-download]").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(open(download.value.path(), "rb").read()), read_only=True)
    cells = " ".join(str(cell) for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)
    assert "reader_" not in cells
    assert page.js_errors == []


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_axe_and_layout_for_staff(dash_server, open_page, axe_source, locale, width, height):
    page = open_page(locale=locale, width=width, height=height)
    block, board = open_dashboard(page, dash_server, STAFF_STUDENT)
    for name in CHARTS[locale]:
        expect(board.get_by_role("img", name=name)).to_have_count(1)
    board.locator(".ll-dashboard-table summary").first.click()     # a table shown (cards on a phone)
    problems = block.layout_problems(axe_source, width=width)
    assert not problems["wide"] and not problems["axe"], json.dumps(problems, indent=1, ensure_ascii=False)
    block.assert_inert(f"staff {locale} {width}")


def test_a_page_opened_again_shows_the_kept_count_and_show_counts_anew(dash_server, open_page):
    page = open_page(locale="zh-CN", width=360, height=740)
    _block, board = open_dashboard(page, dash_server, STAFF_STUDENT)
    with page.expect_response(lambda r: "/summary/" in r.url):
        board.get_by_role("button", name="显示").click()           # counted now
    counted = board.locator("[data-ll-counted]")
    expect(counted).to_contain_text("统计于")
    before = int(board.locator(".ll-figures dd").first.inner_text())

    BlockPage(page, dash_server, TAG).open(new_student("late-reader"))        # a new learner acts
    shelf = BlockPage(page, dash_server, "lifelong_bookshelf")
    assert shelf.call("recommend", {"title": "新来的书", "author": "作者"})[0] == 200

    _block, board = open_dashboard(page, dash_server, STAFF_STUDENT)
    expect(board.locator(".ll-figures dd").first).to_have_text(str(before))  # the kept count, and when it was made
    expect(board.locator("[data-ll-counted]")).to_contain_text("60 秒")
    with page.expect_response(lambda r: "/summary/" in r.url):
        board.get_by_role("button", name="显示").click()
    expect(board.locator(".ll-figures dd").first).to_have_text(str(before + 1))
    expect(board.locator("[data-ll-counted]")).to_contain_text("统计于")
