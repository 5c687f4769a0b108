"""The micro-lesson in a real browser, used the way a learner and a staff member use it.

Assertions go through what the page shows and, where the page cannot tell, through the
block's own handlers (``student_view_user_state``), never through the database.
"""
import json
import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from pages import PlayerReports
from workbench_server import LEARNER_STUDENT, STAFF_STUDENT
from xss_scenarios import TEMPLATE_MARKER, TEXT_PAYLOADS

pytestmark = pytest.mark.browser

VIDEO, VIDEO_QUIZ, AUDIO, TEXT, TEXT_QUIZ = range(5)
ROLES = (LEARNER_STUDENT, STAFF_STUDENT)
LOCALES = ("en", "zh-CN")

BLOCK_READY = """() => {
  const outer = document.querySelector("[data-block-type=vertical_demo]");
  return Boolean(outer) && outer.xblock_children !== undefined;
}"""

CALL_HANDLER = """async ([name, data]) => {
  const block = document.querySelector("[data-block-type=lifelong_microlesson]");
  const student = new URLSearchParams(location.search).get("student");
  const token = (document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "";
  const response = await fetch("/handler/" + block.dataset.usage + "/" + name + "/?student=" +
      encodeURIComponent(student), {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": token}, body: JSON.stringify(data || {})});
  const text = await response.text();
  let body = text;
  try { body = JSON.parse(text); } catch (ignored) { /* not JSON */ }
  return {status: response.status, body: body};
}"""


def new_student(prefix="learner"):
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


def lesson_url(server, index, student, view="view"):
    return server.url(f"/{view}/lifelong_microlesson.{index}/", student=student)


def open_lesson(page, url):
    """Open a lesson and wait until the workbench has started the block's JavaScript."""
    page.goto(url)
    try:
        page.wait_for_function(BLOCK_READY, timeout=10000)
    except PlaywrightTimeout as error:
        raise AssertionError(f"the block's JavaScript did not start on {url}; "
                             f"window.__xss={page.evaluate('() => window.__xss')!r}; "
                             f"errors: {getattr(page, 'js_errors', None)}") from error
    return page.locator(".ll-lesson")


def call_handler(page, name, data=None):
    answer = page.evaluate(CALL_HANDLER, [name, data])
    return answer["status"], answer["body"]


def user_state(page):
    status, body = call_handler(page, "student_view_user_state", {})
    assert status == 200, body
    return body


def played_percent(page):
    text = page.locator("[data-ll-coverage]").inner_text()
    match = re.search(r"(\d+)\s*%", text)
    assert match, f"no percentage in the coverage line: {text!r}"
    return int(match.group(1))


def wait_for_media(page):
    page.wait_for_function("() => { const m = document.querySelector('.ll-player');"
                           " return m && m.readyState >= 1 && isFinite(m.duration); }")


def set_speed(page, rate="2.0"):
    page.select_option("[data-ll-speed]", rate)
    assert page.evaluate("() => document.querySelector('.ll-player').playbackRate") == float(rate)


def play(page):
    """Start the player and wait for its first report (which starts the server's clock)."""
    with page.expect_response(lambda r: "/report_progress/" in r.url):
        page.evaluate("() => document.querySelector('.ll-player').play()")


def played_until(page, seconds, timeout=60000):
    """Wait until the player got to ``seconds`` (media time runs late on a loaded machine)."""
    page.wait_for_function(f"() => document.querySelector('.ll-player').currentTime >= {seconds}", timeout=timeout)


def pause(page):
    """Pause the player; returns the position it stopped at (which its report carries)."""
    return page.evaluate("() => { const m = document.querySelector('.ll-player'); m.pause(); return m.currentTime; }")


def expect_percent_shown(page, percent):
    """Wait until the coverage line shows ``percent`` (the server's answer reaches it later)."""
    expect(page.locator("[data-ll-coverage]")).to_have_text(re.compile(rf"(^|\D){percent}\s*%"))


# ---- playback ----------------------------------------------------------------------------

