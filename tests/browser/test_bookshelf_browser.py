"""The bookshelf in Chromium: recommend (with a field error first), vote, report, staff moderation;
hostile text in every authored and learner-written field; paging, search and the merge picker by
keyboard; axe at 360 px in both languages, also in large-text mode."""
import json
from xml.sax.saxutils import quoteattr

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from pages import PAYLOAD, BlockPage, new_student, scenario_server
from workbench_server import STAFF_STUDENT

pytestmark = pytest.mark.browser

TAG = "lifelong_bookshelf"
HOSTILE = (f"<lifelong_bookshelf display_name={quoteattr('Shelf ' + PAYLOAD)} "
           f"instructions={quoteattr('Intro ' + PAYLOAD)} min_recommendations='1' min_votes='1'/>")
TAGS = "<svg onload=window.__xss=1>, {{ 7*7 }}, \"'></script>"      # tags are at most 30 characters
FOCUSED = "() => document.activeElement.closest('[data-block-type]') ? document.activeElement.outerHTML : 'outside'"


def expect_focus(page, fragment):
    """Wait until the focused element of the block has ``fragment`` in its HTML (the page moves the
    focus once its handler has answered and it has drawn the new list)."""
    try:
        page.wait_for_function(f"(fragment) => ({FOCUSED})().includes(fragment)", arg=fragment)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the focus is not on {fragment!r} but on {page.evaluate(FOCUSED)}") from error


@pytest.fixture(scope="module")
def shelf_server():
    with scenario_server({"lifelong_bookshelf_xss": HOSTILE}, prefix="lifelong-bookshelf-") as running:
        yield running


def open_shelf(page, server, who):
    block = BlockPage(page, server, TAG)
    block.open(who)
    return block, page.locator(".ll-bookshelf")


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
    writer, voter = new_student("writer"), new_student("voter")
    page = open_page()
    block, shelf = open_shelf(page, shelf_server, writer)
    assert "Shelf " + PAYLOAD in shelf.locator("h2").inner_text()
    assert "{{ 7*7 }}" in shelf.locator(".ll-instructions").inner_text()

    # A wrong check digit is refused next to the ISBN field, and the field is marked invalid.
    title = "Book " + PAYLOAD
    recommend(shelf, page, title, isbn="978-7-5366-9293-1")
    isbn = shelf.get_by_label("ISBN (optional)")
    shelf.locator("[data-ll-error=isbn]").filter(has_text="check digit").wait_for()
    expect(isbn).to_have_attribute("aria-invalid", "true")
    expect(shelf.locator(".ll-book")).to_have_count(0)

    isbn.fill("978-7-5366-9293-0")
    with page.expect_response(lambda r: "/list_books/" in r.url):
        shelf.locator("[data-ll-recommend] button[type=submit]").click()
    shelf.locator("[data-ll-recommend-status]").filter(has_text="on the shelf").wait_for()
    book = shelf.locator(".ll-book").first
    expect(book.locator(".ll-book-title")).to_have_text(title)
    expect(book).to_contain_text("Reason " + PAYLOAD)
    expect(book).to_contain_text("ISBN 978-7-5366-9293-0")
    expect(book.locator(".ll-book-tags")).to_contain_text("<svg onload=window.__xss=1>")
    expect(shelf.locator("[data-ll-completed]")).to_be_visible()
    expect(shelf.locator("[data-ll-progress=recommended]")).to_have_text("Recommended: 1 of 1")
    block.assert_inert("learner after recommending")

    # A hostile tag is a button that searches for itself; the search shows it as text.
    with page.expect_response(lambda r: "/list_books/" in r.url):
        book.locator("[data-ll-tag]").first.click()
    expect(shelf.locator(".ll-search-result")).to_contain_text("<svg onload=window.__xss=1>")
    expect(shelf.locator(".ll-book").filter(has_text=title)).to_have_count(1)
    block.assert_inert("learner after searching for a hostile tag")

    # Another learner (in Chinese) votes, the count and the progress line move, and reports the entry.
    other = open_page(locale="zh-CN")
    block, shelf = open_shelf(other, shelf_server, voter)
    book = shelf.locator(".ll-book").filter(has_text=title)
    vote = book.locator("[data-ll-vote]")
    with other.expect_response(lambda r: "/vote/" in r.url):
        vote.click()
    book.locator("[data-ll-votes]").filter(has_text="1").wait_for()
    expect(vote).to_have_attribute("aria-pressed", "true")
    expect(shelf.locator("[data-ll-completed]")).to_be_visible()
    expect(shelf.locator("[data-ll-progress=voted]")).to_have_text("已投票：1 / 1")
    book.locator(".ll-report summary").click()
    book.locator("input[name=reason]").fill("Spam " + PAYLOAD)
    with other.expect_response(lambda r: "/report_book/" in r.url):
        book.locator(".ll-report button[type=submit]").click()
    shelf.locator("[data-ll-shelf-status]").filter(has_text="谢谢").wait_for()
    block.assert_inert("voter")

    # Staff see the report, every text as text, make it an editor's pick and read its history.
    staff = open_page()
    block, shelf = open_shelf(staff, shelf_server, STAFF_STUDENT)
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
    expect(book.locator("[data-ll-history-list]")).to_contain_text(STAFF_STUDENT)
    block.assert_inert("staff view")


