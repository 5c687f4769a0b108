"""Serving stored files: always as a download (attachment) with ``nosniff``, never as a page.

Who may download is decided by the block's handler before calling :func:`file_response`.
Ranges are answered so ``<audio>``/``<video>`` can seek in long recordings.
"""
import logging

from webob import Response

from lifelong_xblocks.errors import Unavailable
from lifelong_xblocks.exports import attachment_headers
from lifelong_xblocks.i18n import gettext as _
from lifelong_xblocks.uploads.store import CHUNK, storage

LOG = logging.getLogger(__name__)


def _chunks(handle, start, stop):
    try:
        handle.seek(start)
        left = stop - start
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
    finally:
        handle.close()


def file_response(stored, request=None):
    """The stored file as a download; a ``Range`` request gets 206 (or 416 when out of range).

    A storage that cannot open the file raises :class:`Unavailable` (503 JSON), before any byte.
    """
    size = stored.size
    response = Response(content_type=stored.content_type, charset=None)
    attachment_headers(response, stored.original_name)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Accept-Ranges"] = "bytes"
    start, stop = 0, size
    wanted = request.range if request is not None else None
    if wanted is not None:
        span = wanted.range_for_length(size)
        if span is None:
            response.status = 416
            response.headers["Content-Range"] = f"bytes */{size}"
            response.body = b""
            return response
        start, stop = span
        response.status = 206
        response.headers["Content-Range"] = f"bytes {start}-{stop - 1}/{size}"
    try:
        handle = storage().open(stored.storage_name, "rb")
    except Exception as error:  # noqa: BLE001 - any storage backend's failure (unreachable, file gone)
        LOG.exception("The upload storage could not open %r", stored.storage_name)
        raise Unavailable(_("The file cannot be opened just now. Please try again in a moment.")) from error
    response.app_iter = _chunks(handle, start, stop)
    response.content_length = stop - start
    return response
