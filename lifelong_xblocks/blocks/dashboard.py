"""``lifelong_dashboard``: the course report for staff, on a staff-only page of the course.

Staff see the course summary (:func:`lifelong_xblocks.reports.summary.counted_summary`, counted
at most once a minute for a page view) as SVG charts with a table beside each, filter it by period
and block type, and produce the course report as CSV or XLSX (:mod:`lifelong_xblocks.reports.files`:
a Celery task in Open edX, in-process in the workbench), then download it here when it is ready.  Learners see one sentence saying the
page is for staff, and nothing is read for them.  The block is excluded from completion and has
no score.
"""
from datetime import datetime

from django.utils import translation
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from xblock.completable import XBlockCompletionMode
from xblock.core import XBlock
from xblock.fields import List, Scope, String

from lifelong_xblocks import charts, clock, conf, i18n
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import STAFF, http_api, json_api, json_response
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.i18n import ngettext
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.reports import files as report_files
from lifelong_xblocks.reports.rows import installed_block_types
from lifelong_xblocks.uploads import file_response
from lifelong_xblocks.workbench import scenarios_for

DASHBOARD_TAG = "lifelong_dashboard"
# The per-day chart lists days as bars up to this many; a longer period is drawn as a calendar.
DAY_BARS = 31


def report_block_types():
    """``[(tag, label)]`` of the installed blocks of the package that feed the course report.

    Read from the installed entry points, so a new block of the package appears here without a
    change to the dashboard (a block that does not feed the report says ``in_course_report = False``).
    """
    found = []
    for tag in installed_block_types():
        cls = XBlock.load_class(tag)
        if getattr(cls, "in_course_report", True):
            found.append((tag, getattr(getattr(cls, "display_name", None), "default", "") or tag))
    return found


def block_type_choices(block=None):
    """Studio's checkboxes for ``block_types`` (``list_values_provider``)."""
    return [{"display_name": i18n.gettext(label), "value": tag} for tag, label in report_block_types()]


