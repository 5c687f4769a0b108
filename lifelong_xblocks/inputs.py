"""Numbers sent by clients (ids, pages, counts), read the same way by every block.

Only a JSON whole number or a string of ASCII digits is a number here: ``True`` is not 1, ``1.9`` is
not 1, ``"²"`` and ``"١"`` (which ``int()`` reads or trips on) are not digits, and at most 18 digits
keep every value inside the database's 64-bit integers (a larger one would fail in the query).
"""
import re

from lifelong_xblocks.errors import InvalidInput

WHOLE_NUMBER = re.compile(r"^[0-9]{1,18}$")


def whole_number(value, message, field=None, highest=None):
    """``value`` as a non-negative int (at most ``highest``); :class:`InvalidInput` with ``message``."""
    if isinstance(value, str):
        value = value.strip()
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not WHOLE_NUMBER.match(str(value)):
        raise InvalidInput(message, field=field)
    number = int(value)
    if highest is not None and number > highest:
        raise InvalidInput(message, field=field)
    return number


def page_number(value, pages=None):
    """A page asked for by a list: 1 when missing or not a number, at most ``pages``."""
    try:
        page = max(1, whole_number(value, ""))
    except InvalidInput:
        page = 1
    return min(page, pages) if pages else page
