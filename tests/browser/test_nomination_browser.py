"""A nomination campaign in Chromium: fill, upload, submit, review, recognise, showcase; a provincial
office on a phone in Chinese (draft kept over a reload, photo and PDF, per-field errors, withdraw,
resubmit after a return); hostile text in every authored and nominator-written field rendered in the
nominator, staff and showcase views; axe at 360 px; the organisations edited with Studio's form."""
import io
import json
import re
from xml.sax.saxutils import quoteattr

import pytest
from playwright.sync_api import expect
from pages import PAYLOAD, SHORT_PAYLOAD, BlockPage, new_student, scenario_server
from PIL import Image

from workbench_server import STAFF_STUDENT

pytestmark = pytest.mark.browser

TAG = "lifelong_nomination"
ORGS = json.dumps([["zj", "Zhejiang " + PAYLOAD], ["sc", "四川 " + PAYLOAD]])
RUBRIC = json.dumps([{"key": "story", "label": "Story " + PAYLOAD, "weight": 1}])
HOSTILE = (f"<lifelong_nomination display_name={quoteattr('Stars ' + PAYLOAD)} intro={quoteattr('Intro ' + PAYLOAD)} "
           f"nomination_category='learning_star' closes_at='2099-12-31 18:00' quota_min='1' quota_max='10' "
           f"organisations={quoteattr(ORGS)} rubric={quoteattr(RUBRIC)}/>")
PROVINCES = ("<lifelong_nomination display_name='百姓学习之星推荐' nomination_category='learning_star' "
             "closes_at='2099-12-31 18:00' quota_min='3' quota_max='5'/>")
STORY = "Story " + PAYLOAD + " 她在社区学校学会了用手机，又教会了邻居们。" * 4
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def campaign_server():
    with scenario_server({f"{TAG}_1_xss": HOSTILE, f"{TAG}_2_provinces": PROVINCES}) as running:
        yield running


def picture():
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (30, 90, 160)).save(out, "JPEG")
    return out.getvalue()


def start(page, block, organisation=None):
    if organisation:
        block.locator("[data-ll-start] select").select_option(organisation)
    with page.expect_response(lambda r: "/start_nomination/" in r.url):
        block.locator("[data-ll-start] button[type=submit]").click()
    return block.locator("[data-nomination]").last


def attach(page, card, kind, name, data, mime):
    with page.expect_response(lambda r: "/upload_material/" in r.url) as response:
        card.locator(f"[data-ll-upload={kind}]").set_input_files({"name": name, "mimeType": mime, "buffer": data})
    assert response.value.status == 200, response.value.text()


def nominate(page, block, name):
    card = start(page, block)
    card.locator("input[name=name]").fill(name)
    card.locator("select[name=age_band]").select_option("60_69")
    card.locator("select[name=region]").select_option("zhejiang")
    card.locator("input[name=occupation]").fill("Occupation " + SHORT_PAYLOAD)
    card.locator("input[name=phone]").fill("13800138000")
    card.locator("textarea[name=story]").fill(STORY)
    card.locator("textarea[name=achievements]").fill("Achievements " + PAYLOAD)
    card.locator("input[name=consent_publication]").check()
    card.locator("input[name=consent_portrait]").check()
    attach(page, card, "image", "portrait " + SHORT_PAYLOAD + ".jpg", picture(), "image/jpeg")
    return block.locator("[data-nomination]").last


def click_and_wait(page, locator, handler):
    with page.expect_response(lambda r: f"/{handler}/" in r.url) as response:
        locator.click()
    return response.value


