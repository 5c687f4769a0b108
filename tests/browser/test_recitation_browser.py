"""The recitation in Chromium: recording with the fake microphone (by keyboard, in Chinese, at
360 px), the recorder's states (stopped at the limit, microphone refused or missing) and what a
screen reader hears, listening back, submitting without reloading the page, staff featuring and
reading reports, the gallery (like, play), axe, and hostile text in every field.

Chromium runs with ``--use-fake-device-for-media-stream --use-fake-ui-for-media-stream``: the
microphone is a generated tone and the permission prompt is answered yes.
"""
import io
import re
import wave
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pages import PAYLOAD, BlockPage, new_student, scenario_server
from workbench_server import CHROMIUM, CHROMIUM_ARGS, STAFF_STUDENT
from xss_scenarios import TEXT_PAYLOADS, attribute

pytestmark = pytest.mark.browser

TAG = "lifelong_recitation"
POEM = 0
SHOTS = Path("/tmp/shots/recitation")
FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
# Set before a reload would clear it: the page is never reloaded after submitting or moderating.
MARK = "() => { window.__notReloaded = true; }"
NOT_RELOADED = "() => window.__notReloaded === true"
UPLOAD = """async ([tag, wav, name]) => {
  const block = document.querySelector("[data-block-type=" + tag + "]");
  const student = new URLSearchParams(location.search).get("student");
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const form = new FormData();
  form.append("file", new Blob([new Uint8Array(wav)], {type: "audio/wav"}), name);
  form.append("consent", "1");
  const response = await fetch("/handler/" + block.dataset.usage + "/submit_recording/?student=" + student,
    {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}, body: form});
  return response.status;
}"""
# getUserMedia refusing with ``name``, as Chromium does when the learner blocks the microphone
# (NotAllowedError) or there is none (NotFoundError).
MICROPHONE_FAILS = """(name) => {
  navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("refused", name));
}"""


@pytest.fixture(scope="module")
def browser(playwright_instance):
    """This module's Chromium has a fake microphone (conftest's ``open_page`` uses it here)."""
    chromium = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MICROPHONE)
    yield chromium
    chromium.close()


@pytest.fixture(scope="module")
def short_server():
    """A recitation whose recordings may last 5 seconds (the smallest limit Studio allows)."""
    with scenario_server({"lifelong_recitation_short": "<lifelong_recitation display_name='Short' "
                                                       "passage='One line.' max_seconds='5'/>"}) as running:
        yield running


def wav(seconds=1.0):
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(1)
        writer.setframerate(8000)
        writer.writeframes(b"\x80" * int(8000 * seconds))
    return list(out.getvalue())


def record_and_submit(page, seconds=2.5):
    page.get_by_role("button", name="Start recording").click()
    page.wait_for_timeout(int(seconds * 1000))
    page.get_by_role("button", name="Stop recording").click()
    page.locator("[data-ll-preview]").wait_for(state="visible")
    assert page.evaluate("() => document.querySelector('[data-ll-preview-audio]').src.startsWith('blob:')")
    page.locator("[data-ll-consent]").check()
    with page.expect_response(lambda r: "/submit_recording/" in r.url) as info:
        page.get_by_role("button", name="Submit recording").click()
    assert info.value.status == 200, info.value.text()
    return info.value.json()


