"""The bookshelf in Chromium: recommend (with a field error first), vote, report, staff moderation;
hostile text in every authored and learner-written field; axe at 360 px in both languages."""
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
HOSTILE = (f"<lifelong_bookshelf display_name={quoteattr('Shelf ' + PAYLOAD)} "
           f"instructions={quoteattr('Intro ' + PAYLOAD)} min_recommendations='1' min_votes='1'/>")
TAGS = "<svg onload=window.__xss=1>, {{ 7*7 }}, \"'></script>"      # tags are at most 30 characters
BLOCK = "[data-block-type=lifelong_bookshelf]"
BLOCK_READY = """() => {
  const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined;
}"""


@pytest.fixture(scope="module")
def shelf_server():
    with tempfile.TemporaryDirectory(prefix="lifelong-bookshelf-") as folder:
        Path(folder, "lifelong_bookshelf_xss.xml").write_text(
            f"<!-- Bookshelf with hostile authored text -->\n<vertical_demo>\n{HOSTILE}\n</vertical_demo>\n",
            encoding="utf-8")
        with WorkbenchServer(folder) as running:
            yield running


def student(prefix="reader"):
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def open_shelf(page, server, who):
    url = server.url("/view/lifelong_bookshelf.0/", student=who)
    page.goto(url)
    try:
        page.wait_for_function(BLOCK_READY, timeout=10000)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the block's JavaScript did not start on {url}: {page.js_errors}") from error
    return page.locator(".ll-bookshelf")


def assert_clean(page, label):
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{label}: a payload ran"
    assert page.evaluate("() => document.querySelectorAll('.ll-bookshelf script, .ll-bookshelf img').length") == 0
    assert page.js_errors == [], label


def recommend(shelf, page, title, isbn=""):
    form = shelf.locator("[data-ll-recommend]")
    form.locator("input[name=title]").fill(title)
    form.locator("input[name=author]").fill("Author " + PAYLOAD)
    form.locator("input[name=isbn]").fill(isbn)
    form.locator("input[name=publisher]").fill("Press " + PAYLOAD)
    form.locator("textarea[name=reason]").fill("Reason " + PAYLOAD)
    form.locator("input[name=tags]").fill(TAGS)
    with page.expect_response(lambda r: "/recommend/" in r.url):
        form.locator("button[type=submit]").click()


def test_recommend_vote_report_and_moderate(shelf_server, open_page):
    writer, voter = student("writer"), student("voter")
    page = open_page()
    shelf = open_shelf(page, shelf_server, writer)
    assert "Shelf " + PAYLOAD in shelf.locator("h2").inner_text()
    assert "{{ 7*7 }}" in shelf.locator(".ll-instructions").inner_text()

    # A wrong check digit is refused next to the ISBN field, and the field is marked invalid.
    title = "Book " + PAYLOAD
    recommend(shelf, page, title, isbn="978-7-5366-9293-1")
    isbn = shelf.get_by_label("ISBN (optional)")
    shelf.locator("[data-ll-error=isbn]").filter(has_text="check digit").wait_for()
    assert isbn.get_attribute("aria-invalid") == "true"
    assert shelf.locator(".ll-book").count() == 0

    isbn.fill("978-7-5366-9293-0")
    with page.expect_response(lambda r: "/list_books/" in r.url):
        shelf.locator("[data-ll-recommend] button[type=submit]").click()
    shelf.locator("[data-ll-recommend-status]").filter(has_text="on the shelf").wait_for()
    book = shelf.locator(".ll-book").first
    assert book.locator(".ll-book-title").inner_text() == title
    assert ("Reason " + PAYLOAD) in book.inner_text() and "ISBN 978-7-5366-9293-0" in book.inner_text()
    assert "<svg onload=window.__xss=1>" in book.locator(".ll-book-tags").inner_text()
    assert shelf.locator("[data-ll-completed]").is_visible()
    assert_clean(page, "learner after recommending")

    # Another learner (in Chinese) votes, the count moves, and reports the entry.
    other = open_page(locale="zh-CN")
    shelf = open_shelf(other, shelf_server, voter)
    book = shelf.locator(".ll-book").filter(has_text=title)
    vote = book.locator("[data-ll-vote]")
    with other.expect_response(lambda r: "/vote/" in r.url):
        vote.click()
    book.locator("[data-ll-votes]").filter(has_text="1").wait_for()
    assert vote.get_attribute("aria-pressed") == "true"
    assert shelf.locator("[data-ll-completed]").is_visible()
    book.locator(".ll-report summary").click()
    book.locator("input[name=reason]").fill("Spam " + PAYLOAD)
    with other.expect_response(lambda r: "/report_book/" in r.url):
        book.locator(".ll-report button[type=submit]").click()
    shelf.locator("[data-ll-shelf-status]").filter(has_text="谢谢").wait_for()
    assert_clean(other, "voter")

    # Staff see the report, every text as text, make it an editor's pick and read its history.
    staff = open_page()
    shelf = open_shelf(staff, shelf_server, STAFF_STUDENT)
    reported = shelf.locator(".ll-staff .ll-moderation li").filter(has_text=title)
    assert "1 open report" in reported.inner_text()
    book = shelf.locator(".ll-book").filter(has_text=title)
    assert writer in book.inner_text()                      # staff see who wrote the reason
    with staff.expect_response(lambda r: "/list_books/" in r.url):
        book.locator("[data-ll-moderate=feature]").click()
    book = shelf.locator(".ll-book").filter(has_text=title)
    book.locator(".ll-pick").wait_for()
    book.locator("[data-ll-history]").click()
    book.locator("[data-ll-history-list] li").filter(has_text="made an editor's pick").wait_for()
    assert STAFF_STUDENT in book.locator("[data-ll-history-list]").inner_text()
    assert_clean(staff, "staff view")


def axe_violations(page, axe_source):
    page.add_script_tag(path=axe_source)
    return page.evaluate("""async (selector) => {
        const result = await axe.run({include: [[selector]]}, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""", BLOCK)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_no_overflow_at_360px_for_learner_and_staff(shelf_server, open_page, axe_source, locale):
    page = open_page(locale=locale, width=360, height=740)
    shelf = open_shelf(page, shelf_server, student("writer"))
    recommend(shelf, page, "书 " + PAYLOAD + " 一个非常非常长的书名" * 3)
    found, wide = {}, {}
    for who in (student("viewer"), STAFF_STUDENT):
        shelf = open_shelf(page, shelf_server, who)
        for large in (False, True):
            if large:
                with page.expect_response(lambda r: "/save_comfort/" in r.url):
                    shelf.locator("[data-ll-toggle=large_text]").click()
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > 360:
                wide[f"{who} large={large}"] = page.evaluate("""() => Array.from(document.querySelectorAll('.lifelong *'))
                    .filter(n => n.getBoundingClientRect().right > 361).slice(0, 5)
                    .map(n => n.tagName + '.' + (n.className.baseVal ?? n.className))""")
        violations = axe_violations(page, axe_source)
        if violations:
            found[who] = violations
        shelf.locator("[data-ll-toggle=large_text]").click()
        assert_clean(page, who)
    assert not wide, wide
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
