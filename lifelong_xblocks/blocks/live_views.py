"""Views of a live session: the learner page and its "your place" panel, the staff panel, the
QR check-in page, the calendar download, the mobile data."""
import string

from django.conf import settings
from django.utils import translation
from django.utils.crypto import get_random_string
from webob import Response
from xblock.core import XBlock

from lifelong_xblocks import charts, clock
from lifelong_xblocks.blocks.handlers import json_response
from lifelong_xblocks.blocks.lesson_views import LessonPlayerMixin, urls_only
from lifelong_xblocks.classroom import progress
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.live import calendar_file, checkin_codes, seats, staff_attendance
from lifelong_xblocks.live.authoring import is_complete
from lifelong_xblocks.live.schedule import CANCELLED, ENDED, JOINABLE, LIVE, UNSCHEDULED, UPCOMING
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.sanitize import demote_headings, plain_text, render_markdown

NOT_READ = object()   # learner_state: the registration was not read yet

KIND_LABELS = {"lecture": N_("Lecture"), "meetup": N_("Book-club meetup"), "other": N_("Event")}
# Simple line icons drawn inline (no emoji: phones and kiosks often lack the font).
KIND_ICONS = {
    "lecture": "M4 5h16v10H4z M12 15v4 M8 19h8",                           # a screen on a stand
    "meetup": "M3 5c3-1 6-1 9 1v13c-3-2-6-2-9-1z M21 5c-3-1-6-1-9 1v13c3-2 6-2 9-1z",   # an open book
    "other": "M4 6h16v14H4z M4 10h16 M8 3v5 M16 3v5",                        # a calendar page
}
MODE_LABELS = {"online": N_("Online"), "offline": N_("Offline"), "hybrid": N_("Online and offline")}
STATUS_LABELS = {"registered": N_("Registered"), "waiting": N_("Waiting list"), "cancelled": N_("Cancelled")}
METHOD_LABELS = {"online": N_("Online"), "qr": N_("QR code in the room"), "staff": N_("By staff")}
PHASE_LABELS = {
    UPCOMING: N_("Upcoming"), JOINABLE: N_("Starting soon"), LIVE: N_("Live now"), ENDED: N_("Ended"),
    CANCELLED: N_("Cancelled"), UNSCHEDULED: N_("Date to be announced"),
}
STAFF_LIST_LIMIT = 200
NO_SOURCES = {"element": None, "sources": []}     # urls_only(...) of a session without a replay


def csrf_token_for_form(request):
    """``(token, is_new)`` for a plain HTML form that POSTs to a handler.

    The LMS checks CSRF on handler POSTs.  A phone that opens the room's code may never have
    loaded an LMS page that set the CSRF cookie, so the page sets one itself when it is missing,
    as Django's ``ensure_csrf_cookie`` would, and the form carries the same value.
    """
    token = request.cookies.get(settings.CSRF_COOKIE_NAME, "")
    if token.isalnum() and len(token) in (32, 64):
        return token, False
    return get_random_string(32, string.ascii_letters + string.digits), True


def set_csrf_cookie(response, token):
    response.set_cookie(settings.CSRF_COOKIE_NAME, token, max_age=settings.CSRF_COOKIE_AGE,
                        path=settings.CSRF_COOKIE_PATH, domain=settings.CSRF_COOKIE_DOMAIN,
                        secure=settings.CSRF_COOKIE_SECURE or None, httponly=settings.CSRF_COOKIE_HTTPONLY or None,
                        samesite=settings.CSRF_COOKIE_SAMESITE)


