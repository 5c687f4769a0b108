"""A nomination campaign in Chromium: fill, upload, submit, review, recognise, showcase; hostile text
in every authored and nominator-written field rendered in the nominator, staff and showcase views;
axe at 360 px for the nominator and the reviewer, in English and Chinese."""
import io
import json
import tempfile
import uuid
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from workbench_server import STAFF_STUDENT, WorkbenchServer

pytestmark = pytest.mark.browser

PAYLOAD = ("<img src=x onerror=window.__xss=1>\"'><svg onload=window.__xss=1></script>"
           "<script>window.__xss=1</script>{{ 7*7 }}")
SHORT = "<img src=x onerror=window.__xss=1>{{7*7}}"          # fits 50-character fields
ORGS = json.dumps([["zj", "Zhejiang " + PAYLOAD], ["sc", "四川 " + PAYLOAD]])
RUBRIC = json.dumps([{"key": "story", "label": "Story " + PAYLOAD, "weight": 1}])
HOSTILE = (f"<lifelong_nomination display_name={quoteattr('Stars ' + PAYLOAD)} intro={quoteattr('Intro ' + PAYLOAD)} "
           f"nomination_category='learning_star' closes_at='2099-12-31 18:00' quota_min='1' quota_max='10' "
           f"organisations={quoteattr(ORGS)} rubric={quoteattr(RUBRIC)}/>")
BLOCK = "[data-block-type=lifelong_nomination]"
BLOCK_READY = """() => {
  const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined;
}"""
STORY = "Story " + PAYLOAD + " 她在社区学校学会了用手机，又教会了邻居们。" * 4


@pytest.fixture(scope="module")
def campaign_server():
    with tempfile.TemporaryDirectory(prefix="lifelong-nomination-") as folder:
        Path(folder, "lifelong_nomination_xss.xml").write_text(
            f"<!-- Nominations with hostile authored text -->\n<vertical_demo>\n{HOSTILE}\n</vertical_demo>\n",
            encoding="utf-8")
        with WorkbenchServer(folder) as running:
            yield running


def open_block(page, server, who):
    url = server.url("/view/lifelong_nomination.0/", student=who)
    page.goto(url)
    try:
        page.wait_for_function(BLOCK_READY, timeout=10000)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the block's JavaScript did not start on {url}: {page.js_errors}") from error
    return page.locator(".ll-nomination")


def assert_clean(page, label):
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{label}: a payload ran"
    assert page.evaluate("() => document.querySelectorAll('.ll-nomination script').length") == 0, label
    assert page.js_errors == [], label


def png_bytes():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def nominate(page, block, name):
    with page.expect_response(lambda r: "/start_nomination/" in r.url):
        block.locator("[data-ll-start] button[type=submit]").click()
    card = block.locator("[data-nomination]").last
    card.locator("input[name=name]").fill(name)
    card.locator("select[name=age_band]").select_option("60_69")
    card.locator("select[name=region]").select_option("zhejiang")
    card.locator("input[name=occupation]").fill("Occupation " + SHORT)
    card.locator("input[name=phone]").fill("13800138000")
    card.locator("textarea[name=story]").fill(STORY)
    card.locator("textarea[name=achievements]").fill("Achievements " + PAYLOAD)
    card.locator("input[name=consent_publication]").check()
    card.locator("input[name=consent_portrait]").check()
    with page.expect_response(lambda r: "/upload_material/" in r.url):
        card.locator("[data-ll-upload=image]").set_input_files(
            {"name": "portrait " + SHORT + ".png", "mimeType": "image/png", "buffer": png_bytes()})
    return block.locator("[data-nomination]").last


