"""ISBNs as learners type them: ISBN-10 or ISBN-13, with or without hyphens, in full-width digits.

Checked with python-stdnum (checksum, length, prefix); kept in one form, the ISBN-13 digits, so
the same book entered as ISBN-10 and as ISBN-13 is recognised as one.
"""
import re
import unicodedata

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum, ValidationError

from lifelong_xblocks.errors import InvalidInput
from lifelong_xblocks.i18n import gettext as _

PREFIX = re.compile(r"^\s*isbn(?:-1[03])?\s*:?\s*", re.IGNORECASE)


def normalise_isbn(value):
    """The ISBN-13 digits of ``value``, ``None`` when empty; :class:`InvalidInput` when it is no ISBN."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    text = PREFIX.sub("", text)
    if not text:
        return None
    try:
        number = stdnum_isbn.validate(text)
    except InvalidChecksum as error:
        raise InvalidInput(_("This ISBN's check digit is wrong. Please copy it again from the book."),
                           field="isbn") from error
    except ValidationError as error:
        raise InvalidInput(_("An ISBN has 10 or 13 digits (the last of an ISBN-10 may be X)."),
                           field="isbn") from error
    return stdnum_isbn.to_isbn13(number)


def format_isbn(isbn13):
    """The stored ISBN-13 with its hyphens, for display (``978-7-02-000220-7``)."""
    if not isbn13:
        return ""
    try:
        return stdnum_isbn.format(isbn13)
    except ValidationError:
        return isbn13
