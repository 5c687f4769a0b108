"""The recitation in Chromium: recording with the fake microphone, listening back, submitting,
staff featuring, the gallery (like, play), axe at 360 px, and hostile text in every field.

Chromium runs with ``--use-fake-device-for-media-stream --use-fake-ui-for-media-stream``: the
microphone is a generated tone and the permission prompt is answered yes.
"""
import io
import json
import tempfile
import uuid
import wave
from pathlib import Path

import pytest

from workbench_server import CHROMIUM, CHROMIUM_ARGS, STAFF_STUDENT, WorkbenchServer
from xss_scenarios import TEXT_PAYLOADS, attribute

pytestmark = pytest.mark.browser

POEM = 0
SHOTS = Path("/tmp/shots/recitation")
FAKE_MICROPHONE = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
BLOCK = "[data-block-type=lifelong_recitation]"
READY = """() => { const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined; }"""
HANDLER = """async ([name, data]) => {
  const block = document.querySelector("[data-block-type=lifelong_recitation]");
  const student = new URLSearchParams(location.search).get("student");
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const url = "/handler/" + block.dataset.usage + "/" + name + "/?student=" + encodeURIComponent(student);
  let response;
  if (data && data.wav) {
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(data.wav)], {type: "audio/wav"}), data.name);
    form.append("consent", "1");
    response = await fetch(url, {method: "POST", credentials: "same-origin", headers: {"X-CSRFToken": token}, body: form});
  } else {
    response = await fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token}, body: JSON.stringify(data || {})});
  }
  const text = await response.text();
  try { return {status: response.status, body: JSON.parse(text)}; } catch (e) { return {status: response.status, body: text}; }
}"""
# The /view/ page (no workbench chrome) lacks the ``studentId`` its runtime reads: as in conftest.py.
VIEW_PAGE_STUDENT_ID = """
if (typeof window.studentId === "undefined") {
  window.studentId = new URLSearchParams(window.location.search).get("student") || "student_1";
}
"""
AXE = """async () => {
  const result = await axe.run({include: [["[data-block-type=lifelong_recitation]"]]}, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


@pytest.fixture(scope="module")
def mic_browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + FAKE_MICROPHONE)
    yield browser
    browser.close()


@pytest.fixture
def page_for(mic_browser):
    contexts = []

    def make(locale="en", width=1280, height=900):
        context = mic_browser.new_context(locale=locale, viewport={"width": width, "height": height},
                                          extra_http_headers={"Accept-Language": f"{locale},{locale[:2]};q=0.9"})
        context.set_default_timeout(15000)
        context.add_init_script(VIEW_PAGE_STUDENT_ID)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda error: page.js_errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


def open_block(page, server, index, student):
    page.goto(server.url(f"/view/lifelong_recitation.{index}/", student=student))
    page.wait_for_function(READY)
    return page.locator(".ll-recitation")


def call(page, name, data=None):
    answer = page.evaluate(HANDLER, [name, data])
    return answer["status"], answer["body"]


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


def test_record_listen_back_submit_feature_and_like_in_the_gallery(server, page_for, axe_source):
    reader, viewer = f"reader_{uuid.uuid4().hex[:8]}", f"viewer_{uuid.uuid4().hex[:8]}"
    page = page_for()
    open_block(page, server, POEM, reader)
    answer = record_and_submit(page)
    assert answer["content_type"] in ("audio/webm", "audio/mp4") and 1.5 <= answer["duration"] <= 4
    page.wait_for_load_state("load")
    page.wait_for_function(READY)
    own = page.locator("[data-ll-own-audio]")
    own.wait_for()
    page.evaluate("() => document.querySelector('[data-ll-own-audio]').play()")
    page.wait_for_function("() => document.querySelector('[data-ll-own-audio]').currentTime > 0.2")
    assert page.locator("[data-ll-completed]").is_visible()

    staff = page_for()
    open_block(staff, server, POEM, STAFF_STUDENT)
    row = staff.locator(f"[data-ll-review]:has-text('{reader}')")
    row.locator("[data-ll-comment]").fill("读得很好！")
    with staff.expect_response(lambda r: "/moderate/" in r.url) as info:
        row.get_by_role("button", name="Feature").click()
    assert info.value.status == 200
    staff.wait_for_timeout(800)
    staff.screenshot(path=str(SHOTS / "staff-1280-en.png"), full_page=True)

    other = page_for(width=360, height=740)
    open_block(other, server, POEM, viewer)
    entry = other.locator(f".ll-gallery-item:has-text('{reader}')")
    like = entry.locator("[data-ll-like]")
    with other.expect_response(lambda r: "/like/" in r.url):
        like.click()
    other.wait_for_function("(el) => el.getAttribute('aria-pressed') === 'true'", arg=like.element_handle())
    assert "(1)" in like.inner_text()
    with other.expect_response(lambda r: "/count_play/" in r.url) as played:
        entry.locator("audio").evaluate("(audio) => audio.play()")
    assert played.value.json()["plays"] >= 1
    assert other.evaluate("() => document.scrollingElement.scrollWidth") <= 360
    other.screenshot(path=str(SHOTS / "gallery-360-en.png"), full_page=True)
    other.add_script_tag(path=axe_source)
    assert other.evaluate(AXE) == []
    assert page.js_errors == staff.js_errors == other.js_errors == []


@pytest.mark.parametrize("student", ["learner_axe", STAFF_STUDENT])
@pytest.mark.parametrize("locale", ["en", "zh-CN"])
def test_axe_and_360px_layout_with_large_text(server, page_for, axe_source, student, locale):
    page = page_for(locale=locale, width=360, height=740)
    for index in (0, 1):
        open_block(page, server, index, student)
        page.add_script_tag(path=axe_source)
        assert page.evaluate(AXE) == [], (index, student, locale)
        toggle = page.locator("[data-ll-toggle=large_text]")
        if toggle.get_attribute("aria-pressed") != "true":
            toggle.click()
        assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 360, (index, student, locale)
        page.screenshot(path=str(SHOTS / f"{student}-{index}-360-{locale}-large.png"), full_page=True)
        toggle.click()
    page_wide = page_for(locale=locale)
    open_block(page_wide, server, 0, student)
    page_wide.screenshot(path=str(SHOTS / f"{student}-0-1280-{locale}.png"), full_page=True)
    assert page.js_errors == []


PAYLOAD = " ".join(TEXT_PAYLOADS.values())


@pytest.fixture(scope="module")
def xss_recitation_server():
    with tempfile.TemporaryDirectory(prefix="lifelong-recitation-xss-") as folder:
        for number, text_format in enumerate(("markdown", "html")):
            passage = (f"## {PAYLOAD}\n\n{PAYLOAD}\n\n[link](javascript:window.__xss=1)" if text_format == "markdown"
                       else f"<h2>{PAYLOAD}</h2><p onclick='window.__xss=1'>{PAYLOAD}</p>"
                            f"<a href='javascript:window.__xss=1'>x</a>")
            fields = {"display_name": "Read " + PAYLOAD, "passage": passage, "text_format": text_format,
                      "content_language": "\"><svg onload=window.__xss=1>"}
            attrs = "\n  ".join(f"{name}={attribute(value)}" for name, value in fields.items())
            Path(folder, f"lifelong_recitation_xss_{number}.xml").write_text(
                f"<!-- XSS {text_format} -->\n<vertical_demo>\n<lifelong_recitation\n  {attrs}\n/>\n</vertical_demo>\n",
                encoding="utf-8")
        with WorkbenchServer(folder) as running:
            yield running


def test_hostile_text_stays_inert_in_learner_staff_and_gallery_views(xss_recitation_server, page_for):
    server = xss_recitation_server
    page = page_for()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for index in (0, 1):
        reader = f"reader_{uuid.uuid4().hex[:6]}"
        open_block(page, server, index, reader)
        status, answer = call(page, "submit_recording", {"wav": wav(), "name": TEXT_PAYLOADS["attr"] + ".wav"})
        assert status == 200, answer
        open_block(page, server, index, STAFF_STUDENT)
        pk = page.locator(f"[data-ll-review]:has-text('{reader}')").get_attribute("data-ll-review")
        assert call(page, "moderate", {"recitation": int(pk), "action": "feature", "comment": PAYLOAD})[0] == 200
        viewer = f"viewer_{uuid.uuid4().hex[:6]}"
        open_block(page, server, index, viewer)
        assert call(page, "report", {"recitation": int(pk), "reason": PAYLOAD})[0] == 200
        for student in (reader, viewer, STAFF_STUDENT):
            open_block(page, server, index, student)
            page.wait_for_timeout(300)
            assert page.evaluate("() => typeof window.__xss") == "undefined", (index, student)
            assert page.locator(".ll-title").inner_text() == "Read " + PAYLOAD
            injected = page.evaluate("""() => Array.from(document.querySelectorAll('.lifelong *'))
                .filter(n => n.tagName === 'SCRIPT' || (n.tagName.toLowerCase() === 'svg' && !n.closest('.ll-figure'))
                  || Array.from(n.attributes).some(a => a.name.startsWith('on'))
                  || /^\\s*javascript:/i.test(n.getAttribute('href') || ''))
                .map(n => n.outerHTML.slice(0, 100))""")
            assert injected == [], (index, student, injected)
        open_block(page, server, index, reader)
        assert PAYLOAD in page.locator("[data-ll-staff-comment]").inner_text()
        open_block(page, server, index, STAFF_STUDENT)
        assert TEXT_PAYLOADS["attr"] in page.locator(f"[data-ll-review]:has-text('{reader}')").inner_text()
    assert dialogs == [] and page.js_errors == [], json.dumps(page.js_errors)
