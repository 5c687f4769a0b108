"""What every block of the package shares: identity, rendering, completion, Studio editing,
i18n, the participant profile, comfort settings, mobile state and report rows.

Blocks are thin: fields, views and handlers that call the domain modules.
"""
import functools
import itertools
import logging
import re
from collections import OrderedDict
from dataclasses import replace
from functools import cached_property
from pathlib import PurePosixPath

from django.utils import translation
from django.utils.html import format_html_join, json_script
from django.utils.safestring import mark_safe
from web_fragments.fragment import Fragment
from xblock.core import XBlock, XBlockMixin
from xblock.exceptions import JsonHandlerError
from xblock.fields import Dict, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from lifelong_xblocks import i18n, olx
from lifelong_xblocks.blocks.handlers import LEARNER, http_api, json_api, json_handler, json_response, studio_api
from lifelong_xblocks.exports import neutralise_text
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop
from lifelong_xblocks.identity import person_from_user_service
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.profiles.regions import regions
from lifelong_xblocks.reports import ledger
from lifelong_xblocks.resources import loader, resource_path

SHARED_CSS = "static/css/lifelong.css"
SHARED_JS = "static/js/lifelong.js"
log = logging.getLogger(__name__)
REPORT_CHUNK = 500
# Columns every block's report rows start with (Open edX's Problem Responses report), in this order.
REPORT_LEAD = ("completion", "completed_at", "score", "max_score")


def select_options(choices, selected, translate=True):
    """The ``<option>``s of a select, labels translated (unless ``translate`` is false: labels an author
    wrote, or translated already) and escaped, ``selected`` marked: built once per language and answer
    instead of a template loop over 40 regions on every learner render."""
    return _select_options(tuple((str(code), str(label)) for code, label in choices), selected or "",
                           translation.get_language(), translate)


@functools.lru_cache(maxsize=256)
def _select_options(choices, selected, _language, translate):
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (code, mark_safe(" selected") if code == selected else "",  # noqa: S308 (a constant)
         i18n.gettext(label) if translate else label)
        for code, label in choices))


@functools.lru_cache(maxsize=1024)
def _profile_prompt(block_id, _language, profile):
    return mark_safe(loader.render_django_template(  # noqa: S308 (a rendered, autoescaped template)
        "shared/profile_prompt.html", {"block_id": block_id, "profile": dict(profile)}))


@functools.lru_cache(maxsize=256)
def _translated_strings(block_class, _language):
    strings = {**block_class.shared_js_strings, **block_class.js_strings}
    return tuple((key, i18n.gettext(text)) for key, text in strings.items())


