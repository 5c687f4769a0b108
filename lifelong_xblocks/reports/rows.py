"""The course report's rows: one per learner per block, streamed from the activity ledger.

Rows are read in chunks by keyset pagination on the ledger's id (``WHERE id > last ORDER BY id
LIMIT n``): one query per chunk whatever the course's size, and memory bounded by the chunk.
The learner's participant profile (audience group, region) is NOT part of a row: learners gave it
on the promise that it is "counted only in totals, never shown with your name", so it appears only
in the summary tables.  Course staff trying blocks out are left out.
"""
from dataclasses import dataclass
import functools
import json
from datetime import date, datetime, timezone
from importlib import metadata

from django.db import connections
from django.utils import translation

from lifelong_xblocks import clock, identity
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.exports import neutralise_text
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.models.activity import LearnerActivityDay, LearnerBlockActivity
from lifelong_xblocks.models.participants import ParticipantProfile
from lifelong_xblocks.profiles.regions import regions

CHUNK = 2000
BLOCK_PREFIX = "lifelong_"
NOT_GIVEN = N_("Not given")

# (column id, header).  docs/api.md "# Reports" describes each column.
COLUMNS = (
    ("learner", N_("Username")),
    ("block_type", N_("Block type")),
    ("block", N_("Block")),
    ("usage_key", N_("Usage key")),
    ("first_activity", N_("First activity (UTC)")),
    ("last_activity", N_("Last activity (UTC)")),
    ("completion", N_("Completion")),
    ("completed_at", N_("Completed at (UTC)")),
    ("score", N_("Score")),
    ("max_score", N_("Maximum score")),
    ("figures", N_("Key figures")),
)
COLUMN_IDS = tuple(column for column, _label in COLUMNS)
ANONYMOUS_HEADER = N_("Anonymous ID")

_FIELDS = ("id", "user_id", "user__username", "block_type", "title", "usage_key", "first_activity", "last_activity", "completion", "completed_at", "score", "max_score",
           "figures")


def installed_block_types():
    """The block types (OLX tags) of this package installed as ``xblock.v1`` entry points."""
    return list(_installed_block_types())


@functools.cache
def _installed_block_types():
    """Read once per process: scanning the installed packages' entry points takes milliseconds,
    and the dashboard asked three times a render."""
    return tuple(sorted({entry.name for entry in metadata.entry_points(group="xblock.v1")
                         if entry.name.startswith(BLOCK_PREFIX)}))


def _day(value, name):
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidInput(_("Give the date as YYYY-MM-DD, e.g. 2026-12-01."), field=name) from error


@dataclass(frozen=True)
class ReportFilter:
    """Which part of a course a report covers.  ``since``/``until`` are days (inclusive) in the
    package's zone (``LIFELONG_XBLOCKS["TIME_ZONE"]``): a learner-block row is in when its activity
    (first to last) overlaps them; participation per day counts the days between them."""

    course_key: str
    since: date | None = None
    until: date | None = None
    block_types: tuple | None = None

    @classmethod
    def build(cls, course_key, since=None, until=None, block_types=None):
        """Check and normalise the options (:class:`InvalidInput` for a bad one)."""
        since, until = _day(since, "since"), _day(until, "until")
        if since and until and since > until:
            raise InvalidInput(_("The start date is after the end date."), field="since")
        if block_types:
            block_types = tuple(dict.fromkeys(str(tag) for tag in block_types))
            known = installed_block_types()
            unknown = [tag for tag in block_types if tag not in known]
            if unknown:
                raise InvalidInput(_("Unknown block type {types}. Choose from: {known}.").format(
                    types=", ".join(unknown), known=", ".join(known)), field="block_types")
        return cls(str(course_key), since, until, block_types or None)

    def activities(self):
        """The learners' ledger rows in the report (staff left out)."""
        rows = LearnerBlockActivity.objects.filter(course_key=self.course_key, by_staff=False)
        if self.since:
            rows = rows.filter(last_activity__gte=clock.day_bounds(self.since)[0])
        if self.until:
            rows = rows.filter(first_activity__lt=clock.day_bounds(self.until)[1])
        if self.block_types:
            rows = rows.filter(block_type__in=self.block_types)
        return rows

    def days(self):
        """The learners' active days in the report."""
        days = LearnerActivityDay.objects.filter(course_key=self.course_key)
        if self.since:
            days = days.filter(day__gte=self.since)
        if self.until:
            days = days.filter(day__lte=self.until)
        if self.block_types:
            days = days.filter(block_type__in=self.block_types)
        return days