def test_fill_upload_submit_review_recognise_showcase(campaign_server, open_page):
    nominator = f"nominator_{uuid.uuid4().hex[:8]}"
    page = open_page()
    block = open_block(page, campaign_server, nominator)
    assert "Stars " + PAYLOAD in block.locator("h2").inner_text()

    # A first submit with a wrong phone is refused next to the field.
    card = nominate(page, block, SHORT)
    assert card.locator(".ll-material-list a").count() == 1
    card.locator("input[name=phone]").fill("12345")
    with page.expect_response(lambda r: "/submit_nomination/" in r.url):
        card.locator("[data-ll-submit]").click()
    phone = card.locator("input[name=phone]")
    card.locator("[data-error-for=phone]").filter(has_text="mobile").wait_for()
    assert phone.get_attribute("aria-invalid") == "true"
    phone.fill("138 0013 8000")
    with page.expect_response(lambda r: "/submit_nomination/" in r.url):
        card.locator("[data-ll-submit]").click()
    card = block.locator("[data-nomination]").last
    card.locator(".ll-state-submitted").wait_for()
    assert SHORT in card.inner_text() and "138****8000" in card.inner_text()
    assert "13800138000" not in block.inner_html()
    assert_clean(page, "nominator")

    # The reviewer opens it, sees the full phone, recognises it.
    staff = open_page()
    block = open_block(staff, campaign_server, STAFF_STUDENT)
    with staff.expect_response(lambda r: "/review_list/" in r.url):
        block.locator("[data-ll-filters] button[type=submit]").click()
    with staff.expect_response(lambda r: "/review_detail/" in r.url):
        block.locator("[data-ll-open]").filter(has_text=SHORT).first.click()
    detail = block.locator("[data-ll-detail]")
    assert "13800138000" in detail.inner_text() and ("Achievements " + PAYLOAD) in detail.inner_text()
    detail.locator("img").first.wait_for()
    for action in ("start_review", "recommend", "recognise"):
        with staff.expect_response(lambda r: "/review_action/" in r.url):
            block.locator(f"[data-ll-action={action}]").click()
        block.locator("[data-ll-review-status]").filter(has_text="Done").wait_for()
    block.locator("#" + block.locator("[data-ll-detail] h4").get_attribute("id")).wait_for()
    assert "Recognised" in block.locator(".ll-history").inner_text()
    block.locator("[data-ll-detail] input[type=number]").fill("9")
    with staff.expect_response(lambda r: "/review_score/" in r.url):
        block.locator("[data-ll-score] button[type=submit]").click()
    block.locator("[data-ll-score]").filter(has_text="90").wait_for()
    assert_clean(staff, "reviewer")

    # Anyone sees it in the showcase: story and picture, no contact data.
    visitor = open_page(locale="zh-CN")
    block = open_block(visitor, campaign_server, f"visitor_{uuid.uuid4().hex[:8]}")
    entry = block.locator(".ll-showcase-entry").filter(has_text=SHORT)
    assert STORY.split(" 她")[0] in entry.inner_text()
    entry.locator("img").wait_for()
    assert visitor.evaluate("() => document.querySelector('.ll-showcase-entry img').naturalWidth") == 60
    showcase_html = block.locator(".ll-showcase").inner_html()
    assert "13800138000" not in showcase_html and "8000" not in showcase_html
    assert_clean(visitor, "showcase")


def axe_violations(page, axe_source):
    page.add_script_tag(path=axe_source)
    return page.evaluate("""async (selector) => {
        const result = await axe.run({include: [[selector]]}, {resultTypes: ["violations"]});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
    }""", BLOCK)


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_no_overflow_at_360px(campaign_server, open_page, axe_source, locale):
    page = open_page(locale=locale, width=360, height=740)
    who = f"small_{uuid.uuid4().hex[:8]}"
    block = open_block(page, campaign_server, who)
    card = nominate(page, block, SHORT)
    with page.expect_response(lambda r: "/submit_nomination/" in r.url):
        card.locator("[data-ll-submit]").click()
    block.locator(".ll-state-submitted").wait_for()
    nominate(page, block, "Draft " + SHORT)   # a form being filled, as the nominator sees it
    found, wide = {}, {}
    for viewer in (who, STAFF_STUDENT):
        block = open_block(page, campaign_server, viewer)
        if viewer == STAFF_STUDENT:
            with page.expect_response(lambda r: "/review_detail/" in r.url):
                block.locator("[data-ll-open]").first.click()
        width = page.evaluate("() => document.scrollingElement.scrollWidth")
        if width > 360:
            wide[viewer] = page.evaluate("""() => Array.from(document.querySelectorAll('.lifelong *'))
                .filter(n => n.getBoundingClientRect().right > 361).slice(0, 5)
                .map(n => n.tagName + '.' + (n.className.baseVal ?? n.className))""")
        violations = axe_violations(page, axe_source)
        if violations:
            found[viewer] = violations
        page.screenshot(path=f"/tmp/shots/nomination/{'staff' if viewer == STAFF_STUDENT else 'nominator'}-360-{locale}.png",
                        full_page=True)
        assert_clean(page, viewer)
    assert not wide, wide
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
