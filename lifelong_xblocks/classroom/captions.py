"""WebVTT captions authored inline: checked with webvtt-py, served to the player and
shown as a readable, searchable transcript (also indexed for course search)."""
import re

import webvtt
from webvtt.errors import MalformedFileError

from lifelong_xblocks.sanitize import plain_text

LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MAX_VTT_CHARS = 500_000


def parse(vtt_text):
    """Cues as ``{"start": seconds, "end": seconds, "text": plain text}``; ``ValueError`` if malformed."""
    if not isinstance(vtt_text, str) or len(vtt_text) > MAX_VTT_CHARS:
        raise ValueError("captions must be WebVTT text")
    try:
        captions = webvtt.from_string(vtt_text)
    except (MalformedFileError, ValueError, IndexError) as error:
        raise ValueError(str(error)) from error
    return [
        {"start": cue.start_time.in_milliseconds() / 1000.0, "end": cue.end_time.in_milliseconds() / 1000.0,
         "text": plain_text(cue.text)}
        for cue in captions
    ]


def is_language_tag(value):
    return isinstance(value, str) and bool(LANGUAGE_TAG.match(value))


def transcript_text(tracks):
    """All caption text of all tracks, for the search index."""
    texts = []
    for track in tracks:
        try:
            texts.extend(cue["text"] for cue in parse(track.get("vtt", "")))
        except ValueError:
            continue
    return " ".join(texts)
