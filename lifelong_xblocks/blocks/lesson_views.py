"""Views of a lesson: the learner page, the staff panel, the mobile data.

The player part (:meth:`LessonViewsMixin.player_context`) is shared with any block that plays
lesson media, such as a live session's replay.
"""
from webob import Response
from xblock.core import XBlock

from lifelong_xblocks import charts
from lifelong_xblocks.blocks.handlers import ANYONE, http_api
from lifelong_xblocks.classroom import captions, progress, quickcheck, reading
from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.profiles import api as profiles


def clock(seconds):
    """``m:ss`` (or ``h:mm:ss``) for a media time."""
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def urls_only(choice):
    """A :meth:`LessonMedia.pick` choice for the page's JS config: the element and the URLs.

    The config goes into a ``<script type="json/xblock-args">`` that XBlock's own runtime
    (the workbench, other non-LMS runtimes) fills with plain ``json.dumps``, so an authored
    label holding ``</script>`` would end the script element and its HTML would run.  No
    authored text goes there; checked URLs cannot hold ``<``.
    """
    return {"element": choice["element"], "sources": [{"url": source["url"]} for source in choice["sources"]]}


class LessonPlayerMixin:
    """The lesson player for any block with ``media`` (a :class:`LessonMedia`) and ``captions``:
    the template context of ``classroom/player.html`` and the caption files it loads.

    The block's ``report_progress`` handler (which ``player.js`` calls) records playback with
    ``classroom.progress.record_playback`` under the block's own usage key.  Blocks merge
    ``player_js_strings`` into their ``js_strings`` (``player.js`` and its transcript use them).
    """

    player_js_strings = {
        "watched": N_("Played: {percent}%"),
        "completed": N_("Completed"),
        "resumed": N_("Resumed where you left off ({time})."),
        "report_refused": N_("Part of your playback could not be counted."),
        "no_matches": N_("No lines match."),
    }

    @http_api(ANYONE)
    def caption_track(self, request, suffix=""):
        """The WebVTT file of one caption track (``.../caption_track/<lang>``), for the player."""
        for track in self.caption_tracks:
            if track.get("lang") == suffix:
                response = Response(track.get("vtt", ""), content_type="text/vtt", charset="utf-8")
                response.headers["X-Content-Type-Options"] = "nosniff"
                response.cache_control.max_age = 300
                return response
        raise InvalidInput(_("There is no caption track in that language."))

    def player_context(self, state, comfort):
        media = self.media.pick(comfort.low_bandwidth)
        tracks = []
        for track in self.caption_tracks:
            try:
                cues = [dict(cue, clock=clock(cue["start"])) for cue in captions.parse(track.get("vtt", ""))]
            except ValueError:
                cues = []
            tracks.append({
                "lang": track.get("lang"), "label": track.get("label") or track.get("lang"),
                "url": self.runtime.handler_url(self, "caption_track", track.get("lang", "")),
                "cues": cues,
            })
        return {
            "media": media,
            "poster_url": self.media.poster_url,
            "has_alternative": self.media.has_alternative,
            "tracks": tracks,
            "transcript": tracks[0] if tracks else None,
            "playback_rates": profiles.ComfortSettings.PLAYBACK_RATES,
            "comfort": comfort,
            "coverage_percent": round(state["coverage"] * 100),
        }


class LessonViewsMixin(LessonPlayerMixin):
    """``student_view``, ``author_view`` (via the base), ``student_view_data`` of lesson blocks."""

    @XBlock.supports("multi_device")
    def student_view(self, context=None):
        context = context or {}
        preview = bool(context.get("author_preview"))
        person = self.person
        state = self.learner_state() if person.is_authenticated and not preview else {
            "coverage": 0.0, "position": 0.0, "finished_reading": False, "completed": False,
            "attempts_used": 0, "attempts_left": self.max_attempts or None, "best_score": None, "passed": False}
        comfort = self.comfort_settings(not preview)
        html = self.lesson_html()
        template_context = {
            "block": self, "title": self.shown_title, "kind": self.kind, "lesson_html": html,
            "content_language": self.content_language if captions.is_language_tag(self.content_language) else "",
            "estimated_minutes": self.estimated_minutes, "audience_tags": self.audience_tags,
            "resources": self.media.resources, "state": state,
            "questions": quickcheck.public_questions(self.questions),
            "signed_in": person.is_authenticated and not preview,
            "preview": preview,
            "player": self.player_context(state, comfort),
            **({} if preview else self.profile_context()),
        }
        template_context["staff"] = self.staff_context() if person.is_staff and not preview else None
        fragment = self.fragment_for("microlesson.html", template_context, js_config={
            "kind": self.kind,
            "position": state["position"],
            "completed": state["completed"],
            "minimum_reading_seconds": reading.minimum_seconds(html) if self.kind == "text" else 0,
            "signed_in": template_context["signed_in"],
            "comfort": profiles.comfort_as_dict(comfort),
            "low_sources": urls_only(self.media.pick(True)),
            "normal_sources": urls_only(self.media.pick(False)),
        })
        return fragment

    def staff_context(self):
        summary = progress.lesson_summary(self.usage_key)
        labels = [f"{i * 10}-{i * 10 + 9 if i < 9 else 100}" for i in range(10)]
        return {
            "summary": summary,
            "average_coverage_percent": round(summary["average_coverage"] * 100),
            "chart": charts.bar_chart(f"{self.dom_id}-scores", _("Best quick-check scores (%)"), labels, summary["score_distribution"],
                                      _("Number of learners whose best score falls in each range."))
            if self.questions else "",
            "csv_url": self.runtime.handler_url(self, "download_csv"),
        }

    def student_view_data(self, context=None):
        """Content for the Open edX mobile app; collected at publish time with no user, so no
        learner state and never the correct answers."""
        return {
            "title": self.shown_title,
            "kind": self.kind,
            "lesson_html": self.lesson_html(),
            "video_sources": list(self.media.video_sources),
            "audio_url": self.media.audio_url,
            "poster_url": self.media.poster_url,
            "captions": [{"lang": t.get("lang"), "label": t.get("label"), "vtt": t.get("vtt")} for t in self.caption_tracks],
            "resources": list(self.media.resources),
            "estimated_minutes": self.estimated_minutes,
            "audience_tags": self.audience_tags,
            "completion_threshold": self.completion_threshold,
            "minimum_reading_seconds": reading.minimum_seconds(self.lesson_html()) if self.kind == "text" else 0,
            "quick_check": {
                "questions": quickcheck.public_questions(self.questions),
                "max_attempts": self.max_attempts,
                "pass_score": self.pass_score,
                "required_for_completion": self.require_quick_check,
            },
            "weight": self.weight,
        }
