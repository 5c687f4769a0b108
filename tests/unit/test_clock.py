"""Times: UTC stored, the block's zone shown, "today" from server time in that zone."""
from datetime import date, datetime, timezone

import pytest

from lifelong_xblocks import clock
from lifelong_xblocks.errors import InvalidInput


def test_today_changes_at_midnight_beijing_not_utc():
    before = datetime(2026, 11, 29, 15, 59, tzinfo=timezone.utc)   # 23:59 in Shanghai
    after = datetime(2026, 11, 29, 16, 0, tzinfo=timezone.utc)     # 00:00 next day
    assert clock.today("Asia/Shanghai", at=before) == date(2026, 11, 29)
    assert clock.today("Asia/Shanghai", at=after) == date(2026, 11, 30)
    assert clock.today("UTC", at=after) == date(2026, 11, 29)


def test_default_zone_is_the_configured_one_and_unknown_names_fall_back():
    assert clock.zone().key == "Asia/Shanghai"
    assert clock.zone("Not/AZone").key == "Asia/Shanghai"
    assert clock.is_zone_name("Europe/Berlin") and not clock.is_zone_name("Not/AZone")


def test_day_bounds_are_utc_and_cover_one_day():
    start, end = clock.day_bounds(date(2026, 12, 1), "Asia/Shanghai")
    assert start == datetime(2026, 11, 30, 16, 0, tzinfo=timezone.utc)
    assert (end - start).total_seconds() == 86400


def test_parse_local_reads_the_wall_clock_of_the_zone():
    assert clock.parse_local("2026-12-01 19:30", "Asia/Shanghai") == datetime(2026, 12, 1, 11, 30,
                                                                            tzinfo=timezone.utc)
    assert clock.parse_local("2026-12-01T19:30+00:00") == datetime(2026, 12, 1, 19, 30, tzinfo=timezone.utc)
    with pytest.raises(InvalidInput):
        clock.parse_local("tomorrow evening")


def test_format_and_input_value_round_trip():
    moment = datetime(2026, 12, 1, 11, 30, tzinfo=timezone.utc)
    assert clock.format_local(moment, "Asia/Shanghai") == "2026-12-01 19:30 (UTC+08:00)"
    assert clock.format_local(moment, "America/St_Johns").endswith("(UTC-03:30)")
    assert clock.parse_local(clock.as_input_value(moment, "Europe/Berlin"), "Europe/Berlin") == moment
    assert clock.format_local(None) == ""


def test_differs_for_a_learner_elsewhere():
    assert clock.differs_for("Europe/Berlin", "Asia/Shanghai")
    assert not clock.differs_for("Asia/Chongqing", "Asia/Shanghai")
    assert not clock.differs_for("", "Asia/Shanghai")


def test_differs_for_follows_daylight_saving_at_the_moment_asked():
    # London is UTC+0 in winter and UTC+1 in summer; Africa/Abidjan is UTC+0 all year.
    # 2026-03-29 00:30 UTC is just before the change (01:00 UTC), 01:30 UTC just after.
    before = datetime(2026, 3, 29, 0, 30, tzinfo=timezone.utc)
    after = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    assert not clock.differs_for("Europe/London", "Africa/Abidjan", at=before)
    assert clock.differs_for("Europe/London", "Africa/Abidjan", at=after)
