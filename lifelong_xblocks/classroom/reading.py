"""How long reading a text takes at the least, so "I have finished reading" means something.

Average silent reading speeds measured with the IReST texts (Trauzettel-Klosinski &
Dietz, Investigative Ophthalmology & Visual Science 53(9), 2012): Chinese 255 characters
per minute, English 228 words per minute.  We accept a reader twice as fast as average
(a brisk skim) and never ask for less than a few seconds.
"""
import math
import re

from lifelong_xblocks.sanitize import plain_text

CJK_CHARS_PER_MINUTE = 255
WORDS_PER_MINUTE = 228
FASTEST_READER = 2.0
MINIMUM_SECONDS = 5

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_WORD = re.compile(r"[A-Za-z0-9\u00c0-\u024f']+")


def expected_seconds(html):
    """Average reading time of an HTML text, in seconds."""
    text = plain_text(html)
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(_CJK.sub(" ", text)))
    minutes = cjk / CJK_CHARS_PER_MINUTE + words / WORDS_PER_MINUTE
    return 60.0 * minutes


def minimum_seconds(html):
    """Shortest time after opening a text at which finishing it is believed."""
    return max(MINIMUM_SECONDS, math.ceil(expected_seconds(html) / FASTEST_READER))