def test_fill_upload_submit_review_recognise_showcase(campaign_server, open_page):
    page = open_page()
    block = BlockPage(page, campaign_server, TAG).open(new_student("nominator"))
    assert "Stars " + PAYLOAD in block.locator("h2").inner_text()

    # A first submit with a wrong phone is refused next to the field.
    card = nominate(page, block, SHORT_PAYLOAD)
    expect(card.locator(".ll-material-list a")).to_have_count(1)
    card.locator("input[name=phone]").fill("12345")
    click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination")
    phone = card.locator("input[name=phone]")
    card.locator("[data-error-for=phone]").filter(has_text="mobile").wait_for()
    expect(phone).to_have_attribute("aria-invalid", "true")
    phone.fill("138 0013 8000")
    click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination")
    card = block.locator("[data-nomination]").last
    card.locator(".ll-state-submitted").wait_for()
    expect(card).to_contain_text(SHORT_PAYLOAD)
    expect(card).to_contain_text("138****8000")
    assert "13800138000" not in block.inner_html()
    BlockPage(page, campaign_server, TAG).assert_inert("nominator")

    # The reviewer opens it, sees the full phone, recognises it.
    staff = open_page()
    reviewer = BlockPage(staff, campaign_server, TAG)
    block = reviewer.open(STAFF_STUDENT)
    click_and_wait(staff, block.locator("[data-ll-filters] button[type=submit]"), "review_list")
    click_and_wait(staff, block.locator("[data-ll-open]").filter(has_text=SHORT_PAYLOAD).first, "review_detail")
    detail = block.locator("[data-ll-detail]")
    expect(detail).to_contain_text("13800138000")
    expect(detail).to_contain_text("Achievements " + PAYLOAD)
    detail.locator("img").first.wait_for()
    for action in ("start_review", "recommend", "recognise"):
        click_and_wait(staff, block.locator(f"[data-ll-action={action}]"), "review_action")
        block.locator("[data-ll-review-status]").filter(has_text="Done").wait_for()
    expect(block.locator(".ll-history")).to_contain_text("Recognised")
    block.locator("[data-ll-detail] input[type=number]").fill("9")
    click_and_wait(staff, block.locator("[data-ll-score] button[type=submit]"), "review_score")
    block.locator("[data-ll-score]").filter(has_text="90").wait_for()
    reviewer.assert_inert("reviewer")

    # Anyone sees it in the showcase: story and picture, no contact data.
    visitor = open_page(locale="zh-CN")
    showcase = BlockPage(visitor, campaign_server, TAG)
    block = showcase.open(new_student("visitor"))
    entry = block.locator(".ll-showcase-entry").filter(has_text=SHORT_PAYLOAD)
    assert STORY.split(" 她")[0] in entry.inner_text()
    entry.locator("img").wait_for()
    assert visitor.evaluate("() => document.querySelector('.ll-showcase-entry img').naturalWidth") == 60
    showcase_html = block.locator(".ll-showcase").inner_html()
    assert "13800138000" not in showcase_html and "8000" not in showcase_html
    showcase.assert_inert("showcase")


def test_a_provincial_office_on_a_phone_drafts_submits_withdraws_and_resubmits(campaign_server, open_page):
    page = open_page(locale="zh-CN", width=360, height=740)
    page.on("dialog", lambda dialog: dialog.accept())
    office = BlockPage(page, campaign_server, TAG, index=1)
    who = new_student("office")
    block = office.open(who)
    options = block.locator("[data-ll-start] select option").all_inner_texts()
    assert "浙江" in options and "新疆生产建设兵团" in options and "台湾" not in options

    # The draft is saved while typing and is there after a reload.
    card = start(page, block, "zhejiang")
    expect(card).to_contain_text("浙江已提交 0 份")
    card.locator("input[name=name]").fill("王秀兰")
    card.locator("input[name=occupation]").fill("退休教师")
    with page.expect_response(lambda r: "/save_draft/" in r.url):
        card.locator("textarea[name=story]").fill("她六十岁开始在社区学校学习用智能手机。")
    block = office.open(who)
    card = block.locator("[data-nomination]").last
    expect(card.locator("input[name=name]")).to_have_value("王秀兰")
    expect(card.locator("textarea[name=story]")).to_have_value("她六十岁开始在社区学校学习用智能手机。")

    # A photo and a PDF; submitting names every missing answer at its field, the right consent marked.
    attach(page, card, "image", "合影.jpg", picture(), "image/jpeg")
    card = block.locator("[data-nomination]").last
    attach(page, card, "document", "推荐表.pdf", PDF, "application/pdf")
    card = block.locator("[data-nomination]").last
    card.locator("input[name=consent_publication]").check()
    assert click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination").status == 400
    card.locator("[data-error-for=story]").filter(has_text="至少 100 个字符").wait_for()
    expect(card.locator("[data-error-for=consent_portrait]")).to_have_text(re.compile(r"\S"))
    expect(card.locator("input[name=consent_portrait]")).to_have_attribute("aria-invalid", "true")
    expect(card.locator("select[name=age_band]")).to_have_attribute("aria-invalid", "true")
    # (the errors are drawn at once: with the others there, this one has none)
    expect(card.locator("input[name=consent_publication]")).not_to_have_attribute("aria-invalid", re.compile(".*"))
    assert office.too_wide(360) == []

    card.locator("select[name=age_band]").select_option("60_69")
    card.locator("select[name=region]").select_option("zhejiang")
    card.locator("input[name=phone]").fill("138 0013 8000")
    card.locator("textarea[name=story]").fill("她六十岁开始在社区学校学习用智能手机，如今教会了邻居们网上挂号。" * 4)
    card.locator("input[name=consent_portrait]").check()
    assert click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination").status == 200
    card = block.locator("[data-nomination]").last
    card.locator(".ll-state-submitted").wait_for()
    assert click_and_wait(page, card.locator("[data-ll-withdraw]"), "withdraw_nomination").status == 200
    block.locator(".ll-state-withdrawn").wait_for()

    # A second one is returned for changes, corrected and resubmitted.
    card = nominate(page, block, "李德明")
    assert click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination").status == 200
    nomination_id = block.locator("[data-nomination]").last.get_attribute("data-nomination")
    staff = BlockPage(open_page(), campaign_server, TAG, index=1)
    staff.open(STAFF_STUDENT)
    assert staff.call("review_action", {"id": int(nomination_id), "action": "return",
                                        "note": "请补充获奖证书。"})[0] == 200
    block = office.open(who)
    card = block.locator(f"[data-nomination='{nomination_id}']")
    assert "请补充获奖证书。" in card.inner_text()
    attach(page, card, "document", "证书.pdf", PDF, "application/pdf")
    card = block.locator(f"[data-nomination='{nomination_id}']")
    assert click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination").status == 200
    card = block.locator(f"[data-nomination='{nomination_id}']")
    card.locator(".ll-state-resubmitted").wait_for()
    expect(card).not_to_contain_text("请补充获奖证书。")
    page.screenshot(path="/tmp/shots/lifelong_nomination-review/phone-resubmitted-360-zh.png", full_page=True)
    office.assert_inert("provincial office")


