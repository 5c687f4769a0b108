"""The "Add to calendar" file: one VEVENT in an iCalendar file, built with ``icalendar``.

- UID is stable per session (derived from its usage key), so a second download updates the
  entry instead of adding one;
- times carry the session's IANA zone with a VTIMEZONE that describes it (daylight saving too);
- SEQUENCE grows with each schedule change (Studio revisions + staff changes in the LMS);
- a reminder 15 minutes before; a cancelled session has ``STATUS:CANCELLED``.
The join link and passcode are never in the file: they are shown to registered learners only,
inside the join window.
"""
import hashlib
from datetime import timedelta

from icalendar import Alarm, Calendar, Event

from lifelong_xblocks import clock

PRODID = "-//lifelong_xblocks//live session//EN"
REMINDER = timedelta(minutes=15)


def uid_for(usage_key):
    return hashlib.sha256(usage_key.encode()).hexdigest()[:32] + "@lifelong-xblocks"


def calendar_bytes(usage_key, schedule, title, description="", location="", url="", now=None):
    """The ``.ics`` file of a session with a set schedule."""
    tz = clock.zone(schedule.zone_name)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", uid_for(usage_key))
    event.add("dtstamp", (now or clock.now()).astimezone(clock.UTC))
    event.add("dtstart", schedule.start.astimezone(tz))
    event.add("dtend", schedule.end.astimezone(tz))
    event.add("sequence", schedule.sequence)
    event.add("summary", title)
    event.add("status", "CANCELLED" if schedule.cancelled else "CONFIRMED")
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", title)
    alarm.add("trigger", -REMINDER)
    event.add_component(alarm)
    cal.add_component(event)
    cal.add_missing_timezones(first_date=(schedule.start - timedelta(days=366)).date(),
                              last_date=(schedule.end + timedelta(days=366)).date())
    return cal.to_ical()