def test_record_submit_feature_report_and_like_without_reloading_the_page(server, open_page, axe_source):
    reader, viewer = new_student("reader"), new_student("viewer")
    page = open_page()
    BlockPage(page, server, TAG, POEM).open(reader)
    page.evaluate(MARK)
    answer = record_and_submit(page)
    assert answer["content_type"] in ("audio/webm", "audio/mp4") and 1.5 <= answer["duration"] <= 4
    own = page.locator("[data-ll-own-audio]")
    own.wait_for()
    assert page.evaluate(NOT_RELOADED), "the learner's part is swapped in, the page is not reloaded"
    expect(page.locator("[data-ll-panel-status]")).to_have_text("Your recording was submitted.")
    expect(page.locator(".ll-own .ll-subtitle")).to_be_focused()
    expect(page.locator("input[type=checkbox]"), "one gallery consent box once submitted").to_have_count(1)
    own.evaluate("(audio) => audio.play()")
    page.wait_for_function("() => document.querySelector('[data-ll-own-audio]').currentTime > 0.2")
    expect(page.locator("[data-ll-completed]")).to_be_visible()

    staff = open_page()
    BlockPage(staff, server, TAG, POEM).open(STAFF_STUDENT)
    staff.evaluate(MARK)
    row = staff.locator(f"[data-ll-review]:has-text('{reader}')")
    row.locator("[data-ll-comment]").fill("读得很好！")
    with staff.expect_response(lambda r: "/moderate/" in r.url) as info:
        row.get_by_role("button", name="Feature").click()
    assert info.value.status == 200
    staff.wait_for_function("(name) => document.querySelector('[data-ll-staff-status]').textContent.startsWith(name)",
                            arg="Featured")
    assert staff.evaluate(NOT_RELOADED)
    expect(row).to_contain_text("In the gallery")
    expect(row).to_contain_text("读得很好！")
    staff.wait_for_function("() => document.activeElement.getAttribute('data-ll-moderate') === 'unfeature'")

    other = open_page(width=360, height=740)
    gallery = BlockPage(other, server, TAG, POEM)
    gallery.open(viewer)
    entry = other.locator(f".ll-gallery-item:has-text('{reader}')")
    like = entry.locator("[data-ll-like]")
    with other.expect_response(lambda r: "/like/" in r.url):
        like.click()
    other.wait_for_function("(el) => el.getAttribute('aria-pressed') === 'true'", arg=like.element_handle())
    expect(like).to_contain_text("(1)")
    with other.expect_response(lambda r: "/count_play/" in r.url) as played:
        entry.locator("audio").evaluate("(audio) => audio.play()")
    assert played.value.json()["plays"] >= 1
    entry.locator("summary").click()
    entry.locator("[data-ll-report-reason]").fill("声音太小")
    with other.expect_response(lambda r: "/report/" in r.url):
        entry.get_by_role("button", name="Send report").click()
    assert gallery.too_wide(360) == []
    other.screenshot(path=str(SHOTS / "gallery-360-en.png"), full_page=True)
    assert gallery.axe(axe_source) == []

    BlockPage(staff, server, TAG, POEM).open(STAFF_STUDENT)
    reported = staff.locator(".ll-review-list").first
    assert "Reported by learners" in staff.locator(".ll-staff").inner_text() and "声音太小" in reported.inner_text()
    staff.screenshot(path=str(SHOTS / "staff-1280-en.png"), full_page=True)
    assert page.js_errors == staff.js_errors == other.js_errors == []


def test_by_keyboard_in_chinese_the_recorder_stops_itself_at_the_limit_and_says_so(short_server, open_page):
    page = open_page(locale="zh-CN", width=360, height=740)
    BlockPage(page, short_server, TAG).open(new_student())
    status = page.locator("[data-ll-status]")
    assert status.get_attribute("role") == "status"
    page.locator("[data-ll-record]").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.textContent === '停止录音'")
    expect(status).to_have_text("正在录音，到 0:05 时会自动停止。")
    page.wait_for_function("() => document.querySelector('[data-ll-preview]').hidden === false", timeout=30000)
    expect(status).to_have_text(re.compile("^已达到 0:05 的上限，录音已停止。"), use_inner_text=True)
    page.wait_for_function("() => document.activeElement.textContent === '重新录音'")
    expect(page.locator("[data-ll-submit]")).to_be_enabled()
    expect(page.locator("[data-ll-file]")).to_be_enabled()
    page.locator("[data-ll-consent]").focus()
    page.keyboard.press("Space")
    with page.expect_response(lambda r: "/submit_recording/" in r.url) as info:
        page.locator("[data-ll-submit]").focus()
        page.keyboard.press("Enter")
    answer = info.value.json()
    assert info.value.status == 200 and answer["consent"] is True and 4 <= answer["duration"] <= 5.5, answer
    page.screenshot(path=str(SHOTS / "learner-360-zh-CN-submitted.png"), full_page=True)
    assert page.js_errors == []


@pytest.mark.parametrize("error, message", [("NotAllowedError", "not allowed to use the microphone"),
                                            ("NotFoundError", "No microphone was found")])
def test_a_refused_or_missing_microphone_is_explained_and_upload_stays_possible(short_server, open_page,
                                                                              error, message):
    page = open_page()
    BlockPage(page, short_server, TAG).open(new_student())
    page.evaluate(MICROPHONE_FAILS, error)
    page.get_by_role("button", name="Start recording").click()
    status = page.locator("[data-ll-status]")
    expect(status).to_contain_text(message)
    expect(status).to_contain_text("upload an audio file")
    expect(status).to_have_class(re.compile(r"(^|\s)ll-error(\s|$)"))
    expect(page.get_by_role("button", name="Start recording")).to_be_enabled()
    expect(page.locator("[data-ll-file]")).to_be_enabled()


