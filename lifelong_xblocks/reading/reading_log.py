"""The reading log: one check-in per learner per day, and what the learner's page shows.

The day is always the server's "today" in the block's zone (``clock.today``): a check-in cannot
be made for a past or a future day, and a second one on the same day edits the first.
"""
import math
import re
from datetime import date

from django.db import transaction
from django.db.models import Exists

from lifelong_xblocks import clock
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.compiled_query import CompiledQuery
from lifelong_xblocks.models.bookshelf import Book
from lifelong_xblocks.models.reading_log import REFLECTION_MAX, TITLE_MAX, ReadingCheckIn, ReadingWallMember
from lifelong_xblocks.models.rows import ensure_row
from lifelong_xblocks.reading import streaks

MAX_MINUTES = 24 * 60
MAX_PAGES = 2000
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


# ---- reading the request -----------------------------------------------------------------------
def _plain(value, field, limit, label, multiline=False):
    """Plain text: control characters removed, whitespace tidied, within ``limit`` characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(_("{label} must be text.").format(label=label), field=field)
    text = CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n")).strip()
    text = re.sub(r"\n{3,}", "\n\n", text) if multiline else " ".join(text.split())
    if len(text) > limit:
        raise InvalidInput(_("{label} can be at most {limit} characters long.").format(label=label, limit=limit),
                           field=field)
    return text


def _count(value, field, highest, message):
    """A whole number from 0 to ``highest``, or ``None`` when left empty."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    return whole_number(value, message, field, highest)


def _book(course_key, book_id):
    """A visible, unmerged book of the course's bookshelf, or ``None`` when none was chosen."""
    if book_id in (None, ""):
        return None
    book_id = whole_number(book_id, _("Choose a book from the list or type its title."), "book_id")
    book = Book.objects.filter(pk=book_id, course_key=str(course_key), hidden=False,
                               merged_into__isnull=True).only("id", "title").first()
    if book is None:
        raise InvalidInput(_("That book is not on this course's bookshelf any more. Choose another one "
                             "or type its title."), field="book_id")
    return book


def parse_check_in(course_key, data):
    """The fields of a check-in from the request, checked.

    Every invalid field is named at once: the :class:`InvalidInput` raised carries ``fields``
    (field -> message) for the form, and the first message as its own.
    """
    problems = {}

    def checked(field, read):
        try:
            return read()
        except InvalidInput as error:
            problems[error.field or field] = error.message
            return None

    book = checked("book_id", lambda: _book(course_key, data.get("book_id")))
    title = book.title[:TITLE_MAX] if book else checked(
        "book_title", lambda: _plain(data.get("book_title"), "book_title", TITLE_MAX, _("The book's title")))
    if not book and title == "" and "book_id" not in problems:
        problems["book_title"] = _("Choose a book from the list or type its title.")
    minutes = checked("minutes", lambda: _count(
        data.get("minutes"), "minutes", MAX_MINUTES,
        _("Minutes must be a whole number from 0 to {limit}.").format(limit=MAX_MINUTES)))
    pages = checked("pages", lambda: _count(
        data.get("pages"), "pages", MAX_PAGES, _("Pages must be a whole number from 0 to {limit}.").format(limit=MAX_PAGES)))
    if not minutes and not pages and "minutes" not in problems and "pages" not in problems:
        problems["minutes"] = _("Enter how many minutes you read, how many pages, or both.")
    reflection = checked("reflection", lambda: _plain(data.get("reflection"), "reflection", REFLECTION_MAX,
                                                      _("The reflection"), multiline=True))
    shared = data.get("shared", False)
    if not isinstance(shared, bool):
        problems["shared"] = _("Sharing must be on or off.")
    if problems:
        field, message = next(iter(problems.items()))
        raise InvalidInput(message, field=field, fields=problems)
    return {"book": book, "book_title": title, "minutes": minutes, "pages": pages,
            "reflection": reflection, "shared": shared and bool(reflection)}


def check_day(data, today, window):
    """Refuse a check-in outside the window or for a day other than today (in the block's zone).

    The client may send the ``day`` its page was showing: a page left open past midnight then
    gets a clear answer instead of silently filling in the new day.
    """
    claimed = data.get("day")
    if claimed not in (None, ""):
        try:
            claimed = date.fromisoformat(str(claimed))
        except ValueError:
            raise InvalidInput(_("The day must be a date like 2026-12-01."), field="day") from None
        if claimed < today:
            raise Conflict(_("Past days cannot be filled in later. Today is {today}.").format(today=today.isoformat()))
        if claimed > today:
            raise Conflict(_("That day has not come yet. Today is {today}.").format(today=today.isoformat()))
    if not window.has_started(today):
        raise Conflict(_("The reading log opens on {day}.").format(day=window.start.isoformat()))
    if window.has_ended(today):
        raise Conflict(_("The reading log closed on {day}.").format(day=window.end.isoformat()))


