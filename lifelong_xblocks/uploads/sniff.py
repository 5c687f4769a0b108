"""What the bytes of an upload really are.

``filetype`` reads the magic numbers (office formats by the entries inside the ZIP).  A file that
also carries markup near its start (an HTML or SVG page glued to a media header, a polyglot) is
refused outright: browsers sniff such bytes as a page.
"""
import re

import filetype

HEAD_BYTES = 8192
# Markup a browser would render if it ever sniffed the file as a page.
MARKUP = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body|script|svg|iframe|object|embed|\?xml)[\s>/]",
                    re.IGNORECASE)
# Compressed images and media legitimately contain any byte sequence after their headers; only the
# opening bytes, where a page would have to start to be sniffed as one, are searched for markup:
# the 1445 bytes of the WHATWG MIME Sniffing "resource header" (HTML a kilobyte into an MP3 was
# accepted when only 512 bytes were searched).
MARKUP_WINDOW = 1445


def sniff(head):
    """The MIME type the leading bytes ``head`` reveal, or None."""
    if not head:
        return None
    found = filetype.guess(head[:HEAD_BYTES])
    return found.mime if found else None


def looks_like_markup(head):
    """True when the opening bytes hold HTML/SVG/XML markup (a page or a polyglot)."""
    stripped = head[:MARKUP_WINDOW].lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(MARKUP.search(stripped))
