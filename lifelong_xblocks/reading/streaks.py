"""Streaks and the reading goal, over plain calendar days (no database, no time zones).

The days are already local dates in the block's zone; "today" comes from ``clock.today``.
"""
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ActivityWindow:
    """The days of the activity (both ends included); an open end means no limit on that side."""

    start: date | None = None
    end: date | None = None

    def contains(self, day):
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)

    @property
    def length(self):
        """Number of days in the window, ``None`` when an end is open."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    def has_started(self, today):
        return self.start is None or today >= self.start

    def has_ended(self, today):
        return self.end is not None and today > self.end


OPEN_WINDOW = ActivityWindow()


def longest_streak(days):
    """The most consecutive days in ``days``."""
    best = run = 0
    previous = None
    for day in sorted(set(days)):
        run = run + 1 if previous is not None and day - previous == ONE_DAY else 1
        best = max(best, run)
        previous = day
    return best


def current_streak(days, today, window=OPEN_WINDOW):
    """Consecutive days up to today; a streak that reached yesterday is still alive today.

    Once the window has ended nobody can continue, so the streak is frozen as it stood at the
    end of the window's last day: alive only if that day has a check-in.
    """
    days = set(days)
    if window.has_ended(today):
        day = window.end if window.end in days else None
    else:
        day = today if today in days else today - ONE_DAY
    count = 0
    while day is not None and day in days:
        count += 1
        day -= ONE_DAY
    return count


def days_towards_goal(days, window=OPEN_WINDOW):
    """Days with a check-in inside the window: what the goal counts."""
    return sum(1 for day in set(days) if window.contains(day))


def goal_progress(days, goal_days, window=OPEN_WINDOW):
    """``(days counted, goal, reached)``; the fraction is ``min(1, counted / goal)``."""
    counted = days_towards_goal(days, window)
    return counted, goal_days, goal_days > 0 and counted >= goal_days


def calendar_range(today, window=OPEN_WINDOW, weeks=12):
    """The days the learner's heat map shows: the window (at most a year), else ``weeks`` up to today."""
    if window.start is not None and window.end is not None:
        return window.start, min(window.end, window.start + timedelta(days=370))
    end = window.end if window.end is not None and window.end < today else today
    start = end - timedelta(weeks=weeks) + ONE_DAY
    if window.start is not None and window.start > start:
        start = window.start
    return start, max(start, end)
