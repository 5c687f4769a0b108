"""``lifelong_recitation``: read a passage aloud, record it in the browser or upload it, share it.

The learner records (MediaRecorder) or uploads, listens back, re-records and submits; the server
checks what the file really is, its size and its length (``lifelong_xblocks.uploads``).  Staff
feature or hide recitations; featured ones whose learners consented form a gallery with plays
and likes.  Completion on submission.
"""
from html import escape

from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from xblock.core import XBlock
from xblock.fields import Float, Integer, Scope, String

from lifelong_xblocks import charts, conf, uploads
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import LEARNER, OWNER, STAFF, http_api, json_api, json_response
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.exports import csv_response, xlsx_response
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.identity import owns
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.reading import recitation as recitations
from lifelong_xblocks.reading import recitation_authoring as authoring
from lifelong_xblocks.reading import recitation_gallery as gallery
from lifelong_xblocks.reading import recitation_staff as staff
from lifelong_xblocks.sanitize import clean_html, demote_headings, plain_text, render_rich_text
from lifelong_xblocks.workbench import scenarios_for

# What staff are told after each decision.
MODERATED = {
    "feature": N_("Featured: shown in the gallery if the learner consents."),
    "unfeature": N_("No longer featured."),
    "hide": N_("Hidden; its reports are closed."),
    "unhide": N_("No longer hidden."),
    "dismiss": N_("Reports dismissed; the recording stays as it is."),
}
# What the recorder asks MediaRecorder for, in order (feature-detected with isTypeSupported).
RECORDING_TYPES = ("audio/webm;codecs=opus", "audio/mp4;codecs=mp4a.40.2", "audio/mp4", "audio/webm")


