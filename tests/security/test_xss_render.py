"""The XSS corpus against what the server renders, without a browser: fast enough to try every URL
payload in every URL field of every block (the browser test, tests/browser/test_xss_all_blocks.py,
puts the whole corpus into one scenario per block and runs what the server sent).

A URL field may hold a link to another host (a video on a CDN, a meeting link) but never a script
scheme; authored rich text never loads anything from another host.
"""
import html
import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from lxml import html as lxml_html

from lifelong_xblocks.sanitize import clean_html, is_same_host_url, render_markdown

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from xss_scenarios import CORPUS, OUTSIDE_HOST, URL_CORPUS  # noqa: E402

SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = ("href", "src", "poster", "action", "formaction", "xlink:href", "data")
LOADING_ATTRIBUTES = ("src", "poster", "data")
# Every field holding a URL, per block (a block with a ``*_url`` field not listed fails).
URL_FIELDS = {
    "lifelong_microlesson": {"audio_url": "{}", "poster_url": "{}",
                             "video_sources": '[{{"url": {}, "label": "360p", "height": 360}}]',
                             "resources": '[{{"title": "Handout", "url": {}, "size": "1 KB"}}]',
                             "lesson_text": '"<a href=\\"{0}\\">a</a><img src=\\"{0}\\">"'},
    "lifelong_live_session": {"join_url": "{}", "audio_url": "{}", "poster_url": "{}",
                              "video_sources": '[{{"url": {}, "label": "360p", "height": 360}}]',
                              "description": '"[a]({0}) ![i]({0})"'},
    "lifelong_recitation": {"passage": '"<a href=\\"{0}\\">a</a><img src=\\"{0}\\">"'},
}
LIVE = ("<lifelong_live_session display_name='Lecture' start_time='2026-11-30T03:00:00Z' "
        "end_time='2026-11-30T04:00:00Z' time_zone='Asia/Shanghai' attendance_mode='online' media_duration='30' "
        "completion_rule='either' {field}={value}/>")
BLOCK_XML = {"lifelong_microlesson": "<lifelong_microlesson display_name='Lesson' text_format='html' "
                                     "media_duration='30' {field}={value}/>",
             "lifelong_live_session": LIVE,
             "lifelong_recitation": "<lifelong_recitation display_name='Read' text_format='html' {field}={value}/>"}


def normalised(url):
    """The URL as a browser reads it: tab, CR and LF dropped anywhere, C0 controls and spaces at the ends."""
    return re.sub(r"[\t\n\r]", "", html.unescape(url or "")).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08"
                                                                    "\x0b\x0c\x0e\x0f\x10\x11\x12\x13\x14"
                                                                    "\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d"
                                                                    "\x1e\x1f ").lower()


def hostile_urls(fragment_html):
    """``(attribute, value)`` of every URL attribute that runs script or loads from another host."""
    found = []
    for node in lxml_html.fragment_fromstring(fragment_html, create_parent="div").iter():
        if not isinstance(node.tag, str):
            continue
        for name, value in node.attrib.items():
            if name not in URL_ATTRIBUTES:
                continue
            url = normalised(value)
            if url.startswith(SCRIPT_SCHEMES) or (name in LOADING_ATTRIBUTES and OUTSIDE_HOST in url):
                found.append((node.tag, name, value))
    return found


# ---- the sanitiser: images only from the site itself ------------------------------------------------
@pytest.mark.parametrize("src", [f"http://{OUTSIDE_HOST}/x.png", f"https://{OUTSIDE_HOST}/x.png",
                                 f"//{OUTSIDE_HOST}/x.png", f"/\\{OUTSIDE_HOST}/x.png", f"\\\\{OUTSIDE_HOST}/x.png",
                                 f" \t//{OUTSIDE_HOST}/x.png",
                                 f"HTTP://{OUTSIDE_HOST}/x.png", "data:image/svg+xml,<svg onload=alert(1)>",
                                 "javascript:alert(1)"])
def test_authored_images_from_another_host_are_dropped(src):
    cleaned = clean_html(f"<p>a<img src={quoteattr(src)} alt='x'></p>")
    assert "src" not in cleaned and "<img" in cleaned, cleaned
    assert "src" not in render_markdown(f"![x]({src})")


def test_an_outside_image_hidden_by_an_entity_is_dropped():
    assert "src" not in clean_html(f'<img src="/&#x09;/{OUTSIDE_HOST}/x.png"><img src="&#x2F;/{OUTSIDE_HOST}/y">')


@pytest.mark.parametrize("src", ["/static/demo/poster.png", "/asset-v1:Org+C+R+type@asset+block@pic.png",
                                 "pic.png", "images/pic.png?v=2#top"])
def test_images_of_the_site_itself_stay(src):
    assert is_same_host_url(src)
    assert f'src="{html.escape(src, quote=True)}"' in clean_html(f"<img src={quoteattr(src)}>")