def test_video_plays_and_reported_coverage_shows_on_the_page(server, open_page):
    page = open_page()
    open_lesson(page, lesson_url(server, VIDEO, new_student(), view="scenario"))
    wait_for_media(page)
    assert played_percent(page) == 0
    set_speed(page, "2.0")

    reports = PlayerReports(page)
    play(page)
    played_until(page, 8)
    answer = reports.at(pause(page))

    assert 0.2 <= answer["coverage"] < 0.9, reports
    assert answer["completed"] is False
    shown = round(answer["coverage"] * 100)
    expect_percent_shown(page, shown)
    expect(page.locator(".ll-meter")).to_have_attribute("aria-valuenow", str(shown))
    expect(page.locator("[data-ll-completed]")).to_be_hidden()

    state = user_state(page)
    assert state["coverage"] == pytest.approx(answer["coverage"])
    assert state["completed"] is False

    # Coming back later: the page shows the stored coverage and resumes where the learner stopped.
    open_lesson(page, page.url)
    assert page.locator(".ll-meter").get_attribute("aria-valuenow") == str(shown)
    wait_for_media(page)
    played_until(page, 5)
    assert page.js_errors == []


def test_playing_the_whole_video_completes_the_lesson(server, open_page):
    page = open_page()
    open_lesson(page, lesson_url(server, VIDEO, new_student(), view="scenario"))
    wait_for_media(page)
    set_speed(page, "2.0")
    reports = PlayerReports(page)
    play(page)
    page.wait_for_function("() => document.querySelector('.ll-player').ended", timeout=90000)
    answer = reports.wait_for(lambda report, answer: answer["completed"], "completing the lesson")
    assert answer["coverage"] >= 0.9, reports
    expect(page.locator("[data-ll-completed]")).to_be_visible()
    assert user_state(page)["completed"] is True
    assert page.js_errors == []


def test_a_report_refused_on_a_slow_link_is_sent_again_and_counts(server, open_page):
    """The server refuses a report claiming more playback than the time since the last accepted
    one (as when a slow link delays reports); the player keeps those intervals and sends them again
    a little later, so nothing the learner watched is lost."""
    page = open_page()
    open_lesson(page, lesson_url(server, VIDEO, new_student(), view="scenario"))
    wait_for_media(page)
    set_speed(page, "2.0")
    refused, accepted = [], []

    def first_playback_report_refused(route):
        report = json.loads(route.request.post_data or "{}")
        if report.get("intervals") and not refused:
            refused.append(report["intervals"])
            route.fulfill(status=409, content_type="application/json",
                          body=json.dumps({"error": "This report claims more playback than the time allows."}))
            return
        if report.get("intervals"):
            accepted.append(report["intervals"])
        route.continue_()

    page.route("**/report_progress/**", first_playback_report_refused)
    play(page)
    page.wait_for_function("() => document.querySelector('.ll-player').ended", timeout=90000)
    expect(page.locator("[data-ll-completed]")).to_be_visible(timeout=60000)
    assert refused, "no playback report was refused: the test did not test anything"
    first_refused = refused[0][0]
    assert any(start <= first_refused[0] + 0.01 and end >= first_refused[1] - 0.01
               for intervals in accepted for start, end in intervals), (refused, accepted)
    assert user_state(page)["completed"] is True
    assert page.js_errors == []


def test_seeking_to_the_end_does_not_complete_the_lesson(server, open_page):
    page = open_page()
    open_lesson(page, lesson_url(server, VIDEO, new_student(), view="scenario"))
    wait_for_media(page)
    page.evaluate("() => { const m = document.querySelector('.ll-player'); m.currentTime = 28.5; }")
    page.wait_for_function("() => !document.querySelector('.ll-player').seeking")
    reports = PlayerReports(page)
    play(page)
    # Plays about a second and a half to the end: the "ended" report carries only that.
    page.wait_for_function("() => document.querySelector('.ll-player').ended", timeout=60000)
    answer = reports.at(page.evaluate("() => document.querySelector('.ll-player').currentTime"))
    assert answer["completed"] is False, reports
    assert answer["coverage"] < 0.2, reports
    expect_percent_shown(page, round(answer["coverage"] * 100))
    assert played_percent(page) < 20
    expect(page.locator("[data-ll-completed]")).to_be_hidden()

    # A hand-made report claiming the whole video right away is refused too.
    status, body = call_handler(page, "report_progress", {"intervals": [[0, 30]], "position": 30, "duration": 30})
    assert status in (400, 409), body
    state = user_state(page)
    assert state["completed"] is False
    assert state["coverage"] < 0.2
    assert page.js_errors == []


