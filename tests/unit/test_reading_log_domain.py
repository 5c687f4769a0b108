"""The reading log's domain: which day a check-in belongs to, and what it may hold."""
from datetime import date, datetime, timezone

import pytest
from django.contrib.auth import get_user_model

from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.models.reading_log import ReadingCheckIn
from lifelong_xblocks.reading import reading_log
from lifelong_xblocks.reading.streaks import ActivityWindow

pytestmark = pytest.mark.django_db
COURSE, USAGE = "course-v1:OU+READ+2026", "block-v1:OU+READ+2026+type@lifelong_reading_log+block@log"
GOOD = {"book_title": "围城", "minutes": 20}


@pytest.fixture
def learner():
    return get_user_model().objects.create(username="reader")


def at(clock, hour, minute=0, day=30, month=11):
    clock.now = datetime(2026, month, day, hour, minute, tzinfo=timezone.utc)


def test_2359_and_0000_in_shanghai_are_two_days(clock, learner):
    at(clock, 15, 59)
    first = reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai")
    at(clock, 16, 0)
    second = reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai")
    assert (first.day, second.day) == (date(2026, 11, 30), date(2026, 12, 1))


def test_the_same_two_moments_are_one_day_in_utc(clock, learner):
    at(clock, 15, 59)
    reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "UTC")
    at(clock, 16, 0)
    reading_log.check_in(COURSE, USAGE, learner.pk, {**GOOD, "minutes": 40}, "UTC")
    assert list(ReadingCheckIn.objects.values_list("day", "minutes")) == [(date(2026, 11, 30), 40)]


def test_the_package_zone_is_the_default(clock, learner):
    at(clock, 16, 30)
    assert reading_log.check_in(COURSE, USAGE, learner.pk, GOOD).day == date(2026, 12, 1)


@pytest.mark.parametrize("claimed", ["2026-11-29", "2026-12-01", "2025-11-30"])
def test_other_days_than_today_are_refused(clock, learner, claimed):
    with pytest.raises(Conflict):
        reading_log.check_in(COURSE, USAGE, learner.pk, {**GOOD, "day": claimed}, "Asia/Shanghai")
    assert not ReadingCheckIn.objects.exists()


def test_a_malformed_day_is_invalid(clock, learner):
    with pytest.raises(InvalidInput):
        reading_log.check_in(COURSE, USAGE, learner.pk, {**GOOD, "day": "yesterday"}, "Asia/Shanghai")


def test_same_day_edit_keeps_one_row_and_the_first_check_in_time(clock, learner):
    first = reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai")
    clock.advance(3600)
    edited = reading_log.check_in(COURSE, USAGE, learner.pk, {"book_title": "活着", "pages": 30,
                                                              "reflection": "  很感动 \r\n\r\n\r\n\r\n下次继续  "},
                                  "Asia/Shanghai")
    assert edited.pk == first.pk and ReadingCheckIn.objects.count() == 1
    assert (edited.book_title, edited.minutes, edited.pages) == ("活着", None, 30)
    assert edited.reflection == "很感动 \n\n下次继续"
    assert edited.created == first.created and edited.modified > first.created


def test_window_ends_are_inclusive(clock, learner):
    window = ActivityWindow(date(2026, 11, 30), date(2026, 11, 30))
    at(clock, 16, 0, day=29)                                   # 00:00 on 30 November in Shanghai
    assert reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai", window).day == window.start
    at(clock, 15, 59)                                          # 23:59 on 30 November
    assert reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai", window).day == window.end
    at(clock, 16, 0)                                           # 00:00 on 1 December: closed
    with pytest.raises(Conflict):
        reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai", window)
    at(clock, 15, 59, day=29)                                  # 23:59 on 29 November: not open yet
    with pytest.raises(Conflict):
        reading_log.check_in(COURSE, USAGE, learner.pk, GOOD, "Asia/Shanghai", window)


def test_sharing_an_empty_reflection_shares_nothing(clock, learner):
    entry = reading_log.check_in(COURSE, USAGE, learner.pk, {**GOOD, "shared": True}, "Asia/Shanghai")
    assert entry.shared is False


def test_titles_are_tidied_and_control_characters_removed(clock, learner):
    entry = reading_log.check_in(COURSE, USAGE, learner.pk, {**GOOD, "book_title": " 三 \x00 体\t "}, "Asia/Shanghai")
    assert entry.book_title == "三 体"


def test_summary_from_days():
    days = {date(2026, 11, 29): (10, 0), date(2026, 11, 30): (20, 5)}
    summary = reading_log.learner_summary(days, date(2026, 11, 30), ActivityWindow(), 3)
    assert summary["current_streak"] == 2 and summary["goal_percent"] == 66 and not summary["goal_reached"]
    assert (summary["total_minutes"], summary["total_pages"]) == (30, 5)
