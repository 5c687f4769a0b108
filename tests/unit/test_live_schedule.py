"""Phases of a session, the room's check-in codes and the completion rule."""
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.live import authoring, checkin_codes
from lifelong_xblocks.live.schedule import Schedule, effective_schedule, parse_utc

UTC = ZoneInfo("UTC")
START = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
SCHEDULE = Schedule(START, START + timedelta(hours=1), "Asia/Shanghai", 15)


@pytest.mark.parametrize(("minutes", "phase"), [
    (-16, "upcoming"), (-15, "joinable"), (-1, "joinable"), (0, "live"), (59, "live"), (60, "ended"), (600, "ended"),
])
def test_phases_by_server_time(minutes, phase):
    assert SCHEDULE.phase(START + timedelta(minutes=minutes)) == phase


def test_cancelled_and_unscheduled_sessions():
    assert Schedule(START, START + timedelta(hours=1), "Asia/Shanghai", 15, cancelled=True).phase(START) == "cancelled"
    assert Schedule(None, None, "Asia/Shanghai", 15).phase(START) == "unscheduled"
    assert Schedule(START, START, "Asia/Shanghai", 15).phase(START) == "unscheduled"


def test_staff_override_applies_until_studio_changes_the_schedule():
    state = SimpleNamespace(start_override=START + timedelta(days=1), end_override=START + timedelta(days=1, hours=1),
                            overrides_start="20261201T113000Z/20261201T123000Z", cancelled=False, cancel_reason="", sequence=2)
    moved = effective_schedule("2026-12-01T11:30:00Z", "2026-12-01T12:30:00Z", "Asia/Shanghai", 15, state, 1)
    assert moved.rescheduled and moved.start == START + timedelta(days=1) and moved.sequence == 3
    edited = effective_schedule("2026-12-03T11:30:00Z", "2026-12-03T12:30:00Z", "Asia/Shanghai", 15, state, 2)
    assert not edited.rescheduled and edited.start == parse_utc("2026-12-03T11:30:00Z") and edited.sequence == 4


def test_typed_times_become_utc_in_the_chosen_zone():
    assert authoring.utc_field_value("2026-12-01 19:30", "Asia/Shanghai") == "2026-12-01T11:30:00Z"
    assert authoring.utc_field_value("2026-07-01T19:30", "Europe/Berlin") == "2026-07-01T17:30:00Z"
    assert authoring.utc_field_value("2026-12-01T11:30:00Z", "Europe/Berlin") == "2026-12-01T11:30:00Z"
    assert authoring.utc_field_value("next friday", "Asia/Shanghai") == "next friday"


def test_join_urls_are_https_only():
    assert authoring.is_join_url("https://meet.example.org/j/1")
    for url in ("http://meet.example.org", "/relative", "javascript:alert(1)", "https://", "https://a b", ""):
        assert not authoring.is_join_url(url), url


@pytest.mark.parametrize(("rule", "attended", "coverage", "complete"), [
    ("attended", True, 0.0, True), ("attended", False, 1.0, False),
    ("replay", True, 0.0, False), ("replay", False, 0.9, True), ("replay", False, 0.89, False),
    ("either", True, 0.0, True), ("either", False, 0.95, True), ("either", False, 0.5, False),
])
def test_completion_rule(rule, attended, coverage, complete):
    assert authoring.is_complete(rule, attended, coverage, 0.9) is complete


USAGE = "block-v1:OU+LL101+2025+type@lifelong_live_session+block@meetup"


@given(st.integers(min_value=0, max_value=10 ** 6))
def test_a_code_is_accepted_for_two_minutes_and_then_refused(seconds_after):
    made = START + timedelta(seconds=17)
    code = checkin_codes.code_for(USAGE, made)
    now = made + timedelta(seconds=seconds_after)
    age_minutes = checkin_codes.minute_of(now) - checkin_codes.minute_of(made)
    if age_minutes <= 1:
        checkin_codes.check_code(USAGE, code, now)
        assert (now - made) < timedelta(minutes=2)
    else:
        with pytest.raises(InvalidInput):
            checkin_codes.check_code(USAGE, code, now)


def test_codes_are_bound_to_the_session_and_cannot_be_forged_or_dated_ahead():
    code = checkin_codes.code_for(USAGE, START)
    with pytest.raises(InvalidInput):
        checkin_codes.check_code(USAGE + "x", code, START)
    minute, _dot, signature = code.partition(".")
    with pytest.raises(InvalidInput):
        checkin_codes.check_code(USAGE, f"{int(minute) + 5}.{signature}", START)
    future = checkin_codes.code_for(USAGE, START + timedelta(minutes=5))
    with pytest.raises(InvalidInput):
        checkin_codes.check_code(USAGE, future, START)
    for junk in ("", ".", "abc", "1e9.x", None, "9" * 40 + ".x"):
        with pytest.raises(InvalidInput):
            checkin_codes.check_code(USAGE, junk, START)


def test_qr_code_is_svg_with_a_name_for_screen_readers():
    svg = checkin_codes.qr_svg("https://lms.example.org/x?code=1.abc", 'Check-in "<b>"')
    assert svg.startswith('<svg role="img" aria-label="Check-in &quot;&lt;b&gt;&quot;"')
