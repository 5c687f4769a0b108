"""The live session in Chromium, with sessions scheduled around the real time the server runs on.

Scenarios are written when the server starts: one far ahead (sign-up, waiting list), one inside
the join window, one live with a room code (hybrid), one over with a replay, and hostile text in
every authored field.  Assertions go through the page and the block's own handlers.
"""
import json
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
from playwright.sync_api import expect

from pages import PAYLOAD, BlockPage, PlayerReports, new_student, scenario_server
from workbench_server import STAFF_STUDENT
from xss_scenarios import attribute

from lifelong_xblocks.live import checkin_codes

pytestmark = pytest.mark.browser

TAG = "lifelong_live_session"


def utc(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def session_xml(title, start, end, **fields):
    attrs = {"display_name": title, "start_time": utc(start), "end_time": utc(end), "time_zone": "Asia/Shanghai",
             "join_url": "https://meet.example.org/j/42", "passcode": "2468", **fields}
    body = "\n  ".join(f"{name}={attribute(value)}" for name, value in attrs.items())
    return f"<{TAG}\n  {body}\n/>"


REPLAY = {"media_duration": "30", "completion_rule": "replay",
          "video_sources": [{"url": "/static/demo/lesson-360.webm", "label": "360p", "height": 360,
                             "type": "video/webm"}]}


def xss_fields(payload):
    return {
        "speakers": [{"name": "Name " + payload, "bio": "Bio " + payload}],
        "description": f"## Heading {payload}\n\nText {payload}\n\n[link {payload}](javascript:window.__xss=1)",
        "attendance_mode": "hybrid", "venue_address": "Addr " + payload, "venue_room": "Room " + payload,
        "passcode": payload, "capacity": "5",
        "captions": [{"lang": "en", "label": "English " + payload,
                      "vtt": f"WEBVTT\n\n00:00.000 --> 00:05.000\nline {payload}\n"}],
    }


@pytest.fixture(scope="module")
def sessions_server():
    now = datetime.now(timezone.utc).replace(second=0, microsecond=0)
    scenarios = {
        "upcoming": session_xml("Upcoming lecture", now + timedelta(hours=3), now + timedelta(hours=4), capacity="1"),
        "window": session_xml("Starting soon", now + timedelta(minutes=10), now + timedelta(hours=1)),
        "live": session_xml("Book club in the library", now - timedelta(minutes=10), now + timedelta(hours=2),
                            attendance_mode="hybrid", venue_address="City library, 88 Renmin Road",
                            venue_room="Room A", session_kind="meetup", completion_rule="attended"),
        "replay": session_xml("Last week's lecture", now - timedelta(hours=3), now - timedelta(hours=2), **REPLAY),
        "xss_live": session_xml("Live " + PAYLOAD, now - timedelta(minutes=10), now + timedelta(hours=2),
                                **xss_fields(PAYLOAD)),
        "xss_ended": session_xml("Ended " + PAYLOAD, now - timedelta(hours=3), now - timedelta(hours=2),
                                 **xss_fields(PAYLOAD), **REPLAY),
    }
    stems = {f"{TAG}_{name}": xml for name, xml in scenarios.items()}
    with scenario_server(stems, prefix="lifelong-live-scenarios-") as running:
        running.index = {name: sorted(stems).index(f"{TAG}_{name}") for name in scenarios}
        yield running


def open_session(page, server, name, student):
    """The session ``name`` opened as ``student``; returns its :class:`BlockPage`."""
    block = BlockPage(page, server, TAG, server.index[name])
    block.open(student)
    return block


def click_action(page, label):
    with page.expect_response(lambda r: "/handler/" in r.url and r.request.method == "POST") as info:
        page.get_by_role("button", name=label).click()
    assert info.value.status == 200, info.value.text()
    return info.value.json()


def test_sign_up_waiting_list_and_promotion(sessions_server, open_page):
    first, second = open_page(), open_page()
    open_session(first, sessions_server, "upcoming", new_student())
    expect(first.locator("[data-ll-join]")).to_have_count(0)
    click_action(first, "Sign up")
    expect(first.locator("[data-ll-panel]")).to_contain_text("You have a seat.")
    expect(first.locator("[data-ll-live-status]")).to_contain_text("You have a seat.")
    expect(first.locator("[data-ll-join]")).to_have_count(0)      # not in the join window yet
    expect(first.locator("[data-ll-panel]")).to_contain_text("The join link appears here from")

    second_student = new_student()
    open_session(second, sessions_server, "upcoming", second_student)
    assert "All seats are taken." in second.locator("[data-ll-panel]").inner_text()
    click_action(second, "Join the waiting list")
    expect(second.locator("[data-ll-panel]")).to_contain_text("You are number 1 on the waiting list.")
    click_action(first, "Cancel my registration")
    waiting = open_session(second, sessions_server, "upcoming", second_student)
    assert "You have a seat." in second.locator("[data-ll-panel]").inner_text()
    calendar = waiting.call("calendar", method="GET")
    assert calendar[0] == 200 and "BEGIN:VEVENT" in calendar[1] and "TRIGGER:-PT15M" in calendar[1]
    assert first.js_errors == [] and second.js_errors == []


def test_join_window_shows_link_and_passcode_to_registered_learners_and_online_check_in(sessions_server, open_page):
    page = open_page()
    block = open_session(page, sessions_server, "window", new_student())
    assert page.locator("[data-ll-join]").count() == 0 and "2468" not in page.locator(".ll-live").inner_html()
    click_action(page, "Sign up")
    join = page.locator("[data-ll-join]")
    expect(join).to_have_attribute("href", "https://meet.example.org/j/42")
    expect(join).to_have_attribute("rel", "noopener noreferrer")
    expect(page.locator("[data-ll-passcode]")).to_have_text("2468")
    click_action(page, "Check in to the session")
    expect(page.locator("[data-ll-checked-in]")).to_be_visible()
    expect(page.locator("[data-ll-completed]")).to_be_visible()
    status, state = block.call("student_view_user_state", method="GET")
    assert status == 200 and state["checked_in"] and state["check_in_method"] == "online"
    assert page.js_errors == []


def _as_student(url, student):
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["student"] = student
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_room_code_check_in_and_a_stale_code_refused(sessions_server, open_page, axe_source):
    staff = open_page()
    staff.clock.install()                       # the screen's timers, fast-forwarded below
    open_session(staff, sessions_server, "live", STAFF_STUDENT)
    with staff.expect_response(lambda r: "/checkin_code/" in r.url) as info:
        staff.get_by_text("Show the check-in code for the room's screen").click()
    code_url = info.value.json()["url"]
    staff.locator(".ll-qr svg[role=img]").wait_for()
    with staff.expect_response(lambda r: "/checkin_code/" in r.url) as again:   # a new code each minute
        staff.clock.fast_forward(max(5, info.value.json()["seconds_left"]) * 1000 + 500)
    assert again.value.status == 200 and 0 < again.value.json()["seconds_left"] <= 60
    usage = staff.evaluate("() => document.querySelector('[data-block-type=lifelong_live_session]').dataset.usage")

    phone = open_page(width=360, height=740)
    learner = new_student("phone")
    stale = checkin_codes.code_for(usage, datetime.now(timezone.utc) - timedelta(minutes=3))
    phone.goto(_as_student(code_url.split("code=")[0] + "code=" + stale, learner))
    with phone.expect_navigation():
        phone.get_by_role("button", name="Check in to the session").click()
    expect(phone.locator("[role=alert]")).to_contain_text("expired")

    phone.goto(_as_student(code_url, learner))
    assert phone.title().startswith("Check in to the session")
    phone.add_script_tag(path=axe_source)       # the phone's page is ours as a whole, not a block in a page
    violations = phone.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']}))"
                                ".violations.map(v => v.id + ': ' + v.help)")
    assert violations == [], violations
    with phone.expect_navigation():
        phone.get_by_role("button", name="Check in to the session").click()
    expect(phone.locator("[role=status]")).to_contain_text("You are checked in")
    status, state = open_session(phone, sessions_server, "live", learner).call("student_view_user_state", method="GET")
    assert state["checked_in"] and state["check_in_method"] == "qr" and state["completed"]
    open_session(staff, sessions_server, "live", STAFF_STUDENT)
    staff.get_by_text("1 registration", exact=False).first.click()
    expect(staff.locator(".ll-table")).to_contain_text(learner)
    assert staff.js_errors == [] and phone.js_errors == []


