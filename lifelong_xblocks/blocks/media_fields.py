"""The media fields of every block that plays lesson media: a micro-lesson's video or audio, a live
session's replay.  Declared once here; the OLX attribute names are the field names, so content
written before this mixin existed still loads.  Checked by ``classroom.authoring.media_field_problems``
and played by :class:`~lifelong_xblocks.blocks.lesson_views.LessonPlayerMixin`.
"""
from xblock.fields import Float, List, Scope, String

from lifelong_xblocks.classroom.authoring import MAX_CAPTION_TRACKS, MAX_VIDEO_SOURCES
from lifelong_xblocks.i18n import gettext_noop as N_

class LessonMediaFieldsMixin:
    """``video_sources``, ``audio_url``, ``poster_url``, ``captions``, ``media_duration``, the coverage
    ``completion_threshold``, and the Studio forms of the two list fields (merge ``media_studio_lists``
    into the block's ``studio_lists``).  Blocks still list the fields in their ``editable_fields``."""

    video_sources = List(
        display_name=N_("Video qualities"),
        help=N_('Up to three: [{"url": "https://...mp4", "label": "360p", "height": 360, "type": "video/mp4"}]. '
                "The first is played by default; the smallest height in low-bandwidth mode. "
                "A live session plays them as its replay, after the session."),
        scope=Scope.content, default=[], enforce_type=True,
    )
    audio_url = String(
        display_name=N_("Audio-only source"),
        help=N_("An MP3/M4A/Ogg URL. Played instead of the video in low-bandwidth mode, or alone."),
        scope=Scope.content, default="", enforce_type=True,
    )
    poster_url = String(
        display_name=N_("Poster image"), help=N_("Image shown before the video starts."),
        scope=Scope.content, default="", enforce_type=True,
    )
    captions = List(
        display_name=N_("Captions"),
        help=N_('WebVTT text per language: [{"lang": "zh-CN", "label": "中文", "vtt": "WEBVTT ..."}]. '
                "Also shown as a searchable transcript."),
        scope=Scope.content, default=[], enforce_type=True,
    )
    media_duration = Float(
        display_name=N_("Media duration (seconds)"),
        help=N_("Length of the video/audio. 0 takes it from the player's first report; "
                "setting it stops a modified player from claiming a shorter lesson."),
        scope=Scope.settings, default=0.0, enforce_type=True,
    )
    completion_threshold = Float(
        display_name=N_("Completion threshold"),
        help=N_("Share of the media a learner must actually play, from 0.5 to 1.0."),
        scope=Scope.settings, default=0.9, enforce_type=True,
    )

    @property
    def caption_tracks(self):
        """The caption tracks as objects of text (an OLX import skips Studio and may hold anything there)."""
        return [{key: value for key, value in track.items() if isinstance(value, str)}
                for track in self.captions if isinstance(track, dict)]

    media_studio_lists = {
        "video_sources": {
            "item": N_("Quality {number}"), "add": N_("Add a quality"), "remove": N_("Remove this quality"),
            "max": MAX_VIDEO_SOURCES,
            "fields": [{"key": "url", "label": N_("Video URL (MP4 or WebM)"), "url": True},
                       {"key": "label", "label": N_("Label, such as 360p")},
                       {"key": "height", "label": N_("Height in pixels"), "number": True},
                       {"key": "type", "label": N_("Format"),
                        "choices": [["video/mp4", "MP4"], ["video/webm", "WebM"]]}],
        },
        "captions": {
            "item": N_("Caption track {number}"), "add": N_("Add a caption track"),
            "remove": N_("Remove this track"), "max": MAX_CAPTION_TRACKS,
            "fields": [{"key": "lang", "label": N_("Language code, such as zh-CN")},
                       {"key": "label", "label": N_("Name shown to learners")},
                       {"key": "vtt", "label": N_("WebVTT text"), "rows": 6}],
        },
    }
