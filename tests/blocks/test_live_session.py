"""The live session through its views and handlers, with server time under the test's control."""
import json
import re

import pytest
from icalendar import Calendar
from lxml import etree

from lifelong_xblocks.live import checkin_codes

COURSE_BLOCK = """<lifelong_live_session display_name="Grand lecture &lt;b&gt;"
    start_time="2026-11-30T03:00:00Z" end_time="2026-11-30T04:00:00Z" time_zone="Asia/Shanghai"
    join_url="https://meet.example.org/j/1" passcode="9876" capacity="{capacity}" attendance_mode="{mode}"
    venue_address="Library, 88 Renmin Road" venue_room="Room A" completion_rule="{rule}" media_duration="100"
    video_sources='[{{"url": "https://cdn.example.org/replay.mp4", "label": "360p", "height": 360}}]'
    speakers='[{{"name": "Wang", "bio": "Teacher"}}]' description="Bring **questions**."/>"""


def session(scenario, capacity=2, mode="online", rule="either"):
    return scenario(COURSE_BLOCK.format(capacity=capacity, mode=mode, rule=rule))


def html(client):
    return client.fresh().render().content


def text(page):
    """The page's text without tags (times are split into pieces that each stay on one line)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def state(client):
    status, body = client.fresh().call("student_view_user_state", method="GET")
    assert status == 200, body
    return body


# ---- join window and phases --------------------------------------------------------------

def test_before_the_window_a_registered_learner_sees_no_link_or_passcode_and_cannot_check_in(scenario, clock):
    learner = session(scenario)("ann")
    status, answer = learner.call("sign_up")
    assert status == 200 and answer["state"]["status"] == "registered"
    page = html(learner)
    assert "meet.example.org" not in page and "9876" not in page
    assert "The join link appears here from 2026-11-30 10:45" in page
    status, answer = learner.fresh().call("check_in")
    assert status == 409 and "15 minutes" in answer["error"]
    assert state(learner)["join_url"] == ""


def test_inside_the_window_only_registered_learners_get_link_and_passcode(scenario, clock):
    as_user = session(scenario)
    as_user("ann").call("sign_up")
    clock.advance(50 * 60)                      # 02:50 UTC: 10 minutes before the start
    page = html(as_user("ann"))
    assert "https://meet.example.org/j/1" in page and "9876" in page
    other = html(as_user("bob"))
    assert "meet.example.org" not in other and "9876" not in other
    assert state(as_user("ann"))["passcode"] == "9876"
    assert state(as_user("bob"))["passcode"] == ""


def test_check_in_during_the_session_completes_it_and_is_kept_once(scenario, clock):
    learner = session(scenario)("ann")
    learner.call("sign_up")
    clock.advance(70 * 60)                      # 03:10: live
    assert "Live now" in html(learner)
    client = learner.fresh()
    status, answer = client.call("check_in")
    assert status == 200 and answer["state"]["checked_in"] and answer["state"]["completed"]
    assert client.events("completion") == [{"completion": 1.0}]
    clock.advance(60)
    status, again = learner.fresh().call("check_in")
    assert status == 200 and again["state"]["checked_in_at"] == answer["state"]["checked_in_at"]


def test_after_the_session_nothing_can_be_joined_but_the_replay_plays(scenario, clock):
    learner = session(scenario)("ann")
    learner.call("sign_up")
    clock.advance(3 * 3600)                     # 05:00: over
    page = html(learner)
    assert "meet.example.org" not in page and "replay.mp4" in page
    assert learner.fresh().call("check_in")[0] == 409
    assert learner.fresh().call("sign_up")[0] == 409


def test_replay_counts_only_after_the_session_and_completes_at_the_threshold(scenario, clock):
    learner = session(scenario, rule="replay")("ann")
    status, answer = learner.call("report_progress", {"intervals": [], "position": 0, "duration": 100})
    assert status == 409
    clock.advance(3 * 3600)
    assert learner.fresh().call("report_progress", {"intervals": [], "position": 0, "duration": 100})[0] == 200
    clock.advance(50)
    client = learner.fresh()
    status, answer = client.call("report_progress", {"intervals": [[0, 95]], "position": 95, "duration": 100})
    assert status == 200 and answer["completed"] and answer["coverage"] == pytest.approx(0.95)
    assert client.events("completion") == [{"completion": 1.0}]


def test_replay_cannot_claim_more_than_the_time_allows(scenario, clock):
    learner = session(scenario, rule="replay")("ann")
    clock.advance(3 * 3600)
    learner.call("report_progress", {"intervals": [], "position": 0, "duration": 100})
    clock.advance(10)
    status, _answer = learner.fresh().call("report_progress", {"intervals": [[0, 100]], "position": 100})
    assert status == 409
    assert state(learner)["completed"] is False


def test_attendance_rule_ignores_the_replay(scenario, clock):
    learner = session(scenario, rule="attended")("ann")
    clock.advance(3 * 3600)
    learner.call("report_progress", {"intervals": [], "position": 0, "duration": 100})
    clock.advance(60)
    status, answer = learner.fresh().call("report_progress", {"intervals": [[0, 100]], "position": 100})
    assert status == 200 and answer["coverage"] == 1.0 and answer["completed"] is False


# ---- seats and waiting list -----------------------------------------------------------------

def test_full_session_puts_learners_on_the_waiting_list_and_promotes_them_in_order(scenario, clock):
    as_user = session(scenario, capacity=2)
    for name in ("ann", "bob"):
        assert as_user(name).call("sign_up")[1]["state"]["status"] == "registered"
    clock.advance(1)
    assert as_user("cat").call("sign_up")[1]["state"]["waiting_position"] == 1
    clock.advance(1)
    assert as_user("dan").call("sign_up")[1]["state"]["waiting_position"] == 2
    assert "You are number 2 on the waiting list." in html(as_user("dan"))
    assert "All seats are taken." in html(as_user("eve")) and "0 seats left" not in html(as_user("eve"))
    status, answer = as_user("bob").call("cancel_registration")
    assert status == 200 and answer["state"]["status"] == "cancelled"
    assert state(as_user("cat"))["status"] == "registered"
    assert state(as_user("dan"))["waiting_position"] == 1
    # Signing up again goes to the end of the queue, not back to the old seat.
    assert as_user("bob").fresh().call("sign_up")[1]["state"]["waiting_position"] == 2


def test_signing_up_twice_keeps_one_place(scenario, clock):
    learner = session(scenario)("ann")
    first = learner.call("sign_up")[1]["state"]
    second = learner.fresh().call("sign_up")[1]["state"]
    assert first == second


def test_cancel_without_registration_is_refused(scenario, clock):
    status, answer = session(scenario)("ann").call("cancel_registration")
    assert status == 409 and answer["error"]


def test_anonymous_visitors_cannot_sign_up(scenario, clock):
    status, _answer = session(scenario)("none").call("sign_up")
    assert status == 403


# ---- staff reschedule and cancel -------------------------------------------------------------

def test_staff_reschedule_moves_the_window_shows_a_banner_and_grows_the_sequence(scenario, clock):
    as_user = session(scenario)
    as_user("ann").call("sign_up")
    sequence = Calendar.from_ical(as_user("ann").call("calendar", method="GET")[1]).walk("VEVENT")[0]["SEQUENCE"]
    status, answer = as_user("staff").call("reschedule", {"start": "2026-11-30 14:00", "end": "2026-11-30 15:30"})
    assert status == 200, answer
    page = html(as_user("ann"))
    assert "New time:" in page and "2026-11-30 14:00 (UTC+08:00)" in page
    assert "Your registration is kept." in page
    assert state(as_user("ann"))["status"] == "registered"
    clock.advance(50 * 60)                      # inside the old window, long before the new one
    assert as_user("ann").call("check_in")[0] == 409
    clock.advance(3 * 3600)                     # 05:50 UTC = 13:50 Shanghai: inside the new window
    assert as_user("ann").fresh().call("check_in")[0] == 200
    event = Calendar.from_ical(as_user("ann").fresh().call("calendar", method="GET")[1]).walk("VEVENT")[0]
    assert event["SEQUENCE"] == sequence + 1


def test_staff_cancel_keeps_registrations_and_refuses_everything(scenario, clock):
    as_user = session(scenario)
    as_user("ann").call("sign_up")
    status, _answer = as_user("staff").call("cancel_session", {"reason": "Speaker ill"})
    assert status == 200
    page = html(as_user("ann"))
    assert "This session has been cancelled." in page and "Speaker ill" in page
    clock.advance(70 * 60)
    assert as_user("ann").fresh().call("check_in")[0] == 409
    assert as_user("bob").call("sign_up")[0] == 409
    assert state(as_user("ann"))["status"] == "registered"
    event = Calendar.from_ical(as_user("ann").fresh().call("calendar", method="GET")[1]).walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED"
    assert as_user("staff").fresh().call("reinstate_session")[0] == 200
    assert as_user("ann").fresh().call("check_in")[0] == 200


def test_learners_cannot_use_staff_handlers(scenario, clock):
    as_user = session(scenario)
    for handler, data in (("reschedule", {"start": "2026-12-01 10:00", "end": "2026-12-01 11:00"}),
                          ("cancel_session", {}), ("reinstate_session", {})):
        assert as_user("ann").call(handler, data)[0] == 403
    for handler in ("download_csv", "download_xlsx", "checkin_code"):
        assert as_user("ann").call(handler, method="GET")[0] == 403


def test_bad_reschedule_is_refused_with_a_message_and_changes_nothing(scenario, clock):
    as_user = session(scenario)
    for data in ({"start": "tomorrow", "end": "2026-12-01 11:00"},
                 {"start": "2026-12-01 12:00", "end": "2026-12-01 11:00"},
                 {"start": "2026-11-01 12:00", "end": "2026-11-01 13:00"}):
        status, answer = as_user("staff").call("reschedule", data)
        assert status == 400 and answer["error"], data
    assert "New time:" not in html(as_user("ann"))
    status, answer = as_user("staff").fresh().call("cancel_session", {"reason": {"html": "<b>"}})
    assert status == 400 and answer["error"] == "The reason is text."
    assert "cancelled" not in html(as_user("ann"))


# ---- QR check-in ---------------------------------------------------------------------------

def test_qr_check_in_with_a_fresh_code_and_a_stale_code_refused(scenario, clock):
    as_user = session(scenario, mode="offline")
    clock.advance(65 * 60)
    status, code_answer = as_user("staff").call("checkin_code", method="GET")
    assert status == 200 and "<svg" in code_answer["svg"] and "qr_checkin" in code_answer["url"]
    code = checkin_codes.code_for(as_user("ann").block.usage_key)
    page = as_user("ann").call("qr_checkin", method="GET", suffix="")[1]
    assert b"Check in" in page
    clock.advance(150)                          # two and a half minutes later: too old
    request_body = f"code={code}".encode()
    status, body = _form_post(as_user("ann"), request_body)
    assert status == 409 and b"expired" in body
    fresh = checkin_codes.code_for(as_user("ann").block.usage_key)
    status, body = _form_post(as_user("ann").fresh(), f"code={fresh}".encode())
    assert status == 200 and b"You are checked in" in body
    assert state(as_user("ann"))["check_in_method"] == "qr"


def test_qr_code_of_another_session_or_forged_is_refused(scenario, clock):
    as_user = session(scenario, mode="offline")
    clock.advance(65 * 60)
    for code in ("123.abc", checkin_codes.code_for("block-v1:other+type@x+block@y"), "", "<script>"):
        status, body = _form_post(as_user("ann"), f"code={code}".encode())
        assert status == 409 and b"not valid" in body, code
        assert b"<script>" not in body


def test_online_sessions_have_no_room_code(scenario, clock):
    as_user = session(scenario, mode="online")
    clock.advance(65 * 60)
    code = checkin_codes.code_for(as_user("ann").block.usage_key)
    status, body = _form_post(as_user("ann"), f"code={code}".encode())
    assert status == 409


def test_offline_sessions_refuse_online_check_in(scenario, clock):
    learner = session(scenario, mode="offline")("ann")
    learner.call("sign_up")
    clock.advance(65 * 60)
    assert learner.fresh().call("check_in")[0] == 409


def _form_post(client, body):
    from webob import Request  # noqa: PLC0415
    request = Request.blank("/", method="POST", body=body)
    request.content_type = "application/x-www-form-urlencoded"
    response = client.runtime.handle(client.block, "qr_checkin", request, "")
    return response.status_code, response.body


# ---- times, exports, authoring, mobile ----------------------------------------------------------

def test_times_shown_in_the_session_zone(scenario, clock):
    page = html(session(scenario)("ann"))
    assert "2026-11-30 11:00 (UTC+08:00) – 2026-11-30 12:00 Asia/Shanghai" in text(page)
    assert '<span class="ll-nowrap">2026-11-30 11:00</span> <span class="ll-nowrap">(UTC+08:00)</span>' in page


def test_staff_view_and_exports_list_registrations_waiting_list_and_check_in_times(scenario, clock):
    as_user = session(scenario, capacity=1)
    as_user("ann").call("sign_up")
    as_user("bob").call("sign_up")
    clock.advance(70 * 60)
    as_user("ann").fresh().call("check_in")
    page = html(as_user("staff"))
    assert "For staff" in page and "<svg" in page and "bob" in page
    status, body = as_user("staff").call("download_csv", method="GET")
    text = body.decode("utf-8-sig")
    assert status == 200 and "ann" in text and "2026-11-30 11:10" in text and "Waiting list" in text
    status, body = as_user("staff").fresh().call("download_xlsx", method="GET")
    assert status == 200 and body[:2] == b"PK"


def test_studio_times_are_typed_in_the_zone_and_stored_in_utc(scenario, clock):
    block = session(scenario)("staff").block
    data = {"values": {"time_zone": "Europe/Berlin", "start_time": "2026-07-01 19:00", "end_time": "2026-07-01 20:30"},
            "defaults": []}
    block.clean_studio_edits(data["values"])
    assert data["values"]["start_time"] == "2026-07-01T17:00:00Z"
    assert data["values"]["end_time"] == "2026-07-01T18:30:00Z"
    assert data["values"]["schedule_revision"] == 1


def test_studio_refuses_bad_authoring_with_clear_messages(scenario, clock):
    client = session(scenario)("staff")
    status, answer = client.call("submit_studio_edits", {"values": {
        "join_url": "http://meet.example.org", "capacity": -1, "start_time": "soon", "time_zone": "Mars/Base",
        "speakers": [{"bio": "no name"}], "completion_threshold": 0.2}, "defaults": []})
    assert status == 400
    message = json.dumps(answer, ensure_ascii=False)
    for expected in ("https://", "capacity", "2026-12-01 19:30", "IANA", "Speaker 1 needs a name", "0.5"):
        assert expected in message, expected
    assert client.fresh().block.capacity == 2


def test_olx_round_trip_keeps_every_authored_field(scenario, clock):
    block = session(scenario, mode="hybrid")("staff").block
    node = etree.Element("lifelong_live_session")
    block.add_xml_to_node(node)
    copy = scenario(etree.tostring(node, encoding="unicode"))("staff").block
    for name in block.editable_fields:
        assert getattr(copy, name) == getattr(block, name), name


def test_mobile_data_never_holds_the_join_link_or_passcode(scenario, clock):
    data = session(scenario, mode="hybrid")("ann").block.student_view_data()
    assert data["start"] == "2026-11-30T03:00:00+00:00" and data["venue"]["room"] == "Room A"
    text = repr(data)
    assert "meet.example.org" not in text and "9876" not in text


def test_report_rows_for_open_edx_reports(scenario, clock):
    as_user = session(scenario)
    as_user("ann").call("sign_up")
    clock.advance(70 * 60)
    as_user("ann").fresh().call("check_in")
    clock.advance(2 * 3600)
    viewer = as_user("vic")
    viewer.call("report_progress", {"intervals": [], "position": 0, "duration": 100})
    clock.advance(60)
    viewer.fresh().call("report_progress", {"intervals": [[0, 92]], "position": 92})
    rows = as_user("staff").block.report_rows(["ann", "vic", "nobody"])
    assert dict(rows["ann"])["completion"] == 1.0 and dict(rows["ann"])["check_in_method"] == "online"
    assert dict(rows["vic"])["completion"] == 1.0 and dict(rows["vic"])["replay_coverage"] == 0.92
    assert "nobody" not in rows
    rows = list(as_user("staff").block.generate_report_data(iter([]), limit_responses=5))
    assert rows == []
    csv_text = as_user("staff").fresh().call("download_csv", method="GET")[1].decode("utf-8-sig")
    assert "vic,Replay only" in csv_text


def test_studio_editor_and_preview_render(scenario, clock):
    client = session(scenario)("staff")
    studio = client.render("studio_view").content
    assert "Speakers" in studio and "LifelongStudioEditor" in studio
    preview = client.fresh().render("author_view").content
    assert "Grand lecture &lt;b&gt;" in preview and "Your place" not in preview and "For staff" not in preview


def test_learner_in_another_zone_sees_both_times(scenario, clock, monkeypatch):
    from lifelong_xblocks.blocks.live_session import LiveSessionBlock  # noqa: PLC0415
    from lifelong_xblocks.identity import Person  # noqa: PLC0415
    client = session(scenario)("ann")
    person = client.block.person
    monkeypatch.setattr(LiveSessionBlock, "person", property(lambda self: Person(
        person.user_id, person.username, person.anonymous_id, False, time_zone="Europe/Berlin")))
    page = text(client.render().content)
    assert "2026-11-30 11:00 (UTC+08:00)" in page
    assert "Your time: 2026-11-30 04:00 (UTC+01:00) – 2026-11-30 05:00 (Europe/Berlin)" in page


def test_large_text_is_offered_before_the_replay_and_remembered(scenario, clock):
    learner = session(scenario)("ann")
    assert learner.render().content.count('data-ll-toggle="large_text"') == 1
    learner.fresh().call("save_comfort", {"large_text": True})
    assert "ll-live ll-large" in html(learner)
    clock.advance(3 * 3600)
    assert html(learner).count('data-ll-toggle="large_text"') == 1   # now in the replay's player


def test_replay_media_fields_are_declared_once_with_the_micro_lesson(scenario, clock):
    from lifelong_xblocks.blocks.live_session import LiveSessionBlock  # noqa: PLC0415
    from lifelong_xblocks.blocks.microlesson import MicroLessonBlock  # noqa: PLC0415
    for name in ("video_sources", "audio_url", "poster_url", "captions", "media_duration", "completion_threshold"):
        assert LiveSessionBlock.fields[name] is MicroLessonBlock.fields[name], name
        assert name in LiveSessionBlock.editable_fields and name in MicroLessonBlock.editable_fields
    for name in ("video_sources", "captions"):
        assert LiveSessionBlock.studio_lists[name] is MicroLessonBlock.studio_lists[name]
    for key in ("watched", "completed", "resumed", "report_refused", "no_matches"):   # player.js's strings
        assert LiveSessionBlock.js_strings[key] == MicroLessonBlock.js_strings[key], key
    block = session(scenario)("staff").block          # OLX written before the mixin still loads
    assert block.video_sources[0]["url"] == "https://cdn.example.org/replay.mp4" and block.media_duration == 100


def test_studio_refuses_more_caption_tracks_than_its_form_offers(scenario, clock):
    client = session(scenario)("staff")
    tracks = [{"lang": f"x-l{number}", "label": str(number), "vtt": "WEBVTT\n"} for number in range(11)]
    status, answer = client.call("submit_studio_edits", {"values": {"captions": tracks}, "defaults": []})
    assert status == 400 and "at most 10 caption tracks" in json.dumps(answer)
    assert client.fresh().block.captions == []


def test_a_studio_change_of_only_the_end_takes_over_from_a_staff_reschedule(scenario, clock):
    as_user = session(scenario)
    assert as_user("staff").call("reschedule", {"start": "2026-11-30 14:00", "end": "2026-11-30 15:30"})[0] == 200
    assert "New time:" in html(as_user("ann"))
    status, answer = as_user("staff").fresh().call("submit_studio_edits", {
        "values": {"end_time": "2026-11-30 12:30"}, "defaults": []})
    assert status == 200, answer
    page = text(html(as_user("ann")))
    assert "New time:" not in page and "2026-11-30 11:00 (UTC+08:00) – 2026-11-30 12:30" in page


def test_demo_scenarios_stay_useful_whenever_the_workbench_runs(scenario):
    """`make run` shows two sessions still to come (staff move them to now with Reschedule to try
    the join window and the room code) and one that is over, with its replay.  Fails a year before
    the upcoming dates run out, so they get moved in time."""
    from datetime import timedelta  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from lifelong_xblocks import clock as server_clock  # noqa: PLC0415
    from lifelong_xblocks.workbench import scenarios_for  # noqa: PLC0415
    folder = Path(__file__).resolve().parents[2] / "workbench" / "scenarios"
    found = {}
    for title, xml in scenarios_for("lifelong_live_session", folder):
        block_xml = xml[xml.index("<lifelong_live_session"):xml.index("/>", xml.index("<lifelong_live_session")) + 2]
        client = scenario(block_xml)("ann")
        schedule = client.block.schedule()
        found[title] = schedule.phase()
        if schedule.phase() == "upcoming":
            assert schedule.start - server_clock.now() > timedelta(days=365), f"{title}: move its dates further ahead"
        else:
            assert schedule.phase() == "ended" and client.block.has_replay, title
            assert "ll-player" in client.render().content
    assert sorted(found.values()) == ["ended", "upcoming", "upcoming"], found


def test_exports_hold_registrations_the_waiting_list_in_order_and_check_in_times(scenario, clock):
    import csv  # noqa: PLC0415
    import io  # noqa: PLC0415

    from openpyxl import load_workbook  # noqa: PLC0415
    as_user = session(scenario, capacity=1, mode="hybrid")
    for name in ("ann", "bob", "cat"):
        as_user(name).call("sign_up")
        clock.advance(1)
    as_user("staff").call("sign_up")
    clock.advance(70 * 60)                      # 03:10 UTC = 11:10 in Shanghai
    as_user("ann").fresh().call("check_in")
    status, body = as_user("staff").call("download_csv", method="GET")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert status == 200 and rows[0][:2] == ["Username", "Status"] and rows[0][6] == "Checked in at"
    assert [row[:2] for row in rows[1:]] == [["ann", "Registered"], ["bob", "Waiting list"],
                                            ["cat", "Waiting list"], ["staff", "Waiting list"]]
    assert rows[1][6] == "2026-11-30 11:10 (UTC+08:00)" and rows[1][7] == "Online" and rows[2][6] == ""
    assert rows[4][9] == "yes"                  # staff's own try is marked
    status, body = as_user("staff").fresh().call("download_xlsx", method="GET")
    sheet = load_workbook(io.BytesIO(body)).active
    values = [[cell if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert status == 200 and [str(cell) for cell in values[1][:8]] == [str(cell) for cell in rows[1][:8]]
    assert [row[0] for row in values[1:]] == ["ann", "bob", "cat", "staff"]
    assert as_user("ann").fresh().call("download_csv", method="GET")[0] == 403