# ---- writing ------------------------------------------------------------------------------------
def check_in(course_key, usage_key, user_id, data, zone_name=None, window=streaks.OPEN_WINDOW, by_staff=False):
    """Record today's check-in, or edit it when the learner already checked in today.

    Returns the saved :class:`ReadingCheckIn`.  The row is first made to exist in a statement of
    its own (``INSERT IGNORE``, see ``models.rows``), then locked and updated: a burst of
    requests from two tabs or a retrying phone leaves one row holding the last request's values.
    The reflection is shared only while the learner is a member of the club wall: the membership
    row is locked first (the order ``log_wall.set_sharing`` uses), so leaving the wall and a
    check-in sent at the same moment never leave a reflection shared.
    """
    today = clock.today(zone_name)
    check_day(data, today, window)
    values = parse_check_in(course_key, data)
    lookup = {"usage_key": usage_key, "user_id": user_id, "day": today}
    ensure_row(ReadingCheckIn, {"course_key": course_key, "by_staff": by_staff, **values, "shared": False}, **lookup)
    with transaction.atomic():
        if values["shared"]:
            values["shared"] = ReadingWallMember.objects.select_for_update().filter(
                usage_key=usage_key, user_id=user_id, sharing=True).exists()
        entry = ReadingCheckIn.objects.select_for_update().get(**lookup)
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
    return entry


# ---- reading ------------------------------------------------------------------------------------
def entry_for_day(usage_key, user_id, day):
    """The learner's check-in of ``day``, or ``None``."""
    if user_id is None:
        return None
    return ReadingCheckIn.objects.filter(usage_key=usage_key, user_id=user_id, day=day).first()


# What a learner's own log reads of each of their check-ins: the day's figures, and what the form
# shows of today's.
ENTRY_FIELDS = ("day", "minutes", "pages", "book_id", "book_title", "reflection", "shared", "hidden")


def learner_log_query(usage_key, user_id):
    """Every check-in of the learner in one reading log, as a ``.values_list()`` of :data:`ENTRY_FIELDS`
    and ``wall_member``."""
    member = ReadingWallMember.objects.filter(usage_key=usage_key, user_id=user_id, sharing=True)
    return (ReadingCheckIn.objects.filter(usage_key=usage_key, user_id=user_id)
            .annotate(wall_member=Exists(member)).values(*ENTRY_FIELDS, "wall_member").order_by("day"))


# SQL compiled once per database connection, run with each render's values (building the query took
# Django longer than the database took to answer it).
_LEARNER_LOG = CompiledQuery(learner_log_query, usage_key=str, user_id=int)


def learner_log(usage_key, user_id, day):
    """``(days, entry, wall_member)`` in ONE query: :func:`learner_days`, the check-in of ``day``
    (a dict of :data:`ENTRY_FIELDS`, or ``None``) and whether the learner takes part in the club wall
    (``None`` when they have no check-in yet: ask :func:`log_wall.is_member` then).  Read as plain
    values: no model instances."""
    if user_id is None:
        return {}, None, False
    rows = _LEARNER_LOG.dicts(usage_key=str(usage_key), user_id=user_id)
    return (*days_and_entry(rows, day), bool(rows[0]["wall_member"]) if rows else None)


def days_and_entry(rows, day):
    """``(days, entry)`` of :func:`learner_log` from the learner's check-ins read as values (dicts
    holding :data:`ENTRY_FIELDS`)."""
    days = {row["day"]: (row["minutes"] or 0, row["pages"] or 0) for row in rows}
    entry = next(({name: row[name] for name in ENTRY_FIELDS} for row in rows if row["day"] == day), None)
    return days, entry


def learner_days(usage_key, user_id):
    """``{day: (minutes, pages)}`` of every check-in of the learner in one reading log (one query)."""
    if user_id is None:
        return {}
    rows = ReadingCheckIn.objects.filter(usage_key=usage_key, user_id=user_id).values_list("day", "minutes", "pages")
    return {day: (minutes or 0, pages or 0) for day, minutes, pages in rows}


def learner_summary(days, today, window, goal_days):
    """Streaks, goal progress and totals from :func:`learner_days`."""
    counted, goal, reached = streaks.goal_progress(days, goal_days, window)
    return {
        "current_streak": streaks.current_streak(days, today, window),
        "longest_streak": streaks.longest_streak(days),
        "days_counted": counted,
        "goal_days": goal,
        "goal_shown": min(counted, goal) if goal else counted,   # "5 / 5 days", not "34 / 5"
        "goal_reached": reached,
        "goal_percent": 100 if reached else (math.floor(100 * counted / goal) if goal else 0),
        "total_days": len(days),
        "total_minutes": sum(minutes for minutes, _pages in days.values()),
        "total_pages": sum(pages for _minutes, pages in days.values()),
        "checked_in_today": today in days,
    }


def as_dict(entry):
    """A check-in (a :class:`ReadingCheckIn`, or a dict of :data:`ENTRY_FIELDS` from :func:`learner_log`)
    as the learner's page and the mobile app see it."""
    if entry is None:
        return None
    if isinstance(entry, dict):
        return {"day": entry["day"].isoformat(), "book_id": entry["book_id"], "book_title": entry["book_title"],
                "minutes": entry["minutes"], "pages": entry["pages"], "reflection": entry["reflection"],
                "shared": entry["shared"], "hidden": entry["hidden"]}
    return {"day": entry.day.isoformat(), "book_id": entry.book_id, "book_title": entry.book_title,
            "minutes": entry.minutes, "pages": entry.pages, "reflection": entry.reflection,
            "shared": entry.shared, "hidden": entry.hidden}
