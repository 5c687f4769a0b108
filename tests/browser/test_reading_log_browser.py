"""The reading log in Chromium: check in, see the calendar, share on the club wall, report,
moderate; hostile text in every authored and learner-written field; axe at 360 px."""
import json
import tempfile
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from workbench_server import STAFF_STUDENT, WorkbenchServer

pytestmark = pytest.mark.browser

PAYLOAD = ("<img src=x onerror=window.__xss=1>\"'><svg onload=window.__xss=1></script>"
           "<script>window.__xss=1</script>{{ 7*7 }}")
HOSTILE = (f"<lifelong_reading_log display_name={quoteattr('Log ' + PAYLOAD)} intro={quoteattr('Intro ' + PAYLOAD)}"
           f" reflection_prompt={quoteattr('Prompt ' + PAYLOAD)} goal_days='1'/>")
BLOCK = "[data-block-type=lifelong_reading_log]"
BLOCK_READY = """() => {
  const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined;
}"""


@pytest.fixture(scope="module")
def log_server():
    """A workbench whose one reading log carries the payload in every authored field."""
    with tempfile.TemporaryDirectory(prefix="lifelong-reading-log-") as folder:
        Path(folder, "lifelong_reading_log_xss.xml").write_text(
            f"<!-- Reading log with hostile authored text -->\n<vertical_demo>\n{HOSTILE}\n</vertical_demo>\n",
            encoding="utf-8")
        with WorkbenchServer(folder) as running:
            yield running


def student(prefix="reader"):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def open_log(page, server, who):
    url = server.url("/view/lifelong_reading_log.0/", student=who)
    page.goto(url)
    try:
        page.wait_for_function(BLOCK_READY, timeout=10000)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the block's JavaScript did not start on {url}: {page.js_errors}") from error
    return page.locator(".ll-reading-log")


def assert_clean(page, label):
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{label}: a payload ran"
    assert page.evaluate("() => document.querySelectorAll('.ll-reading-log script, .ll-reading-log img').length") == 0
    assert page.js_errors == [], label


def test_check_in_calendar_wall_report_and_moderation(log_server, open_page):
    writer, reader = student("writer"), student("reader")
    page = open_page()
    log = open_log(page, log_server, writer)
    assert "Log " + PAYLOAD in log.locator("h2").inner_text()
    assert "{{ 7*7 }}" in log.locator(".ll-intro").inner_text()

    # A check-in without minutes or pages is refused next to the field.
    log.get_by_label("Title of the book").fill("Book " + PAYLOAD)
    log.get_by_role("button", name="Check in").click()
    minutes = log.get_by_label("Minutes read")
    minutes_error = log.locator("[data-ll-error-for=minutes]")
    minutes_error.wait_for()
    assert "minutes" in minutes_error.inner_text() and minutes.get_attribute("aria-invalid") == "true"

    minutes.fill("35")
    log.get_by_label("Reflection (optional)").fill("Thoughts " + PAYLOAD)
    log.get_by_label("Share my reflection on the club wall", exact=False).check()
    with page.expect_response(lambda r: "/check_in/" in r.url):
        log.get_by_role("button", name="Check in").click()
    log.locator("[data-ll-checkin-status]").filter(has_text="Checked in for today").wait_for()
    assert minutes.get_attribute("aria-invalid") is None
    assert log.locator("[data-ll-value=current_streak]").inner_text() == "1"
    assert log.locator("[data-ll-goal-badge]").is_visible()
    assert log.locator(".ll-heatmap rect.ll-heat-4").count() == 1      # today, shaded on the calendar
    assert log.locator("svg.ll-heatmap-chart[role=img]").count() == 1
    assert_clean(page, "learner after check-in")

    # After a reload the same day is an edit of the check-in.
    log = open_log(page, log_server, writer)
    assert log.get_by_role("button", name="Save changes").is_visible()
    assert log.get_by_label("Reflection (optional)").input_value() == "Thoughts " + PAYLOAD

    # Another learner sees it on the club wall, as text, and reports it.
    other = open_page(locale="zh-CN")
    wall = open_log(other, log_server, reader).locator(".ll-wall")
    entry = wall.locator(".ll-wall-entry").filter(has_text=writer)
    assert ("Thoughts " + PAYLOAD) in entry.inner_text() and ("Book " + PAYLOAD) in entry.inner_text()
    with other.expect_response(lambda r: "/report_entry/" in r.url):
        entry.locator("[data-ll-report]").click()
    entry.locator(".ll-status").filter(has_text="谢谢").wait_for()
    assert_clean(other, "wall")

    # Staff see the open report and hide the entry with a note.
    staff = open_page()
    log = open_log(staff, log_server, STAFF_STUDENT)
    item = log.locator("[data-moderate]").filter(has_text=writer)
    assert "1 open report" in item.inner_text() and ("Thoughts " + PAYLOAD) in item.inner_text()
    item.get_by_role("button", name="Hide").click()
    item.locator(".ll-status.ll-error").wait_for()                     # a note is needed
    item.get_by_label("Note (needed to hide)").fill("Note " + PAYLOAD)
    with staff.expect_response(lambda r: "/moderate/" in r.url):
        item.get_by_role("button", name="Hide").click()
    item.locator("[data-ll-state]").filter(has_text="Hidden").wait_for()
    assert item.get_by_role("button", name="Show again").is_visible()
    assert not item.get_by_role("button", name="Hide").is_visible()
    assert_clean(staff, "staff view")

    wall = open_log(other, log_server, reader).locator(".ll-wall")
    assert writer not in wall.inner_text()


def axe_violations(page, axe_source):
    page.add_script_tag(path=axe_source)
    return page.evaluate("""async (selector) => {
        const result = await axe.run({include: [[selector]]}, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""", BLOCK)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_no_overflow_at_360px_for_learner_and_staff(log_server, open_page, axe_source, locale):
    writer = student("sharer")
    page = open_page(locale=locale, width=360, height=740)
    log = open_log(page, log_server, writer)
    log.locator("input[name=book_title]").fill("书 " + PAYLOAD)
    log.locator("input[name=minutes]").fill("20")
    log.locator("textarea[name=reflection]").fill("想法 " + PAYLOAD)
    log.locator("input[name=shared]").check()
    with page.expect_response(lambda r: "/check_in/" in r.url):
        log.locator("[data-ll-submit]").click()
    found, wide = {}, {}
    for who in (student("viewer"), STAFF_STUDENT):
        log = open_log(page, log_server, who)
        log.locator(".ll-heatmap-text summary").click()
        for large in (False, True):
            if large:
                with page.expect_response(lambda r: "/save_comfort/" in r.url):
                    log.locator("[data-ll-toggle=large_text]").click()
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > 360:
                wide[f"{who} large={large}"] = page.evaluate("""() => Array.from(document.querySelectorAll('.lifelong *'))
                    .filter(n => n.getBoundingClientRect().right > 361).slice(0, 5)
                    .map(n => n.tagName + '.' + (n.className.baseVal ?? n.className))""")
        violations = axe_violations(page, axe_source)
        if violations:
            found[who] = violations
        log.locator("[data-ll-toggle=large_text]").click()
        assert_clean(page, who)
    assert not wide, wide
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
