"""Course report files produced from the dashboard: asked for, produced once, stored, downloaded.

* :func:`request_report` checks the filters, creates the :class:`ReportFile` row (at most one
  unfinished report per course and person, refused politely) and hands it on: to a Celery task
  on the platform's own workers in Open edX, or to this process in the workbench
  (``LIFELONG_XBLOCKS["REPORTS_IN_PROCESS"]``).
* :func:`produce_report` writes the file with :func:`lifelong_xblocks.reports.writers.write_report`
  into a local temporary file, stores it through the package's Django storage
  (:func:`lifelong_xblocks.uploads.storage`) and only then marks the row ``ready``: a report
  stopped midway never offers a half-written file; a failure marks it ``failed`` and leaves no file.
* :func:`course_reports` lists a course's reports, newest first; :func:`ready_file` finds one
  to download (served by :func:`lifelong_xblocks.uploads.file_response`).  A CSV report is two
  files, as the ``lifelong_report`` command writes it: the learner rows and the summary tables.
"""
import contextlib
import logging
import tempfile
from datetime import date, timedelta

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import translation

from lifelong_xblocks import clock, conf, i18n
from lifelong_xblocks.compiled_query import CompiledQueries, CompiledQuery
from lifelong_xblocks.errors import Conflict, InvalidInput, LifelongError
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.inputs import whole_number
from lifelong_xblocks.models.reports import ReportFile
from lifelong_xblocks.uploads.names import storage_name
from lifelong_xblocks.uploads.rules import size_label
from lifelong_xblocks.uploads.store import delete_file, storage

log = logging.getLogger(__name__)

FORMATS = ("csv", "xlsx")
STORAGE_PURPOSE = "reports"
# Shown in the viewer's language (stored as the English source, translated when listed).
FAILED_MESSAGE = N_("The report could not be produced. Please try again; if it fails again, "
                    "tell the site's administrators.")
LOST_MESSAGE = N_("The report was not finished in time (the server may have restarted). Please ask again.")
NOT_STARTED_MESSAGE = N_("The report could not be started. Please try again later.")
STATUS_LABELS = {
    ReportFile.QUEUED: N_("Waiting"),
    ReportFile.RUNNING: N_("Being produced"),
    ReportFile.READY: N_("Ready"),
    ReportFile.FAILED: N_("Failed"),
}
EARLIEST = date(2000, 1, 1)


class ReportMissing(LifelongError):
    """No such report in this course, or it is not ready (404)."""

    status = 404


# ---- filters ------------------------------------------------------------------------------------
def _read_date(value, field, problems):
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        problems[field] = _("Give the date as YYYY-MM-DD, e.g. 2026-12-01.")
        return None
    if day < EARLIEST or day > clock.now().date() + timedelta(days=366):
        problems[field] = _("Enter a date between {first} and next year.").format(first=EARLIEST.isoformat())
        return None
    return day


def read_filters(data, block_types_offered):
    """``{"since": date|None, "until": date|None, "block_types": [...]|None}`` from a request.

    ``block_types`` is a list (or one comma-separated string) of tags among ``block_types_offered``;
    missing or empty means all of them.  Every bad field is named at once (:class:`InvalidInput`).
    """
    problems = {}
    since = _read_date(data.get("since"), "since", problems)
    until = _read_date(data.get("until"), "until", problems)
    if since and until and until < since:
        problems["until"] = _("The start date is after the end date.")
    wanted = data.get("block_types")
    if isinstance(wanted, str):
        wanted = [part.strip() for part in wanted.split(",") if part.strip()]
    if wanted in (None, ""):
        wanted = []
    if not isinstance(wanted, list) or not all(isinstance(tag, str) for tag in wanted) \
            or set(wanted) - set(block_types_offered):
        problems["block_types"] = _("Choose block types from the list.")
        wanted = []
    if problems:
        raise InvalidInput.for_fields(problems)
    chosen = [tag for tag in block_types_offered if tag in wanted]
    return {"since": since, "until": until, "block_types": chosen or None}


def read_format(value):
    if value not in FORMATS:
        raise InvalidInput(_("Choose CSV or XLSX."), field="format")
    return value