def test_what_was_played_before_a_stall_still_counts(server, open_page):
    """When the network falls behind, the media element fires "waiting" and, once it caught up,
    "playing" again, without a pause.  The player used to start a new segment there and drop the one
    played before the stall: on a slow connection (or a loaded CI machine) a lesson played to the
    end stayed at 77 % and never completed.  The two events are fired here as Chromium fires them."""
    page = open_page()
    open_lesson(page, lesson_url(server, VIDEO, new_student(), view="scenario"))
    wait_for_media(page)
    set_speed(page, "2.0")
    reports = PlayerReports(page)
    play(page)
    played_until(page, 6)
    stalled_at = page.evaluate("""() => { const m = document.querySelector('.ll-player');
        m.dispatchEvent(new Event('waiting')); m.dispatchEvent(new Event('playing')); return m.currentTime; }""")
    played_until(page, stalled_at + 4)
    paused_at = pause(page)
    answer = reports.at(paused_at)
    assert answer["coverage"] >= (paused_at - 0.5) / 30, reports     # from 0, not from the stall
    expect_percent_shown(page, round(answer["coverage"] * 100))
    assert page.js_errors == []


# ---- quick check ---------------------------------------------------------------------------

def test_quick_check_is_graded_on_the_server(server, open_page):
    page = open_page()
    student = new_student()
    # The page source of the block (the /scenario/ page also lists the scenario's OLX, so look
    # at the /view/ page's source and at the block's own markup).
    source = page.request.get(lesson_url(server, VIDEO_QUIZ, student)).text()
    open_lesson(page, lesson_url(server, VIDEO_QUIZ, student, view="scenario"))
    block_html = page.locator("[data-block-type=lifelong_microlesson]").evaluate("node => node.outerHTML")
    for html in (source, block_html):
        assert "Where do you book" in html
        assert not re.search(r'"?correct"?\s*:\s*true', html), "correct answers are in the page before submitting"
        assert "Only official channels" not in html, "explanations are in the page before submitting"

    quiz = page.locator("[data-ll-quiz]")
    # Both wrong: the stranger's link for q1, the PIN on paper for q2 (pass score is 50 %).
    quiz.locator("fieldset[data-question=q1] input[value=b]").check()
    quiz.locator("fieldset[data-question=q2] input[value=c]").check()
    with page.expect_response(lambda r: "/submit_quick_check/" in r.url) as info:
        quiz.get_by_role("button", name="Submit answers").click()
    answer = info.value.json()
    assert answer["score"] == 0 and answer["passed"] is False and answer["attempts_left"] == 2
    feedback_q1 = quiz.locator("fieldset[data-question=q1] [data-feedback]")
    expect(feedback_q1).to_contain_text("Not correct")
    # (the feedback is written at once: once "Not correct" shows, the rest of it is there too)
    expect(feedback_q1, "answers revealed with attempts left").not_to_contain_text("Correct answer")
    status_line = quiz.locator("[data-ll-quiz-status]")
    expect(status_line).to_contain_text("Your score: 0%")
    expect(status_line).to_contain_text("Not passed yet")
    expect(status_line).to_contain_text("Attempts left: 2")

    quiz.locator("fieldset[data-question=q1] input[value=a]").check()
    quiz.locator("fieldset[data-question=q2] input[value=c]").uncheck()
    quiz.locator("fieldset[data-question=q2] input[value=a]").check()
    quiz.locator("fieldset[data-question=q2] input[value=b]").check()
    with page.expect_response(lambda r: "/submit_quick_check/" in r.url):
        quiz.get_by_role("button", name="Submit answers").click()
    expect(status_line).to_contain_text("Your score: 100%")
    expect(status_line).to_contain_text("Passed")
    expect(feedback_q1).to_have_text(re.compile(r"^\s*Correct"), use_inner_text=True)
    expect(feedback_q1).to_contain_text("Only official channels")

    state = user_state(page)
    assert state["passed"] is True and state["best_score"] == 1.0 and state["attempts_used"] == 2
    # The lesson needs the video played too: passing alone does not complete it.
    assert state["completed"] is False

    # After a reload the best score is shown by the server-rendered page.
    open_lesson(page, page.url)
    assert "100%" in page.locator("[data-ll-quiz-status]").inner_text()
    assert page.js_errors == []


