"""The course report as a file: CSV (UTF-8 with BOM) or XLSX (constant memory, native charts).

``write_report`` streams the rows from the database to the file chunk by chunk; the summary is
computed by aggregate queries.  CSV: the learner rows go to ``fileobj``; the summary tables go
to ``summary_fileobj`` when one is given (the ``lifelong_report`` command writes it next to the
report as ``<name>-summary.csv``), as sections of a CSV file of their own, so that the learner
file stays one plain table any program can read.  XLSX: a "Course summary" sheet (tables and
native charts that refer to them) and a "Learner activity" sheet (continued on "Learner activity (2)"
past a sheet's 1,048,576 rows).  No cell is a formula; text is neutralised.
"""
from lifelong_xblocks import exports
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.reports import rows as report_rows
from lifelong_xblocks.reports.summary import summarize, totals

FORMATS = ("csv", "xlsx")
XLSX_MAX_ROWS = 1_048_576          # a sheet's limit: more learner rows continue on "Learners (2)"
CHART_HEIGHT_ROWS = 16
SUMMARY_SHEET, LEARNER_SHEET = N_("Course summary"), N_("Learner activity")


def write_report(course_key, fmt, fileobj, *, since=None, until=None, block_types=None, anonymize=False,
                 progress=None, summary_fileobj=None):
    """Write ``course_key``'s report in ``fmt`` ("csv" or "xlsx") to the binary file object ``fileobj``.

    ``progress(done, total)`` is called after each chunk of rows.  Returns the summary (as
    :func:`~lifelong_xblocks.reports.summary.course_summary`) when the file holds it (XLSX, or CSV
    with ``summary_fileobj``), else only its totals (``participants``, ``completers``,
    ``learner_blocks``, ``completions``: one aggregate query).  Raises
    :class:`~lifelong_xblocks.errors.InvalidInput` for a bad option, before writing anything.
    """
    if fmt not in FORMATS:
        raise InvalidInput(_("Choose csv or xlsx."), field="format")
    report = report_rows.ReportFilter.build(course_key, since, until, block_types)
    summary = summarize(report) if fmt == "xlsx" or summary_fileobj is not None else totals(report)
    total, done = summary["learner_blocks"], [0]

    def on_chunk(count):
        done[0] += count
        if progress is not None:
            progress(done[0], total)

    if progress is not None:
        progress(0, total)
    learners = report_rows.learner_rows(report, anonymize=anonymize, on_chunk=on_chunk)
    header = report_rows.header(anonymize)
    if fmt == "csv":
        exports.write_csv(fileobj, header, learners, neutralised=True)
        if summary_fileobj is not None:
            write_summary_csv(summary, summary_fileobj)
    else:
        write_xlsx(fileobj, summary, header, learners)
    return summary


# ---- the summary as tables (shared by both formats) -------------------------------------------------
def summary_tables(summary):
    """``[(title, header, rows, kind)]`` of the summary; ``kind`` says which chart a table gets."""
    percent = _("Completion rate")
    overview = [
        (_("Course"), summary["course_key"]),
        (_("From"), summary["since"] or ""),
        (_("Until"), summary["until"] or ""),
        (_("Block types"), ", ".join(summary["block_types"]) or _("All")),
        (_("Participants"), summary["participants"]),
        (_("Learners who completed a block"), summary["completers"]),
        (_("Learner-block rows"), summary["learner_blocks"]),
        (_("Completions"), summary["completions"]),
        (percent, summary["completion_rate"]),
    ]
    profile_header = [None, _("Participants"), _("Learners who completed a block"), _("Learner-block rows"),
                      _("Completions"), percent]

    def profile_rows(entries):
        return [(e["label"], e["participants"], e["completers"], e["learner_blocks"], e["completed"],
                 e["completion_rate"]) for e in entries]

    return [
        (_("Overview"), [_("Figure"), _("Value")], overview, None),
        (_("Completions per block"), [_("Block"), _("Block type"), _("Usage key"), _("Participants"),
                                      _("Completions"), percent],
         [(b["title"], b["block_type"], b["usage_key"], b["participants"], b["completed"], b["completion_rate"])
          for b in summary["blocks"]], "blocks"),
        (_("Completion by audience group"), [_("Audience group"), *profile_header[1:]],
         profile_rows(summary["audience_groups"]), "profile"),
        (_("Completion by region"), [_("Region"), *profile_header[1:]], profile_rows(summary["regions"]),
         "profile"),
        (_("Participation per day"), [_("Day"), _("Participants")],
         [(d["day"], d["participants"]) for d in summary["days"]], "days"),
    ]


