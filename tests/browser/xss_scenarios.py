"""The one corpus of script-injection payloads for every block, and the micro-lesson's scenario files.

Authors write fields in Studio or import them in OLX (which skips Studio's validation), learners
write theirs through handlers: every view has to treat both as hostile.  ``CORPUS`` holds text
payloads (markup, attribute and script-element break-outs, SVG and MathML, broken markup, template
syntax, a resource from another host), ``URL_CORPUS`` values for URL fields (script schemes, also
hidden by entities, whitespace and case).  A payload that ran sets ``window.__xss`` or opens a
dialog; ``OUTSIDE_HOST`` must never be asked for anything.

``tests/browser/test_xss_all_blocks.py`` writes the whole corpus into every block's fields;
``write_scenarios`` below makes the micro-lesson's per-payload scenarios (one payload each).
"""
import json
from pathlib import Path
from xml.sax.saxutils import escape

OUTSIDE_HOST = "203.0.113.1"      # TEST-NET-3: nothing may ever be requested from it
# Ordered so that payloads which swallow what follows them in HTML (an unclosed <style>, a comment)
# come last: in sanitised rich text the others still arrive.
CORPUS = {
    "img": "<img src=x onerror=window.__xss=1>",
    "outside": f"<img src=http://{OUTSIDE_HOST}/x.png><img src=//{OUTSIDE_HOST}/y.png><link rel=stylesheet href=//{OUTSIDE_HOST}/x.css>",
    "script": "<script>window.__xss=1</script>",
    "attr": "\"><svg onload=window.__xss=1>",
    "squote": "'><img src=x onerror=window.__xss=1>",
    "closer": "</script><img src=x onerror=window.__xss=1>",
    "template": "{{ 7*7 }} ${7*7} {% now 'Y' %}",
    "alert": "<img src=x onerror=alert(1)>",
    "svg_script": "<svg><script>window.__xss=1</script></svg>",
    "svg_animate": "<svg><animate onbegin=window.__xss=1 attributeName=x dur=1s>",
    "svg_href": "<svg><a xlink:href=javascript:window.__xss=1><text y=9>x</text></a></svg>",
    "math_href": "<math href=javascript:window.__xss=1><mi>x</mi></math>",
    "iframe": "<iframe srcdoc='<script>parent.__xss=1</script>'></iframe>",
    "details": "<details open ontoggle=window.__xss=1>",
    "link": "<a href=javascript:window.__xss=1>j</a><a href=' JaVa&#x09;ScRiPt:window.__xss=1'>k</a>",
    "data_link": "<a href='data:text/html,<script>alert(1)</script>'>d</a>",
    "backtick": "`;window.__xss=1;`",
    "unclosed": "<img src=x onerror=window.__xss=1 <b",
    "comment": "<!--><img src=x onerror=window.__xss=1>-->",
    "rcdata": "</textarea></title></style></noscript><img src=x onerror=window.__xss=1>",
    "mathml": "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=1>",
}
URL_CORPUS = {
    "js": "javascript:window.__xss=1",
    "js_case": "JaVaScRiPt:window.__xss=1",
    "js_space": " javascript:window.__xss=1",
    "js_tab": "java\tscript:window.__xss=1",
    "js_newline": "\njavascript:window.__xss=1",
    "js_entity": "&#106;avascript:window.__xss=1",
    "js_hex_entity": "jav&#x61;script:window.__xss=1",
    "js_colon_entity": "javascript&colon;window.__xss=1",
    "data": "data:text/html,<script>window.__xss=1</script>",
    "data_b64": "data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==",
    "data_svg": "data:image/svg+xml,<svg onload=window.__xss=1>",
    "vbscript": "VBScript:msgbox(1)",
    "breakout": "\"><svg onload=window.__xss=1>",
    "protocol_relative": f"//{OUTSIDE_HOST}/x",
}
# Template syntax a page must show as written (never evaluated on the server or in the browser).
TEMPLATE_LITERALS = ("{{ 7*7 }}", "${7*7}", "{% now 'Y' %}")
PAYLOAD = ("<img src=x onerror=window.__xss=1>\"'><svg onload=window.__xss=1></script>"
           "<script>window.__xss=1</script>{{ 7*7 }} ${7*7}")
SHORT_PAYLOAD = "<img src=x onerror=window.__xss=1>{{7*7}}"        # for fields of about 50 characters


def everything():
    """Every text payload in one string (for fields without a length limit, e.g. authored in OLX)."""
    return " ".join(CORPUS.values())


def pieces(limit):
    """The text payloads packed into as few strings of at most ``limit`` characters as they fit in
    (a payload longer than ``limit`` is cut): fields with a length limit get every payload over
    several entries."""
    packed, current = [], ""
    for payload in CORPUS.values():
        payload = payload[:limit]
        if current and len(current) + 1 + len(payload) > limit:
            packed.append(current)
            current = ""
        current = f"{current} {payload}" if current else payload
    return packed + [current]


# The micro-lesson's per-payload scenarios (test_microlesson_browser.py): text payloads, and what
# URL fields get alongside each (they are checked for javascript: hrefs too).
TEXT_PAYLOADS = {name: CORPUS[name] for name in ("img", "script", "attr", "squote", "closer", "template")}
URL_PAYLOADS = {
    "img": URL_CORPUS["js"],
    "script": CORPUS["script"],
    "attr": CORPUS["attr"],
    "squote": URL_CORPUS["js_case"],
    "closer": CORPUS["closer"],
    "template": URL_CORPUS["js_space"],
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
