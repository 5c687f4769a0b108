"""``lifelong_live_session``: a live lecture or book-club meetup.

Sign-up with seats and a waiting list, the join link inside the join window, check-in online
or by the QR code in the room, a calendar file, and afterwards the replay with the lesson
player's honest coverage.  Domain logic lives in ``lifelong_xblocks.live``; views in
``live_views``.
"""
import itertools
import logging

from xblock.core import XBlock
from xblock.fields import Integer, List, Scope, String

from lifelong_xblocks import clock, conf
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import ANYONE, LEARNER, STAFF, http_api, json_api
from lifelong_xblocks.blocks.live_views import LiveViewsMixin
from lifelong_xblocks.blocks.media_fields import LessonMediaFieldsMixin
from lifelong_xblocks.classroom import progress
from lifelong_xblocks.classroom.media import LessonMedia
from lifelong_xblocks.errors import Conflict, InvalidInput, LifelongError
from lifelong_xblocks.exports import csv_response, xlsx_response
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.live import authoring, checkin_codes, rescheduling, seats, staff_attendance
from lifelong_xblocks.live.schedule import effective_schedule
from lifelong_xblocks.workbench import scenarios_for

log = logging.getLogger(__name__)

ZONE_HELP = N_("Type times in the session's time zone, like 2026-12-01 19:30; they are stored in UTC "
               "(shown again as 2026-12-01T11:30:00Z).")


