"""What one upload field accepts: kinds, size, count and length, as authors set them in Studio.

Megabytes are decimal (1 MB = 1,000,000 bytes), the unit of Open edX's own per-file limit
``STUDENT_FILEUPLOAD_MAX_SIZE`` (4 MB by default): the LMS answers 413 to anything above it before
a block sees the file, so a block's limit is capped by :func:`site_max_bytes`.
"""
from dataclasses import dataclass

from django.conf import settings

from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.uploads.kinds import FILE_KINDS

MEGABYTE = 1000 * 1000
OPEN_EDX_DEFAULT_MAX_BYTES = 4 * MEGABYTE


def site_max_bytes():
    """The LMS's per-file upload limit (``STUDENT_FILEUPLOAD_MAX_SIZE``; 4 MB by default)."""
    value = getattr(settings, "STUDENT_FILEUPLOAD_MAX_SIZE", OPEN_EDX_DEFAULT_MAX_BYTES)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else OPEN_EDX_DEFAULT_MAX_BYTES


def megabytes(value):
    """Bytes in ``value`` decimal megabytes (as authors type them in Studio)."""
    return int(round(float(value) * MEGABYTE))


@dataclass(frozen=True)
class UploadRules:
    kinds: tuple = ("audio",)
    max_bytes: int = 4 * MEGABYTE      # Open edX's STUDENT_FILEUPLOAD_MAX_SIZE default
    max_count: int = 1
    max_seconds: float | None = None   # audio and video only; None: no limit

    def problems(self):
        """Translated messages for Studio validation; empty when the rules make sense."""
        found = []
        unknown = [kind for kind in self.kinds if kind not in FILE_KINDS]
        if not self.kinds or unknown:
            found.append(_("Choose the kinds of file from: {kinds}.").format(kinds=", ".join(FILE_KINDS)))
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            found.append(_("The largest file size must be a positive number of bytes."))
        if not isinstance(self.max_count, int) or self.max_count <= 0:
            found.append(_("The number of files allowed must be at least 1."))
        if self.max_seconds is not None and not self.max_seconds > 0:
            found.append(_("The longest duration must be a positive number of seconds."))
        return found

    def accept_attribute(self):
        """The ``accept`` attribute of a file input: extensions and types of the allowed kinds."""
        values = []
        for kind in self.kinds:
            spec = FILE_KINDS.get(kind)
            if spec:
                values += [f".{ext}" for ext in spec.extensions] + spec.content_types
        return ",".join(dict.fromkeys(values))

    def kind_for(self, sniffed_type):
        """``(kind, served content type, extension)`` for a sniffed type, or None if not allowed."""
        for kind in self.kinds:
            spec = FILE_KINDS.get(kind)
            if spec and sniffed_type in spec.served_as:
                return (kind, *spec.served_as[sniffed_type])
        return None


def size_label(size):
    """``4 MB`` / ``2.5 MB`` / ``900 KB`` in the decimal units of the limits: for messages."""
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1000))} KB"