def test_replay_plays_and_completes(sessions_server, open_page):
    page = open_page()
    block = open_session(page, sessions_server, "replay", new_student())
    page.wait_for_function("() => { const m = document.querySelector('.ll-player');"
                           " return m && m.readyState >= 1 && isFinite(m.duration); }")
    page.select_option("[data-ll-speed]", "2.0")
    reports = PlayerReports(page)
    with page.expect_response(lambda r: "/report_progress/" in r.url):
        page.evaluate("() => document.querySelector('.ll-player').play()")
    # 15 s at 2x; media time runs late on a loaded machine (stalls), so wait generously.
    page.wait_for_function("() => document.querySelector('.ll-player').ended", timeout=90000)
    answer = reports.wait_for(lambda report, answer: answer["completed"], "completing the replay")
    assert answer["coverage"] >= 0.9, reports
    expect(page.locator("[data-ll-completed]")).to_be_visible()
    status, state = block.call("student_view_user_state", method="GET")
    assert status == 200 and state["coverage"] >= 0.9 and state["completed"], (state, reports)
    assert page.js_errors == []


@pytest.mark.parametrize("locale", ("en", "zh-CN"))
def test_axe_and_360px_for_learner_and_staff(sessions_server, open_page, axe_source, locale):
    found, wide = {}, {}
    for student in (new_student(), STAFF_STUDENT):
        page = open_page(locale=locale, width=360, height=740)
        for name in ("upcoming", "window", "live", "replay"):
            block = open_session(page, sessions_server, name, student)
            if student != STAFF_STUDENT and name == "window":
                block.call("sign_up")
                block.open(student)
            if student == STAFF_STUDENT and name == "live":
                with page.expect_response(lambda r: "/checkin_code/" in r.url):
                    page.locator("[data-ll-code] summary").click()
            page.locator("details").evaluate_all("nodes => nodes.forEach(n => { n.open = true; })")
            if violations := block.axe(axe_source):
                found[f"{name}/{student}"] = violations
            if too_wide := block.too_wide(360):
                wide[f"{name}/{student}"] = too_wide
        assert page.js_errors == []
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
    assert not wide, wide


