"""Checks of what an instructor authors for a live session, and the conversion of the times
they type (in the session's zone) to the UTC kept in the fields.

Each check returns translated sentences; empty means fine.  Studio shows them and refuses to save.
The replay's media and captions are checked by the lesson's own checks (``classroom.authoring``).
"""
from lifelong_xblocks import clock
from lifelong_xblocks.classroom import authoring as lesson_authoring
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.live.schedule import as_utc_text, parse_utc
from lifelong_xblocks.sanitize import is_safe_url

KINDS = ("lecture", "meetup", "other")
MODES = ("online", "offline", "hybrid")
COMPLETION_RULES = ("attended", "replay", "either")
MAX_SPEAKERS = 10
MAX_CAPACITY = 100000
MAX_JOIN_WINDOW = 240
MAX_SESSION_HOURS = 24
TEXT_LIMIT = 300


def utc_field_value(text, zone_name):
    """What Studio stores for a typed time: ``2026-12-01 19:30`` in ``zone_name`` -> ``...Z``.

    A value that carries its own offset (such as the stored ``...Z`` shown again) is kept as
    that moment.  Anything unreadable is returned unchanged for the checks to report.
    """
    if not isinstance(text, str) or not text.strip():
        return text
    try:
        return as_utc_text(clock.parse_local(text, zone_name))
    except InvalidInput:
        return text


def is_join_url(url):
    """Join links are https only (no site-relative path, no http)."""
    return isinstance(url, str) and url.startswith("https://") and is_safe_url(url, schemes=("https",))


def speaker_problems(speakers):
    if not isinstance(speakers, list) or len(speakers) > MAX_SPEAKERS:
        return [_("Give at most {count} speakers.").format(count=MAX_SPEAKERS)]
    problems = []
    for number, speaker in enumerate(speakers, start=1):
        if not isinstance(speaker, dict) or not isinstance(speaker.get("name"), str) \
                or not speaker.get("name", "").strip():
            problems.append(_("Speaker {number} needs a name.").format(number=number))
        elif not isinstance(speaker.get("bio", ""), str) or len(speaker.get("bio", "")) > 1000:
            problems.append(_("Speaker {number}: the short bio is text of at most 1000 characters.")
                            .format(number=number))
    return problems


def schedule_problems(data):
    problems = []
    if not clock.is_zone_name(data.time_zone):
        problems.append(_("The time zone is an IANA name such as Asia/Shanghai or Europe/Berlin."))
    start, end = parse_utc(data.start_time), parse_utc(data.end_time)
    if data.start_time and start is None:
        problems.append(_("Enter the start like 2026-12-01 19:30."))
    if data.end_time and end is None:
        problems.append(_("Enter the end like 2026-12-01 21:00."))
    if start and end:
        if end <= start:
            problems.append(_("The session must end after it starts."))
        elif (end - start).total_seconds() > MAX_SESSION_HOURS * 3600:
            problems.append(_("A session lasts at most 24 hours."))
    return problems


def session_problems(data):
    """Everything wrong with a live session's authored fields (``data`` has them as attributes)."""
    problems = []
    if data.session_kind not in KINDS:
        problems.append(_("The kind is a lecture, a book-club meetup or other."))
    if data.attendance_mode not in MODES:
        problems.append(_("The session is online, offline or both."))
    if data.completion_rule not in COMPLETION_RULES:
        problems.append(_("Completion is by attending, by the replay, or either."))
    problems += schedule_problems(data)
    problems += speaker_problems(data.speakers)
    if data.join_url and not is_join_url(data.join_url):
        problems.append(_("The join link must be an https:// address."))
    if data.attendance_mode in ("online", "hybrid") and not data.join_url:
        problems.append(_("An online or hybrid session needs a join link."))
    if data.attendance_mode in ("offline", "hybrid") and not str(data.venue_address or "").strip():
        problems.append(_("An offline or hybrid session needs the venue's address."))
    for value, label in ((data.passcode, _("The passcode")), (data.venue_address, _("The address")),
                         (data.venue_room, _("The room"))):
        if not isinstance(value, str) or len(value) > TEXT_LIMIT:
            problems.append(_("{field} is text of at most {limit} characters.").format(field=label,
                                                                                      limit=TEXT_LIMIT))
    problems += lesson_authoring.range_problem(data.capacity, 0, MAX_CAPACITY,
                                               _("The capacity is between 0 (unlimited) and 100000."))
    problems += lesson_authoring.range_problem(data.join_window_minutes, 0, MAX_JOIN_WINDOW,
                                               _("The join window is between 0 and 240 minutes."))
    problems += lesson_authoring.range_problem(data.completion_threshold, 0.5, 1.0,
                                               _("The completion threshold is between 0.5 and 1.0 (50 % to 100 %)."))
    problems += lesson_authoring.media_field_problems(data)
    if data.completion_rule == "replay" and not (data.video_sources or data.audio_url):
        problems.append(_("Completion by the replay needs replay media."))
    return problems


def is_complete(rule, attended, coverage, threshold):
    """Whether the learner completed the session under the author's rule."""
    by_attending = attended and rule in ("attended", "either")
    by_replay = coverage >= threshold - 1e-9 and rule in ("replay", "either")
    return bool(by_attending or by_replay)
