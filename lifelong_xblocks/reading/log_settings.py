"""What an author sets on a reading log in Studio: zone, activity window and goal, checked."""
from datetime import date

from lifelong_xblocks import clock
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.reading.streaks import ActivityWindow

MAX_GOAL_DAYS = 366
INTRO_MAX = 2000
PROMPT_MAX = 300


def parse_day(text):
    """``2026-12-01`` -> a date; ``""`` -> ``None``; anything else raises ``ValueError``."""
    text = str(text or "").strip()
    return date.fromisoformat(text) if text else None


def window_of(start_text, end_text):
    """The activity window the fields describe; a malformed end is treated as open.

    Studio refuses malformed dates, but imported OLX skips Studio: the block must still work.
    """
    def safe(text):
        try:
            return parse_day(text)
        except ValueError:
            return None
    start, end = safe(start_text), safe(end_text)
    if start and end and end < start:
        return ActivityWindow()
    return ActivityWindow(start, end)


def settings_problems(data):
    """Translated messages for every invalid setting in ``data`` (Studio's field values)."""
    problems = []
    zone_name = str(data.get("time_zone") or "").strip()
    if zone_name and not clock.is_zone_name(zone_name):
        problems.append(_("Time zone: \"{zone}\" is not a known time zone. Use a name such as Asia/Shanghai, "
                          "or leave it empty.").format(zone=zone_name))
    days = {}
    for field, label in (("window_start", _("First day")), ("window_end", _("Last day"))):
        try:
            days[field] = parse_day(data.get(field))
        except ValueError:
            problems.append(_("{label}: enter a date like 2026-12-01, or leave it empty.").format(label=label))
            days[field] = None
    start, end = days["window_start"], days["window_end"]
    if start and end and end < start:
        problems.append(_("Last day: the activity cannot end before it starts."))
    goal = data.get("goal_days")
    if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= MAX_GOAL_DAYS:
        problems.append(_("Goal: enter a whole number of days from 1 to {limit}.").format(limit=MAX_GOAL_DAYS))
    elif start and end and end >= start and goal > (end - start).days + 1:
        problems.append(_("Goal: the activity has only {days} days, so the goal can be at most {days}.")
                        .format(days=(end - start).days + 1))
    if len(str(data.get("intro") or "")) > INTRO_MAX:
        problems.append(_("Introduction: at most {limit} characters.").format(limit=INTRO_MAX))
    if len(str(data.get("reflection_prompt") or "")) > PROMPT_MAX:
        problems.append(_("Reflection prompt: at most {limit} characters.").format(limit=PROMPT_MAX))
    return problems