def write_summary_csv(summary, fileobj):
    """The summary tables as sections of one CSV file: a title line, a header, rows, a blank line."""
    lines = []
    for title, header, table, _kind in summary_tables(summary):
        lines += [[title], header, *table, []]
    exports.write_csv(fileobj, lines[0], lines[1:])


# ---- XLSX ------------------------------------------------------------------------------------------
CHARTS = {
    "blocks": (N_("Completions per block"), "bar", (3, 4)),
    "profile": (None, "bar", (5,)),
    "days": (N_("Participation per day"), "column", (1,)),
}


def write_xlsx(fileobj, summary, header, learners):
    workbook = exports.xlsx_workbook(fileobj)
    bold = workbook.add_format({"bold": True})
    percent = workbook.add_format({"num_format": "0.0%"})
    summary_sheet = workbook.add_worksheet(_(SUMMARY_SHEET)[:31])
    learner_sheet = workbook.add_worksheet(_(LEARNER_SHEET)[:31])
    _write_summary_sheet(workbook, summary_sheet, summary, bold, percent)
    _write_learner_sheet(workbook, learner_sheet, header, learners, bold)
    workbook.close()


def _write_summary_sheet(workbook, sheet, summary, bold, percent):
    sheet_name = sheet.get_name()
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 5, 16)
    row = 0
    for title, header, table, kind in summary_tables(summary):
        sheet.write_string(row, 0, title, bold)
        exports.write_xlsx_row(sheet, row + 1, header, bold)
        first = row + 2
        for offset, cells in enumerate(table):
            exports.write_xlsx_row(sheet, first + offset, cells)
            if kind and isinstance(cells[-1], float) and header[-1] == _("Completion rate"):
                sheet.write_number(first + offset, len(cells) - 1, cells[-1], percent)
        last = first + len(table) - 1
        if kind and table:
            chart_title, chart_type, value_columns = CHARTS[kind]
            chart = workbook.add_chart({"type": chart_type})
            for column in value_columns:
                chart.add_series({"name": [sheet_name, row + 1, column],
                                  "categories": [sheet_name, first, 0, last, 0],
                                  "values": [sheet_name, first, column, last, column]})
            chart.set_title({"name": _(chart_title) if chart_title else title})
            chart.set_legend({"position": "bottom"})
            if kind == "profile":
                chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
            sheet.insert_chart(row, 7, chart, {"x_scale": 1.2, "y_scale": 1.0})
            row = max(last, row + CHART_HEIGHT_ROWS)
        else:
            row = max(last, row + 1)
        row += 2


def _write_learner_sheet(workbook, sheet, header, learners, bold):
    sheet.set_column(0, 0, 20)
    sheet.set_column(4, 5, 28)
    sheet.set_column(6, 9, 22)
    sheet.set_column(12, 12, 40)
    sheet.freeze_panes(1, 0)
    exports.write_xlsx_row(sheet, 0, header, bold)
    row, part = 1, 1
    for cells in learners:
        if row >= XLSX_MAX_ROWS:
            part += 1
            sheet = workbook.add_worksheet(f"{_(LEARNER_SHEET)[:24]} ({part})")
            exports.write_xlsx_row(sheet, 0, header, bold)
            row = 1
        exports.write_xlsx_row(sheet, row, cells, neutralised=True)
        row += 1
