"""``lifelong_reading_log``: a daily reading check-in with streaks, a goal, a calendar and a club wall.

The day is the server's "today" in the block's zone; the learner can fill in and edit today only.
The goal counts days with a check-in inside the activity window; completion (1.0) is published
when it is reached.
"""
from html import escape

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import mark_safe
from xblock.core import XBlock
from xblock.fields import Boolean, Integer, Scope, String

from lifelong_xblocks import charts, clock, conf
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import LEARNER, STAFF, http_api, json_api
from lifelong_xblocks.errors import NotAllowed
from lifelong_xblocks.exports import csv_response, xlsx_response
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.i18n import ngettext
from lifelong_xblocks.models.reading_log import REFLECTION_MAX, TITLE_MAX
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.reading import log_figures, log_settings, log_wall, reading_log, streaks
from lifelong_xblocks.reading.bookshelf import course_books
from lifelong_xblocks.workbench import scenarios_for


@XBlock.wants("completion")
class ReadingLogBlock(LifelongBlockMixin, XBlock):
    """One check-in a day: book, minutes and/or pages, a reflection; streaks, goal, calendar, wall."""

    has_custom_completion = True
    icon_class = "problem"
    block_css = ("static/css/reading_log.css",)
    block_js = ("static/js/reading_log.js",)
    js_class = "LifelongReadingLog"

    editable_fields = ("display_name", "intro", "reflection_prompt", "time_zone", "window_start", "window_end",
                       "goal_days", "wall_enabled")

    display_name = String(
        display_name=N_("Display name"), help=N_("The reading log's title."),
        scope=Scope.settings, default=N_("Reading log"), enforce_type=True,
    )
    intro = String(
        display_name=N_("Introduction"),
        help=N_("Plain text shown above the check-in form, such as what to read this week."),
        scope=Scope.content, default="", multiline_editor=True, enforce_type=True,
    )
    reflection_prompt = String(
        display_name=N_("Reflection prompt"),
        help=N_("A question shown with the reflection box, such as: What stayed with you today?"),
        scope=Scope.content, default="", enforce_type=True,
    )
    time_zone = String(
        display_name=N_("Time zone"),
        help=N_("The zone whose calendar days count, such as Asia/Shanghai. Empty: the site's zone "
                "(Asia/Shanghai unless the operator changed it)."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    window_start = String(
        display_name=N_("First day"),
        help=N_("The first day of the activity, such as 2026-12-01. Empty: no first day."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    window_end = String(
        display_name=N_("Last day"),
        help=N_("The last day of the activity, such as 2026-12-07. Check-ins are accepted up to the end of "
                "this day. Empty: no last day."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    goal_days = Integer(
        display_name=N_("Goal (days)"),
        help=N_("How many days with a check-in within the activity complete the block."),
        scope=Scope.settings, default=5, enforce_type=True,
    )
    wall_enabled = Boolean(
        display_name=N_("Club wall"),
        help=N_("Show the club wall, where learners may share their reflections with the others."),
        scope=Scope.settings, default=True, enforce_type=True,
    )

    js_strings = {
        "checked_in": N_("Checked in for today. You can still edit it until midnight."),
        "reported": N_("Reported. Thank you."),
        "hidden": N_("Hidden"),
        "shown": N_("Shown"),
        "reports_dismissed": N_("Reports dismissed."),
        "fix_fields": N_("Please correct the fields marked below."),
        "member": N_("You take part in the club wall: the reflections you choose to show appear here for the "
                     "other learners."),
        "not_member": N_("You do not take part in the club wall: your reflections are private."),
        "joined": N_("You joined the club wall."),
        "left": N_("You left the club wall. Your reflections were removed from it."),
    }

    # ---- settings -------------------------------------------------------------------------------
    @property
    def zone_name(self):
        return self.time_zone if clock.is_zone_name(self.time_zone) else None

    @property
    def window(self):
        return log_settings.window_of(self.window_start, self.window_end)

    @property
    def goal(self):
        return self.goal_days if 1 <= self.goal_days <= log_settings.MAX_GOAL_DAYS else 1

    def today(self):
        return clock.today(self.zone_name)

    def validate_field_data(self, validation, data):
        values = {name: getattr(data, name) for name in
                  ("time_zone", "window_start", "window_end", "goal_days", "intro", "reflection_prompt")}
        for problem in log_settings.settings_problems(values):
            self.add_error(validation, problem)

    # ---- learner state ----------------------------------------------------------------------------
    def learner_state(self):
        """The learner's streaks, goal, today's check-in and days, for views and the mobile app."""
        today = self.today()
        return self.state_of(today, *reading_log.learner_log(self.usage_key, self.person.user_id, today))

    def state_of(self, today, days, entry, wall_member):
        """:meth:`learner_state` of what :func:`reading_log.learner_log` read."""
        return {
            "today": today,
            "days": days,
            "summary": reading_log.learner_summary(days, today, self.window, self.goal),
            "entry": entry,
            "wall_member": wall_member,
        }

    def wall_member(self, state):
        """Whether the learner takes part in the club wall (read with their check-ins when they have any)."""
        if not self.wall_enabled:
            return False
        if state.get("wall_member") is None:
            return log_wall.is_member(self.usage_key, self.person.user_id)
        return state["wall_member"]

    def heatmap(self, days, today):
        start, end = streaks.calendar_range(today, self.window)

        no_check_in = _("{day}: no check-in")   # most of a year's squares: translated once, not once a day

        def describe(day, value):
            if not value:
                return no_check_in.format(day=day.isoformat())
            minutes, pages = days.get(day, (0, 0))
            if not pages:
                return _("{day}: {minutes} minutes").format(day=day.isoformat(), minutes=minutes)
            if not minutes:
                return _("{day}: {pages} pages").format(day=day.isoformat(), pages=pages)
            return _("{day}: {minutes} minutes, {pages} pages").format(day=day.isoformat(), minutes=minutes,
                                                                       pages=pages)
        values = {day: max(1, minutes) for day, (minutes, _pages) in days.items()}
        return charts.calendar_heatmap(
            f"{self.dom_id}-calendar", _("My reading days"), values, start, end,
            _("Darker squares are days with more minutes of reading."), describe=describe, marked=today,
            legend=(_("Fewer minutes"), _("More minutes")))

    @staticmethod
    def book_options(books, entry):
        """The book picker's ``<option>``s (up to 100 in a large course), built here instead of a template
        loop; every text escaped, ids written as numbers, today's book selected."""
        if not books:
            return ""
        chosen = (entry.get("book_id") if isinstance(entry, dict) else getattr(entry, "book_id", None)) if entry else None
        return mark_safe("".join(  # noqa: S308 (every text escaped, ids as int)
            f'<option value="{int(book["id"])}"{" selected" if book["id"] == chosen else ""}>{escape(book["title"])}'
            f'{" / " + escape(book["author"]) if book["author"] else ""}</option>' for book in books))

    @staticmethod
    def wall_html(wall):
        """The club wall's entries as HTML, built here instead of a template loop with three translated
        texts an entry: the fixed texts are translated once per render, every text is escaped
        (``html.escape``, what Django's ``escape`` does; reflections keep their line breaks as
        ``linebreaksbr`` wrote them), numbers are written as numbers."""
        if not wall:
            return ""
        report_label = _("Report the entry of %(name)s on %(day)s")
        reported, report = escape(_("You reported this entry.")), escape(_("Report"))
        reported = f'\n      <p class="ll-help">{reported}</p>\n      '
        parts = []
        for item in wall:
            name, day, amounts = item["username"], item["day"], ""
            if item["minutes"]:
                amounts += " · " + escape(ngettext("%(minutes)s minute", "%(minutes)s minutes", item["minutes"])
                                          % {"minutes": int(item["minutes"])})
            if item["pages"]:
                amounts += " · " + escape(ngettext("%(pages)s page", "%(pages)s pages", item["pages"])
                                          % {"pages": int(item["pages"])})
            action = reported if item["reported"] else (
                f'\n      <button type="button" class="ll-button ll-button-quiet ll-button-small" '
                f'data-ll-report="{int(item["id"])}" aria-label="{escape(report_label % {"name": name, "day": day})}">'
                f'{report}</button>\n      <p class="ll-status" role="status" aria-live="polite"></p>\n      ')
            parts.append(
                f'\n    <li class="ll-wall-entry" data-entry="{int(item["id"])}">\n      <p class="ll-wall-meta"><strong>'
                f'{escape(name)}</strong> · {escape(day)} · <cite>{escape(item["book_title"])}</cite>{amounts}</p>\n'
                f'      <p class="ll-wall-text">{linebreaksbr(item["reflection"])}</p>\n      {action}\n    </li>\n    ')
        return mark_safe("".join(parts))  # noqa: S308 (every text escaped, numbers as int)

    def user_state_for_mobile(self):
        state = self.learner_state()
        summary = state["summary"]
        return {
            "today": state["today"].isoformat(),
            "can_check_in": self.window.has_started(state["today"]) and not self.window.has_ended(state["today"]),
            "entry": reading_log.as_dict(state["entry"]),
            **summary,
            "days": [{"day": day.isoformat(), "minutes": minutes, "pages": pages}
                     for day, (minutes, pages) in sorted(state["days"].items())],
            "books": course_books(self.course_key),
            "wall_member": self.wall_member(state),
            "wall": log_wall.wall(self.usage_key, self.person.user_id) if self.wall_enabled else [],
            "comfort": profiles.comfort_as_dict(self.comfort_settings()),
        }

    # ---- views ------------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        preview = bool((context or {}).get("author_preview"))
        person = self.person
        signed_in = person.is_authenticated and not preview
        today = self.today()
        wall_enabled = self.wall_enabled
        wall_shown = wall_enabled and signed_in
        wall = ""
        if wall_shown:    # the learner's log and the wall in one query
            own, entries, member = log_wall.log_and_wall(self.usage_key, person.user_id)
            state = self.state_of(today, *reading_log.days_and_entry(own, today), member)
            wall = self.wall_html(entries)
        elif signed_in:
            state = self.learner_state()
        else:
            state = self.state_of(today, {}, None, False)
        window = self.window
        comfort = self.comfort_settings(signed_in)
        template_context = {
            "title": self.shown_title, "intro": self.intro, "reflection_prompt": self.reflection_prompt,
            "signed_in": signed_in, "preview": preview, "today": today, "window": window,
            "open": window.has_started(today) and not window.has_ended(today),
            "entry": state["entry"], "summary": state["summary"], "comfort": comfort,
            "book_options": self.book_options(course_books(self.course_key), state["entry"]) if signed_in else "",
            "limits": {"title": TITLE_MAX, "reflection": REFLECTION_MAX, "minutes": reading_log.MAX_MINUTES,
                       "pages": reading_log.MAX_PAGES},
            "heatmap": self.heatmap(state["days"], today),
            "zone_label": clock.offset_label(clock.now(), self.zone_name),
            "wall_enabled": wall_enabled, "wall_size": log_wall.WALL_SIZE,
            "wall_member": signed_in and self.wall_member(state),
            "wall": wall,
            **({} if preview else self.profile_context()),
        }
        template_context["staff"] = self.staff_context(today) if person.is_staff and not preview else None
        return self.fragment_for("reading/reading_log.html", template_context, js_config={
            "signed_in": signed_in, "today": today.isoformat(),
            "comfort": profiles.comfort_as_dict(comfort),
        })

    def staff_context(self, today):
        summary = log_figures.staff_summary(self.usage_key, today, self.window, self.goal)
        per_day = summary["per_day"]
        return {
            "summary": summary,
            "chart": charts.bar_chart(f"{self.dom_id}-per-day", _("Check-ins per day"),
                                      [f"{day:%m-%d}" for day, _count in per_day], [count for _day, count in per_day],
                                      _("Number of learners who checked in on each day.")),
            "queue": log_wall.staff_queue(self.usage_key) if self.wall_enabled else [],
            "csv_url": self.runtime.handler_url(self, "download_csv"),
            "xlsx_url": self.runtime.handler_url(self, "download_xlsx"),
        }

    def student_view_data(self, context=None):
        """Content for the Open edX mobile app (no learner state: collected with no user)."""
        window = self.window
        return {
            "title": self.shown_title, "intro": self.intro, "reflection_prompt": self.reflection_prompt,
            "time_zone": str(clock.zone(self.zone_name)),
            "window_start": window.start.isoformat() if window.start else None,
            "window_end": window.end.isoformat() if window.end else None,
            "goal_days": self.goal, "wall_enabled": self.wall_enabled,
            "limits": {"book_title": TITLE_MAX, "reflection": REFLECTION_MAX, "minutes": reading_log.MAX_MINUTES,
                       "pages": reading_log.MAX_PAGES},
        }

    # ---- handlers ---------------------------------------------------------------------------------
    @json_api(LEARNER)
    def check_in(self, data, suffix=""):
        """Today's check-in, or an edit of it (see docs/api.md)."""
        person = self.person
        entry = reading_log.check_in(self.course_key, self.usage_key, person.user_id, data, self.zone_name,
                                     self.window, by_staff=person.is_staff)
        state = self.learner_state()
        summary = state["summary"]
        if summary["goal_reached"]:
            self.publish_completion(1.0)
        self.note_learner_activity(last_day=entry.day.isoformat(), days=summary["total_days"],
                                   goal_reached=summary["goal_reached"])
        return {"entry": reading_log.as_dict(entry), **summary,
                "heatmap_html": self.heatmap(state["days"], state["today"])}

    @json_api(LEARNER)
    def set_wall_sharing(self, data, suffix=""):
        """Join the club wall or leave it (leaving takes all the learner's reflections off it at once)."""
        if not self.wall_enabled:
            raise NotAllowed(_("This reading log has no club wall."))
        person = self.person
        sharing = log_wall.set_sharing(self.course_key, self.usage_key, person.user_id, data.get("sharing"),
                                       by_staff=person.is_staff)
        return {"sharing": sharing}

    @json_api(LEARNER)
    def report_entry(self, data, suffix=""):
        """Report another learner's entry on the club wall to staff."""
        created = log_wall.report(self.usage_key, data.get("entry_id"), self.person.user_id, data.get("reason", ""))
        return {"reported": True, "new": created}

    @json_api(STAFF)
    def moderate(self, data, suffix=""):
        """Staff: hide a wall entry (with a note), show it again, or dismiss its reports."""
        entry = log_wall.moderate(self.usage_key, data.get("entry_id"), self.person.user_id, data.get("action"),
                                  data.get("note", ""))
        return {"entry_id": entry.pk, "hidden": entry.hidden}

    def _export(self):
        header = [_("Username"), _("Day"), _("Book"), _("Minutes"), _("Pages"), _("Reflection"),
                  _("Shared on the wall"), _("Hidden by staff"), _("Staff"), _("Checked in at (UTC)"),
                  _("Last edited at (UTC)")]
        rows = ((entry.user.username, entry.day.isoformat(), entry.book_title, entry.minutes, entry.pages,
                 entry.reflection, _("yes") if entry.shared else "", _("yes") if entry.hidden else "",
                 _("yes") if entry.by_staff else "", entry.created.isoformat(), entry.modified.isoformat())
                for entry in log_figures.checkin_rows(self.usage_key))
        return header, rows

    @http_api(STAFF)
    def download_csv(self, request, suffix=""):
        """Staff: every check-in as CSV."""
        return csv_response("reading-log.csv", *self._export())

    @http_api(STAFF)
    def download_xlsx(self, request, suffix=""):
        """Staff: every check-in as an Excel workbook."""
        header, rows = self._export()
        return xlsx_response("reading-log.xlsx", _("Check-ins"), header, rows)

    # ---- reports ----------------------------------------------------------------------------------
    def report_rows(self, usernames):
        summaries = log_figures.report_rows(self.usage_key, usernames, self.today(), self.window, self.goal)
        return {username: [
            ("completion", 1.0 if summary["goal_reached"] else 0.0),
            ("days", summary["days"]), ("days_towards_goal", summary["days_counted"]),
            ("goal_days", self.goal), ("current_streak", summary["current_streak"]),
            ("longest_streak", summary["longest_streak"]), ("minutes", summary["minutes"]),
            ("pages", summary["pages"]), ("last_day", summary["last_day"]),
        ] for username, summary in summaries.items()}

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for("lifelong_reading_log", conf.get("WORKBENCH_SCENARIOS_DIR"))
