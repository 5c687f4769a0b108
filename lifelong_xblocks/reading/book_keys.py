"""When two recommendations are the same book: the normalised title and author.

Learners type titles on phones with Chinese input methods, so the same book arrives as
``《三体》 刘慈欣``, ``三体  / 劉慈欣`` or ``ＡＢＣ`` vs ``abc``.  NFKC folds full-width and
half-width forms, casefold folds case, and punctuation, symbols and runs of whitespace are
dropped, so only letters, digits and the spaces between words decide.
"""
import hashlib
import re
import unicodedata

UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
UNSPACED_SPACE = re.compile(f"(?<=[{UNSPACED}]) | (?=[{UNSPACED}])")
SEPARATOR = "\x1f"   # between title and author, so "ab" + "c" differs from "a" + "bc"


def fold(text):
    """``text`` with width, case, punctuation and spacing differences removed."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    # casefold can produce forms NFKC would change again (e.g. U+0130), so normalise once more.
    text = unicodedata.normalize("NFKC", text)
    text = "".join(" " if unicodedata.category(char)[0] in "PSCZ" else char for char in text)
    text = " ".join(text.split())
    # Chinese and Japanese put no spaces between words: a space next to such a character is noise.
    return UNSPACED_SPACE.sub("", text)


def match_key(title, author):
    """The digest stored in ``Book.match_key`` (unique per bookshelf)."""
    folded = fold(title) + SEPARATOR + fold(author)
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def clean_line(text):
    """One line of plain text as typed: NFC, no control characters, inner whitespace collapsed."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in text)
    return " ".join(text.split())
