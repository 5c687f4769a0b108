"""Figures, exports and report rows of a reading log, for staff and Open edX's reports.

Staff trying the block out (``by_staff``) are left out of the figures; exports list them, marked.
Every function runs a fixed number of queries whatever the number of check-ins.
"""
from collections import defaultdict
from datetime import timedelta

from django.db.models import Avg, Count, Q, Sum

from lifelong_xblocks.models.reading_log import ReadingCheckIn
from lifelong_xblocks.reading import streaks

CHART_DAYS = 14


def staff_summary(usage_key, today, window, goal_days):
    """Learners, check-ins, goal reached, averages, and check-ins per day for the chart."""
    learners = ReadingCheckIn.objects.filter(usage_key=usage_key, by_staff=False)
    in_window = learners
    if window.start is not None:
        in_window = in_window.filter(day__gte=window.start)
    if window.end is not None:
        in_window = in_window.filter(day__lte=window.end)
    totals = learners.aggregate(checkins=Count("id"), learners=Count("user", distinct=True),
                                average_minutes=Avg("minutes"), minutes=Sum("minutes"), pages=Sum("pages"),
                                shared=Count("id", filter=Q(shared=True)))
    reached = 0
    if goal_days > 0:
        reached = (in_window.values("user").annotate(days=Count("day")).filter(days__gte=goal_days).count())
    chart_end = min(today, window.end) if window.end is not None else today
    chart_start = chart_end - timedelta(days=CHART_DAYS - 1)
    if window.start is not None and window.start > chart_start:
        chart_start = min(window.start, chart_end)
    per_day = dict(learners.filter(day__gte=chart_start, day__lte=chart_end).values("day")
                   .annotate(count=Count("id")).values_list("day", "count"))
    days = [chart_start + timedelta(days=offset) for offset in range((chart_end - chart_start).days + 1)]
    return {
        "learners": totals["learners"], "checkins": totals["checkins"], "goal_reached": reached,
        "average_minutes": round(totals["average_minutes"] or 0), "minutes": totals["minutes"] or 0,
        "pages": totals["pages"] or 0, "shared": totals["shared"],
        "per_day": [(day, per_day.get(day, 0)) for day in days],
    }


def checkin_rows(usage_key):
    """Every check-in of the block, oldest day first, streamed from the database."""
    return (ReadingCheckIn.objects.filter(usage_key=usage_key).select_related("user")
            .order_by("day", "user_id").iterator(chunk_size=500))


def report_rows(usage_key, usernames, today, window, goal_days):
    """``{username: summary}`` of the learners named, in one query."""
    found = defaultdict(dict)
    rows = (ReadingCheckIn.objects.filter(usage_key=usage_key, user__username__in=list(usernames))
            .values_list("user__username", "day", "minutes", "pages"))
    for username, day, minutes, pages in rows:
        found[username][day] = (minutes or 0, pages or 0)
    summaries = {}
    for username, days in found.items():
        counted, goal, reached = streaks.goal_progress(days, goal_days, window)
        summaries[username] = {
            "days": len(days), "days_counted": counted, "goal_reached": reached,
            "current_streak": streaks.current_streak(days, today, window),
            "longest_streak": streaks.longest_streak(days),
            "minutes": sum(m for m, _p in days.values()), "pages": sum(p for _m, p in days.values()),
            "last_day": max(days).isoformat(),
        }
    return summaries
