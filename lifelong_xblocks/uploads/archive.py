"""Many stored files as one ZIP download, streamed: memory stays flat however many files there are.

``zipfile`` writes to a sink that cannot seek, so each entry carries a data descriptor and the
bytes leave as soon as they are written.
"""
import zipfile

from django.utils import timezone
from webob import Response

from lifelong_xblocks.uploads.names import archive_path
from lifelong_xblocks.uploads.serve import attachment_headers
from lifelong_xblocks.uploads.store import CHUNK, storage


class _Sink:
    """A write-only stream whose written bytes are collected until taken."""

    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(bytes(data))
        return len(data)

    def flush(self):
        pass

    def take(self):
        data, self.parts = b"".join(self.parts), []
        return data


def _unique(name, seen):
    stem, dot, ext = name.rpartition(".")
    candidate, number = name, 1
    while candidate in seen:
        number += 1
        candidate = f"{stem} ({number}).{ext}" if dot else f"{name} ({number})"
    seen.add(candidate)
    return candidate


def zip_chunks(entries):
    """Bytes of a ZIP of ``entries`` (``(path inside the ZIP, StoredFile)``), a piece at a time."""
    sink = _Sink()
    seen = set()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for path, stored in entries:
            name = _unique(archive_path(*str(path).replace("\\", "/").split("/")), seen)
            stamp = timezone.localtime(stored.created).timetuple()[:6] if stored.created else (1980, 1, 1, 0, 0, 0)
            info = zipfile.ZipInfo(name, date_time=max(stamp, (1980, 1, 1, 0, 0, 0)))
            info.compress_type = zipfile.ZIP_DEFLATED
            with storage().open(stored.storage_name, "rb") as source, archive.open(info, "w", force_zip64=True) as dest:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    dest.write(chunk)
                    data = sink.take()
                    if data:
                        yield data
            yield sink.take()
    yield sink.take()


def zip_response(filename, entries):
    """A streamed ZIP download of ``entries`` (an iterable, consumed lazily)."""
    response = Response(app_iter=(part for part in zip_chunks(entries) if part), content_type="application/zip",
                        charset=None)
    return attachment_headers(response, filename)