def test_paging_search_and_merge_by_keyboard(shelf_server, open_page):
    """20 per page; the focus follows the keyboard user into the new page; staff merge two
    entries found by search, choosing them with buttons instead of typing numbers."""
    page = open_page(width=360, height=740)
    block, shelf = open_shelf(page, shelf_server, STAFF_STUDENT)
    for number in range(23):
        status, _answer = block.call("recommend", {"title": f"Paged {number:02d}", "author": "Pager"})
        assert status == 200
    block, shelf = open_shelf(page, shelf_server, new_student("pager"))
    shelf.locator("[data-ll-sort=newest]").focus()
    with page.expect_response(lambda r: "/list_books/" in r.url):
        page.keyboard.press("Enter")
    expect_focus(page, 'data-ll-sort="newest"')
    expect(shelf.locator(".ll-book")).to_have_count(20)
    shelf.locator("[data-ll-page]").last.focus()
    with page.expect_response(lambda r: "/list_books/" in r.url):
        page.keyboard.press("Enter")
    shelf.locator("[data-ll-shelf-status]").filter(has_text="Page 2 of").wait_for()
    expect_focus(page, "ll-book-title")       # the first title of the new page
    page.keyboard.press("Tab")
    expect_focus(page, "data-ll-vote")
    assert block.too_wide(360) == []

    staff = open_page()
    page.close()
    block, shelf = open_shelf(staff, shelf_server, STAFF_STUDENT)
    search = shelf.locator("[data-ll-search] input")
    search.fill("Paged 0")
    with staff.expect_response(lambda r: "/list_books/" in r.url):
        search.press("Enter")
    expect(shelf.locator(".ll-book")).to_have_count(10)
    shelf.locator(".ll-book").filter(has_text="Paged 01").locator("[data-ll-merge-pick]").click()
    shelf.locator(".ll-book").filter(has_text="Paged 02").locator("[data-ll-merge-pick]").click()
    expect(shelf.locator("[data-ll-merge-title=duplicate]")).to_contain_text("Paged 02")
    expect_focus(staff, 'type="submit"')
    staff.once("dialog", lambda dialog: dialog.accept() if "“Paged 02” into “Paged 01”" in dialog.message
               else dialog.dismiss())
    with staff.expect_response(lambda r: "/merge_books/" in r.url):
        staff.keyboard.press("Enter")
    shelf.locator("[data-ll-merge-status]").filter(has_text="Done").wait_for()
    shelf.locator(".ll-search-result").filter(has_text="9 books").wait_for()
    block.assert_inert("staff after merging")


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_no_overflow_at_360px_for_learner_and_staff(shelf_server, open_page, axe_source, locale):
    page = open_page(locale=locale, width=360, height=740)
    _block, shelf = open_shelf(page, shelf_server, new_student("writer"))
    recommend(shelf, page, "书 " + PAYLOAD + " 一个非常非常长的书名" * 3)
    found = {}
    for who in (new_student("viewer"), STAFF_STUDENT):
        block, _shelf = open_shelf(page, shelf_server, who)
        problems = block.layout_problems(axe_source, width=360)
        if problems["wide"] or problems["axe"]:
            found[who] = problems
        block.assert_inert(who)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