def test_hostile_text_in_every_authored_field_stays_inert(sessions_server, open_page):
    page = open_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: dialog.dismiss())
    for phase in ("live", "ended"):
        for student in (new_student("xss"), STAFF_STUDENT):
            label = f"{phase}/{student}"
            block = open_session(page, sessions_server, f"xss_{phase}", student)
            if phase == "live" and student != STAFF_STUDENT:
                click_action(page, "Sign up")
                expect(page.locator("[data-ll-passcode]"), label).to_have_text(PAYLOAD)
            assert page.locator(".ll-title").inner_text() == f"{phase.title()} {PAYLOAD}", label
            text = page.locator(".ll-live").inner_text()
            for shown in ("Name " + PAYLOAD, "Bio " + PAYLOAD, "Addr " + PAYLOAD):
                assert shown in text, f"{label}: {shown!r} not shown as text"
            if phase == "ended":
                page.locator(".ll-transcript summary").click()
                expect(page.locator(".ll-transcript"), label).to_contain_text("line")   # cue tags stripped, text kept
            if student == STAFF_STUDENT and phase == "live":
                with page.expect_response(lambda r: "/checkin_code/" in r.url):
                    page.locator("[data-ll-code] summary").click()
            block.assert_inert(label, requests)


def test_staff_mark_a_learner_present_by_keyboard(sessions_server, open_page):
    learner = new_student("nophone")
    learner_page = open_page()
    open_session(learner_page, sessions_server, "live", learner).call("sign_up")

    staff = open_page()
    open_session(staff, sessions_server, "live", STAFF_STUDENT)
    staff.locator("[data-ll-registrations] summary").focus()
    staff.keyboard.press("Enter")                         # opens the registrations
    button = staff.get_by_role("button", name=f"Mark present: {learner}")
    expect(button).to_be_visible()
    for _step in range(80):                               # Tab to the learner's row, as a keyboard user does
        if staff.evaluate("() => document.activeElement.getAttribute('data-user')") == learner:
            break
        staff.keyboard.press("Tab")
    expect(button).to_be_focused()
    with staff.expect_response(lambda r: "/staff_check_in/" in r.url) as info:
        staff.keyboard.press("Enter")
    assert info.value.status == 200, info.value.text()
    expect(staff.locator("[data-ll-staff-status]")).to_have_text(f"{learner} is marked present.")
    expect(staff.get_by_role("button", name=f"Undo the check-in of {learner}")).to_be_focused()
    expect(staff.locator(f"[data-ll-row='{learner}']")).to_contain_text("By staff")

    open_session(learner_page, sessions_server, "live", learner)
    expect(learner_page.locator("[data-ll-checked-in]")).to_contain_text("By staff")
    expect(learner_page.locator("[data-ll-completed]")).to_be_visible()
    assert staff.js_errors == [] and learner_page.js_errors == []