@XBlock.wants("completion")
class LiveSessionBlock(LessonMediaFieldsMixin, LiveViewsMixin, LifelongBlockMixin, XBlock):
    """A scheduled live lecture or book-club meetup with seats, check-in, calendar and replay."""

    has_custom_completion = True
    icon_class = "video"
    block_css = ("static/css/lesson.css", "static/css/live.css")
    block_js = ("static/js/player.js", "static/js/live_session.js")
    js_class = "LifelongLiveSession"

    editable_fields = (
        "display_name", "session_kind", "speakers", "description", "time_zone", "start_time", "end_time",
        "attendance_mode", "join_url", "passcode", "venue_address", "venue_room", "capacity",
        "join_window_minutes", "video_sources", "audio_url", "poster_url", "captions", "media_duration",
        "completion_rule", "completion_threshold",
    )

    display_name = String(
        display_name=N_("Display name"), help=N_("The session's title."),
        scope=Scope.settings, default=N_("Live session"), enforce_type=True,
    )
    session_kind = String(
        display_name=N_("Kind"), help=N_("Shown as a label and icon; the session works the same way."),
        scope=Scope.settings, default="lecture", enforce_type=True,
        values=[{"display_name": N_("Lecture"), "value": "lecture"},
                {"display_name": N_("Book-club meetup"), "value": "meetup"},
                {"display_name": N_("Other"), "value": "other"}],
    )
    speakers = List(
        display_name=N_("Speakers"), help=N_('Up to ten: [{"name": "...", "bio": "a short bio"}].'),
        scope=Scope.content, default=[], enforce_type=True,
    )
    description = String(
        display_name=N_("Description"),
        help=N_("Markdown or a safe subset of HTML; scripts, styles and event attributes are removed."),
        scope=Scope.content, default="", multiline_editor=True, enforce_type=True,
    )
    time_zone = String(
        display_name=N_("Time zone"),
        help=N_("The IANA time zone the times are typed and shown in, such as Asia/Shanghai."),
        scope=Scope.settings, default="Asia/Shanghai", enforce_type=True,
    )
    start_time = String(
        display_name=N_("Start"), help=ZONE_HELP, scope=Scope.settings, default="", enforce_type=True,
    )
    end_time = String(
        display_name=N_("End"), help=ZONE_HELP, scope=Scope.settings, default="", enforce_type=True,
    )
    # Grows whenever Studio changes the schedule; part of the calendar file's SEQUENCE.
    schedule_revision = Integer(scope=Scope.settings, default=0, enforce_type=True)
    attendance_mode = String(
        display_name=N_("Where"), help=N_("Online (join link), offline (a venue) or both."),
        scope=Scope.settings, default="online", enforce_type=True,
        values=[{"display_name": N_("Online"), "value": "online"},
                {"display_name": N_("Offline"), "value": "offline"},
                {"display_name": N_("Online and offline"), "value": "hybrid"}],
    )
    join_url = String(
        display_name=N_("Join link"),
        help=N_("The meeting's https:// address. Shown only to registered learners, from the join window on."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    passcode = String(
        display_name=N_("Passcode"), help=N_("Optional; shown with the join link."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    venue_address = String(
        display_name=N_("Venue address"), help=N_("For offline and hybrid sessions."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    venue_room = String(
        display_name=N_("Room"), help=N_("Room or hall, for offline and hybrid sessions."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    capacity = Integer(
        display_name=N_("Seats"), help=N_("How many learners can sign up; 0 means unlimited. "
                                          "Others join a waiting list."),
        scope=Scope.settings, default=0, enforce_type=True,
    )
    join_window_minutes = Integer(
        display_name=N_("Join window (minutes)"),
        help=N_("How many minutes before the start the join link, passcode and check-in appear."),
        scope=Scope.settings, default=15, enforce_type=True,
    )
    completion_rule = String(
        display_name=N_("Completed by"), help=N_("What completes the session for a learner."),
        scope=Scope.settings, default="either", enforce_type=True,
        values=[{"display_name": N_("Attending (check-in)"), "value": "attended"},
                {"display_name": N_("Watching the replay"), "value": "replay"},
                {"display_name": N_("Either"), "value": "either"}],
    )

    js_strings = {
        **LiveViewsMixin.player_js_strings,
        "confirm_cancel_session": N_("Cancel this session for everyone? Registrations are kept."),
        "code_refreshed": N_("New code shown."),
        "confirm_remove": N_("Remove the registration of {user}? A freed seat goes to the first learner waiting."),
    }

    studio_lists = {
        **LessonMediaFieldsMixin.media_studio_lists,
        "speakers": {
            "item": N_("Speaker {number}"), "add": N_("Add a speaker"), "remove": N_("Remove this speaker"),
            "max": authoring.MAX_SPEAKERS,
            "fields": [{"key": "name", "label": N_("Name")},
                       {"key": "bio", "label": N_("Short bio"), "rows": 3}],
        },
    }

    # ---- authoring ----------------------------------------------------------------------------
    def clean_studio_edits(self, data):
        """Times typed in the session's zone become UTC; a schedule change bumps the revision."""
        zone_name = data.get("time_zone", self.time_zone)
        for name in ("start_time", "end_time"):
            if name in data:
                data[name] = authoring.utc_field_value(data[name], zone_name)
        if (data.get("start_time", self.start_time), data.get("end_time", self.end_time)) != \
                (self.start_time, self.end_time):
            data["schedule_revision"] = self.schedule_revision + 1

    def validate_field_data(self, validation, data):
        for problem in authoring.session_problems(data):
            self.add_error(validation, problem)

    # ---- derived content --------------------------------------------------------------------
    @property
    def media(self):
        """The replay as it may be shown (URLs re-checked at render; imported OLX skips Studio)."""
        return LessonMedia.from_fields(self.video_sources, self.audio_url, self.poster_url, [])

    @property
    def has_replay(self):
        return LessonMedia.kind_of(self.video_sources, self.audio_url) != "text"

    @property
    def offers_online(self):
        return self.attendance_mode in ("online", "hybrid") and authoring.is_join_url(self.join_url)

    @property
    def offers_qr(self):
        return self.attendance_mode in ("offline", "hybrid")

    def schedule(self, state=None, loaded=False):
        """The schedule in force: authored, or as staff rescheduled it in the LMS (``loaded``: ``state``
        was read already, ``None`` meaning there is no state row)."""
        if state is None and not loaded:
            state = seats.get_state(self.usage_key)
        return effective_schedule(self.start_time, self.end_time, self.time_zone, self.join_window_minutes,
                                  state, lambda: self.schedule_revision)   # read when the SEQUENCE is asked

    # ---- completion ---------------------------------------------------------------------------
    def _complete_if_earned(self, registration=None, lesson=None):
        """Publish completion when attendance or the replay meets the author's rule."""
        person = self.person
        registration = registration or seats.get_registration(self.usage_key, person.user_id)
        lesson = lesson or progress.get_progress(self.usage_key, person.user_id)
        attended = bool(registration and registration.checked_in_at)
        coverage = lesson.coverage if lesson else 0.0
        complete = authoring.is_complete(self.completion_rule, attended, coverage, self.completion_threshold)
        if complete:
            if lesson is not None and lesson.completed_at is None:
                progress.mark_completed(lesson)
            self.publish_completion(1.0)
        self.note_learner_activity(status=registration.status if registration else None, attended=attended,
                                   coverage=round(coverage, 3), completed=complete)
        return complete

    def _learner_completes(self, registration):
        """Whether ``registration``'s learner meets the completion rule now (attendance or replay)."""
        lesson = progress.get_progress(self.usage_key, registration.user_id)
        return authoring.is_complete(self.completion_rule, bool(registration.checked_in_at),
                                     lesson.coverage if lesson else 0.0, self.completion_threshold)

    def catch_up_staff_completion(self, state):
        """A learner marked present by staff: publish their completion on their own visit, unless
        the runtime's completion service already holds it (staff's request recorded it)."""
        if not (state["completed"] and state["check_in_method"] == staff_attendance.STAFF):
            return
        service = self.completion_service()
        if service is not None and hasattr(service, "get_completions"):
            try:
                if service.get_completions([self.scope_ids.usage_id]).get(self.scope_ids.usage_id, 0.0) >= 1.0:
                    return
            except Exception:  # noqa: BLE001 (publishing again is harmless)
                log.debug("completion service could not be asked", exc_info=True)
        self.publish_completion(1.0)

    # ---- learner handlers ----------------------------------------------------------------------
    def _refuse_unless_open(self, schedule):
        phase = schedule.phase()
        if phase == "cancelled":
            raise Conflict(_("This session has been cancelled."))
        if phase == "unscheduled":
            raise Conflict(_("This session has no date yet."))
        if phase == "ended":
            raise Conflict(_("This session is over."))

    @json_api(LEARNER)
    def sign_up(self, data, suffix=""):
        """Take a seat, or a place on the waiting list when the session is full."""
        self._refuse_unless_open(self.schedule())
        registration = seats.sign_up(self.course_key, self.usage_key, self.person.user_id, self.capacity,
                                     by_staff=self.person.is_staff)
        self.note_learner_activity(status=registration.status)
        message = _("You have a seat.") if registration.status == seats.REGISTERED else \
            _("The session is full: you are on the waiting list. You get a seat automatically when one frees.")
        return self.panel_answer(message)

    @json_api(LEARNER)
    def cancel_registration(self, data, suffix=""):
        """Give the seat (or the place on the waiting list) back; the next learner waiting gets it."""
        schedule = self.schedule()
        if schedule.phase() == "ended":
            raise Conflict(_("This session is over."))
        registration, _promoted = seats.cancel(self.course_key, self.usage_key, self.person.user_id, self.capacity)
        self.note_learner_activity(status=registration.status)
        return self.panel_answer(_("Your registration is cancelled."))

    def _check_in(self, method):
        schedule = self.schedule()
        self._refuse_unless_open(schedule)
        if not schedule.can_join():
            raise Conflict(_("Check-in opens {minutes} minutes before the start.")
                           .format(minutes=schedule.join_window_minutes))
        registration = seats.check_in(self.course_key, self.usage_key, self.person.user_id, self.capacity,
                                      method, by_staff=self.person.is_staff)
        self._complete_if_earned(registration=registration)
        return registration

    @json_api(LEARNER)
    def check_in(self, data, suffix=""):
        """Online check-in, inside the join window or during the session (server time)."""
        if not self.offers_online:
            raise Conflict(_("Check in with the code shown in the room."))
        self._check_in("online")
        return self.panel_answer(_("You are checked in. Enjoy the session!"))

    @http_api(ANYONE, methods=("GET", "POST"))
    def qr_checkin(self, request, suffix=""):
        """The page a scanned room code opens (GET), and its check-in button (POST, a fresh code)."""
        code = request.params.get("code", "")
        message, done = "", False
        if request.method == "POST":
            try:
                if not self.person.is_authenticated:
                    raise InvalidInput(_("Please sign in to do this."))
                if not self.offers_qr:
                    raise Conflict(_("This session has no check-in code."))
                checkin_codes.check_code(self.usage_key, code)
                self._check_in("qr")
                message, done = _("You are checked in. Enjoy the session!"), True
            except LifelongError as error:
                message = error.message
        return self.qr_page(request, code, message, done, status=200 if done or request.method == "GET" else 409)

    @json_api(LEARNER)
    def report_progress(self, data, suffix=""):
        """The replay player's report (see docs/api.md); counted only once the session is over."""
        if not self.has_replay:
            raise InvalidInput(_("This session has no replay."))
        if self.schedule().phase() != "ended":
            raise Conflict(_("The replay opens after the session."))
        lesson = progress.record_playback(self.course_key, self.usage_key, self.person.user_id, data,
                                          authored_duration=self.media_duration, by_staff=self.person.is_staff)
        completed = self._complete_if_earned(lesson=lesson)
        return {"coverage": lesson.coverage, "position": lesson.position, "completed": completed}

    @http_api(ANYONE)
    def calendar(self, request, suffix=""):
        """The session as an iCalendar file (``.ics``) for the learner's calendar app."""
        return self.calendar_response()

    # ---- staff handlers ------------------------------------------------------------------------
    @json_api(STAFF)
    def reschedule(self, data, suffix=""):
        """Move the session (times typed in its zone); registrations stay, learners see a banner."""
        start, end = rescheduling.parse_new_times(data.get("start"), data.get("end"), self.time_zone)
        rescheduling.reschedule(self.course_key, self.usage_key, self.person.user_id,
                                (self.start_time, self.end_time), start, end)
        return {"start": clock.format_local(start, self.time_zone), "end": clock.format_local(end, self.time_zone),
                "sequence": self.schedule().sequence}

    @json_api(STAFF)
    def cancel_session(self, data, suffix=""):
        """Cancel the session for everyone (registrations kept)."""
        state = rescheduling.cancel_session(self.course_key, self.usage_key, self.person.user_id, data.get("reason"))
        return {"cancelled": state.cancelled, "sequence": self.schedule(state).sequence}

    @json_api(STAFF)
    def reinstate_session(self, data, suffix=""):
        """Take a cancellation back."""
        state = rescheduling.reinstate(self.course_key, self.usage_key, self.person.user_id)
        return {"cancelled": state.cancelled, "sequence": self.schedule(state).sequence}

    # ---- staff: attendance by hand ---------------------------------------------------------------
    @json_api(STAFF)
    def staff_check_in(self, data, suffix=""):
        """Mark a registered learner present (``{"user": username}``), e.g. without a smartphone."""
        learner = staff_attendance.learner_named(data.get("user"))
        registration, changed = staff_attendance.staff_check_in(self.course_key, self.usage_key, learner,
                                                                self.person.user_id, self.schedule())
        if not changed:
            return self.staff_answer(_("{user} was already checked in ({method}); nothing changed.").format(
                user=learner.username, method=self.method_label(registration.check_in_method)),
                user=learner.username, completion="unchanged")
        if not self._learner_completes(registration):
            completion = "not_counted"
        elif self.publish_completion_for(learner.pk, 1.0):  # else the learner's next visit publishes it
            completion = "recorded"
        else:
            completion = "on_next_visit"
        return self.staff_answer(_("{user} is marked present.").format(user=learner.username),
                                 user=learner.username, completion=completion)

    @json_api(STAFF)
    def undo_check_in(self, data, suffix=""):
        """Take a learner's check-in back (a mistake), whichever way they checked in."""
        learner = staff_attendance.learner_named(data.get("user"))
        registration, previous = staff_attendance.undo_check_in(self.course_key, self.usage_key, learner,
                                                                self.person.user_id, self.schedule())
        if not previous:
            return self.staff_answer(_("{user} was not checked in; nothing changed.").format(user=learner.username),
                                     user=learner.username, completion="unchanged")
        if self._learner_completes(registration):
            completion = "still_complete"
        elif self.publish_completion_for(learner.pk, 0.0):
            completion = "withdrawn"
        else:
            completion = "kept"
        return self.staff_answer(_("The check-in of {user} is taken back.").format(user=learner.username),
                                 user=learner.username, completion=completion)

    @json_api(STAFF)
    def remove_registration(self, data, suffix=""):
        """Remove a learner's seat or place on the waiting list; a freed seat goes to the next learner."""
        learner = staff_attendance.learner_named(data.get("user"))
        _registration, promoted, changed = staff_attendance.remove_registration(
            self.course_key, self.usage_key, learner, self.person.user_id, self.capacity, self.schedule())
        if not changed:
            message = _("The registration of {user} was already cancelled; nothing changed.").format(user=learner.username)
        elif promoted:
            message = _("The registration of {user} is removed; the seat went to {next}, first on the waiting list.")\
                .format(user=learner.username, next=", ".join(row.user.username for row in promoted))
        else:
            message = _("The registration of {user} is removed.").format(user=learner.username)
        return self.staff_answer(message, user=learner.username,
                                 promoted=[row.user.username for row in promoted])

    @http_api(STAFF)
    def checkin_code(self, request, suffix=""):
        """Staff: the current room code as an SVG QR code (JSON), refreshed by the staff view."""
        return self.checkin_code_response(request)

    def _attendance_export(self):
        """Everyone who signed up (waiting list in its order), then who only watched the replay."""
        header = [_("Username"), _("Status"), _("Signed up at"), _("Seat since"), _("From the waiting list"),
                  _("Cancelled at"), _("Checked in at"), _("Check-in"), _("Replay played (%)"), _("Staff")]
        coverage = self._replay_coverage()

        def local(moment):
            return clock.format_local(moment, self.time_zone) if moment else ""

        def yes(flag):
            return _("yes") if flag else ""

        signed_up = (
            (username, self.status_label(status), local(queued), local(registered), yes(promoted),
             local(cancelled), local(checked_in), self.method_label(method),
             round(coverage.get(username, 0.0) * 100, 1), yes(by_staff))
            for username, status, queued, registered, promoted, cancelled, checked_in, method, by_staff
            in seats.registration_rows(self.usage_key).iterator(chunk_size=1000)
        )
        replay_only = (
            (username, _("Replay only"), "", "", "", "", "", "", round(played * 100, 1), yes(by_staff))
            for username, played, by_staff in seats.replay_only_rows(self.usage_key).iterator(chunk_size=1000)
        )
        return header, itertools.chain(signed_up, replay_only)

    def _replay_coverage(self, usernames=None):
        rows = progress.LessonProgress.objects.filter(usage_key=self.usage_key)
        if usernames is not None:
            rows = rows.filter(user__username__in=list(usernames))
        return dict(rows.values_list("user__username", "coverage"))

    @http_api(STAFF)
    def download_csv(self, request, suffix=""):
        """Staff: registrations, waiting list and attendance with check-in times, as CSV."""
        header, rows = self._attendance_export()
        return csv_response("live-session-attendance.csv", header, rows)

    @http_api(STAFF)
    def download_xlsx(self, request, suffix=""):
        """Staff: the same as an Excel workbook."""
        header, rows = self._attendance_export()
        return xlsx_response("live-session-attendance.xlsx", _("Attendance"), header, rows)

    # ---- reports ----------------------------------------------------------------------------
    def report_rows(self, usernames):
        coverage = self._replay_coverage(usernames)
        rows = {}
        for username, status, queued, _registered, _promoted, _cancelled, checked_in, method, _by_staff in \
                seats.registration_rows(self.usage_key, usernames):
            rows[username] = self._report_row(status, queued, checked_in, method, coverage.get(username, 0.0))
        for username, played, _by_staff in seats.replay_only_rows(self.usage_key, usernames):
            rows[username] = self._report_row("", None, None, "", played)
        return rows

    def _report_row(self, status, queued, checked_in, method, played):
        complete = authoring.is_complete(self.completion_rule, bool(checked_in), played, self.completion_threshold)
        return [
            ("completion", 1.0 if complete else 0.0),
            ("status", status),
            ("signed_up_at", queued.isoformat() if queued else ""),
            ("checked_in_at", checked_in.isoformat() if checked_in else ""),
            ("check_in_method", method),
            ("replay_coverage", round(played, 4)),
        ]

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for("lifelong_live_session", conf.get("WORKBENCH_SCENARIOS_DIR"))