@XBlock.wants("completion")
class RecitationBlock(LifelongBlockMixin, XBlock):
    """Reading aloud: a passage, a recording per learner, a moderated gallery."""

    has_custom_completion = True
    icon_class = "problem"
    block_css = ("static/css/recitation.css",)
    block_js = ("static/js/recorder.js", "static/js/recitation.js")
    js_class = "LifelongRecitation"

    editable_fields = ("display_name", "content_language", "passage", "text_format", "max_size_mb", "max_seconds")

    display_name = String(
        display_name=N_("Display name"), help=N_("The recitation's title."),
        scope=Scope.settings, default=N_("Read aloud"), enforce_type=True,
    )
    content_language = String(
        display_name=N_("Content language"),
        help=N_("Language of the passage, such as zh-CN or en, so screen readers read it with the right "
                "voice. Leave empty when it is the language of the course."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    passage = String(
        display_name=N_("Passage"),
        help=N_("The text learners read aloud: Markdown or a safe subset of HTML; scripts, styles and "
                "event attributes are removed."),
        scope=Scope.content, default="", multiline_editor=True, enforce_type=True,
    )
    text_format = String(
        display_name=N_("Passage format"), help=N_("How the passage is written."),
        scope=Scope.settings, default="markdown", enforce_type=True,
        values=[{"display_name": N_("Markdown"), "value": "markdown"}, {"display_name": N_("HTML"), "value": "html"}],
    )
    max_size_mb = Float(
        display_name=N_("Largest recording (MB)"),
        help=N_("In megabytes of 1,000,000 bytes. At most the site's upload limit "
                "(STUDENT_FILEUPLOAD_MAX_SIZE, 4 MB unless the operator raised it); a minute of speech "
                "recorded in the browser takes about 0.3 MB."),
        scope=Scope.settings, default=4.0, enforce_type=True,
    )
    max_seconds = Integer(
        display_name=N_("Longest recording (seconds)"),
        help=N_("Recordings and uploads longer than this are refused; the recorder stops by itself."),
        scope=Scope.settings, default=180, enforce_type=True,
    )

    js_strings = {
        "recording": N_("Recording… {time} of {limit}"),
        "recorded": N_("Recorded {time}. Listen back, then submit or record again."),
        "chosen": N_("File chosen: {name}. Listen back, then submit."),
        "too_big": N_("This file is {size}; the largest allowed is {limit}."),
        "no_recorder": N_("Your browser cannot record here. Upload an audio file instead."),
        "recording_started": N_("Recording. It stops by itself at {limit}."),
        "seconds_left": N_("{count} seconds left."),
        "at_limit": N_("Stopped at the limit of {limit}."),
        "mic_denied": N_("The browser was not allowed to use the microphone. Allow it in the site settings "
                         "(the icon beside the address), or upload an audio file instead."),
        "mic_missing": N_("No microphone was found. Connect one, or upload an audio file instead."),
        "mic_busy": N_("The microphone is being used by another program. Close it and try again, "
                       "or upload an audio file instead."),
        "mic_other": N_("The microphone could not be started. Upload an audio file instead."),
        "nothing": N_("Record or choose a recording first."),
        "sending": N_("Sending…"),
        "plays": N_("Plays: {count}"),
        "reported": N_("Thank you. Staff will look at it."),
        "consent_on": N_("Your recording may be shown in the gallery."),
        "consent_off": N_("Your recording will not be shown in the gallery."),
        "stop": N_("Stop recording"),
        "record_again": N_("Record again"),
    }

    # ---- authoring ------------------------------------------------------------------------------
    def clean_studio_edits(self, data):
        """Sanitise HTML at save; Markdown is sanitised after conversion, at render."""
        if data.get("text_format", self.text_format) == "html" and "passage" in data:
            data["passage"] = clean_html(data["passage"])

    def validate_field_data(self, validation, data):
        for problem in authoring.problems(data):
            self.add_error(validation, problem)

    def passage_html(self):
        return demote_headings(render_rich_text(self.passage, self.text_format))

    def upload_rules(self):
        """The limits set in Studio, never above the site's own upload limit."""
        return uploads.UploadRules(kinds=("audio",), max_count=1, max_seconds=self.max_seconds,
                                   max_bytes=min(authoring.max_bytes(self.max_size_mb), authoring.site_max_bytes()))

    @property
    def language(self):
        return self.content_language if authoring.LANGUAGE_TAG.match(self.content_language or "") else ""

    # ---- views ----------------------------------------------------------------------------------
    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        preview = bool((context or {}).get("author_preview"))
        person = self.person
        signed_in = person.is_authenticated and not preview
        state, own_id = recitations.own_recitation(self.usage_key, person.user_id if signed_in else None)
        rules = self.upload_rules()
        comfort = self.comfort_settings(signed_in)
        entries = gallery.gallery(self.usage_key, person.user_id) if signed_in else []
        url_of = self._recording_url_maker() if entries or own_id else None
        template_context = {
            "title": self.shown_title, "passage_html": self.passage_html(), "content_language": self.language,
            "signed_in": signed_in, "preview": preview, "comfort": comfort,
            "max_seconds": self.max_seconds, "max_size": authoring.size_text(rules.max_bytes),
            "gallery": self._gallery_html([self._gallery_item(entry, person, url_of) for entry in entries]),
            **self.learner_context(state, url_of(own_id) if own_id else "", rules),
            **({} if preview else self.profile_context()),
        }
        template_context["staff"] = self.staff_context() if person.is_staff and not preview else None
        return self.fragment_for("reading/recitation.html", template_context, js_config={
            "signed_in": signed_in, "max_bytes": rules.max_bytes, "max_seconds": self.max_seconds,
            "recording_types": RECORDING_TYPES, "comfort": profiles.comfort_as_dict(comfort),
        })

    @staticmethod
    def learner_context(state, own_url, rules):
        """What ``reading/recitation_learner.html`` (the learner's recording and the recorder) needs:
        their state (``recitations.learner_summary``) and the URL of their recording (``""``: none)."""
        return {"state": state, "accept": rules.accept_attribute(), "own_url": own_url}

    def render_part(self, template, context):
        """A part of the block's page, re-rendered on the server for a handler's answer."""
        return self.render_template(template, {**context, "block_id": self.dom_id})

    def _recording_url(self, recitation):
        return self.runtime.handler_url(self, "recording", str(recitation.pk))

    def _recording_url_maker(self):
        """``pk -> URL`` of the ``recording`` handler: the runtime asked twice per render instead of once a
        recording (the workbench reverses a URL each time).  The URL of one id is used as a pattern
        only when the runtime puts the suffix into it as it is, which the second, checking call shows;
        otherwise each URL is asked for."""
        probe, check = "7391846250", "5028463719"
        pattern = self.runtime.handler_url(self, "recording", probe)
        if pattern.count(probe) != 1 or pattern.replace(probe, check) != self.runtime.handler_url(
                self, "recording", check):
            return lambda pk: self.runtime.handler_url(self, "recording", str(pk))
        head, tail = pattern.split(probe)
        return lambda pk: f"{head}{int(pk)}{tail}"

    def _gallery_item(self, entry, person, url_of=None):
        """A gallery entry (a dict of ``gallery.GALLERY_FIELDS``) as the page and the mobile app see it."""
        url_of = url_of or self._recording_url_maker()
        return {"id": entry["id"], "username": entry["user__username"], "url": url_of(entry["id"]),
                "duration": entry["recording__duration"], "plays": entry["play_count"],
                "likes": entry["like_count"], "liked": bool(entry["liked"]), "own": owns(person, entry["user_id"])}

    @staticmethod
    def _gallery_html(items):
        """The gallery's items as HTML, built here instead of a template loop with four translated texts a
        recording (most of the page's render with a full gallery).  The texts are translated once per
        render; every text and URL is escaped (``html.escape``, what Django's ``escape`` does), numbers
        are written as numbers."""
        if not items:
            return ""
        seconds, recording_by = _("%(seconds)s s"), _("Recording by %(name)s")
        plays, likes = _("Plays: %(count)s"), _("Likes: %(count)s")
        like, report = escape(_("Like")), escape(_("Report this recording"))
        wrong, send = escape(_("What is wrong? (optional)")), escape(_("Send report"))
        report_part = (
            f'\n      <details class="ll-report">\n        <summary>{report}</summary>\n'
            f'        <label class="ll-field">{wrong}\n          <input type="text" maxlength="500" '
            f'data-ll-report-reason>\n        </label>\n        <button type="button" '
            f'class="ll-button ll-button-quiet" data-ll-report>{send}</button>\n        <p class="ll-status" '
            f'role="status" aria-live="polite" data-ll-report-status></p>\n      </details>')
        parts = []
        for item in items:
            duration = item["duration"]
            duration = (f' <span class="ll-help">{escape(seconds % {"seconds": floatformat(duration, 0)})}</span>'
                        if duration else "")
            if item["own"]:
                likes_part = f'<span class="ll-help">{escape(likes % {"count": int(item["likes"])})}</span>'
            else:
                likes_part = (f'<button type="button" class="ll-toggle" data-ll-like aria-pressed='
                              f'"{"true" if item["liked"] else "false"}">{like} <span data-ll-likes>'
                              f'({int(item["likes"])})</span></button>')
            name = item["username"]
            parts.append(
                f'\n    <li class="ll-gallery-item" data-ll-entry="{int(item["id"])}">\n      <p class="ll-gallery-who">'
                f'<strong>{escape(name)}</strong>{duration}</p>\n      <audio class="ll-audio" controls preload="none" '
                f'src="{escape(item["url"])}" data-ll-gallery-audio aria-label="{escape(recording_by % {"name": name})}">'
                f'</audio>\n      <div class="ll-actions">\n        <span class="ll-help" data-ll-plays>'
                f'{escape(plays % {"count": int(item["plays"])})}</span>\n        {likes_part}\n      </div>'
                f'{"" if item["own"] else report_part}\n    </li>')
        return mark_safe("".join(parts))  # noqa: S308 (every text and URL escaped, numbers as int)

    def staff_context(self, page=1):
        """Figures, chart, downloads, the reported recordings with their reasons, one page of submissions."""
        figures = staff.summary(self.usage_key)
        report_counts = staff.open_report_counts(self.usage_key)
        figures["open_reports"] = sum(report_counts.values())
        listing = staff.staff_page(self.usage_key, page, report_counts)
        return {
            "figures": figures,
            "chart": charts.bar_chart(f"{self.dom_id}-lengths", _("Recording lengths"), staff.duration_labels(),
                                      figures["duration_bands"], _("Number of learners' recordings of each length.")),
            "reported": [{"entry": entry, "url": self._recording_url(entry)}
                         for entry in staff.reported(self.usage_key, report_counts)],
            "entries": [{"entry": entry, "url": self._recording_url(entry)} for entry in listing.pop("entries")],
            **listing,
            "zip_url": self.runtime.handler_url(self, "download_zip"),
            "csv_url": self.runtime.handler_url(self, "download_csv"),
            "xlsx_url": self.runtime.handler_url(self, "download_xlsx"),
        }

    def staff_html(self, page=1):
        return self.render_part("reading/recitation_staff.html", {"staff": self.staff_context(page)})

    def student_view_data(self, context=None):
        """Content for the mobile app (collected at publish time, with no user)."""
        rules = self.upload_rules()
        return {
            "title": self.shown_title, "passage_html": self.passage_html(), "content_language": self.language,
            "max_bytes": rules.max_bytes, "max_seconds": self.max_seconds,
            "accepted_types": rules.accept_attribute().split(","),
            "recording_types": list(RECORDING_TYPES),
        }

    def user_state_for_mobile(self):
        own = recitations.get_recitation(self.usage_key, self.person.user_id)
        state = recitations.learner_summary(own)
        state["recording_url"] = self._recording_url(own) if own and own.recording_id else None
        state["comfort"] = profiles.comfort_as_dict(self.comfort_settings())
        return state

    # ---- learner handlers --------------------------------------------------------------------------
    @http_api(LEARNER, methods=("POST",), one_transaction=False)  # an upload: uploads.store
    def submit_recording(self, request, suffix=""):
        """Multipart POST: ``file`` (the recording) and ``consent`` ("1" or "0"); see docs/api.md."""
        if request.method != "POST":
            raise InvalidInput(_("Send the recording with POST."))
        consent = recitations.parse_consent(request.POST.get("consent"))
        upload = uploads.read_upload(request, field="file")
        person = self.person
        own = recitations.submit(upload, self.upload_rules(), course_key=self.course_key, usage_key=self.usage_key,
                                 user_id=person.user_id, by_staff=person.is_staff, consent=consent)
        self.publish_completion(1.0)
        self.note_learner_activity(submitted=True, submissions=own.submissions, consent=own.gallery_consent)
        own = recitations.get_recitation(self.usage_key, person.user_id)
        state = recitations.learner_summary(own)
        panel = self.render_part("reading/recitation_learner.html", {"signed_in": True, **self.learner_context(
            state, self._recording_url(own) if own.recording_id else "", self.upload_rules())})
        return json_response({**state, "recording_url": self._recording_url(own),
                              "message": _("Your recording was submitted."), "panel_html": panel})

    @json_api(LEARNER)
    def set_consent(self, data, suffix=""):
        """Give or withdraw consent to be shown in the gallery."""
        own = recitations.set_consent(self.usage_key, self.person.user_id, data.get("consent"))
        return recitations.learner_summary(own)

    @json_api(LEARNER)
    def like(self, data, suffix=""):
        """``{"recitation": id, "liked": true|false}``: idempotent like and unlike."""
        liked, likes = gallery.set_like(self.usage_key, data.get("recitation"), self.person.user_id, data.get("liked"))
        return {"liked": liked, "likes": likes}

    @json_api(LEARNER)
    def count_play(self, data, suffix=""):
        """Sent when a gallery recording starts playing; counted once per learner and recording."""
        counted, plays = gallery.count_play(self.usage_key, data.get("recitation"), self.person)
        return {"counted": counted, "plays": plays}

    @json_api(LEARNER)
    def report(self, data, suffix=""):
        """Report a gallery recording to staff, with an optional reason."""
        created = gallery.report(self.usage_key, data.get("recitation"), self.person.user_id, data.get("reason"))
        return {"reported": True, "new": created}

    @http_api(OWNER)
    def recording(self, request, suffix=""):
        """``recording/<id>``: the audio, with byte ranges; the owner, staff, or anyone for gallery entries."""
        entry = gallery.playable(self.usage_key, suffix, self.person)
        return uploads.file_response(entry.recording, request)

    @http_api(LEARNER)
    def gallery_entries(self, request, suffix=""):
        """The gallery as JSON (for the mobile app)."""
        person = self.person
        url_of = self._recording_url_maker()
        return json_response({"entries": [self._gallery_item(entry, person, url_of)
                                          for entry in gallery.gallery(self.usage_key, person.user_id)]})

    # ---- staff handlers ----------------------------------------------------------------------------
    @json_api(STAFF)
    def moderate(self, data, suffix=""):
        """``{"recitation": id, "action": "feature"|"unfeature"|"hide"|"unhide"|"dismiss", "comment": "...",
        "page": n}``: the decision, and the staff part re-rendered at page ``n``."""
        page = staff.page_number(data.get("page", 1))
        entry = staff.moderate(self.usage_key, data.get("recitation"), actor_id=self.person.user_id,
                               action=data.get("action"), comment=data.get("comment", ""))
        return {"featured": entry.featured, "hidden": entry.hidden, "in_gallery": entry.in_gallery,
                "staff_comment": entry.staff_comment, "message": _(MODERATED[data["action"]]),
                "staff_html": self.staff_html(page)}

    @json_api(STAFF, one_transaction=False)   # reads only
    def staff_panel(self, data, suffix=""):
        """``{"page": n}``: the staff part with page ``n`` of the submissions."""
        context = self.staff_context(staff.page_number(data.get("page", 1)))
        return {"staff_html": self.render_part("reading/recitation_staff.html", {"staff": context}),
                "message": _("Page {page} of {pages}").format(page=context["page"], pages=context["pages"])}

    @http_api(STAFF)
    def download_zip(self, request, suffix=""):
        """Every current recording of the block, as one streamed ZIP."""
        return uploads.zip_response("recitations.zip", staff.archive_entries(self.usage_key))

    def _export(self):
        header = [_("Username"), _("Submitted at (UTC)"), _("Submissions"), _("Length (s)"), _("Size (bytes)"),
                  _("Type"), _("File name"), _("Gallery consent"), _("Featured"), _("Hidden"), _("Plays"),
                  _("Likes"), _("Staff comment"), _("Staff")]
        rows = ((entry.user.username, entry.submitted_at and entry.submitted_at.isoformat(), entry.submissions,
                 entry.recording.duration and round(entry.recording.duration, 1), entry.recording.size,
                 entry.recording.content_type, entry.recording.original_name, entry.gallery_consent,
                 entry.featured, entry.hidden, entry.play_count, entry.like_count, entry.staff_comment,
                 _("yes") if entry.by_staff else "")
                for entry in staff.submission_rows(self.usage_key))
        return header, rows

    @http_api(STAFF)
    def download_csv(self, request, suffix=""):
        return csv_response("recitations.csv", *self._export())

    @http_api(STAFF)
    def download_xlsx(self, request, suffix=""):
        return xlsx_response("recitations.xlsx", _("Recitations"), *self._export())

    # ---- reports and search -----------------------------------------------------------------------
    def report_rows(self, usernames):
        rows = {}
        for entry in staff.submission_rows(self.usage_key, usernames):
            rows[entry.user.username] = [
                ("completion", 1.0),
                ("submitted_at", entry.submitted_at.isoformat() if entry.submitted_at else ""),
                ("submissions", entry.submissions),
                ("duration", entry.recording.duration and round(entry.recording.duration, 1)),
                ("gallery_consent", entry.gallery_consent),
                ("featured", entry.featured),
                ("plays", entry.play_count),
                ("likes", entry.like_count),
            ]
        return rows

    def index_dictionary(self):
        index = super().index_dictionary() if hasattr(super(), "index_dictionary") else {}
        index.setdefault("content", {})
        index["content"].update({"display_name": self.display_name, "text": plain_text(self.passage_html())})
        index["content_type"] = "Recitation"
        return index

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for("lifelong_recitation", conf.get("WORKBENCH_SCENARIOS_DIR"))
