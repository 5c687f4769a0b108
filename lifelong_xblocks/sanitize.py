"""Rich text and URLs that authors and learners write: made safe on save and again on render.

Sanitising is done by nh3 (the Rust ``ammonia`` sanitiser).  Markdown is converted by
Python-Markdown first and the resulting HTML goes through the same allow-list.
"""
import functools
import html
import re
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em",
    "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "small", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}
URL_SCHEMES = {"http", "https", "mailto"}

_TAG_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr)\b[^>]*>", re.I)


_URL_IGNORED = re.compile(r"[\t\n\r]")      # browsers drop these anywhere in a URL


def is_same_host_url(url):
    """A URL the browser resolves on the page's own host: a path (``/asset-v1:...``, ``img.png``),
    never a scheme (``http:``, ``data:``) or a host (``//host``, ``/\\host``)."""
    url = _URL_IGNORED.sub("", url or "").lstrip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e\x0f"
                                                 "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b"
                                                 "\x1c\x1d\x1e\x1f ")
    if url[:2].replace("\\", "/") == "//" or url.startswith("\\"):
        return False
    return ":" not in re.split(r"[/?#]", url, maxsplit=1)[0]


def _keep_attribute(tag, attribute, value):
    """Images load from the page's own host only: an image from elsewhere would tell that host who
    reads the page, and when (nothing on a page may come from outside the Open edX site)."""
    if tag == "img" and attribute == "src" and not is_same_host_url(value):
        return None
    return value


def clean_html(text):
    """Keep only a safe subset of HTML; links open with ``rel="noopener noreferrer"``; images only
    from the site itself (course assets)."""
    return nh3.clean(
        text or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def render_markdown(text):
    """Markdown (raw HTML inside it allowed, then sanitised) to safe HTML."""
    return _converted(text or "", "markdown")


def render_rich_text(text, text_format):
    """Safe HTML for an authored text in ``markdown`` or ``html`` format."""
    return _converted(text or "", "markdown" if text_format == "markdown" else "html")


# Authored texts are the same on every render of a block: the safe HTML of the recent ones is kept
# (the conversion is a pure function of the text; Python-Markdown builds a new parser per call).
_KEPT_TEXT = 20_000      # longer texts are converted every time, so the cache stays a few MB at most


def _converted(text, text_format):
    if len(text) <= _KEPT_TEXT:
        return _kept(text, text_format)
    return _convert(text, text_format)


@functools.lru_cache(maxsize=256)
def _kept(text, text_format):
    return _convert(text, text_format)


def _convert(text, text_format):
    if text_format == "markdown":
        return clean_html(markdown_lib.markdown(text, extensions=["tables", "sane_lists"]))
    return clean_html(text)


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def demote_headings(safe_html, below=2):
    """Shift authored headings so none outranks the block's own title (an ``h{below}``).

    Run on sanitised HTML, whose tags nh3 has already normalised.
    """
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, max(int(m.group(2)) + 1, below + 1))}", safe_html)


def plain_text(html_text):
    """The readable text of an HTML fragment, for search indexes and reading-time estimates."""
    spaced = _TAG_BREAKS.sub(" ", html_text or "")
    return " ".join(html.unescape(nh3.clean(spaced, tags=set())).split())


def is_safe_url(url, schemes=("https", "http")):
    """An absolute URL with an allowed scheme and a host, or a site-relative path like ``/asset-v1:...``."""
    if not isinstance(url, str) or not url.strip() or any(c in url for c in "\r\n\t\0 <>\"'`"):
        return False
    url = url.strip()
    if url.startswith("/") and not url.startswith("//"):
        return True
    parts = urlsplit(url)
    return parts.scheme.lower() in schemes and bool(parts.netloc)
