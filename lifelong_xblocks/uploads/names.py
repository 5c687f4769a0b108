"""Names: the one the uploader gave (cleaned, for display only) and the one the server stores."""
import posixpath
import unicodedata
import uuid

from django.utils import timezone

# Characters that hide or reorder what a name shows: bidi controls, zero-width marks, BOM.
INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d",
             "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\ufeff"}
MAX_NAME = 100


def display_name(claimed, extension):
    """A safe display name: the last path part of ``claimed``, no control or bidi characters,
    ending in the *real* extension (``voice.mp3`` that is WebM becomes ``voice.webm``)."""
    name = unicodedata.normalize("NFC", str(claimed or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch not in INVISIBLE and unicodedata.category(ch)[0] != "C")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" .")[: MAX_NAME - len(extension) - 1] or "file"
    return f"{stem}.{extension}"


def storage_name(purpose, extension):
    """A name nobody chose: ``lifelong/<purpose>/<year>/<month>/<random>.<ext>``."""
    now = timezone.now()
    safe_purpose = "".join(ch for ch in purpose if ch.isalnum() or ch in "-_") or "files"
    return posixpath.join("lifelong", safe_purpose, f"{now:%Y}", f"{now:%m}", f"{uuid.uuid4().hex}.{extension}")


def archive_path(*parts):
    """A path inside a ZIP from display parts: no traversal, no empty or hidden parts."""
    cleaned = []
    for part in parts:
        text = "".join(ch for ch in unicodedata.normalize("NFC", str(part or ""))
                       if ch not in INVISIBLE and unicodedata.category(ch)[0] != "C")
        text = text.replace("/", "_").replace("\\", "_").strip(" .")[:MAX_NAME]
        cleaned.append(text or "_")
    return "/".join(cleaned)