@XBlock.needs("i18n")
@XBlock.wants("user")
@XBlock.wants("settings")
class LifelongBlockMixin(StudioEditableXBlockMixin, XBlockMixin):
    """Base of every block in the package."""

    # Resources are served from our top-level ``static/`` folder (see ``open_local_resource``).
    public_dir = "static"
    block_css = ()     # e.g. ("static/css/microlesson.css",)
    block_js = ()      # e.g. ("static/js/player.js", "static/js/microlesson.js")
    js_class = None    # the initialize_js function name
    js_strings = {}    # key -> gettext_noop'd string, translated when handed to the browser
    shared_js_strings = {
        "saved": gettext_noop("Saved."),
        "thanks_profile": gettext_noop("Thank you."),
        "network_error": gettext_noop("Could not reach the server. Your progress will be sent again."),
    }

    display_name = String(
        display_name=gettext_noop("Display name"),
        help=gettext_noop("The name learners see in the course outline and at the top of the block."),
        scope=Scope.settings,
        default="",
        enforce_type=True,
    )
    # The one small user_state field each block writes when a learner acts, so that Open edX's
    # Problem Responses report lists the learner.  Everything else lives in our models.
    learner_record = Dict(
        help=gettext_noop("A short summary of the learner's latest activity."),
        scope=Scope.user_state,
        default={},
        enforce_type=True,
    )

    # ---- OLX import -----------------------------------------------------------------------
    @classmethod
    def parse_xml(cls, node, runtime, keys, *args, **kwargs):
        """XBlock's parsing, after refusing OLX with a DOCTYPE or entity references (see olx.py)."""
        olx.check_node(node)
        return super().parse_xml(node, runtime, keys, *args, **kwargs)

    # ---- identity -------------------------------------------------------------------------
    @cached_property
    def person(self):
        """The current user (cached for this block instance, which lives for one request)."""
        return person_from_user_service(self.runtime.service(self, "user"), self.scope_ids.user_id)

    @property
    def course_key(self):
        """The course's key as a string, also in runtimes whose usage keys are plain strings."""
        usage = self.scope_ids.usage_id
        return str(getattr(usage, "context_key", None) or getattr(usage, "course_key", None) or "workbench")

    @property
    def usage_key(self):
        return str(self.scope_ids.usage_id)

    @property
    def shown_title(self):
        """The display name; the untouched default is shown in the learner's language."""
        if self.display_name == self.fields["display_name"].default:
            return i18n.gettext(self.display_name)
        return self.display_name

    def note_learner_activity(self, **summary):
        """Note that the learner acted: the small user_state row that makes them visible to Open edX's
        reports, and their row in the course-wide activity ledger (with any completion or grade
        published earlier in this request), so every block is in the course report without code of its own.

        Call it from handlers only, never while rendering a view.
        """
        self.learner_record = {key: value for key, value in summary.items() if value is not None}
        self._record_activity(figures=dict(self.learner_record))

    # ---- the course-wide activity ledger (lifelong_xblocks.reports) ---------------------------
    @property
    def activity_block(self):
        """This block as the ledger knows it; the day of an activity is counted in ``time_zone`` if it has one."""
        title = self.display_name or self.fields["display_name"].default or ""
        return ledger.BlockRef(course_key=self.course_key, usage_key=self.usage_key,
                               block_type=self.scope_ids.block_type, title=str(title),
                               zone_name=getattr(self, "time_zone", None) or None)

    def _pending_activity(self):
        """Completion and grade published in this request (a block instance lives for one request)."""
        if "_lifelong_activity" not in self.__dict__:
            self.__dict__["_lifelong_activity"] = {"noted": False, "change": ledger.Change()}
        return self.__dict__["_lifelong_activity"]

    def _record_activity(self, figures=None, **change):
        """Add to the request's pending change for the ledger; :meth:`save` writes it once the learner's
        activity is noted (``figures``), in one transaction with the block's fields.  A completion or
        grade published without a note in the same request waits for one (never written on a render)."""
        pending = self._pending_activity()
        for name, value in change.items():
            setattr(pending["change"], name, value)
        if figures is not None:
            pending["change"].figures = figures
            pending["noted"] = True

    def save(self):
        """XBlock's save of the changed fields, with the learner's pending ledger change in the same
        transaction: one commit where a handler used to make two or three (commits are most of a
        handler's time).  The runtime calls it after every handler, and the handler decorator before
        that (``blocks/handlers.py``); the second call finds nothing left to write."""
        pending = self.__dict__.get("_lifelong_activity")
        if not pending or not pending["noted"] or pending["change"].is_empty():
            super().save()
            return
        person = self.person
        ledger.record(self.activity_block, person.user_id if person.is_authenticated else None,
                      pending["change"], by_staff=person.is_staff, also=super().save)
        pending["change"] = ledger.Change()

    def discard_unsaved(self):
        """Forget the fields and the ledger change this request has not saved (its save failed and the
        request answers 503): the runtime's own save after the handler then writes nothing, and the
        learner's retry (every state-changing handler is idempotent) writes them whole."""
        self.__dict__.pop("_lifelong_activity", None)
        self._clear_dirty_fields()

    # ---- i18n -----------------------------------------------------------------------------
    def ugettext(self, text):
        """Studio's field editor and XBlock core translate through here: use our catalog."""
        return i18n.gettext(text)

    def translated_js_strings(self):
        """The browser's texts in the learner's language (translated once per block type and language)."""
        return dict(_translated_strings(type(self), translation.get_language()))

    # ---- rendering ------------------------------------------------------------------------
    @classmethod
    def open_local_resource(cls, uri):
        """Serve files from ``static/`` only (CSS, JS, images), wherever the package is installed."""
        uri = uri.decode("utf-8") if isinstance(uri, bytes) else uri
        path = PurePosixPath(uri)
        if path.parts[:1] != ("static",) or ".." in path.parts:
            raise FileNotFoundError(uri)
        return open(resource_path(uri), "rb")  # pylint: disable=consider-using-with

    def render_template(self, name, context):
        return loader.render_django_template(name, context)

    @property
    def dom_id(self):
        """An HTML id prefix unique to this block on the page."""
        return "ll-" + re.sub(r"[^A-Za-z0-9_-]+", "-", self.usage_key)[-80:]

    def fragment_for(self, template, context, js_config=None):
        """A fragment of ``template`` with the shared and the block's CSS/JS, started by ``js_class``."""
        context = dict(context, block_id=self.dom_id, LANGUAGE_CODE=translation.get_language())
        fragment = Fragment(self.render_template(template, context))
        fragment.add_css_url(self.runtime.local_resource_url(self, SHARED_CSS))
        fragment.add_javascript_url(self.runtime.local_resource_url(self, SHARED_JS))
        for css in self.block_css:
            fragment.add_css_url(self.runtime.local_resource_url(self, css))
        for js in self.block_js:
            fragment.add_javascript_url(self.runtime.local_resource_url(self, js))
        if self.js_class:
            self.start_js(fragment, self.js_class, {"strings": self.translated_js_strings(), **(js_config or {})},
                          "config")
        return fragment

    def start_js(self, fragment, js_class, config, name):
        """Hand ``config`` to the page as json_script and start ``js_class`` with its element id.

        The JS reads it with ``LifelongXBlocks.readConfig``.  XBlock's own ``json/xblock-args``
        script is not used for it: some runtimes fill that with plain json.dumps, and authored or
        translated text holding ``</script>`` must never end a script element.
        """
        config_id = f"{self.dom_id}-{name}"
        fragment.add_content(json_script(config, config_id))
        fragment.initialize_js(js_class, {"config_id": config_id})

    # ---- completion and grades --------------------------------------------------------------
    def publish_completion(self, fraction):
        """Tell the runtime (edx-completion in the LMS) how complete the block is, 0.0-1.0."""
        value = max(0.0, min(1.0, float(fraction)))
        self.runtime.publish(self, "completion", {"completion": value})
        earlier = self._pending_activity()["change"].completion
        self._record_activity(completion=value if earlier is None else max(earlier, value))

    def publish_grade(self, earned, possible):
        self.runtime.publish(self, "grade", {"value": earned, "max_value": possible})
        self._record_activity(score=earned, max_score=possible)

    def completion_service(self):
        """The runtime's ``completion`` service (edx-completion's ``CompletionService`` in the LMS), or None."""
        try:
            return self.runtime.service(self, "completion")
        except Exception:  # noqa: BLE001 (a runtime without it: the workbench, Studio)
            return None

    def publish_completion_for(self, user_id, value):
        """Record ANOTHER user's completion (a staff action); True when the runtime recorded it.

        ``runtime.publish(self, "completion", ...)`` always speaks for the current user (here
        staff).  edx-completion's service has ``submit_group_completion(block_key, completion,
        user_ids=[...])`` which writes ``BlockCompletion`` rows for the given users; it raises
        when completion tracking is switched off (``RuntimeError``) or for an old Mongo key
        (``ValueError``).  The activity ledger takes ``value`` as given either way (a staff
        correction may lower it).
        """
        ledger.record(self.activity_block, user_id, ledger.Change(completion=value, exact_completion=True))
        service = self.completion_service()
        submit = getattr(service, "submit_group_completion", None)
        if submit is None:
            return False
        enabled = getattr(service, "completion_tracking_enabled", None)
        if enabled is not None and not enabled():
            return False
        try:
            submit(block_key=self.scope_ids.usage_id, completion=value, user_ids=[user_id])
        except (RuntimeError, ValueError) as error:
            log.warning("Could not record completion %s for user %s in %s: %s", value, user_id, self.usage_key, error)
            return False
        return True

    # ---- Studio -----------------------------------------------------------------------------
    # List fields edited with a form instead of raw JSON: field name -> layout (see studio_editors.js).
    studio_lists = {}
    studio_strings = {
        "edit_json": gettext_noop("Edit as JSON / back to the form"),
        "question": gettext_noop("Question {number}"),
        "prompt": gettext_noop("Question"),
        "kind": gettext_noop("Answer type"),
        "single": gettext_noop("One correct answer"),
        "multiple": gettext_noop("Several correct answers"),
        "choice_text": gettext_noop("Choice {number}"),
        "correct": gettext_noop("Right answer"),
        "remove_choice": gettext_noop("Remove choice"),
        "add_choice": gettext_noop("Add a choice"),
        "explanation": gettext_noop("Explanation shown after submitting"),
        "remove_question": gettext_noop("Remove this question"),
        "add_question": gettext_noop("Add a question"),
    }

    def studio_extra_config(self):
        """More settings for the Studio forms (e.g. which field holds quick-check questions)."""
        return {}

    def studio_view(self, context=None):
        """xblock.utils' field editor, with forms instead of raw JSON for the block's list fields."""
        fragment = super().studio_view(context)
        extra = self.studio_extra_config()
        if not self.studio_lists and not extra:
            return fragment
        lists = {
            name: {**layout,
                   **{key: i18n.gettext(layout[key]) for key in ("item", "add", "remove")},
                   "fields": [{**spec, "label": i18n.gettext(spec["label"])} for spec in layout["fields"]]}
            for name, layout in self.studio_lists.items()
        }
        config = {"strings": {key: i18n.gettext(text) for key, text in self.studio_strings.items()},
                  "lists": lists, **extra}
        fragment.add_css_url(self.runtime.local_resource_url(self, "static/css/studio.css"))
        fragment.add_javascript_url(self.runtime.local_resource_url(self, SHARED_JS))
        fragment.add_javascript_url(self.runtime.local_resource_url(self, "static/js/studio_editors.js"))
        self.start_js(fragment, "LifelongStudioEditor", config, "studio-config")
        return fragment

    @studio_api
    @json_handler
    def submit_studio_edits(self, data, suffix=""):
        """Studio's Save: refuse a malformed request with 400 instead of failing with 500.

        Policy ``STUDIO``: only Studio routes authors here (after its author-access check); the LMS
        cannot write content or settings fields, and an LMS learner is refused before anything runs.
        """
        if not isinstance(data, dict) or not isinstance(data.get("values", {}), dict) \
                or not isinstance(data.get("defaults", []), list):
            raise JsonHandlerError(400, _("The request must hold the values to save."))
        data.setdefault("values", {})
        data.setdefault("defaults", [])
        try:
            return StudioEditableXBlockMixin.submit_studio_edits.__wrapped__(self, data, suffix)
        except (ValueError, TypeError) as error:
            raise JsonHandlerError(400, _("A value has the wrong type: {error}").format(error=error)) from error

    @staticmethod
    def add_error(validation, message):
        validation.add(ValidationMessage(ValidationMessage.ERROR, str(message)))

    def author_view(self, context=None):
        """Studio's preview: the learner view without anyone's progress."""
        return self.student_view(dict(context or {}, author_preview=True))

    # ---- participant profile and comfort (shared handlers) ------------------------------------
    @cached_property
    def learner_settings(self):
        """The learner's profile and comfort settings: one query for the whole render (none in the
        workbench, whose identity lookup joins them in); kept up to date by the handlers below."""
        return profiles.learner_settings(self.person.user_id, self.person.user)

    def comfort_settings(self, signed_in=True):
        """The learner's comfort settings (the defaults for a preview or an anonymous viewer)."""
        return self.learner_settings.comfort if signed_in else profiles.learner_settings(None).comfort

    def profile_context(self):
        """Template context for the participant profile, asked once, then editable: ``profile_html``,
        ``shared/profile_prompt.html`` rendered once per block, language and answer in a process (its
        inputs are the block's id, fixed texts and the learner's choices from fixed lists: nothing
        anyone wrote), instead of some twenty translated texts and two selects on every render.
        Empty for an anonymous viewer."""
        if not self.person.is_authenticated:
            return {"profile_html": ""}
        answered = self.learner_settings.profile
        profile = {
            "ask": answered is None,
            "audience_group": answered.audience_group if answered else "",
            "region": answered.region if answered else "",
            "audience_group_options": select_options(profiles.audience_groups(), answered and answered.audience_group),
            "region_options": select_options(regions(), answered and answered.region),
        }
        return {"profile_html": _profile_prompt(self.dom_id, translation.get_language(), tuple(sorted(profile.items())))}

    @json_api(LEARNER)
    def save_profile(self, data, suffix=""):
        """Answer (or decline) the participant profile question; editable later."""
        profile = profiles.save_profile(self.person.user_id, data.get("consented"),
                                        data.get("audience_group", ""), data.get("region", ""))
        self.learner_settings = replace(self.learner_settings, profile=profile)
        return {"consented": profile.consented, "audience_group": profile.audience_group,
                "region": profile.region}

    @json_api(LEARNER)
    def save_comfort(self, data, suffix=""):
        """Remember low-bandwidth mode, large text and playback speed for this learner."""
        comfort = profiles.save_comfort(self.person.user_id, data)
        self.learner_settings = replace(self.learner_settings, comfort=comfort)
        return profiles.comfort_as_dict(comfort)

    # ---- mobile ---------------------------------------------------------------------------
    @http_api(LEARNER)
    def student_view_user_state(self, request, suffix=""):
        """The learner's state for the mobile app, by GET as the Open edX apps ask (see docs/api.md)."""
        return json_response(self.user_state_for_mobile())

    def user_state_for_mobile(self):
        raise NotImplementedError

    # ---- reports --------------------------------------------------------------------------
    def generate_report_data(self, user_state_iterator, limit_responses=None):
        """Rows for Open edX's Problem Responses report, read from our models.

        Open edX calls this from a Celery task with the block bound to no user; the iterator
        yields ``XBlockUserState(username, block_key, state, updated, scope)``.
        Open edX writes these values into the Problem Responses CSV as they are, so text a learner
        or an author chose (book titles, statuses...) is neutralised against formula injection here.
        """
        rows = self._report_rows_in_chunks(user_state_iterator)
        for emitted, (username, row) in enumerate(rows):
            if limit_responses is not None and emitted >= limit_responses:
                return
            yield username, OrderedDict((column, neutralise_text(value) if isinstance(value, str) else value)
                                        for column, value in row.items())

    def _report_rows_in_chunks(self, user_state_iterator):
        """Look learners up in chunks, so a course of any size is read in constant memory."""
        chunk = []
        for user_state in itertools.chain(user_state_iterator, [None]):
            if user_state is not None:
                chunk.append(user_state.username)
            if chunk and (user_state is None or len(chunk) >= REPORT_CHUNK):
                rows = self.report_rows(chunk)
                activity = ledger.activity_of(self.usage_key, chunk)
                for username in chunk:
                    if username in rows or username in activity:
                        yield username, self._merged_report_row(rows.get(username, ()), activity.get(username))
                chunk = []

    def _merged_report_row(self, own, activity):
        """``completion, completed_at, score, max_score`` (from the block's figures, else the ledger), then
        the block's own columns.  Completion is the higher of the two: Open edX's never goes back."""
        own = OrderedDict(own)
        lead = {name: own.pop(name, None) for name in REPORT_LEAD}
        if activity is not None:
            lead["completion"] = max(lead["completion"] or 0.0, activity.completion)
            if not lead["completed_at"] and activity.completed_at:
                lead["completed_at"] = activity.completed_at.isoformat()
            if lead["score"] is None and activity.score is not None:
                lead["score"], lead["max_score"] = activity.score, activity.max_score
        lead["completion"] = lead["completion"] or 0.0
        lead["completed_at"] = lead["completed_at"] or ""
        row = OrderedDict(lead)
        if not own and activity is not None:   # a block that reports nothing of its own: its noted figures
            own = OrderedDict(sorted(activity.figures.items()))
        row.update(own)
        return row

    def report_rows(self, usernames):
        """``{username: [(column, value), ...]}`` for the learners named: the block's own figures.

        ``completion``, ``completed_at``, ``score`` and ``max_score`` may be among them (otherwise the
        activity ledger gives them); a block without this method reports the figures it noted.
        """
        return {}