def read_report_id(value):
    return whole_number(value, _("No such report."), field="report")


# ---- asking for a report ------------------------------------------------------------------------
def expire_lost(course_key):
    """Mark reports queued or running for too long as failed (their worker died): their requester
    may ask again, and nobody waits for them for ever."""
    now = clock.now()
    cutoff = now - timedelta(minutes=conf.get("REPORT_TIMEOUT_MINUTES"))
    ReportFile.objects.filter(course_key=course_key, unfinished=True, created__lt=cutoff).update(
        status=ReportFile.FAILED, unfinished=None, finished=now, error=LOST_MESSAGE)


def request_report(course_key, usage_key, user_id, fmt, filters, *, anonymize=False, language=None):
    """Create a report row for ``user_id`` and hand it on (after the transaction commits).

    Raises :class:`InvalidInput` for a bad format and :class:`Conflict` while the same person
    still has an unfinished report of this course.
    """
    fmt = read_format(fmt)
    expire_lost(course_key)
    options = {"since": filters["since"].isoformat() if filters.get("since") else None,
               "until": filters["until"].isoformat() if filters.get("until") else None,
               "block_types": filters.get("block_types") or None,
               "anonymize": bool(anonymize), "language": language or ""}
    busy = Conflict(_("Your previous report is still being produced. Please wait until it is ready."))
    if ReportFile.objects.filter(course_key=course_key, requested_by_id=user_id, unfinished=True).exists():
        raise busy
    try:
        with transaction.atomic():
            report = ReportFile.objects.create(course_key=course_key, usage_key=usage_key, requested_by_id=user_id,
                                               format=fmt, options=options)
    except IntegrityError as error:   # asked twice at the same moment: the constraint decides
        raise busy from error
    transaction.on_commit(lambda: dispatch(report.pk))
    return report


def dispatch(report_id):
    """Run the report here (workbench) or queue the Celery task for the platform's workers."""
    if conf.get("REPORTS_IN_PROCESS"):
        produce_report(report_id)
        return
    try:
        from lifelong_xblocks.reports.tasks import produce_report_task  # noqa: PLC0415 (Celery only here)

        produce_report_task.delay(report_id)
    except Exception:  # noqa: BLE001 - the broker is down or Celery is missing: say so, never hang
        log.exception("Could not queue lifelong report %s", report_id)
        _finish_failed(report_id, NOT_STARTED_MESSAGE)


# ---- producing it ---------------------------------------------------------------------------------
def _options_for_writer(options):
    return {"since": date.fromisoformat(options["since"]) if options.get("since") else None,
            "until": date.fromisoformat(options["until"]) if options.get("until") else None,
            "block_types": options.get("block_types") or None,
            "anonymize": bool(options.get("anonymize"))}


def _finish_failed(report_id, message):
    ReportFile.objects.filter(pk=report_id, unfinished=True).update(
        status=ReportFile.FAILED, unfinished=None, finished=clock.now(), error=str(message))


def _delete_stored(names):
    for name in names:
        delete_file(name)     # a storage failing to delete must not keep the report "running"


def produce_report(report_id, progress=None):
    """Produce report ``report_id`` once (a second call, or one for a finished report, does nothing).

    Returns the row as it ended, or ``None`` when another call had claimed it.
    """
    from lifelong_xblocks.reports.writers import write_report  # noqa: PLC0415 (heavy: only when producing)

    claimed = ReportFile.objects.filter(pk=report_id, status=ReportFile.QUEUED).update(
        status=ReportFile.RUNNING, started=clock.now())
    if not claimed:
        return None
    report = ReportFile.objects.get(pk=report_id)
    target, saved = storage(), []
    try:
        language = report.options.get("language")
        with (translation.override(language) if language else contextlib.nullcontext()), \
                tempfile.TemporaryFile() as spool, tempfile.TemporaryFile() as summary_spool:
            # CSV: the summary tables go to a second file, as the lifelong_report command writes them.
            write_report(report.course_key, report.format, spool, progress=progress,
                         summary_fileobj=summary_spool if report.format == "csv" else None,
                         **_options_for_writer(report.options))
            stored = {}
            for key, file, extension in (("", spool, report.format), ("summary_", summary_spool, "csv")):
                size = file.seek(0, 2)
                if key and not size:
                    continue
                file.seek(0)
                name = target.save(storage_name(STORAGE_PURPOSE, extension), File(file))
                saved.append(name)
                stored.update({f"{key}storage_name": name, f"{key}size": size})
        # Ready only now that every file is stored; a row marked lost meanwhile stays failed.
        done = ReportFile.objects.filter(pk=report_id, status=ReportFile.RUNNING).update(
            status=ReportFile.READY, unfinished=None, finished=clock.now(), **stored)
        if not done:
            _delete_stored(saved)
    except BaseException as error:
        log.exception("Lifelong report %s failed", report_id)
        _delete_stored(saved)
        message = error.message if isinstance(error, LifelongError) else FAILED_MESSAGE
        _finish_failed(report_id, message)
        if not isinstance(error, Exception):
            raise     # a worker being stopped: stop, the row already says failed
    return ReportFile.objects.get(pk=report_id)


