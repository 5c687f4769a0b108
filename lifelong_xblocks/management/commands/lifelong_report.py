"""``lifelong_report COURSE_KEY``: the course report (one row per learner per block, summary tables).

Open edX: ``./manage.py lms lifelong_report course-v1:Org+Course+Run --format xlsx --output report.xlsx``.
Workbench: ``PYTHONPATH=workbench DJANGO_SETTINGS_MODULE=lifelong_settings python -m django lifelong_report ...``.
The file is written to a temporary file next to ``--output`` and renamed only when complete, so a
failed or interrupted run leaves no half-written report.
"""
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from lifelong_xblocks.errors import LifelongError
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.reports import rows, writers


class ProgressBar:
    """A one-line progress bar on a terminal (stderr); nothing when stderr is not a terminal."""

    WIDTH = 30

    def __init__(self, stream):
        self.stream = stream
        self.shown = None

    def __call__(self, done, total):
        filled = self.WIDTH if not total else int(self.WIDTH * done / total)
        if filled == self.shown and done != total:
            return
        self.shown = filled
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.WIDTH - filled)}] {done}/{total}")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = "Write the course report (one row per learner per block, and summary tables) as CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("course_key", help="the course, e.g. course-v1:Org+Course+Run")
        parser.add_argument("--format", default="csv", dest="fmt", help="csv (default) or xlsx")
        parser.add_argument("--output", required=True,
                            help="file to write; for CSV the summary goes to <name>-summary.csv beside it")
        parser.add_argument("--anonymize", action="store_true", help="anonymous ids instead of usernames")
        parser.add_argument("--since", help="first day of activity, YYYY-MM-DD")
        parser.add_argument("--until", help="last day of activity, YYYY-MM-DD")
        parser.add_argument("--block-type", action="append", dest="block_types", metavar="TAG",
                            help="only this block type (repeatable), e.g. lifelong_microlesson")
        parser.add_argument("--language", help="language of headers and labels, e.g. zh-cn (default: the site's)")

    def handle(self, *args, course_key, fmt, output, anonymize, since, until, block_types, language, **options):
        if language:
            with translation.override(language):
                return self.produce(course_key, fmt, output, anonymize, since, until, block_types)
        return self.produce(course_key, fmt, output, anonymize, since, until, block_types)

    def produce(self, course_key, fmt, output, anonymize, since, until, block_types):
        if fmt not in writers.FORMATS:
            raise CommandError(_("Choose csv or xlsx."))
        target = Path(output).expanduser()
        if target.is_dir() or not target.parent.is_dir():
            raise CommandError(_("Cannot write to {path}: give a file in an existing folder.").format(path=output))
        summary_target = target.with_name(f"{target.stem}-summary.csv") if fmt == "csv" else None
        try:
            report = rows.ReportFilter.build(course_key, since, until, block_types)
        except LifelongError as error:
            raise CommandError(error.message) from error
        progress = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
        written = []
        try:
            with _atomic_file(target) as fileobj:
                written.append(target)
                if summary_target is None:
                    summary = writers.write_report(course_key, fmt, fileobj, since=report.since, until=report.until,
                                                   block_types=report.block_types, anonymize=anonymize,
                                                   progress=progress)
                else:
                    with _atomic_file(summary_target) as summary_file:
                        summary = writers.write_report(course_key, fmt, fileobj, since=report.since,
                                                       until=report.until, block_types=report.block_types,
                                                       anonymize=anonymize, progress=progress,
                                                       summary_fileobj=summary_file)
                    written.append(summary_target)
        except LifelongError as error:
            raise CommandError(error.message) from error
        except OSError as error:
            raise CommandError(_("Cannot write to {path}: {error}").format(path=output, error=error)) from error
        self.stdout.write(_("{rows} rows of {participants} participants written to {files}.").format(
            rows=summary["learner_blocks"], participants=summary["participants"],
            files=", ".join(str(path) for path in written)))


class _atomic_file:  # noqa: N801 (used like open())
    """A temporary file in the target's folder, renamed to the target only when the block succeeds."""

    def __init__(self, target):
        self.target = target

    def __enter__(self):
        handle, self.temp_name = tempfile.mkstemp(prefix=f".{self.target.name}.", suffix=".part",
                                                  dir=self.target.parent)
        self.file = os.fdopen(handle, "wb")
        return self.file

    def __exit__(self, kind, error, trace):
        try:
            self.file.close()
            if kind is None:
                os.replace(self.temp_name, self.target)
        finally:
            if os.path.exists(self.temp_name):
                os.unlink(self.temp_name)
        return False