@pytest.mark.parametrize("student", ["learner_axe", STAFF_STUDENT])
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_360px_layout_with_large_text(server, open_page, axe_source, student, locale):
    page = open_page(locale=locale, width=360, height=740)
    block = BlockPage(page, server, TAG)
    for index in (0, 1):
        block.open(student, index)
        assert block.axe(axe_source) == [], (index, student, locale)
        toggle = page.locator("[data-ll-toggle=large_text]")
        if toggle.get_attribute("aria-pressed") != "true":
            with page.expect_response(lambda r: "/save_comfort/" in r.url):
                toggle.click()
        expect(page.locator(block.root + " .lifelong")).to_have_class(re.compile(r"(^|\s)ll-large(\s|$)"))
        assert block.too_wide(360) == [], (index, student, locale)
        page.screenshot(path=str(SHOTS / f"{student}-{index}-360-{locale}-large.png"), full_page=True)
        with page.expect_response(lambda r: "/save_comfort/" in r.url):   # saved before the next page opens
            toggle.click()
    page_wide = open_page(locale=locale)
    BlockPage(page_wide, server, TAG).open(student)
    page_wide.screenshot(path=str(SHOTS / f"{student}-0-1280-{locale}.png"), full_page=True)
    assert page.js_errors == []


def xss_scenarios():
    scenarios = {}
    for number, text_format in enumerate(("markdown", "html")):
        passage = (f"## {PAYLOAD}\n\n{PAYLOAD}\n\n[link](javascript:window.__xss=1)" if text_format == "markdown"
                   else f"<h2>{PAYLOAD}</h2><p onclick='window.__xss=1'>{PAYLOAD}</p>"
                        f"<a href='javascript:window.__xss=1'>x</a>")
        fields = {"display_name": "Read " + PAYLOAD, "passage": passage, "text_format": text_format,
                  "content_language": TEXT_PAYLOADS["attr"]}
        attrs = " ".join(f"{name}={attribute(value)}" for name, value in fields.items())
        scenarios[f"lifelong_recitation_xss_{number}"] = f"<lifelong_recitation {attrs}/>"
    return scenarios


def test_hostile_text_stays_inert_in_learner_staff_and_gallery_views(open_page):
    page = open_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with scenario_server(xss_scenarios()) as server:
        for index in (0, 1):
            block = BlockPage(page, server, TAG, index)
            reader, viewer = new_student("reader"), new_student("viewer")
            block.open(reader)
            assert page.evaluate(UPLOAD, [TAG, wav(), TEXT_PAYLOADS["attr"] + ".wav"]) == 200
            block.open(STAFF_STUDENT)
            pk = int(page.locator(f"[data-ll-review]:has-text('{reader}')").get_attribute("data-ll-review"))
            assert block.call("moderate", {"recitation": pk, "action": "feature", "comment": PAYLOAD})[0] == 200
            block.open(viewer)
            assert block.call("report", {"recitation": pk, "reason": PAYLOAD})[0] == 200
            for student in (reader, viewer, STAFF_STUDENT):
                block.open(student)
                page.wait_for_timeout(300)   # deliberate: time for a payload's load/error handler to run, if one got in
                assert page.locator(".ll-title").inner_text() == "Read " + PAYLOAD
                block.assert_inert(f"scenario {index} as {student}")
            block.open(reader)
            assert PAYLOAD in page.locator("[data-ll-staff-comment]").inner_text()
            block.open(STAFF_STUDENT)
            rows = page.locator(f"[data-ll-review]:has-text('{reader}')")
            expect(rows, "in the reported list and in the submissions").to_have_count(2)
            assert PAYLOAD in rows.first.locator(".ll-report-reasons").inner_text()
            assert "<svg onload=window.__xss=1>.wav" in rows.last.inner_text(), "the file name, as text"
            # the staff part swapped in from a handler's answer is as inert as the page
            rows.first.get_by_role("button", name="Keep it, close the reports").click()
            page.wait_for_function("() => !document.querySelector('.ll-report-reasons')")
            block.assert_inert(f"scenario {index}, staff part re-rendered")
    assert dialogs == [], dialogs