# ---- listing and downloading --------------------------------------------------------------------
_LISTINGS = CompiledQueries(lambda limit: CompiledQuery(lambda course_key: ReportFile.objects.filter(
    course_key=course_key).select_related("requested_by").order_by("-created", "-pk")[:limit], course_key=str))


def course_reports(course_key, limit=None):
    """The course's reports, newest first, with who asked for each: one query, compiled once per
    database connection (the dashboard lists them on every staff render).

    A lost report (unfinished past ``REPORT_TIMEOUT_MINUTES``: its worker died) is marked failed by
    :func:`expire_lost` before it is shown; that UPDATE runs only when the listing holds one (asking
    for a report expires the course's lost ones anyway)."""
    limit = limit or conf.get("REPORTS_LISTED")
    listing = _LISTINGS(limit)
    reports = listing.objects(course_key=course_key)
    cutoff = clock.now() - timedelta(minutes=conf.get("REPORT_TIMEOUT_MINUTES"))
    if any(report.unfinished and report.created < cutoff for report in reports):
        expire_lost(course_key)
        reports = listing.objects(course_key=course_key)
    return reports


def report_view(report, download_url=None, summary_download_url=None):
    """A report as the dashboard and the mobile API show it (texts in the viewer's language)."""
    options = report.options or {}
    return {
        "id": report.pk, "format": report.format, "status": report.status,
        "status_label": i18n.gettext(STATUS_LABELS[report.status]),
        "created": report.created.isoformat(), "created_label": clock.format_local(report.created),
        "finished": report.finished.isoformat() if report.finished else None,
        "requested_by": report.requested_by.username,
        "since": options.get("since"), "until": options.get("until"),
        "block_types": options.get("block_types") or [], "anonymize": bool(options.get("anonymize")),
        "size": report.size if report.status == ReportFile.READY else None,
        "size_label": size_label(report.size) if report.status == ReportFile.READY else "",
        "error": i18n.gettext(report.error) if report.status == ReportFile.FAILED and report.error else "",
        "download_url": download_url if report.status == ReportFile.READY else None,
        "summary_download_url": (summary_download_url if report.status == ReportFile.READY
                                 and report.summary_storage_name else None),
        "filename": report.original_name,
    }


def find_report(course_key, report_id):
    """Report ``report_id`` of this course (:class:`ReportMissing` for another course's or none)."""
    report = ReportFile.objects.filter(course_key=course_key, pk=read_report_id(report_id)).first()
    if report is None:
        raise ReportMissing(_("No such report."), field="report")
    return report


def ready_file(course_key, suffix):
    """The file to download for ``<id>`` (the report) or ``<id>/summary`` (a CSV report's summary
    tables) of this course: something :func:`lifelong_xblocks.uploads.file_response` serves."""
    report_id, _slash, part = str(suffix).partition("/")
    report = find_report(course_key, report_id)
    if report.status != ReportFile.READY:
        raise ReportMissing(_("This report is not ready."), field="report")
    if part == "summary" and report.summary_storage_name:
        return report.summary_file()
    if part:
        raise ReportMissing(_("No such report."), field="report")
    return report