class LiveViewsMixin(LessonPlayerMixin):
    """``student_view``, the learner panel, staff views and downloads of a live session."""

    @staticmethod
    def status_label(status):
        return _(STATUS_LABELS[status]) if status in STATUS_LABELS else ""

    @staticmethod
    def method_label(method):
        return _(METHOD_LABELS[method]) if method in METHOD_LABELS else ""

    def description_html(self):
        return demote_headings(render_markdown(self.description))

    def clean_speakers(self):
        return [{"name": str(s.get("name", "")), "bio": str(s.get("bio", ""))}
                for s in self.speakers if isinstance(s, dict) and s.get("name")]

    # ---- times ------------------------------------------------------------------------------
    def times_context(self, schedule):
        if not schedule.is_set:
            return None
        zone_name = self.time_zone if clock.is_zone_name(self.time_zone) else None
        times = {
            "start": clock.format_local(schedule.start, zone_name),
            # the same in two pieces that each stay on one line (a phone breaks "2026-" otherwise)
            "start_at": clock.format_local(schedule.start, zone_name, with_offset=False),
            "offset": clock.offset_label(schedule.start, zone_name),
            "end": clock.format_local(schedule.end, zone_name, with_offset=False),
            "zone": zone_name or clock.zone().key,
            "start_iso": schedule.start.isoformat(), "end_iso": schedule.end.isoformat(),
            "minutes": schedule.minutes(),
        }
        own = self.person.time_zone
        if clock.differs_for(own, zone_name, at=schedule.start):
            times.update(own_zone=own, own_start=clock.format_local(schedule.start, own),
                         own_end=clock.format_local(schedule.end, own, with_offset=False))
        return times

    # ---- the learner's place ----------------------------------------------------------------
    def learner_state(self, schedule=None, registration=NOT_READ, lesson=NOT_READ):
        """The learner's place and progress (``registration`` is None before signing up, ``lesson``
        before the replay was played)."""
        schedule = schedule or self.schedule()
        person = self.person
        if registration is NOT_READ:
            registration = seats.get_registration(self.usage_key, person.user_id)
        if registration is not None and registration.status == seats.WAITING and \
                schedule.phase() not in (ENDED, CANCELLED):
            if seats.fill_free_seats(self.course_key, self.usage_key, self.capacity):   # e.g. capacity raised
                registration = seats.get_registration(self.usage_key, person.user_id)
        if lesson is NOT_READ:
            lesson = progress.get_progress(self.usage_key, person.user_id)
        attended = bool(registration and registration.checked_in_at)
        coverage = lesson.coverage if lesson else 0.0
        return {
            "phase": schedule.phase(),
            "status": registration.status if registration else "",
            "waiting_position": seats.waiting_position(self.usage_key, registration),
            "checked_in": attended,
            "checked_in_at": registration.checked_in_at.isoformat() if attended else None,
            "check_in_method": registration.check_in_method if attended else "",
            "coverage": coverage,
            "position": lesson.position if lesson else 0.0,
            "completed": is_complete(self.completion_rule, attended, coverage, self.completion_threshold),
        }

    def seats_left(self):
        if not self.capacity:
            return None
        taken = getattr(self, "_seats_taken", None)      # read with the state row by student_view
        return max(0, self.capacity - (seats.seats_taken(self.usage_key) if taken is None else taken))

    def panel_context(self, schedule, state, signed_in):
        phase = state["phase"]
        registered = state["status"] == seats.REGISTERED
        open_phase = phase in (UPCOMING, JOINABLE, LIVE)
        can_join = schedule.can_join()
        return {
            "signed_in": signed_in, "phase": phase, "state": state,
            "status_label": self.status_label(state["status"]),
            "can_sign_up": signed_in and open_phase and state["status"] in ("", seats.CANCELLED),
            "can_cancel": signed_in and open_phase and state["status"] in (seats.REGISTERED, seats.WAITING)
            and not state["checked_in"],
            "seats_left": self.seats_left() if open_phase else None,
            "join_url": self.join_url if registered and can_join and self.offers_online else "",
            "passcode": self.passcode if registered and can_join and self.offers_online else "",
            "can_check_in": signed_in and can_join and self.offers_online and not state["checked_in"]
            and (registered or not self.capacity),
            "qr_hint": signed_in and can_join and self.offers_qr and not state["checked_in"],
            "join_opens": clock.format_local(schedule.join_opens, self.time_zone) if schedule.is_set else "",
            "join_window_minutes": schedule.join_window_minutes,
            "method_label": self.method_label(state["check_in_method"]),
        }

    def panel_answer(self, message):
        """A learner action's answer: the message, the panel re-rendered on the server, the state."""
        schedule, state = self.signed_in_state()
        html = self.render_template("live/learner_panel.html", {
            "block_id": self.dom_id, "panel": self.panel_context(schedule, state, True)})
        self._seats_taken = None
        return {"message": message, "panel_html": html, "state": state}

    def signed_in_state(self):
        """``(schedule, learner state)`` of the signed-in learner from the page's one query: the
        session's state row, their registration and replay progress, and the seats taken."""
        state_row, registration, lesson, lesson_read = seats.page_state(self.usage_key, self.person.user_id,
                                                                        count_seats=bool(self.capacity))
        self._seats_taken = getattr(state_row, "seats_taken", None) if state_row is not None else 0
        schedule = self.schedule(state_row, loaded=True)
        return schedule, self.learner_state(schedule, registration, lesson if lesson_read else NOT_READ)

    # ---- learner page -------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        context = context or {}
        preview = bool(context.get("author_preview"))
        person = self.person
        signed_in = person.is_authenticated and not preview
        if signed_in:
            schedule, state = self.signed_in_state()
        else:
            schedule = self.schedule()
            state = {"phase": schedule.phase(), "status": "", "waiting_position": None, "checked_in": False,
                     "checked_in_at": None, "check_in_method": "", "coverage": 0.0, "position": 0.0,
                     "completed": False}
        comfort = self.comfort_settings(signed_in)
        has_replay = self.has_replay
        replay_open = has_replay and state["phase"] == ENDED
        media = self.media if has_replay else None     # no replay: its poster and captions are not read
        template_context = {
            "title": self.shown_title, "kind": self.session_kind,
            "kind_label": _(KIND_LABELS.get(self.session_kind, KIND_LABELS["other"])),
            "kind_icon": KIND_ICONS.get(self.session_kind, KIND_ICONS["other"]),
            "mode": self.attendance_mode, "mode_label": _(MODE_LABELS.get(self.attendance_mode, MODE_LABELS["online"])),
            "phase_label": _(PHASE_LABELS[state["phase"]]),
            "speakers": self.clean_speakers(), "description_html": self.description_html(),
            "venue_address": self.venue_address if self.offers_qr else "",
            "venue_room": self.venue_room if self.offers_qr else "",
            "times": self.times_context(schedule), "schedule": schedule, "state": state,
            "panel": self.panel_context(schedule, state, signed_in),
            "calendar_url": self.runtime.handler_url(self, "calendar") if schedule.is_set else "",
            "replay_open": replay_open, "has_replay": has_replay,
            # the page shows the player only when the replay is open; otherwise only its comfort settings
            "player": self.player_context(state, comfort) if replay_open else {"comfort": comfort},
            "preview": preview, "signed_in": signed_in,
            **({} if preview else self.profile_context()),
        }
        if signed_in:
            self.catch_up_staff_completion(state)
        template_context["staff"] = self.staff_context(schedule) if person.is_staff and not preview else None
        self._seats_taken = None     # this render's figure: a handler on the same block counts again
        return self.fragment_for("live/session.html", template_context, js_config={
            "signed_in": signed_in, "position": state["position"], "completed": state["completed"],
            "comfort": profiles.comfort_as_dict(comfort),
            "low_sources": urls_only(media.pick(True)) if media else NO_SOURCES,
            "normal_sources": urls_only(media.pick(False)) if media else NO_SOURCES,
            "staff": bool(template_context.get("staff")),
        })

    # ---- staff ------------------------------------------------------------------------------
    def staff_context(self, schedule, lists_open=False):
        figures = seats.summary(self.usage_key)
        replay = progress.lesson_summary(self.usage_key)
        labels = [_("Registered"), _("Waiting list"), _("Checked in online"), _("Checked in by QR code"),
                  _("Marked present by staff"), _("Replay completed")]
        values = [figures["registered"], figures["waiting"], figures["checked_in_online"],
                  figures["checked_in_qr"], figures["checked_in_staff"], replay["completed"]]
        rows = list(seats.registration_rows(self.usage_key, statuses=(seats.REGISTERED, seats.WAITING))
                    [:STAFF_LIST_LIMIT])
        local = lambda moment: clock.format_local(moment, self.time_zone, with_offset=False) if moment else ""  # noqa: E731
        registered = [{"username": r[0], "since": local(r[3]), "promoted": r[4], "checked_in": local(r[6]),
                       "method": self.method_label(r[7]), "staff": r[8]} for r in rows if r[1] == seats.REGISTERED]
        waiting = [{"username": r[0], "since": local(r[2]), "staff": r[8]} for r in rows if r[1] == seats.WAITING]
        return {
            "figures": figures, "capacity": self.capacity,
            "chart": charts.bar_chart(f"{self.dom_id}-attendance", _("Registrations and attendance"), labels, values,
                                      _("Learners registered, waiting, checked in by each way, and who completed "
                                        "the replay.")),
            "registered": registered, "waiting": waiting, "limited": len(rows) >= STAFF_LIST_LIMIT,
            "csv_url": self.runtime.handler_url(self, "download_csv"),
            "xlsx_url": self.runtime.handler_url(self, "download_xlsx"),
            "code_url": self.runtime.handler_url(self, "checkin_code") if self.offers_qr else "",
            "start_value": clock.as_input_value(schedule.start, self.time_zone) if schedule.is_set else "",
            "end_value": clock.as_input_value(schedule.end, self.time_zone) if schedule.is_set else "",
            "zone": self.time_zone, "cancelled": schedule.cancelled,
            "can_mark": staff_attendance.attendance_open(schedule),
            "can_remove": staff_attendance.removal_open(schedule),
            "attendance_hours": staff_attendance.HOURS_AFTER_END, "lists_open": lists_open,
        }

    def staff_answer(self, message, **extra):
        """A staff action's answer: the message and the staff part re-rendered on the server
        (registration lists open, as staff were working in them)."""
        html = self.render_template("live/staff_panel.html", {
            "block_id": self.dom_id, "staff": self.staff_context(self.schedule(), lists_open=True)})
        return {"message": message, "staff_html": html, **extra}

    def checkin_code_response(self, request):
        code = checkin_codes.code_for(self.usage_key)
        url = self.runtime.handler_url(self, "qr_checkin", query=f"code={code}")
        if url.startswith("/"):
            url = request.host_url + url   # a phone needs the full address
        return json_response({
            "svg": checkin_codes.qr_svg(url, _("Check-in code for {title}").format(title=self.shown_title)),
            "url": url, "seconds_left": checkin_codes.seconds_left(),
        })

    def qr_page(self, request, code, message, done, status=200):
        """A small page of its own (a phone opens it from the room's code): one button that checks in."""
        token, new_cookie = csrf_token_for_form(request)
        html = self.render_template("live/qr_checkin.html", {
            "title": self.shown_title, "code": code, "message": message, "done": done,
            "LANGUAGE_CODE": translation.get_language(),
            "signed_in": self.person.is_authenticated,
            "css_urls": [self.runtime.local_resource_url(self, css)
                         for css in ("static/css/lifelong.css", "static/css/live.css")],
            "action": self.runtime.handler_url(self, "qr_checkin"),
            "csrf_token": token,
        })
        response = Response(html, status=status, content_type="text/html", charset="utf-8")
        if new_cookie:
            set_csrf_cookie(response, token)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        return response

    def calendar_response(self):
        schedule = self.schedule()
        if not schedule.is_set:
            return json_response({"error": _("This session has no date yet.")}, status=409)
        location = ", ".join(filter(None, [self.venue_address, self.venue_room])) if self.offers_qr else ""
        if self.offers_online and not location:
            location = _("Online")
        description = plain_text(self.description_html())
        body = calendar_file.calendar_bytes(self.usage_key, schedule, self.shown_title, description, location)
        response = Response(body, content_type="text/calendar", charset="utf-8")
        response.headers["Content-Disposition"] = 'attachment; filename="live-session.ics"'
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    # ---- mobile -------------------------------------------------------------------------------
    def student_view_data(self, context=None):
        """Content for the mobile app, collected with no user: never the join link or passcode."""
        schedule = self.schedule()
        return {
            "title": self.shown_title, "kind": self.session_kind, "attendance_mode": self.attendance_mode,
            "speakers": self.clean_speakers(), "description_html": self.description_html(),
            "time_zone": self.time_zone,
            "start": schedule.start.isoformat() if schedule.start else None,
            "end": schedule.end.isoformat() if schedule.end else None,
            "join_window_minutes": self.join_window_minutes, "capacity": self.capacity,
            "venue": {"address": self.venue_address, "room": self.venue_room} if self.offers_qr else None,
            "replay": {"video_sources": list(self.media.video_sources), "audio_url": self.media.audio_url,
                       "poster_url": self.media.poster_url,
                       "captions": [{"lang": t.get("lang"), "label": t.get("label"), "vtt": t.get("vtt")}
                                    for t in self.caption_tracks]} if self.has_replay else None,
            "completion_rule": self.completion_rule, "completion_threshold": self.completion_threshold,
        }

    def user_state_for_mobile(self):
        schedule = self.schedule()
        state = self.learner_state(schedule)
        self.catch_up_staff_completion(state)
        panel = self.panel_context(schedule, state, True)
        return {
            **state, "cancelled": schedule.cancelled, "rescheduled": schedule.rescheduled,
            "start": schedule.start.isoformat() if schedule.start else None,
            "end": schedule.end.isoformat() if schedule.end else None,
            "join_url": panel["join_url"], "passcode": panel["passcode"], "seats_left": panel["seats_left"],
            "can_check_in_online": panel["can_check_in"],
            "comfort": profiles.comfort_as_dict(self.comfort_settings()),
        }