@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_no_overflow_at_360px(campaign_server, open_page, axe_source, locale):
    page = open_page(locale=locale, width=360, height=740)
    view = BlockPage(page, campaign_server, TAG)
    who = new_student("small")
    block = view.open(who)
    card = nominate(page, block, SHORT_PAYLOAD)
    click_and_wait(page, card.locator("[data-ll-submit]"), "submit_nomination")
    block.locator(".ll-state-submitted").wait_for()
    nominate(page, block, "Draft " + SHORT_PAYLOAD)   # a form being filled, as the nominator sees it
    found, wide = {}, {}
    for viewer in (who, STAFF_STUDENT):
        block = view.open(viewer)
        if viewer == STAFF_STUDENT:
            click_and_wait(page, block.locator("[data-ll-open]").first, "review_detail")
        wide[viewer] = view.too_wide(360)
        found[viewer] = view.axe(axe_source)
        view.assert_inert(viewer)
    assert not any(wide.values()), wide
    assert not any(found.values()), json.dumps(found, indent=1, ensure_ascii=False)


def test_studio_edits_the_organisations_with_a_form(campaign_server, open_page):
    page = open_page(locale="zh-CN")
    page.goto(campaign_server.url(f"/scenario/{TAG}.1/studio_view/", student=STAFF_STUDENT))
    form = page.locator("[data-ll-form=organisations]")
    field = page.locator("li[data-field-name='organisations'] .field-data-control")
    expect(field, "the raw JSON is replaced by the form").to_be_hidden()
    form.get_by_role("button", name="从省级单位列表开始").click()            # the built-in list, to edit
    expect(form.locator("fieldset")).to_have_count(32)
    form.locator("fieldset").last.get_by_label("单位名称").fill("新疆生产建设兵团教育局")
    form.get_by_role("button", name="添加推荐单位").click()
    form.locator("fieldset").last.get_by_label("简短代码，不可重复").fill("ou-national")
    form.locator("fieldset").last.get_by_label("单位名称").fill("国家开放大学")
    built = json.loads(field.input_value())
    assert built[0] == {"code": "beijing", "name": "北京"} and built[-1] == {"code": "ou-national", "name": "国家开放大学"}
    assert built[-2] == {"code": "xpcc", "name": "新疆生产建设兵团教育局"}
    studio = BlockPage(page, campaign_server, TAG, index=1)
    try:
        status, body = studio.call("submit_studio_edits", {"values": {"organisations": built}, "defaults": []})
        assert status == 200, body
        learner = open_page(locale="zh-CN")
        options = BlockPage(learner, campaign_server, TAG, index=1).open(new_student()).locator(
            "[data-ll-start] select option").all_inner_texts()
        assert options[-2:] == ["新疆生产建设兵团教育局", "国家开放大学"]
        status, body = studio.call("submit_studio_edits", {"values": {"organisations": [{"code": "", "name": "x"}]},
                                                           "defaults": []})
        assert status == 400 and "推荐单位" in json.dumps(body, ensure_ascii=False)
    finally:
        status, body = studio.call("submit_studio_edits", {"values": {}, "defaults": ["organisations"]})
        assert status == 200, body

    # Organisations written as ["code", "name"] pairs (older OLX) open in the same form.
    page.goto(campaign_server.url(f"/scenario/{TAG}.0/studio_view/", student=STAFF_STUDENT))
    first = page.locator("[data-ll-form=organisations] fieldset").first
    expect(first.get_by_label("简短代码，不可重复")).to_have_value("zj")
    expect(first.get_by_label("单位名称")).to_have_value("Zhejiang " + PAYLOAD)
    BlockPage(page, campaign_server, TAG).assert_inert("Studio")
