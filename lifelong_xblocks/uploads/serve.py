"""Serving stored files: always as a download (attachment) with ``nosniff``, never as a page.

Who may download is decided by the block's handler before calling :func:`file_response`.
Ranges are answered so ``<audio>``/``<video>`` can seek in long recordings.
"""
from webob import Response

from lifelong_xblocks.exports import attachment_headers
from lifelong_xblocks.uploads.store import CHUNK, storage


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
    """The stored file as a download; a ``Range`` request gets 206 (or 416 when out of range)."""
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
    response.app_iter = _chunks(storage().open(stored.storage_name, "rb"), start, stop)
    response.content_length = stop - start
    return response
