"""The reading log in Chromium: check in, see the calendar, join the club wall and share, report,
moderate, leave the wall; hostile text in every authored and learner-written field; axe at 360 px."""
import json
import re
from xml.sax.saxutils import quoteattr

import pytest
from playwright.sync_api import expect
from pages import PAYLOAD, BlockPage, new_student, scenario_server

from workbench_server import STAFF_STUDENT

pytestmark = pytest.mark.browser

TAG = "lifelong_reading_log"
HOSTILE = (f"<lifelong_reading_log display_name={quoteattr('Log ' + PAYLOAD)} intro={quoteattr('Intro ' + PAYLOAD)}"
           f" reflection_prompt={quoteattr('Prompt ' + PAYLOAD)} goal_days='1'/>")


@pytest.fixture(scope="module")
def log_server():
    """A workbench whose one reading log carries the payload in every authored field."""
    with scenario_server({f"{TAG}_xss": HOSTILE}, prefix="lifelong-reading-log-") as running:
        yield running


def join_the_wall(block, log):
    with block.page.expect_response(lambda r: "/set_wall_sharing/" in r.url):
        log.locator("[data-ll-sharing=on]").click()
    log.locator("[data-ll-sharing=off]").wait_for()


def test_check_in_calendar_wall_report_and_moderation(log_server, open_page):
    writer, reader = new_student("writer"), new_student("reader")
    page = open_page()
    block = BlockPage(page, log_server, TAG)
    log = block.open(writer)
    assert "Log " + PAYLOAD in log.locator("h2").inner_text()
    assert "{{ 7*7 }}" in log.locator(".ll-intro").inner_text()

    # A check-in without minutes or pages is refused next to the field.
    log.get_by_label("Title of the book").fill("Book " + PAYLOAD)
    log.get_by_role("button", name="Check in").click()
    minutes = log.get_by_label("Minutes read")
    minutes_error = log.locator("[data-ll-error-for=minutes]")
    minutes_error.wait_for()
    expect(minutes_error).to_contain_text("minutes")
    expect(minutes).to_have_attribute("aria-invalid", "true")

    # Nothing is shared before the learner joins the wall; joining by keyboard offers the per-day choice.
    share = log.locator("[data-ll-share-choice]")
    assert not share.is_visible() and log.locator("[data-ll-share-join]").is_visible()
    log.locator("[data-ll-sharing=on]").focus()
    with page.expect_response(lambda r: "/set_wall_sharing/" in r.url):
        page.keyboard.press("Enter")
    log.locator("[data-ll-sharing-status]").filter(has_text="You joined the club wall").wait_for()
    expect(share).to_be_visible()
    expect(log.get_by_label("Show this reflection on the club wall", exact=False)).to_be_checked()
    expect(log.locator("[data-ll-sharing=off]")).to_be_focused()

    minutes.fill("35")
    log.get_by_label("Reflection (optional)").fill("Thoughts " + PAYLOAD)
    with page.expect_response(lambda r: "/check_in/" in r.url):
        log.get_by_role("button", name="Check in").click()
    log.locator("[data-ll-checkin-status]").filter(has_text="Checked in for today").wait_for()
    expect(minutes).not_to_have_attribute("aria-invalid", re.compile(".*"))     # (no such attribute)
    expect(log.locator("[data-ll-value=current_streak]")).to_have_text("1")
    expect(log.locator("[data-ll-goal-badge]")).to_be_visible()
    expect(log.locator(".ll-heatmap rect.ll-heat-4")).to_have_count(2)      # today, and the legend's darkest
    expect(log.locator("svg.ll-heatmap-chart[role=img]")).to_have_count(1)
    block.assert_inert("learner after check-in")

    # After a reload the same day is an edit of the check-in.
    log = block.open(writer)
    assert log.get_by_role("button", name="Save changes").is_visible()
    assert log.get_by_label("Reflection (optional)").input_value() == "Thoughts " + PAYLOAD

    # Another learner, who has not joined, sees it on the club wall, as text, and reports it.
    other = open_page(locale="zh-CN")
    other_block = BlockPage(other, log_server, TAG)
    wall = other_block.open(reader).locator(".ll-wall")
    assert "加入书友墙" in wall.inner_text()
    entry = wall.locator(".ll-wall-entry").filter(has_text=writer)
    assert ("Thoughts " + PAYLOAD) in entry.inner_text() and ("Book " + PAYLOAD) in entry.inner_text()
    with other.expect_response(lambda r: "/report_entry/" in r.url):
        entry.locator("[data-ll-report]").click()
    entry.locator(".ll-status").filter(has_text="谢谢").wait_for()
    other_block.assert_inert("wall")

    # Staff see the open report and hide the entry with a note.
    staff = open_page()
    staff_block = BlockPage(staff, log_server, TAG)
    log = staff_block.open(STAFF_STUDENT)
    item = log.locator("[data-moderate]").filter(has_text=writer)
    assert "1 open report" in item.inner_text() and ("Thoughts " + PAYLOAD) in item.inner_text()
    item.get_by_role("button", name="Hide").click()
    item.locator(".ll-status.ll-error").wait_for()                     # a note is needed
    item.get_by_label("Note (needed to hide)").fill("Note " + PAYLOAD)
    with staff.expect_response(lambda r: "/moderate/" in r.url):
        item.get_by_role("button", name="Hide").click()
    item.locator("[data-ll-state]").filter(has_text="Hidden").wait_for()
    expect(item.get_by_role("button", name="Show again")).to_be_visible()
    expect(item.get_by_role("button", name="Hide")).to_be_hidden()
    with staff.expect_response(lambda r: "/moderate/" in r.url):
        item.get_by_role("button", name="Show again").click()
    item.locator("[data-ll-state]").filter(has_text="Shown").wait_for()
    staff_block.assert_inert("staff view")

    # The writer leaves the wall: the reflection is gone for the reader at once.
    assert writer in other_block.open(reader).locator(".ll-wall").inner_text()
    log = block.open(writer)
    with page.expect_response(lambda r: "/set_wall_sharing/" in r.url):
        log.locator("[data-ll-sharing=off]").click()
    log.locator("[data-ll-sharing-status]").filter(has_text="removed from it").wait_for()
    expect(log.locator("[data-ll-share-choice]")).to_be_hidden()
    assert writer not in other_block.open(reader).locator(".ll-wall").inner_text()


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_no_overflow_at_360px_for_learner_and_staff(log_server, open_page, axe_source, locale):
    page = open_page(locale=locale, width=360, height=740)
    block = BlockPage(page, log_server, TAG)
    log = block.open(new_student("sharer"))
    join_the_wall(block, log)
    log.locator("input[name=book_title]").fill("书 " + PAYLOAD)
    log.locator("input[name=minutes]").fill("20")
    log.locator("textarea[name=reflection]").fill("想法 " + PAYLOAD)
    with page.expect_response(lambda r: "/check_in/" in r.url):
        log.locator("[data-ll-submit]").click()
    found = {}
    for who in (new_student("viewer"), STAFF_STUDENT):
        log = block.open(who)
        log.locator(".ll-heatmap-text summary").click()
        expect(log.locator(".ll-heatmap-legend")).to_be_visible()
        problems = block.layout_problems(axe_source, width=360)
        if problems["wide"] or problems["axe"]:
            found[who] = problems
        block.assert_inert(who)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
