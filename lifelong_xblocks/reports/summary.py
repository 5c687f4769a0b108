"""The course report's summary tables, computed by the database (aggregate queries, a handful
per report whatever the course's size): participants, completions per block, completion by
audience group and by region, participation per day."""
import hashlib
import logging
from datetime import datetime, timedelta

from django.core.cache import caches
from django.db.models import Case, CharField, Count, F, Max, Q, Value, When
from django.utils import translation

from lifelong_xblocks import clock, conf
from lifelong_xblocks.compiled_query import CompiledQueries, CompiledQuery
from lifelong_xblocks.reports.rows import ReportFilter, audience_labels, region_labels

log = logging.getLogger(__name__)
COMPLETED = Q(completion__gte=1.0)
# Participation per day lists every day from the first to the last active one; a longer span
# (a course running for years) keeps its active days only.
MAX_FILLED_DAYS = 366


def course_summary(course_key, since=None, until=None, block_types=None):
    """The summary of ``course_key``'s report as plain data (see docs/api.md "# Reports").

    ``since``/``until``: dates or ``YYYY-MM-DD``; ``block_types``: OLX tags.  Raises
    :class:`~lifelong_xblocks.errors.InvalidInput` for a bad option.
    """
    return summarize(ReportFilter.build(course_key, since, until, block_types))


def counted_summary(course_key, since=None, until=None, block_types=None, fresh=False):
    """:func:`course_summary` with ``counted_at`` (ISO time), kept ``SUMMARY_MAX_AGE`` seconds in the
    ``SUMMARY_CACHE`` cache unless ``fresh``.

    Counting reads every activity row of the course (about 125 ms for 10,000 learners in six blocks
    on SQLite, see docs/benchmarks.md); a staff page opened again within the minute reads the cache.
    Keyed by course, filters and language (the audience groups' and regions' labels are translated).
    A cache that fails (a memcached or Redis server down) only means counting every time.
    """
    report = ReportFilter.build(course_key, since, until, block_types)   # a bad option raises here
    max_age = conf.get("SUMMARY_MAX_AGE")
    key = _cache_key(report)
    now = clock.now()
    if max_age and not fresh:
        kept = _cache_call("get", key)
        # the age checked too: a cache may keep an entry longer than asked, and tests move the clock
        if kept is not None and now - datetime.fromisoformat(kept["counted_at"]) < timedelta(seconds=max_age):
            return kept
    summary = {**summarize(report), "counted_at": now.isoformat()}
    if max_age:
        _cache_call("set", key, summary, max_age)
    return summary


def _cache_call(method, *args):
    """``get``/``set`` on the summary's cache; ``None`` (and a warning in the log) when it fails."""
    try:
        return getattr(caches[conf.get("SUMMARY_CACHE")], method)(*args)
    except Exception:  # noqa: BLE001 (each cache backend raises its own errors)  pylint: disable=broad-except
        log.warning("The dashboard summary's cache %r failed on %s; counting without it.",
                    conf.get("SUMMARY_CACHE"), method, exc_info=True)
        return None


def _cache_key(report):
    what = repr((report.course_key, report.since, report.until, tuple(report.block_types or ()),
                 translation.get_language()))
    return "lifelong_xblocks:summary:1:" + hashlib.sha256(what.encode("utf-8")).hexdigest()


def summarize(report):
    """The summary of a checked :class:`~lifelong_xblocks.reports.rows.ReportFilter`: three queries
    (profile cells, blocks, days), each one pass over the course's rows."""
    cells = profile_cells(report)
    figures = {name: sum(cell[name] for cell in cells) for name in FIGURES}
    return {
        "course_key": report.course_key,
        "since": report.since.isoformat() if report.since else None,
        "until": report.until.isoformat() if report.until else None,
        "block_types": list(report.block_types or ()),
        **figures,
        "completion_rate": rate(figures["completions"], figures["learner_blocks"]),
        "blocks": blocks(report),
        "audience_groups": by_profile(cells, "audience_group", audience_labels()),
        "regions": by_profile(cells, "region", region_labels()),
        "days": days(report),
    }


FIGURES = ("participants", "completers", "learner_blocks", "completions")


