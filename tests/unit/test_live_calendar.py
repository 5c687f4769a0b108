"""The calendar file parsed back with icalendar, field by field, including across a DST change."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar

from lifelong_xblocks.live.calendar_file import calendar_bytes, uid_for
from lifelong_xblocks.live.schedule import Schedule

UTC = ZoneInfo("UTC")
USAGE = "block-v1:OU+LL101+2025+type@lifelong_live_session+block@talk"
NOW = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def parsed(schedule, **kwargs):
    body = calendar_bytes(USAGE, schedule, kwargs.pop("title", "Grand lecture 大讲堂"), now=NOW, **kwargs)
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return calendar, events[0]


def test_event_fields_in_shanghai():
    schedule = Schedule(datetime(2026, 12, 1, 11, 30, tzinfo=UTC), datetime(2026, 12, 1, 13, 0, tzinfo=UTC),
                        "Asia/Shanghai", 15, sequence=3)
    calendar, event = parsed(schedule, description="Bring questions", location="Library, Room A")
    assert calendar["VERSION"] == "2.0" and calendar["METHOD"] == "PUBLISH"
    assert str(event["UID"]) == uid_for(USAGE)
    assert str(event["SUMMARY"]) == "Grand lecture 大讲堂"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.tzinfo.key == "Asia/Shanghai" and start.replace(tzinfo=None) == datetime(2026, 12, 1, 19, 30)
    assert start == schedule.start and end == schedule.end
    assert event["DTSTART"].params["TZID"] == "Asia/Shanghai"
    assert event["SEQUENCE"] == 3 and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "Library, Room A" and str(event["DESCRIPTION"]) == "Bring questions"
    assert event.decoded("DTSTAMP") == NOW
    alarms = event.walk("VALARM")
    assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == -timedelta(minutes=15)
    assert str(alarms[0]["ACTION"]) == "DISPLAY"
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Asia/Shanghai"]


def test_berlin_across_the_autumn_dst_change_keeps_the_real_moments():
    # 2026-10-25 03:00 CEST -> 02:00 CET.  The session runs 20:00 CEST Saturday to 03:00 CET Sunday.
    start = datetime(2026, 10, 24, 18, 0, tzinfo=UTC)
    end = datetime(2026, 10, 25, 2, 0, tzinfo=UTC)
    calendar, event = parsed(Schedule(start, end, "Europe/Berlin", 15))
    dtstart, dtend = event.decoded("DTSTART"), event.decoded("DTEND")
    assert dtstart.replace(tzinfo=None) == datetime(2026, 10, 24, 20, 0)
    assert dtend.replace(tzinfo=None) == datetime(2026, 10, 25, 3, 0)
    assert dtstart == start and dtend == end
    # One hour more than the wall clock shows (Python subtracts same-zone times by wall clock).
    assert dtend.astimezone(UTC) - dtstart.astimezone(UTC) == timedelta(hours=8)
    zone = calendar.walk("VTIMEZONE")[0]
    assert str(zone["TZID"]) == "Europe/Berlin"
    standard = zone.walk("STANDARD")
    daylight = zone.walk("DAYLIGHT")
    assert standard and daylight
    offsets = {(str(c["TZNAME"]), c.decoded("TZOFFSETTO")) for c in standard + daylight}
    assert ("CET", timedelta(hours=1)) in offsets and ("CEST", timedelta(hours=2)) in offsets
    # The zone the file describes converts the times the same way as the IANA database.
    tz = zone.to_tz()
    assert datetime(2026, 10, 24, 20, 0, tzinfo=tz).utcoffset() == timedelta(hours=2)
    assert datetime(2026, 10, 25, 3, 0, tzinfo=tz).utcoffset() == timedelta(hours=1)


def test_cancelled_and_rescheduled_sessions_keep_the_uid_and_grow_the_sequence():
    start = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
    first = parsed(Schedule(start, start + timedelta(hours=1), "Asia/Shanghai", 15, sequence=0))[1]
    moved = parsed(Schedule(start + timedelta(days=1), start + timedelta(days=1, hours=1), "Asia/Shanghai", 15,
                            rescheduled=True, sequence=1))[1]
    gone = parsed(Schedule(start, start + timedelta(hours=1), "Asia/Shanghai", 15, cancelled=True, sequence=2))[1]
    assert str(first["UID"]) == str(moved["UID"]) == str(gone["UID"])
    assert first["SEQUENCE"] < moved["SEQUENCE"] < gone["SEQUENCE"]
    assert str(gone["STATUS"]) == "CANCELLED"


def test_text_with_commas_semicolons_and_newlines_survives():
    start = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
    title = "A, B; C\nD <script>"
    _calendar, event = parsed(Schedule(start, start + timedelta(hours=1), "Asia/Shanghai", 15), title=title)
    assert str(event["SUMMARY"]) == title
