"""The kinds of file people may upload, by what the bytes really are (never by the name).

Each kind lists the MIME types that ``filetype`` reports for its formats and the type the file is
stored and served as.  A browser's WebM/MP4 recording is reported as ``video/*`` by its container;
for the audio kind it is stored as ``audio/*``.
"""
from dataclasses import dataclass

from lifelong_xblocks.i18n import gettext_noop


@dataclass(frozen=True)
class FileKind:
    name: str
    label: str                 # gettext_noop: translate when shown
    served_as: dict            # sniffed MIME type -> (content type stored and served, extension)

    @property
    def extensions(self):
        return sorted({ext for _type, ext in self.served_as.values()})

    @property
    def content_types(self):
        return sorted({served for served, _ext in self.served_as.values()})


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"

FILE_KINDS = {
    kind.name: kind for kind in (
        FileKind("audio", gettext_noop("Audio"), {
            "video/webm": ("audio/webm", "webm"),
            "audio/ogg": ("audio/ogg", "ogg"),
            "audio/mp4": ("audio/mp4", "m4a"),
            "video/mp4": ("audio/mp4", "m4a"),
            "audio/mpeg": ("audio/mpeg", "mp3"),
            "audio/x-wav": ("audio/wav", "wav"),
        }),
        FileKind("image", gettext_noop("Image"), {
            "image/jpeg": ("image/jpeg", "jpg"),
            "image/png": ("image/png", "png"),
            "image/webp": ("image/webp", "webp"),
        }),
        FileKind("document", gettext_noop("Document"), {
            PDF: (PDF, "pdf"), DOCX: (DOCX, "docx"), ODT: (ODT, "odt"),
        }),
        FileKind("video", gettext_noop("Video"), {
            "video/mp4": ("video/mp4", "mp4"),
            "video/x-m4v": ("video/mp4", "mp4"),
        }),
        FileKind("teaching", gettext_noop("Teaching resource"), {
            PDF: (PDF, "pdf"), PPTX: (PPTX, "pptx"), DOCX: (DOCX, "docx"),
        }),
    )
}

# Kinds whose length in seconds is measured (and checked against ``UploadRules.max_seconds``).
TIMED_KINDS = {"audio", "video"}
