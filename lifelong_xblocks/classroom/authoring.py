"""Checks of what an instructor authors for a lesson (micro-lesson, and replays of live sessions).

Each function returns translated sentences describing the problems; empty means fine.
Studio shows them and refuses to save.
"""
from lifelong_xblocks.classroom import captions, quickcheck
from lifelong_xblocks.classroom.media import VIDEO_TYPES
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.sanitize import is_safe_url

MAX_VIDEO_SOURCES = 3
MAX_CAPTION_TRACKS = 10
MAX_RESOURCES = 20


def media_problems(video_sources, audio_url, poster_url):
    problems = []
    if not isinstance(video_sources, list) or len(video_sources) > MAX_VIDEO_SOURCES:
        return [_("Give at most {count} video qualities.").format(count=MAX_VIDEO_SOURCES)]
    for number, source in enumerate(video_sources, start=1):
        if not isinstance(source, dict) or not is_safe_url(source.get("url")):
            problems.append(_("Video quality {number} needs an http(s) URL.").format(number=number))
            continue
        if not isinstance(source.get("label", ""), str) or not source.get("label", "").strip():
            problems.append(_("Video quality {number} needs a label such as 360p.").format(number=number))
        if source.get("type", "video/mp4") not in VIDEO_TYPES:
            problems.append(_("Video quality {number} must be MP4 or WebM.").format(number=number))
        height = source.get("height", 0)
        if isinstance(height, bool) or not isinstance(height, int) or height < 0:
            problems.append(_("Video quality {number}: the height is a whole number of pixels.")
                            .format(number=number))
    if audio_url and not is_safe_url(audio_url):
        problems.append(_("The audio source needs an http(s) URL."))
    if poster_url and not is_safe_url(poster_url):
        problems.append(_("The poster image needs an http(s) URL."))
    return problems


def caption_problems(tracks):
    if not isinstance(tracks, list):
        return [_("Captions must be a list of tracks.")]
    if len(tracks) > MAX_CAPTION_TRACKS:
        return [_("Give at most {count} caption tracks.").format(count=MAX_CAPTION_TRACKS)]
    problems = []
    seen = set()
    for number, track in enumerate(tracks, start=1):
        if not isinstance(track, dict) or not captions.is_language_tag(track.get("lang")):
            problems.append(_("Caption track {number} needs a language code such as zh-CN or en.")
                            .format(number=number))
            continue
        if track["lang"] in seen:
            problems.append(_("There are two caption tracks for {lang}.").format(lang=track["lang"]))
        seen.add(track["lang"])
        try:
            captions.parse(track.get("vtt", ""))
        except ValueError:
            problems.append(_("Caption track {number} is not valid WebVTT.").format(number=number))
    return problems


def resource_problems(resources):
    if not isinstance(resources, list) or len(resources) > MAX_RESOURCES:
        return [_("Give at most {count} downloadable resources.").format(count=MAX_RESOURCES)]
    problems = []
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict) or not isinstance(resource.get("title"), str) \
                or not resource.get("title", "").strip():
            problems.append(_("Resource {number} needs a title.").format(number=number))
        elif not is_safe_url(resource.get("url")):
            problems.append(_("Resource {number} needs an http(s) URL.").format(number=number))
        elif not isinstance(resource.get("size", ""), str):
            problems.append(_("Resource {number}: write the size as text, such as 2 MB.").format(number=number))
    return problems


def range_problem(value, low, high, message):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        return [message]
    return []


def media_field_problems(data):
    """Problems of the media fields every lesson player block has (``blocks.media_fields``)."""
    problems = media_problems(data.video_sources, data.audio_url, data.poster_url)
    problems += caption_problems(data.captions)
    problems += range_problem(data.media_duration, 0, 24 * 3600,
                              _("The media duration is between 0 and 86400 seconds."))
    return problems


def lesson_problems(data):
    """Everything wrong with a lesson's authored fields (``data`` has the fields as attributes)."""
    problems = []
    if data.content_language and not captions.is_language_tag(data.content_language):
        problems.append(_("The content language is a code such as zh-CN or en."))
    if data.text_format not in ("markdown", "html"):
        problems.append(_("The text format is Markdown or HTML."))
    problems += media_field_problems(data)
    problems += resource_problems(data.resources)
    problems += quickcheck.validate_questions(data.questions)
    problems += range_problem(data.completion_threshold, 0.5, 1.0,
                              _("The completion threshold is between 0.5 and 1.0 (50 % to 100 %)."))
    problems += range_problem(data.pass_score, 0.0, 1.0, _("The pass score is between 0.0 and 1.0."))
    problems += range_problem(data.max_attempts, 0, 100, _("Attempts are between 0 (unlimited) and 100."))
    problems += range_problem(data.estimated_minutes, 0, 600, _("Estimated minutes are between 0 and 600."))
    problems += range_problem(data.weight, 0, 1000, _("The weight is between 0 and 1000."))
    if data.require_quick_check and not data.questions:
        problems.append(_("Passing the quick check is required, but it has no questions."))
    if not isinstance(data.audience_tags, list) or not all(isinstance(t, str) for t in data.audience_tags):
        problems.append(_("Audience tags are a list of words."))
    return problems
