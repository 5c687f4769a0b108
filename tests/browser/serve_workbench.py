"""Serve the workbench like ``runserver``, plus byte ranges for static files.

``python tests/browser/serve_workbench.py PORT`` (with ``DJANGO_SETTINGS_MODULE`` and
``PYTHONPATH`` set as for runserver).  Django's static file view ignores ``Range``, so in
plain runserver a video is not seekable and a browser silently refuses every seek; the
LMS's web server (nginx, a CDN) answers ranges, so the tests serve them too.
"""
import re
import sys

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def with_byte_ranges(app, prefix="/static/"):
    """WSGI middleware answering single ``Range: bytes=a-b`` requests for paths under ``prefix``."""

    def wrapped(environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if not environ.get("PATH_INFO", "").startswith(prefix) or method not in ("GET", "HEAD"):
            return app(environ, start_response)
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        result = app(dict(environ, REQUEST_METHOD="GET"), capture)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status = captured["status"]
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in ("content-length", "accept-ranges")]
        match = RANGE.match(environ.get("HTTP_RANGE", "").strip())
        if status.startswith("200"):
            headers.append(("Accept-Ranges", "bytes"))
            if match and (match.group(1) or match.group(2)):
                size = len(body)
                first, last = match.groups()
                if first == "":
                    first, last = max(0, size - int(last)), size - 1
                else:
                    first, last = int(first), min(int(last) if last else size - 1, size - 1)
                if first > last or first >= size:
                    start_response("416 Range Not Satisfiable",
                                   [("Content-Range", f"bytes */{size}"), ("Content-Length", "0")])
                    return [b""]
                body = body[first:last + 1]
                status = "206 Partial Content"
                headers.append(("Content-Range", f"bytes {first}-{last}/{size}"))
        headers.append(("Content-Length", str(len(body))))
        start_response(status, headers)
        return [b""] if method == "HEAD" else [body]

    return wrapped


def main(port):
    import django  # pylint: disable=import-outside-toplevel
    django.setup()
    from django.contrib.staticfiles.handlers import StaticFilesHandler  # pylint: disable=import-outside-toplevel
    from django.core.servers.basehttp import run  # pylint: disable=import-outside-toplevel
    from django.core.wsgi import get_wsgi_application  # pylint: disable=import-outside-toplevel

    application = with_byte_ranges(StaticFilesHandler(get_wsgi_application()))
    print(f"serving the workbench at http://127.0.0.1:{port}/", flush=True)
    run("127.0.0.1", port, application, threading=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
