"""A lesson's media as it may be shown: only URLs that pass the allow-list, checked at render.

Studio refuses bad URLs when an author saves, but OLX imported from elsewhere never went
through Studio's validation, so every view reads the media through :class:`LessonMedia`.
"""
from dataclasses import dataclass

from lifelong_xblocks.sanitize import is_safe_url

VIDEO_TYPES = ("video/mp4", "video/webm")


def _text(value):
    return value if isinstance(value, str) else ""


def _safe_url(value):
    return value if is_safe_url(value) else ""


@dataclass(frozen=True)
class LessonMedia:
    video_sources: tuple
    audio_url: str
    poster_url: str
    resources: tuple

    @classmethod
    def from_fields(cls, video_sources, audio_url, poster_url, resources):
        videos = tuple(
            {"url": source["url"], "label": _text(source.get("label")),
             "type": source.get("type") if source.get("type") in VIDEO_TYPES else "video/mp4",
             "height": source.get("height") if isinstance(source.get("height"), int) else 0}
            for source in _playable(video_sources)
        )
        files = tuple(
            {"title": _text(item.get("title")) or item["url"], "url": item["url"], "size": _text(item.get("size"))}
            for item in (resources or []) if isinstance(item, dict) and is_safe_url(item.get("url"))
        )
        return cls(videos, _safe_url(audio_url), _safe_url(poster_url), files)

    @property
    def kind(self):
        """``video``, ``audio`` or ``text``: what the lesson is made of."""
        return self.kind_of(self.video_sources, self.audio_url)

    @staticmethod
    def kind_of(video_sources, audio_url):
        """The lesson's kind from its two media fields alone (a handler need not read the others)."""
        if next(_playable(video_sources), None) is not None:
            return "video"
        if _safe_url(audio_url):
            return "audio"
        return "text"

    @property
    def has_alternative(self):
        """Whether Save-data mode can switch to something lighter."""
        return bool(self.video_sources and (self.audio_url or len(self.video_sources) > 1))

    def pick(self, low_bandwidth):
        """What the player gets: the author's first quality, or in Save-data mode the audio-only
        source, else the smallest video."""
        if not self.video_sources:
            return {"element": "audio" if self.audio_url else None,
                    "sources": [{"url": self.audio_url}] if self.audio_url else []}
        if low_bandwidth and self.audio_url:
            return {"element": "audio", "sources": [{"url": self.audio_url}]}
        ordered = list(self.video_sources)
        if low_bandwidth:
            ordered.sort(key=lambda source: source["height"] or 10 ** 6)
        return {"element": "video", "sources": ordered}


def _playable(video_sources):
    """The authored video sources whose URL may be played."""
    return (source for source in (video_sources or []) if isinstance(source, dict) and is_safe_url(source.get("url")))