def test_links_to_other_hosts_stay_links():
    assert 'href="https://www.example.org/"' in clean_html("<a href='https://www.example.org/'>x</a>")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_text_payload_is_harmless_after_the_sanitiser(name):
    for cleaned in (clean_html(CORPUS[name]), render_markdown(CORPUS[name])):
        tree = lxml_html.fragment_fromstring(cleaned, create_parent="div")
        assert not [node.tag for node in tree.iter() if node.tag in ("script", "iframe", "svg", "math", "style",
                                                                     "link", "details")], cleaned
        assert not [a for node in tree.iter() if isinstance(node.tag, str) for a in node.attrib
                    if a.startswith("on")], cleaned
        assert hostile_urls(cleaned) == [], cleaned


# ---- every URL payload in every URL field, rendered --------------------------------------------------
def test_the_url_field_table_covers_every_url_field():
    from importlib.metadata import entry_points  # noqa: PLC0415
    for point in entry_points(group="xblock.v1"):
        if point.name.startswith("lifelong_"):
            cls = point.load()
            urls = {name for name in getattr(cls, "editable_fields", ()) if name.endswith("_url")
                    or name in ("video_sources", "resources")}
            assert urls <= set(URL_FIELDS.get(point.name, {})), f"{point.name}: URL fields not tried: {urls}"


CASES = [(tag, field, name) for tag, fields in URL_FIELDS.items() for field in fields for name in URL_CORPUS]


@pytest.mark.parametrize("tag, field, name", CASES)
def test_no_url_payload_becomes_a_script_url_or_an_outside_load(scenario, tag, field, name):
    url = URL_CORPUS[name]
    template = URL_FIELDS[tag][field]
    value = template.format(json.dumps(url)) if template != "{}" else url
    if template.startswith('"'):
        value = json.loads(template.format(url.replace("\\", "\\\\").replace('"', '\\"')
                                           .replace("\n", "\\n").replace("\t", "\\t")))
    as_user = scenario(BLOCK_XML[tag].format(field=field, value=quoteattr(value)))
    for student in ("student_1", "staff"):
        client = as_user(student)
        for view in ("student_view", "author_view"):
            fragment = client.render(view)
            assert hostile_urls(fragment.body_html()) == [], f"{tag}.{field} = {url!r} in {view} as {student}"


# ---- every field of every block, the whole corpus at once, every view, rendered -------------------------
# (SVG and MathML payloads show up by their script children, event attributes or script URLs: the
# blocks draw SVG charts and icons of their own.)
INJECTED_TAGS = ("script", "iframe", "object", "embed", "style", "link", "meta", "base", "frame")
DATA_SCRIPTS = ("application/json", "json/xblock-args")


def injected(fragment_html):
    """Elements and attributes in rendered HTML that a payload would have put there."""
    found = []
    for node in lxml_html.fragment_fromstring(fragment_html, create_parent="div").iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in INJECTED_TAGS and not (node.tag == "script" and node.get("type") in DATA_SCRIPTS):
            found.append(lxml_html.tostring(node)[:120])
        found += [f"{node.tag}[{name}]" for name in node.attrib if name.startswith("on")]
    return found


def every_field(cls, text):
    """OLX attributes putting ``text`` into every content/settings field (lists get it as an item)."""
    from xblock.fields import Scope  # noqa: PLC0415
    values = {}
    for name, field in cls.fields.items():
        if field.scope not in (Scope.content, Scope.settings) or name in ("parent", "children", "tags", "name",
                                                                          "icon_class", "xml_content", "has_score"):
            continue
        kind = type(field).__name__
        if kind == "String":
            values[name] = text
        elif kind == "List":       # also items of the wrong shape: OLX import skips Studio's checks
            values[name] = json.dumps([text, {"id": text, "prompt": text, "choices": [text, {"id": 1}]}, 5, None])
    return values


def package_blocks():
    from importlib.metadata import entry_points  # noqa: PLC0415
    return sorted((point.name, point.load()) for point in entry_points(group="xblock.v1")
                  if point.name.startswith("lifelong_"))


@pytest.mark.parametrize("tag", [tag for tag, _cls in package_blocks()])
def test_the_whole_corpus_in_every_field_breaks_no_view_and_injects_nothing(scenario, tag):
    """Also the choice, date and zone fields: OLX import can put anything there."""
    cls = dict(package_blocks())[tag]
    text = " ".join(CORPUS.values())
    attrs = " ".join(f"{name}={quoteattr(value)}" for name, value in every_field(cls, text).items())
    as_user = scenario(f"<{tag} {attrs}/>")
    for student in ("student_1", "staff"):
        for view in ("student_view", "author_view", "studio_view"):
            fragment = as_user(student).render(view)
            body = fragment.body_html()
            assert injected(body) == [], f"{tag} {view} as {student}"
            assert hostile_urls(body) == [], f"{tag} {view} as {student}"
