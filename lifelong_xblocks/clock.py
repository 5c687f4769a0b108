"""Times for every block: stored in UTC, shown in the block's zone, "today" decided by the server.

The activity week runs on Beijing time by default (``LIFELONG_XBLOCKS["TIME_ZONE"]``); a block
may name another IANA zone.  The browser's clock never decides anything.
"""
import functools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.utils import timezone

from lifelong_xblocks import conf
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _

UTC = ZoneInfo("UTC")


def is_zone_name(name):
    """True for a known IANA zone name such as ``Asia/Shanghai``."""
    return bool(name) and name in _zone_names()


@functools.cache
def _zone_names():
    """The system's zone names, read once (``available_timezones`` walks the tz database on every
    call: 5 ms of each render of a block that shows times)."""
    return frozenset(available_timezones())


def zone(name=None):
    """The ``ZoneInfo`` for ``name``, else the package's configured zone."""
    for candidate in (name, conf.get("TIME_ZONE"), "Asia/Shanghai"):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    return UTC


def now():
    """The server's current time (aware, UTC).  Tests move it with the ``clock`` fixture."""
    return timezone.now()


def today(zone_name=None, at=None):
    """The calendar day it is in ``zone_name`` at ``at`` (default: now)."""
    return (at or now()).astimezone(zone(zone_name)).date()


def day_bounds(day, zone_name=None):
    """``(start, end)`` in UTC of the calendar ``day`` in ``zone_name`` (end exclusive)."""
    tz = zone(zone_name)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def to_local(moment, zone_name=None):
    """``moment`` (aware) as a time in ``zone_name``."""
    return moment.astimezone(zone(zone_name))


def parse_local(text, zone_name=None, field=None):
    """A date-time typed in ``zone_name`` (``2026-12-01T19:30`` or ``2026-12-01 19:30``) -> UTC.

    A value with its own offset keeps it.  Anything else raises :class:`InvalidInput`.
    """
    value = str(text or "").strip()
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(_("Enter a date and time like 2026-12-01 19:30."), field=field) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone(zone_name))
    return parsed.astimezone(UTC)


def offset_label(moment, zone_name=None):
    """``UTC+08:00`` for ``moment`` in ``zone_name``: readable in every language."""
    offset = to_local(moment, zone_name).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def format_local(moment, zone_name=None, with_offset=True):
    """``2026-12-01 19:30 (UTC+08:00)``; ``""`` for no time."""
    if moment is None:
        return ""
    shown = f"{to_local(moment, zone_name):%Y-%m-%d %H:%M}"
    return f"{shown} ({offset_label(moment, zone_name)})" if with_offset else shown


def as_input_value(moment, zone_name=None):
    """The value of an ``<input type="datetime-local">`` showing ``moment`` in ``zone_name``."""
    return "" if moment is None else f"{to_local(moment, zone_name):%Y-%m-%dT%H:%M}"


def differs_for(person_zone, zone_name=None, at=None):
    """True when a learner's own zone shows a different wall-clock time than ``zone_name`` at ``at``."""
    if not is_zone_name(person_zone):
        return False
    moment = at or now()
    return moment.astimezone(zone(person_zone)).utcoffset() != moment.astimezone(zone(zone_name)).utcoffset()
