"""Streaks and the goal over calendar days, including the ends of the activity window."""
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from lifelong_xblocks.reading.streaks import (
    OPEN_WINDOW,
    ActivityWindow,
    calendar_range,
    current_streak,
    days_towards_goal,
    goal_progress,
    longest_streak,
)

D = date(2026, 12, 1)


def days(*offsets):
    return {D + timedelta(days=offset) for offset in offsets}


def test_streak_counts_back_from_today():
    assert current_streak(days(-2, -1, 0), D) == 3


def test_a_streak_that_reached_yesterday_is_still_alive_today():
    assert current_streak(days(-2, -1), D) == 2


def test_a_missed_day_breaks_the_streak_but_not_the_longest():
    assert current_streak(days(-5, -4, -3, -1, 0), D) == 2
    assert longest_streak(days(-5, -4, -3, -1, 0)) == 3


def test_two_days_without_reading_end_the_current_streak():
    assert current_streak(days(-3, -2), D) == 0


def test_nothing_yet_is_zero():
    assert (current_streak(set(), D), longest_streak(set())) == (0, 0)


WEEK = ActivityWindow(date(2026, 12, 1), date(2026, 12, 7))


def test_goal_counts_only_days_inside_the_window_both_ends_included():
    checked = {date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 7), date(2026, 12, 8)}
    assert days_towards_goal(checked, WEEK) == 2
    assert goal_progress(checked, 2, WEEK) == (2, 2, True)
    assert goal_progress(checked, 3, WEEK) == (2, 3, False)


def test_after_the_window_the_streak_stands_as_it_was_at_the_end_of_the_last_day():
    through_the_end = {date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 7)}
    assert current_streak(through_the_end, date(2026, 12, 20), WEEK) == 3
    missed_the_last_day = {date(2026, 12, 5), date(2026, 12, 6)}
    assert current_streak(missed_the_last_day, date(2026, 12, 7), WEEK) == 2   # still alive on the last day
    assert current_streak(missed_the_last_day, date(2026, 12, 8), WEEK) == 0   # then over


def test_before_the_window_there_is_no_streak():
    assert current_streak(set(), date(2026, 11, 25), WEEK) == 0


def test_the_window_contains_its_ends():
    assert WEEK.contains(date(2026, 12, 1)) and WEEK.contains(date(2026, 12, 7))
    assert not WEEK.contains(date(2026, 11, 30)) and not WEEK.contains(date(2026, 12, 8))
    assert WEEK.length == 7 and OPEN_WINDOW.length is None
    assert WEEK.has_ended(date(2026, 12, 8)) and not WEEK.has_ended(date(2026, 12, 7))
    assert not WEEK.has_started(date(2026, 11, 30)) and WEEK.has_started(date(2026, 12, 1))


def test_calendar_shows_the_window_or_the_weeks_before_today():
    assert calendar_range(D, WEEK) == (WEEK.start, WEEK.end)
    start, end = calendar_range(D)
    assert end == D and (end - start).days == 12 * 7 - 1
    long = ActivityWindow(date(2026, 1, 1), date(2028, 1, 1))
    assert (calendar_range(D, long)[1] - long.start).days <= 370


day_sets = st.sets(st.integers(min_value=-60, max_value=60).map(lambda n: D + timedelta(days=n)), max_size=80)
windows = st.tuples(st.integers(-70, 70), st.integers(0, 40)).map(
    lambda pair: ActivityWindow(D + timedelta(days=pair[0]), D + timedelta(days=pair[0] + pair[1])))
todays = st.integers(min_value=-70, max_value=120).map(lambda n: D + timedelta(days=n))


@settings(max_examples=300, deadline=None)
@given(day_sets, todays, st.one_of(st.just(OPEN_WINDOW), windows))
def test_streak_invariants(checked, today, window):
    current, longest = current_streak(checked, today, window), longest_streak(checked)
    assert 0 <= current <= longest <= len(checked)
    if current:
        # the streak is a run of checked days ending today, yesterday, or on the window's last day
        anchor = window.end if window.has_ended(today) else (today if today in checked else today - timedelta(days=1))
        assert all(anchor - timedelta(days=n) in checked for n in range(current))
        assert anchor - timedelta(days=current) not in checked
    counted = days_towards_goal(checked, window)
    assert counted <= len(checked)
    if window.length is not None:
        assert counted <= window.length


@settings(max_examples=200, deadline=None)
@given(day_sets, todays)
def test_checking_in_today_never_lowers_a_streak(checked, today):
    assert current_streak(checked | {today}, today) >= current_streak(checked, today)
    assert current_streak(checked | {today}, today) >= 1
    assert longest_streak(checked | {today}) >= longest_streak(checked)


@settings(max_examples=200, deadline=None)
@given(day_sets)
def test_longest_streak_does_not_depend_on_order_or_duplicates(checked):
    as_list = sorted(checked, reverse=True)
    assert longest_streak(as_list + as_list) == longest_streak(checked)
