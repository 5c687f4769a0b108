"""Scenario files with script-injection payloads in every author-editable micro-lesson field.

Authors write these fields in Studio or import them in OLX (which skips Studio's
validation), so every view has to treat them as hostile.  Each payload makes its own
scenarios: a video lesson (Markdown text), an audio-only lesson and a text lesson
(HTML text).  A payload that ran sets ``window.__xss``.
"""
import json
from pathlib import Path
from xml.sax.saxutils import escape

# Text payloads: HTML, attribute break-outs, script-element break-outs, template syntax.
TEXT_PAYLOADS = {
    "img": "<img src=x onerror=window.__xss=1>",
    "script": "<script>window.__xss=1</script>",
    "attr": "\"><svg onload=window.__xss=1>",
    "squote": "'><img src=x onerror=window.__xss=1>",
    "closer": "</script><img src=x onerror=window.__xss=1>",
    "template": "{{ 7*7 }} ${7*7} {% now 'Y' %}",
}
# What URL fields get alongside each text payload (they are checked for javascript: hrefs too).
URL_PAYLOADS = {
    "img": "javascript:window.__xss=1",
    "script": "<script>window.__xss=1</script>",
    "attr": "\"><svg onload=window.__xss=1>",
    "squote": "JaVaScRiPt:window.__xss=1",
    "closer": "</script><img src=x onerror=window.__xss=1>",
    "template": " javascript:window.__xss=1",
}
TEMPLATE_MARKER = "{{ 7*7 }}"


def _vtt(text):
    return (f"WEBVTT\n\n00:00.000 --> 00:05.000\n{text}\n\n"
            f"00:05.000 --> 00:10.000\nline two {text}\n")


def lesson_fields(payload, url, kind, text_format):
    """The micro-lesson's authored fields, every one carrying ``payload`` (or ``url``)."""
    questions = [
        {"id": "q1", "kind": "single", "prompt": "Q1 " + payload,
         "choices": [{"id": "a", "text": "A " + payload, "correct": True},
                     {"id": "b", "text": "B " + payload}],
         "explanation": "E1 " + payload},
        {"id": "q2", "kind": "multiple", "prompt": "Q2 " + payload,
         "choices": [{"id": "a", "text": "A2 " + payload, "correct": True},
                     {"id": "b", "text": "B2 " + payload}],
         "explanation": "E2 " + payload},
    ]
    if text_format == "markdown":
        lesson_text = f"## Heading {payload}\n\nText {payload}\n\n[link {payload}]({url})\n\n![img]({url})"
    else:
        lesson_text = (f"<h2>Heading {payload}</h2><p>Text {payload}</p><a href=\"{url}\">link</a>"
                       f"<img src=\"{url}\" alt=\"{payload}\"><p onclick=\"window.__xss=1\">click</p>")
    fields = {
        "display_name": "Lesson " + payload,
        "estimated_minutes": "1",
        "text_format": text_format,
        "lesson_text": lesson_text,
        "audience_tags": ["tag " + payload, payload],
        "resources": [{"title": "Res " + payload, "url": url, "size": payload},
                      {"title": "Res2 " + payload, "url": "/static/demo/handout.pdf", "size": "1 KB " + payload}],
        "questions": questions,
        "max_attempts": "0",
        "media_duration": "30",
    }
    if kind in ("video", "audio"):
        fields["captions"] = [
            {"lang": "en", "label": "English " + payload, "vtt": _vtt(payload)},
            {"lang": "zh-CN", "label": payload, "vtt": _vtt("中文 " + payload)},
        ]
        fields["audio_url"] = url
    if kind == "video":
        fields["video_sources"] = [
            {"url": url, "label": payload, "height": 360, "type": "video/webm"},
            {"url": "/static/demo/lesson-180.webm", "label": "180p " + payload, "height": 180,
             "type": "video/webm"},
        ]
        fields["poster_url"] = url
    return fields


def attribute(value):
    """An OLX attribute value: JSON for lists, single-quoted, escaped for XML."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return "'" + escape(text, {"'": "&apos;", '"': "&quot;", "\n": "&#10;"}) + "'"


def scenario_xml(title, fields):
    attrs = "\n  ".join(f"{name}={attribute(value)}" for name, value in fields.items())
    return f"<!-- {title} -->\n<vertical_demo>\n<lifelong_microlesson\n  {attrs}\n/>\n</vertical_demo>\n"


def write_scenarios(folder):
    """Write the scenario files; returns ``[(index, name, kind)]`` in the workbench's order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    variants = (("video", "markdown"), ("audio", "html"), ("text", "html"))
    for name, payload in TEXT_PAYLOADS.items():
        for kind, text_format in variants:
            stem = f"lifelong_microlesson_xss_{name}_{kind}_{text_format}"
            title = f"XSS {name} {kind} {text_format}"
            (folder / f"{stem}.xml").write_text(
                scenario_xml(title, lesson_fields(payload, URL_PAYLOADS[name], kind, text_format)),
                encoding="utf-8")
            written.append((stem, name, kind, text_format))
    written.sort()
    return [(index, name, kind, text_format) for index, (_stem, name, kind, text_format) in enumerate(written)]
