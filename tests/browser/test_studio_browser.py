"""Studio: an instructor builds a quick check with the form instead of writing JSON."""
import json
import re

import pytest
from playwright.sync_api import expect
from test_microlesson_browser import TEXT, call_handler, lesson_url, new_student, open_lesson

from workbench_server import STAFF_STUDENT

pytestmark = pytest.mark.browser

QUESTIONS_FIELD = "li[data-field-name='questions'] .field-data-control"


def test_a_quick_check_built_in_the_studio_form_is_saved_and_graded(server, open_page):
    page = open_page(locale="zh-CN")
    page.goto(server.url(f"/scenario/lifelong_microlesson.{TEXT}/studio_view/", student=STAFF_STUDENT))
    page.wait_for_selector(".ll-qc-builder")
    expect(page.locator(QUESTIONS_FIELD), "the raw JSON is replaced by the form").to_be_hidden()

    page.locator("[data-ll-form=questions] > .ll-qc-button").click()   # add a question
    question = page.locator(".ll-qc-question").last
    question.locator("textarea").first.fill("阳台种菜每天需要几小时日照？")
    question.locator("input[type=text]").nth(0).fill("两小时")
    question.locator("input[type=text]").nth(1).fill("六小时")
    question.locator("input[type=radio]").nth(1).check()              # the second choice is right
    question.locator("textarea").nth(1).fill("朝南阳台，每天约六小时。")
    built = json.loads(page.locator(QUESTIONS_FIELD).input_value())
    assert built == [{"id": "q1", "kind": "single", "prompt": "阳台种菜每天需要几小时日照？",
                      "choices": [{"id": "c1", "text": "两小时"}, {"id": "c2", "text": "六小时", "correct": True}],
                      "explanation": "朝南阳台，每天约六小时。"}]
    expect(page.locator("li[data-field-name='questions']")).to_have_class(re.compile(r"(^|\s)is-set(\s|$)"))

    try:
        status, body = call_handler(page, "submit_studio_edits", {"values": {"questions": built}, "defaults": []})
        assert status == 200, body

        learner = open_page(locale="zh-CN")
        lesson = open_lesson(learner, lesson_url(server, TEXT, new_student(), view="scenario"))
        assert "阳台种菜每天需要几小时日照？" in lesson.inner_text()
        lesson.get_by_label("六小时").check()
        lesson.locator("[data-ll-quiz] button[type=submit]").click()
        learner.wait_for_function("() => /100/.test(document.querySelector('[data-ll-quiz-status]').textContent)")
    finally:
        status, body = call_handler(page, "submit_studio_edits", {"values": {}, "defaults": ["questions"]})
        assert status == 200, body


def test_downloads_are_edited_as_a_form_and_shown_to_learners(server, open_page):
    page = open_page(locale="zh-CN")
    page.goto(server.url(f"/scenario/lifelong_microlesson.{TEXT}/studio_view/", student=STAFF_STUDENT))
    form = page.locator("[data-ll-form=resources]")
    form.locator(":scope > .ll-qc-button").click()                       # add a download
    form.get_by_label("标题").fill("种菜日历（PDF）")
    form.get_by_label("网址").fill("/static/demo/handout.pdf")
    form.get_by_label("大小，例如 2 MB").fill("12 KB")
    built = json.loads(page.locator("li[data-field-name='resources'] .field-data-control").input_value())
    assert built == [{"title": "种菜日历（PDF）", "url": "/static/demo/handout.pdf", "size": "12 KB"}]

    page.locator("[data-ll-form=resources] + .ll-qc-json-toggle").click()   # the raw JSON is still there
    expect(page.locator("li[data-field-name='resources'] .field-data-control")).to_be_visible()
    try:
        status, body = call_handler(page, "submit_studio_edits", {"values": {"resources": built}, "defaults": []})
        assert status == 200, body
        learner = open_page(locale="zh-CN")
        lesson = open_lesson(learner, lesson_url(server, TEXT, new_student(), view="scenario"))
        link = lesson.get_by_role("link", name="种菜日历（PDF）")
        assert link.get_attribute("href") == "/static/demo/handout.pdf"
    finally:
        status, body = call_handler(page, "submit_studio_edits", {"values": {}, "defaults": ["resources"]})
        assert status == 200, body
