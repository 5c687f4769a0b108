"""``lifelong_microlesson``: a cloud-classroom micro-lesson for the phone.

Video, audio or text; captions shown as a transcript; downloadable resources; an optional
quick check.  Completion is honest: only playback the server has verified counts.
"""
from xblock.core import XBlock
from xblock.fields import Boolean, Float, Integer, List, Scope, String

from lifelong_xblocks import conf
from lifelong_xblocks.blocks.base import LifelongBlockMixin
from lifelong_xblocks.blocks.handlers import LEARNER, STAFF, http_api, json_api
from lifelong_xblocks.blocks.lesson_views import LessonViewsMixin
from lifelong_xblocks.blocks.media_fields import LessonMediaFieldsMixin
from lifelong_xblocks.classroom import authoring, captions, completion, progress, quickcheck, reading
from lifelong_xblocks.classroom.media import LessonMedia
from lifelong_xblocks.errors import Conflict, InvalidInput
from lifelong_xblocks.exports import csv_response
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.workbench import scenarios_for
from lifelong_xblocks.profiles import api as profiles
from lifelong_xblocks.sanitize import clean_html, demote_headings, plain_text, render_rich_text


@XBlock.wants("completion")
class MicroLessonBlock(LessonMediaFieldsMixin, LessonViewsMixin, LifelongBlockMixin, XBlock):
    """A short video, audio or text lesson with honest completion and an optional quick check."""

    has_custom_completion = True
    has_score = True
    icon_class = "video"
    block_css = ("static/css/lesson.css",)
    block_js = ("static/js/player.js", "static/js/microlesson.js")
    js_class = "LifelongMicroLesson"

    editable_fields = (
        "display_name", "content_language", "lesson_text", "text_format", "video_sources", "audio_url", "poster_url",
        "captions", "resources", "estimated_minutes", "audience_tags", "media_duration",
        "completion_threshold", "questions", "max_attempts", "pass_score", "require_quick_check", "weight",
    )

    display_name = String(
        display_name=N_("Display name"), help=N_("The lesson's title."),
        scope=Scope.settings, default=N_("Micro-lesson"), enforce_type=True,
    )
    content_language = String(
        display_name=N_("Content language"),
        help=N_("Language of the lesson's title, text and questions, such as zh-CN or en, so screen readers "
                "read them with the right voice. Leave empty when it is the language of the course."),
        scope=Scope.settings, default="", enforce_type=True,
    )
    lesson_text = String(
        display_name=N_("Lesson text"),
        help=N_("Markdown or a safe subset of HTML; scripts, styles and event attributes are removed."),
        scope=Scope.content, default="", multiline_editor=True, enforce_type=True,
    )
    text_format = String(
        display_name=N_("Text format"), help=N_("How the lesson text is written."),
        scope=Scope.settings, default="markdown", enforce_type=True,
        values=[{"display_name": N_("Markdown"), "value": "markdown"},
                {"display_name": N_("HTML"), "value": "html"}],
    )
    resources = List(
        display_name=N_("Downloadable resources"),
        help=N_('[{"title": "Handout", "url": "https://...pdf", "size": "1.2 MB"}]'),
        scope=Scope.content, default=[], enforce_type=True,
    )
    estimated_minutes = Integer(
        display_name=N_("Estimated minutes"), help=N_("How long the lesson takes, shown to learners."),
        scope=Scope.settings, default=5, enforce_type=True,
    )
    audience_tags = List(
        display_name=N_("Audience tags"),
        help=N_('Who the lesson is for, e.g. ["older adults", "farmers"]. Shown as tags.'),
        scope=Scope.settings, default=[], enforce_type=True,
    )
    questions = List(
        display_name=N_("Quick check questions"),
        help=N_('0-10 questions: [{"id": "q1", "kind": "single", "prompt": "...", "choices": '
                '[{"id": "a", "text": "...", "correct": true}, {"id": "b", "text": "..."}], '
                '"explanation": "..."}]. "kind" is single or multiple.'),
        scope=Scope.content, default=[], enforce_type=True,
    )
    max_attempts = Integer(
        display_name=N_("Attempts"), help=N_("Quick-check attempts allowed; 0 means unlimited."),
        scope=Scope.settings, default=3, enforce_type=True,
    )
    pass_score = Float(
        display_name=N_("Pass score"), help=N_("Share of questions to get right to pass, 0.0-1.0."),
        scope=Scope.settings, default=0.6, enforce_type=True,
    )
    require_quick_check = Boolean(
        display_name=N_("Completion needs a passed quick check"),
        help=N_("When on, the lesson is complete only after the quick check is passed."),
        scope=Scope.settings, default=False, enforce_type=True,
    )
    weight = Float(
        display_name=N_("Problem weight"), help=N_("Points the quick check is worth in the course grade."),
        scope=Scope.settings, default=1.0, enforce_type=True,
    )

    js_strings = {
        **LessonViewsMixin.player_js_strings,
        "score": N_("Your score: {score}%"),
        "passed": N_("Passed"),
        "not_passed": N_("Not passed yet"),
        "attempts_left": N_("Attempts left: {count}"),
        "no_attempts": N_("No attempts left."),
        "right": N_("Correct"),
        "wrong": N_("Not correct"),
        "correct_answer": N_("Correct answer: {answer}"),
    }

    studio_lists = {
        **LessonMediaFieldsMixin.media_studio_lists,
        "resources": {
            "item": N_("Download {number}"), "add": N_("Add a download"), "remove": N_("Remove this download"),
            "max": authoring.MAX_RESOURCES,
            "fields": [{"key": "title", "label": N_("Title")},
                       {"key": "url", "label": N_("URL"), "url": True},
                       {"key": "size", "label": N_("Size, such as 2 MB")}],
        },
    }

    def studio_extra_config(self):
        return {"questions_field": "questions", "max_questions": quickcheck.MAX_QUESTIONS,
                "max_choices": quickcheck.MAX_CHOICES}

    # ---- authoring ----------------------------------------------------------------------------
    def clean_studio_edits(self, data):
        """Sanitise HTML at save; Markdown is sanitised after conversion, at render."""
        if data.get("text_format", self.text_format) == "html" and "lesson_text" in data:
            data["lesson_text"] = clean_html(data["lesson_text"])

    def validate_field_data(self, validation, data):
        for problem in authoring.lesson_problems(data):
            self.add_error(validation, problem)

    # ---- derived content --------------------------------------------------------------------
    @property
    def media(self):
        """The media as it may be shown: URLs re-checked at render (imported OLX skips Studio)."""
        return LessonMedia.from_fields(self.video_sources, self.audio_url, self.poster_url, self.resources)

    @property
    def kind(self):
        """``video``, ``audio`` or ``text``, from the two fields that decide it (each field read is a
        query in some runtimes)."""
        return LessonMedia.kind_of(self.video_sources, self.audio_url)

    def lesson_html(self):
        """The lesson text as safe HTML, its headings below the block's title."""
        return demote_headings(render_rich_text(self.lesson_text, self.text_format))

    def max_score(self):
        """Points of the quick check; known without any user."""
        return self.weight if self.questions else 0

    # ---- learner state ------------------------------------------------------------------------
    def _attempt_state(self):
        return progress.attempt_summary(self.usage_key, self.person.user_id, self.max_attempts)

    def learner_state(self):
        """Everything the learner's own views show, from our models."""
        person = self.person
        lesson = progress.get_progress(self.usage_key, person.user_id)
        attempt_state = self._attempt_state() if self.questions else {
            "attempts_used": 0, "attempts_left": None, "best_score": None, "passed": False}
        return {
            "coverage": lesson.coverage if lesson else 0.0,
            "position": lesson.position if lesson else 0.0,
            "finished_reading": bool(lesson and lesson.finished_reading_at),
            "completed": bool(lesson and lesson.completed_at),
            **attempt_state,
        }

    def user_state_for_mobile(self):
        state = self.learner_state()
        state["comfort"] = profiles.comfort_as_dict(self.comfort_settings())
        return state

    def _complete_if_earned(self, lesson, passed=None):
        """Publish completion once coverage/reading and (if required) the quick check are done."""
        if passed is None:
            def passed():   # the attempts are read only once the coverage is reached
                return self._attempt_state()["passed"]
        if lesson.completed_at is None and completion.is_complete(
                lesson, self.kind, self.completion_threshold, self.require_quick_check, passed):
            progress.mark_completed(lesson)
            self.publish_completion(1.0)
        self.note_learner_activity(coverage=round(lesson.coverage, 3), completed=bool(lesson.completed_at))
        return lesson

    # ---- handlers ---------------------------------------------------------------------------
    @json_api(LEARNER)
    def report_progress(self, data, suffix=""):
        """The player's report of what it played since the last report (see docs/api.md)."""
        if self.kind == "text":
            raise InvalidInput(_("This lesson has no media to play."))
        lesson = progress.record_playback(self.course_key, self.usage_key, self.person.user_id, data,
                                          authored_duration=self.media_duration, by_staff=self.person.is_staff)
        lesson = self._complete_if_earned(lesson)
        return {"coverage": lesson.coverage, "position": lesson.position,
                "completed": lesson.completed_at is not None}

    @json_api(LEARNER)
    def start_reading(self, data, suffix=""):
        """Sent when a text lesson is opened: starts the reading clock."""
        if self.kind != "text":
            raise InvalidInput(_("This lesson is completed by playing it."))
        lesson = progress.start_reading(self.course_key, self.usage_key, self.person.user_id,
                                        by_staff=self.person.is_staff)
        return {"minimum_seconds": reading.minimum_seconds(self.lesson_html()),
                "finished": lesson.finished_reading_at is not None}

    @json_api(LEARNER)
    def finish_reading(self, data, suffix=""):
        """"I have finished reading": accepted after the minimum reading time."""
        if self.kind != "text":
            raise InvalidInput(_("This lesson is completed by playing it."))
        lesson = progress.finish_reading(self.course_key, self.usage_key, self.person.user_id,
                                         reading.minimum_seconds(self.lesson_html()), by_staff=self.person.is_staff)
        lesson = self._complete_if_earned(lesson)
        return {"finished": True, "completed": lesson.completed_at is not None}

    @json_api(LEARNER)
    def submit_quick_check(self, data, suffix=""):
        """Grade the learner's answers on the server; explanations come back, answers only at the end."""
        if not self.questions:
            raise Conflict(_("This lesson has no quick check."))
        attempt, results = progress.submit_quick_check(
            self.course_key, self.usage_key, self.person.user_id, self.questions, data.get("answers"),
            self.max_attempts, self.pass_score, by_staff=self.person.is_staff)
        state = self._attempt_state()
        self.publish_grade(round(state["best_score"] * self.weight, 4), self.weight)
        reveal = state["passed"] or state["attempts_left"] == 0
        lesson = progress.get_progress(self.usage_key, self.person.user_id)
        self._complete_if_earned(lesson, passed=state["passed"])
        return {
            "score": attempt.score, "passed": attempt.passed, **state,
            "completed": lesson.completed_at is not None,
            "feedback": quickcheck.feedback(self.questions, results, reveal),
        }

    @http_api(STAFF)
    def download_csv(self, request, suffix=""):
        """Staff: each learner's coverage, completion and best score, as CSV."""
        header = [_("Username"), _("Coverage (%)"), _("Resume position (s)"), _("Completed at (UTC)"),
                  _("Best score (%)"), _("Attempts"), _("Started at (UTC)"), _("Staff")]
        rows = (
            (username, round(coverage * 100, 1), round(position), completed and completed.isoformat(),
             None if best is None else round(best * 100, 1), used or 0, started.isoformat(),
             _("yes") if by_staff else "")
            for username, coverage, position, completed, best, used, started, by_staff
            in progress.learner_rows(self.usage_key)
        )
        return csv_response("micro-lesson-progress.csv", header, rows)

    # ---- reports ----------------------------------------------------------------------------
    def report_rows(self, usernames):
        rows = {}
        for username, coverage, _position, completed, best, used, _started, _by_staff in \
                progress.learner_rows(self.usage_key, usernames):
            rows[username] = [
                ("completion", 1.0 if completed else 0.0),
                ("completed_at", completed.isoformat() if completed else ""),
                ("coverage", round(coverage, 4)),
                ("score", None if best is None else round(best * self.weight, 4)),
                ("max_score", self.max_score()),
                ("attempts", used or 0),
            ]
        return rows

    # ---- search and mobile ----------------------------------------------------------------------
    def index_dictionary(self):
        """What course search indexes: title, lesson text and transcript."""
        index = super().index_dictionary() if hasattr(super(), "index_dictionary") else {}
        index.setdefault("content", {})
        index["content"].update({
            "display_name": self.display_name,
            "text": plain_text(self.lesson_html()),
            "transcript": captions.transcript_text(self.caption_tracks),
        })
        index["content_type"] = "Micro-lesson"
        return index

    @classmethod
    def workbench_scenarios(cls):
        return scenarios_for("lifelong_microlesson", conf.get("WORKBENCH_SCENARIOS_DIR"))