def test_quick_check_refuses_a_forged_answer(server, open_page):
    page = open_page()
    open_lesson(page, lesson_url(server, TEXT_QUIZ, new_student(), view="scenario"))
    status, body = call_handler(page, "submit_quick_check", {"answers": {"q1": ["zzz"]}})
    assert status == 400 and body.get("error"), body
    assert user_state(page)["attempts_used"] == 0


# ---- text lessons ---------------------------------------------------------------------------

def test_finishing_reading_right_after_opening_is_refused(server, open_page):
    page = open_page()
    with page.expect_response(lambda r: "/start_reading/" in r.url) as started:
        open_lesson(page, lesson_url(server, TEXT, new_student(), view="scenario"))
    assert started.value.status == 200
    minimum = started.value.json()["minimum_seconds"]
    assert minimum >= 5

    button = page.get_by_role("button", name="I have finished reading")
    with page.expect_response(lambda r: "/finish_reading/" in r.url) as info:
        button.click()
    assert info.value.status == 409
    status = page.locator("[data-ll-reading-status]")
    expect(status).to_contain_text("more time to read")
    expect(status).to_have_class(re.compile(r"(^|\s)ll-error(\s|$)"))
    expect(button, "the learner must be able to try again").to_be_enabled()
    expect(page.locator("[data-ll-completed]")).to_be_hidden()
    state = user_state(page)
    assert state["completed"] is False and state["finished_reading"] is False
    assert page.js_errors == []


# ---- comfort settings -----------------------------------------------------------------------

def test_large_text_mode_toggles_and_is_remembered(server, open_page):
    page = open_page()
    student = new_student()
    lesson = open_lesson(page, lesson_url(server, TEXT_QUIZ, student))
    toggle = page.get_by_role("button", name="Large text")
    text = page.locator(".ll-text p").first

    def font_size(locator):
        return float(locator.evaluate("node => parseFloat(getComputedStyle(node).fontSize)"))

    assert toggle.get_attribute("aria-pressed") == "false"
    before_block, before_text = font_size(lesson), font_size(text)
    with page.expect_response(lambda r: "/save_comfort/" in r.url) as info:
        toggle.click()
    assert info.value.status == 200
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert font_size(lesson) > before_block
    assert font_size(text) > before_text

    open_lesson(page, page.url)
    toggle = page.get_by_role("button", name="Large text")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert font_size(page.locator(".ll-text p").first) > before_text

    # The setting belongs to this learner: another one still sees normal text.
    other = open_page()
    open_lesson(other, lesson_url(server, TEXT_QUIZ, new_student()))
    assert other.get_by_role("button", name="Large text").get_attribute("aria-pressed") == "false"

    with page.expect_response(lambda r: "/save_comfort/" in r.url):
        toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert font_size(page.locator(".ll-text p").first) == pytest.approx(before_text)
    assert page.js_errors == []


# ---- small screens and accessibility ------------------------------------------------------------

@pytest.mark.parametrize("student", ROLES)
def test_no_horizontal_overflow_at_360px(server, open_page, demo_scenarios, student):
    page = open_page(width=360, height=740)
    problems = []
    for index, name in demo_scenarios:
        lesson = open_lesson(page, lesson_url(server, index, student))
        for large in (False, True):
            if large:   # large-text mode must fit too
                with page.expect_response(lambda r: "/save_comfort/" in r.url):
                    page.get_by_role("button", name="Large text").click()
                expect(lesson).to_have_class(re.compile(r"(^|\s)ll-large(\s|$)"))
            width = page.evaluate("() => document.scrollingElement.scrollWidth")
            if width > 360:
                wide = page.evaluate("""() => Array.from(document.querySelectorAll('.lifelong *'))
                    .filter(n => n.getBoundingClientRect().right > 361)
                    .slice(0, 5).map(n => n.tagName + '.' + n.className)""")
                problems.append(f"{name} (large text {large}): scrollWidth {width}, wide: {wide}")
        # Back to normal for the next scenario (saved before leaving: an unsaved switch would leave it on).
        with page.expect_response(lambda r: "/save_comfort/" in r.url):
            page.get_by_role("button", name="Large text").click()
    assert problems == []
    assert page.js_errors == []


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("student", ROLES)
def test_axe_finds_no_violations(server, open_page, demo_scenarios, axe_source, student, locale):
    page = open_page(locale=locale)
    found = {}
    for index, name in demo_scenarios:
        open_lesson(page, lesson_url(server, index, student))
        page.add_script_tag(path=axe_source)
        # The block, not the workbench's bare host page: that page has no <title>, lang, <main>
        # or <h1>, which the LMS page around a block provides.
        result = page.evaluate("""async () => {
            const context = {include: [["[data-block-type=lifelong_microlesson]"]]};
            const result = await axe.run(context, {resultTypes: ["violations"]});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary)}));
        }""")
        if result:
            found[name] = result
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