def _counts():
    return {"participants": Count("user", distinct=True), "completers": Count("user", distinct=True, filter=COMPLETED),
            "learner_blocks": Count("id"), "completions": Count("id", filter=COMPLETED)}


def totals(report):
    """Participants, completers (learners with a completed block), learner-block rows, completions."""
    return report.activities().aggregate(**_counts())


def rate(part, whole):
    """``part / whole`` rounded to 4 places (0.0 for nothing)."""
    return round(part / whole, 4) if whole else 0.0


def _blocks_query(report):
    return (report.activities().values("usage_key", "block_type")
            .annotate(title=Max("title"), participants=Count("id"), completed=Count("id", filter=COMPLETED))
            .order_by("block_type", "usage_key"))


def blocks(report):
    """Per block: learners active, completed, completion rate (in the course's block order by type)."""
    return [{**entry, "completion_rate": rate(entry["completed"], entry["participants"])}
            for entry in _rows("blocks", report)]


def _consented(name):
    return Case(When(user__lifelong_profile__consented=True, then=F(f"user__lifelong_profile__{name}")),
                default=Value(""), output_field=CharField())


def _cells_query(report):
    return (report.activities().annotate(audience_group=_consented("audience_group"), region=_consented("region"))
            .values("audience_group", "region").annotate(**_counts()).order_by())


def profile_cells(report):
    """The figures per (audience group, region) the learners gave with consent (``""``: not given).

    Each learner has one profile, so is in exactly one cell: the cells' learner counts add up to
    a group's or a region's, and to the course's.
    """
    return _rows("cells", report)


def by_profile(cells, name, labels):
    """Per audience group (or region): ``participants`` (learners), ``completers`` (learners who
    completed at least one block), ``learner_blocks`` and ``completed`` (rows, and completed ones)."""
    found = {}
    for cell in cells:
        code = cell[name] or ""
        entry = found.setdefault(code, dict.fromkeys(FIGURES, 0))
        for figure in FIGURES:
            entry[figure] += cell[figure]
    order = {code: index for index, code in enumerate(labels)}
    entries = [{"code": code, "label": labels.get(code, code), "participants": entry["participants"],
                "completers": entry["completers"], "learner_blocks": entry["learner_blocks"],
                "completed": entry["completions"], "completion_rate": rate(entry["completions"],
                                                                           entry["learner_blocks"])}
               for code, entry in found.items()]
    # Listed in the profile's own order, "not given" last.
    return sorted(entries, key=lambda entry: (entry["code"] == "", order.get(entry["code"], len(order))))


def days(report):
    """``[{"day": "YYYY-MM-DD", "participants": n}]``: learners active each day (in the blocks' zones)."""
    counts = {row["day"]: row["n"] for row in _rows("days", report)}
    if not counts:
        return []
    first, last = report.since or min(counts), report.until or max(counts)
    if (last - first).days < MAX_FILLED_DAYS:
        span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    else:
        span = sorted(counts)
    return [{"day": day.isoformat(), "participants": counts.get(day, 0)} for day in span]


def _days_query(report):
    return report.days().values("day").annotate(n=Count("user", distinct=True)).order_by("day")


QUERIES = {"cells": _cells_query, "blocks": _blocks_query, "days": _days_query}


def _compiled(name, count):
    """Summary query ``name`` for a report without a period and with ``count`` block types."""
    def build(course_key, **block_types):
        return QUERIES[name](ReportFilter(course_key, None, None, tuple(block_types.values()) or None))
    return CompiledQuery(build, course_key=str, **{f"type{n}": str for n in range(count)})


_COMPILED = CompiledQueries(_compiled)


def _rows(name, report):
    """The rows (dicts) of summary query ``name`` for ``report``.

    A report without a period (what the dashboard opens with) runs SQL compiled once per database
    connection and number of block types (see ``compiled_query``): Django took 2 ms to build the
    profile cells' query on every render, the database 0.05 ms to answer it.  A period's query is
    built each time.
    """
    if report.since or report.until:
        return list(QUERIES[name](report))
    types = tuple(report.block_types or ())
    return _COMPILED(name, len(types)).dicts(course_key=report.course_key, **{f"type{n}": tag for n, tag in enumerate(types)})