def header(anonymize=False):
    """The translated column headers."""
    labels = [_(label) for _column, label in COLUMNS]
    if anonymize:
        labels[0] = _(ANONYMOUS_HEADER)
    return labels


def audience_labels():
    """``{code: translated label}`` of the audience groups, ``""`` meaning not given."""
    return dict(_labels("audience", translation.get_language()))


def region_labels():
    return dict(_labels("region", translation.get_language()))


@functools.lru_cache(maxsize=64)
def _labels(kind, _language):
    """The labels of ``kind`` translated once per language (every dashboard render summarises them)."""
    choices = ParticipantProfile.AUDIENCE_GROUPS if kind == "audience" else regions()
    return (("", _(NOT_GIVEN)), *((code, _(label)) for code, label in choices))


def utc_text(moment):
    """A stored UTC time as ``YYYY-MM-DDTHH:MM:SS+00:00``, as the database driver gives it: an aware or
    naive (UTC) ``datetime``, or SQLite's text (``2026-11-20 02:01:40.123456``)."""
    if moment is None:
        return ""
    if isinstance(moment, str):
        return f"{moment[:10]}T{moment[11:19]}+00:00"
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds") + "+00:00"
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def format_figures(figures):
    """A block's key figures (a dict, or its JSON as stored) as ``name=value; ...`` sorted by name."""
    if isinstance(figures, (str, bytes)):
        figures = json.loads(figures) if figures else {}
    if not figures or not isinstance(figures, dict):
        return ""
    parts = []
    for name in sorted(figures):
        value = figures[name]
        if isinstance(value, bool):
            value = "true" if value else "false"
        parts.append(f"{name}={value}")
    return "; ".join(parts)


class _Memo(dict):
    """A bounded memo of a pure function of one argument (titles, usage keys, figures repeat a lot)."""

    LIMIT = 20_000

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        if len(self) >= self.LIMIT:
            self.clear()
        value = self[key] = self.function(key)
        return value


def learner_rows(report, anonymize=False, chunk=CHUNK, on_chunk=None):
    """Cell values of each row (in :data:`COLUMNS` order), streamed chunk by chunk.

    Text an author or learner chose (username, block title, usage key, figures) is neutralised
    against formula injection here, once for both file formats.  ``on_chunk(n)`` is told how many
    rows each chunk held.  The ORM builds the query; its rows are read with the driver's own
    values (no model or converter per row), which keeps the export close to a plain cursor's speed.
    """
    anonymise = None
    if anonymize:
        anonymous_id = identity.anonymous_id_function(report.course_key)
        anonymise = _Memo(lambda user: anonymous_id(*user))
    text, figures_text = _Memo(neutralise_text), _Memo(lambda figures: neutralise_text(format_figures(figures)))
    query = report.activities().order_by("id").values_list(*_FIELDS)
    connection = connections[query.db]
    last = 0
    while True:
        sql, params = query.filter(id__gt=last)[:chunk].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            batch = cursor.fetchall()
        if not batch:
            return
        for (_id, user_id, username, block_type, title, usage_key, first, latest,
             completion, completed_at, score, max_score, figures) in batch:
            yield (anonymise[(user_id, username)] if anonymise is not None else neutralise_text(username),
                   block_type, text[title], text[usage_key], utc_text(first),
                   utc_text(latest), completion, utc_text(completed_at), score, max_score,
                   figures_text[figures] if isinstance(figures, str) else neutralise_text(format_figures(figures)))
        if on_chunk is not None:
            on_chunk(len(batch))
        if len(batch) < chunk:
            return
        last = batch[-1][0]