# ---- hostile authored content ---------------------------------------------------------------------

FOREIGN_SCHEMES = ("javascript:", "data:text/html", "vbscript:")


def _assert_page_is_clean(page, requests, label):
    assert page.evaluate("() => typeof window.__xss") == "undefined", f"{label}: a payload ran"
    foreign = [url for url in requests if urlsplit(url).scheme in ("http", "https", "ws", "wss")
               and urlsplit(url).hostname != "127.0.0.1"]
    assert foreign == [], f"{label}: requests to other hosts: {foreign}"
    links = page.evaluate("""() => {
        const names = ['href', 'src', 'poster', 'action', 'formaction'];
        return Array.from(document.querySelectorAll(names.map(a => '[' + a + ']').join(', ')))
            .flatMap(n => names.map(a => n.getAttribute(a))).filter(Boolean);
    }""")
    dangerous = [link for link in links if link.strip().lower().replace("\t", "").startswith(FOREIGN_SCHEMES)]
    assert dangerous == [], f"{label}: script URLs in the page: {dangerous}"
    injected = page.evaluate("""() => Array.from(document.querySelectorAll('.lifelong *'))
        .filter(n => n.tagName === 'SCRIPT' || n.tagName.toLowerCase() === 'svg' && !n.closest('.ll-figure')
                || Array.from(n.attributes).some(a => a.name.startsWith('on')))
        .map(n => n.outerHTML.slice(0, 120))""")
    assert injected == [], f"{label}: injected elements or handlers: {injected}"


def test_injected_content_stays_inert(xss_server, open_page):
    page = open_page()
    requests, dialogs = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for index, name, kind, text_format in xss_server.scenarios:
        for student in (new_student("xss"), STAFF_STUDENT):
            label = f"{name}/{kind}/{text_format} as {student}"
            print(label)
            open_lesson(page, lesson_url(xss_server, index, student))
            # The payload is shown as the text the author typed, not evaluated or dropped.
            title = page.locator(".ll-title").inner_text()
            assert title == "Lesson " + TEXT_PAYLOADS[name], f"{label}: title shown as {title!r}"
            tags = page.locator(".ll-tag").all_inner_texts()
            assert TEXT_PAYLOADS[name] in tags, f"{label}: tags shown as {tags!r}"
            if name == "template" and text_format == "html":   # (Markdown reads 7*7 as emphasis)
                assert TEMPLATE_MARKER in page.locator(".ll-text").inner_text(), f"{label}: template syntax evaluated"
            # The quick check, so that explanations (and with no attempts limit, answers) show.
            quiz = page.locator("[data-ll-quiz]")
            quiz.locator("fieldset[data-question=q1] input[value=b]").check()
            quiz.locator("fieldset[data-question=q2] input[value=a]").check()
            with page.expect_response(lambda r: "/submit_quick_check/" in r.url) as info:
                quiz.locator("button[type=submit]").click()
            assert info.value.status == 200, f"{label}: {info.value.text()}"
            expect(quiz.locator("fieldset[data-question=q1] [data-feedback]"), label).to_contain_text("E1 ")
            if kind != "text":
                page.locator(".ll-transcript summary").click()
                page.locator(".ll-cue").first.click()
                page.locator("[data-ll-transcript-search]").fill("line")
            save_data = page.locator("[data-ll-toggle=low_bandwidth]")
            if save_data.count():
                with page.expect_response(lambda r: "/save_comfort/" in r.url):
                    save_data.click()
            page.wait_for_timeout(150)   # deliberate: time for a payload's load/error handler to run, if one got in
            _assert_page_is_clean(page, requests, label)
            # Caption files come back as text/vtt, never as HTML a browser would render.
            for src in page.locator("track").evaluate_all("nodes => nodes.map(n => n.src)"):
                response = page.request.get(src)
                assert response.headers["content-type"].startswith("text/vtt"), label
                assert response.headers.get("x-content-type-options") == "nosniff", label
    assert dialogs == []
    assert page.js_errors == []