class DashboardBlock(LifelongBlockMixin, XBlock):
    """Staff-only course summary and report files."""

    completion_mode = XBlockCompletionMode.EXCLUDED
    has_score = False
    has_author_view = True
    in_course_report = False
    icon_class = "other"
    block_css = ("static/css/dashboard.css",)
    block_js = ("static/js/dashboard.js",)
    js_class = "LifelongDashboard"

    editable_fields = ("display_name", "default_since", "default_until", "block_types")

    display_name = String(
        display_name=N_("Display name"), help=N_("The dashboard's title."),
        scope=Scope.settings, default=N_("Course report"), enforce_type=True,
    )
    default_since = String(
        display_name=N_("Period starts (optional)"),
        help=N_("First day shown when the dashboard opens, as YYYY-MM-DD (e.g. the first day of the activity "
                "week); empty: from the start of the course."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    default_until = String(
        display_name=N_("Period ends (optional)"),
        help=N_("Last day shown when the dashboard opens, as YYYY-MM-DD; empty: up to today."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    block_types = List(
        display_name=N_("Block types shown"),
        help=N_("Which kinds of activity the dashboard and its reports cover; none chosen: all of them."),
        scope=Scope.settings, default=[], enforce_type=True,
        list_style="set", list_values_provider=block_type_choices,
    )

    js_strings = {
        "loading": N_("Loading…"),
        "shown": N_("The summary was updated."),
        "queued": N_("Your report was asked for. It appears below with a download link when it is ready."),
        "ready": N_("Your report is ready."),
        "failed": N_("The report could not be produced."),
        "fix_fields": N_("Please correct the marked fields."),
    }

    # ---- authoring ----------------------------------------------------------------------------
    def validate_field_data(self, validation, data):
        offered = [tag for tag, _label in report_block_types()]
        try:
            report_files.read_filters({"since": data.default_since, "until": data.default_until,
                                       "block_types": list(data.block_types or [])}, offered)
        except InvalidInput as error:
            labels = {"since": _("Period starts (optional)"), "until": _("Period ends (optional)"),
                      "block_types": _("Block types shown")}
            for field, message in error.fields.items():
                self.add_error(validation, f"{labels.get(field, field)}: {message}")

    # ---- filters and data ---------------------------------------------------------------------
    def offered_block_types(self):
        """``[(tag, label)]`` the dashboard offers: the authored choice, or every report block type
        (worked out once per authored choice and language for this block instance, which lives for
        one request: a render asks four times)."""
        key = (tuple(self.block_types or ()), translation.get_language())
        known = self.__dict__.get("_offered")
        if known is None or known[0] != key:
            every = [(tag, i18n.gettext(label)) for tag, label in report_block_types()]
            chosen = [(tag, label) for tag, label in every if tag in key[0]]
            known = self.__dict__["_offered"] = (key, chosen or every)
        return list(known[1])

    def filters_from(self, data=None):
        """The request's filters (each bad field named), within the block types this dashboard shows."""
        offered = [tag for tag, _label in self.offered_block_types()]
        data = data if data is not None else {"since": self.default_since, "until": self.default_until}
        filters = report_files.read_filters(data, offered)
        if filters["block_types"] is None and len(offered) < len(report_block_types()):
            filters["block_types"] = offered
        return filters

    def default_filters(self):
        try:
            return self.filters_from()
        except InvalidInput:     # authored dates that are no longer valid: show everything
            return self.filters_from({})

    def summary_context(self, filters, fresh=False):
        """The summary for ``filters``: as counted within the last ``SUMMARY_MAX_AGE`` seconds, or
        counted now (``fresh``)."""
        from lifelong_xblocks.reports.summary import counted_summary  # noqa: PLC0415 (staff only)

        summary = counted_summary(self.course_key, since=filters["since"], until=filters["until"],
                                  block_types=filters["block_types"], fresh=fresh)
        return {"summary": dashboard_summary(summary, self.dom_id, dict(self.offered_block_types()))}

    def render_summary(self, filters, fresh=False):
        context = dict(self.summary_context(filters, fresh), block_id=self.dom_id)
        return self.render_template("dashboard/summary.html", context), context

    def reports_context(self):
        reports = [self.report_view(report) for report in report_files.course_reports(self.course_key)]
        return {"reports": reports, "labels": dict(self.offered_block_types())}

    def render_reports(self):
        context = dict(self.reports_context(), block_id=self.dom_id)
        return self.render_template("dashboard/report_list.html", context), context["reports"]

    def report_view(self, report):
        return report_files.report_view(report, self.runtime.handler_url(self, "download_report", str(report.pk)),
                                        self.runtime.handler_url(self, "download_report", f"{report.pk}/summary"))

    # ---- views --------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        person = self.person
        if not person.is_staff:
            return self.fragment_for("dashboard/dashboard.html", {"title": self.shown_title, "staff": False})
        filters = self.default_filters()
        summary_html, _summary = self.render_summary(filters)
        reports_html, reports = self.render_reports()
        comfort = self.comfort_settings()     # read with the viewer (learner_settings), not a query of its own
        return self.fragment_for("dashboard/dashboard.html", {
            "title": self.shown_title, "staff": True, "comfort": comfort, "filters": filters,
            "type_checkboxes": type_checkboxes(self.offered_block_types(), filters["block_types"]),
            "summary_html": summary_html, "reports_html": reports_html,
        }, js_config={
            "signed_in": True, "comfort": profiles.comfort_as_dict(comfort),
            "waiting": any(report["status"] in ("queued", "running") for report in reports),
        })

    def author_view(self, context=None):
        """Studio's preview: what the block is, without reading any course data."""
        labels = [label for _tag, label in self.offered_block_types()]
        return self.fragment_for("dashboard/author.html", {
            "title": self.shown_title, "since": self.default_since, "until": self.default_until,
            "labels": labels,
        })

    def student_view_data(self, context=None):
        """Content for the mobile app (collected with no user): the title and the authored filters."""
        return {"title": self.shown_title, "default_since": self.default_since or None,
                "default_until": self.default_until or None,
                "block_types": [tag for tag, _label in self.offered_block_types()], "formats": list(report_files.FORMATS),
                "staff_only": True}

    @http_api(STAFF)
    def student_view_user_state(self, request, suffix=""):
        """Staff: the summary (default filters) and the course's reports; others: 403 JSON."""
        return json_response(self.user_state_for_mobile())

    def user_state_for_mobile(self):
        filters = self.default_filters()
        return {"filters": filters_json(filters), "summary": self.summary_context(filters)["summary"]["data"],
                "reports": self.reports_context()["reports"]}

    # ---- staff handlers -----------------------------------------------------------------------
    @json_api(STAFF, one_transaction=False)   # reads only
    def summary(self, data, suffix=""):
        """``{"since": "YYYY-MM-DD", "until": ..., "block_types": [...], "html": true}``: the summary."""
        filters = self.filters_from(data)
        html, context = self.render_summary(filters, fresh=True)     # asked for: counted now
        answer = {"filters": filters_json(filters), "summary": context["summary"]["data"]}
        if data.get("html") is not False:
            answer["html"] = html
        return answer

    @json_api(STAFF)
    def request_report(self, data, suffix=""):
        """``{"format": "csv"|"xlsx", "anonymize": bool, ...filters}``: produce a report file."""
        problems = {}
        try:
            filters = self.filters_from(data)
        except InvalidInput as error:
            problems.update(error.fields)
            filters = None
        if data.get("format") not in report_files.FORMATS:
            problems["format"] = _("Choose CSV or XLSX.")
        if not isinstance(data.get("anonymize", False), bool):
            problems["anonymize"] = _("Anonymize must be yes or no.")
        if problems:
            raise InvalidInput.for_fields(problems)
        report = report_files.request_report(
            self.course_key, self.usage_key, self.person.user_id, data["format"], filters,
            anonymize=data.get("anonymize", False), language=translation.get_language())
        report.refresh_from_db()
        html, reports = self.render_reports()
        return {"report": self.report_view(report), "reports": reports,
                "html": html}

    @json_api(STAFF, one_transaction=False)   # reads only
    def report_status(self, data, suffix=""):
        """The course's reports, newest first (``{"report": id}`` for one of them)."""
        if data.get("report") is not None:
            report = report_files.find_report(self.course_key, data.get("report"))
            return {"report": self.report_view(report)}
        html, reports = self.render_reports()
        return {"reports": reports, "html": html}

    @http_api(STAFF)
    def download_report(self, request, suffix=""):
        """``.../download_report/<id>`` (``<id>/summary``: a CSV report's summary tables): a ready
        report of this course, as an attachment."""
        return file_response(report_files.ready_file(self.course_key, suffix), request)

    # ---- reports ------------------------------------------------------------------------------
    def report_rows(self, usernames):
        return {}     # nobody does anything in the dashboard that a learner report would list

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for(DASHBOARD_TAG, conf.get("WORKBENCH_SCENARIOS_DIR"))


# ---- the course's report files, as report_files.course_reports lists them ------------------------
def type_checkboxes(offered, chosen):
    """The filter form's block-type checkboxes (``chosen`` ticked unless that is all of them), built in
    Python instead of a template loop; labels escaped as the template did."""
    chosen = chosen or ()
    tick = len(chosen) < len(offered)
    return format_html_join("", '\n      <label class="ll-choice"><input type="checkbox" name="block_types" '
                            'value="{}"{}> {}</label>\n      ', (
                                (tag, mark_safe(" checked") if tick and tag in chosen else "", label)  # noqa: S308 (a constant)
                                for tag, label in offered))


def filters_json(filters):
    return {"since": filters["since"].isoformat() if filters["since"] else None,
            "until": filters["until"].isoformat() if filters["until"] else None,
            "block_types": filters["block_types"] or []}


def percent(fraction):
    return f"{round(fraction * 100)}%"


def dashboard_summary(summary, dom_id, type_labels):
    """The dashboard's figures and charts (each with the same numbers as a table) of a
    :func:`~lifelong_xblocks.reports.summary.course_summary` answer, which is kept as ``data``."""
    figures = [
        {"label": _("Learners taking part"), "value": summary["participants"]},
        {"label": _("Learners who completed an activity"), "value": summary["completers"]},
        {"label": _("Activities completed"), "value": summary["completions"]},
        {"label": _("Completion rate"), "value": percent(summary["completion_rate"])},
    ]
    if summary["since"] or summary["until"]:
        period = _("Period: {since} to {until}.").format(since=summary["since"] or "…", until=summary["until"] or "…")
    else:
        period = _("Period: the whole course.")
    period += " " + _("Learners only; staff trying blocks out are left out.")
    return {"data": summary, "figures": figures, "period": period, "counted": counted_note(summary),
            "charts": summary_charts(summary, dom_id, type_labels)}


def counted_note(summary):
    """When the summary was counted, and for how long a page view keeps it."""
    if not summary.get("counted_at"):
        return ""
    at = clock.format_local(datetime.fromisoformat(summary["counted_at"]), with_offset=False)
    kept = conf.get("SUMMARY_MAX_AGE")
    if not kept:
        return _("Counted at {time}.").format(time=at)
    return ngettext("Counted at {time}. The page keeps these figures for up to {count} second; "
                    "“Show” counts them again.",
                    "Counted at {time}. The page keeps these figures for up to {count} seconds; "
                    "“Show” counts them again.", kept).format(time=at, count=kept)


def summary_charts(summary, dom_id, type_labels):
    """The summary's four charts, each with its table."""
    days = summary["days"]
    shown_days = days[-DAY_BARS:]
    blocks = summary["blocks"]
    block_names = [entry["title"] or type_labels.get(entry["block_type"], entry["block_type"]) for entry in blocks]
    charts_ = [
        chart(dom_id, "per_day", _("Learners active per day"),
              [entry["day"][5:] for entry in shown_days], [entry["participants"] for entry in shown_days],
              _("How many learners were active on each day."),
              [_("Day"), _("Learners active")], [[entry["day"], entry["participants"]] for entry in days],
              note=_("The chart shows the last {count} days; the table lists every day.").format(count=DAY_BARS)
              if len(days) > DAY_BARS else ""),
        chart(dom_id, "per_block", _("Learners who completed each activity"),
              block_names, [entry["completed"] for entry in blocks],
              _("How many learners completed each activity."),
              [_("Activity"), _("Type"), _("Learners active"), _("Completed"), _("Completion rate")],
              [[name, type_labels.get(entry["block_type"], entry["block_type"]), entry["participants"],
                entry["completed"], percent(entry["completion_rate"])] for name, entry in zip(block_names, blocks,
                                                                                              strict=True)]),
    ]
    for name, title, description, entries, first_column in (
            ("audience_group", _("Learners by audience group"),
             _("How many learners of each audience group took part."), summary["audience_groups"], _("Audience group")),
            ("region", _("Learners by region"), _("How many learners of each region took part."),
             summary["regions"], _("Region"))):
        charts_.append(chart(
            dom_id, name, title, [entry["label"] for entry in entries],
            [entry["participants"] for entry in entries], description,
            [first_column, _("Learners"), _("Completed an activity"), _("Completion rate")],
            [[entry["label"], entry["participants"], entry["completers"], percent(entry["completion_rate"])]
             for entry in entries]))
    return charts_


def chart(dom_id, name, title, labels, values, description, columns, rows, note=""):
    """One chart of the dashboard: the SVG and the same numbers as table rows of ``(column, value)``."""
    chart_id = f"{dom_id}-{name}"
    return {"name": name, "id": chart_id, "title": title, "note": note, "columns": columns, "rows": bool(rows),
            "body": table_body(columns, rows),
            "svg": charts.bar_chart(chart_id, title, labels, values, description) if rows else ""}


def table_body(columns, rows):
    """A table's rows, built in Python (a year has 366 days): each cell localized and escaped as the
    template's ``{{ cell }}`` was, and labelled with its column for the phone layout."""
    labels = [conditional_escape(column) for column in columns]
    return mark_safe("".join(  # noqa: S308 (escaped text only)
        "<tr>" + "".join(f'<td data-label="{label}">{charts.shown(cell)}</td>'
                         for label, cell in zip(labels, row, strict=True)) + "</tr>"
        for row in rows))
