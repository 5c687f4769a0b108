"""Spreadsheet exports: CSV in UTF-8 with a BOM (so Excel opens Chinese correctly), streamed,
with formula injection neutralised in every cell."""
import csv
import io
import itertools

from webob import Response

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def neutralise(value):
    """A cell value that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def csv_chunks(header, rows):
    """Encoded CSV, a line at a time, starting with the BOM and the header."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    for cells in itertools.chain([header], rows):
        writer.writerow([neutralise(cell) for cell in cells])
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()


def csv_response(filename, header, rows):
    """A download response streaming ``rows`` (an iterable of sequences) as CSV."""
    response = Response(app_iter=csv_chunks(header, rows), content_type="text/csv", charset="utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
