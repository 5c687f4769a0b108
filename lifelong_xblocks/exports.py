"""Spreadsheet exports: CSV in UTF-8 with a BOM (so Excel opens Chinese correctly), streamed,
with formula injection neutralised in every cell."""
import csv
import io

from urllib.parse import quote

from webob import Response

# A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV Injection": = + - @ tab
# CR; ASVS 5 1.2.10 adds NUL), also in their full-width forms, which Excel with a Chinese or Japanese
# input method reads as the ASCII ones; LF as well, like CR.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
FORMULA_CHARACTERS = frozenset("".join(FORMULA_PREFIXES))
# Spreadsheets trim leading blanks before deciding a cell is a formula (" =1+1" runs in some), so what
# follows them counts too.
LEADING_BLANKS = " \u00a0\u3000\t\r\n\0\x0b\x0c"
BOM = "\ufeff"


def content_disposition(filename):
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    fallback = "".join(ch if 32 <= ord(ch) < 127 and ch not in '"\\' else "_" for ch in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def attachment_headers(response, filename):
    """What every download of the package carries (exports, stored files, ZIPs): an attachment, never
    shown as a page; no type sniffing; and a CSP that sandboxes it should a browser render it anyway."""
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def neutralise(value):
    """A cell value that a spreadsheet will not run as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return value
    return neutralise_text(str(value))


def neutralise_text(text):
    """:func:`neutralise` for a value already known to be a string (the fast path of large exports):
    a ``'`` in front (the spreadsheet's "this is text") when the first character, or the first after
    leading blanks, starts a formula."""
    if text and (text[0] in FORMULA_CHARACTERS
                 or (text[0] in LEADING_BLANKS and text.lstrip(LEADING_BLANKS)[:1] in FORMULA_CHARACTERS)):
        return "'" + text
    return text


def write_csv(fileobj, header, rows, *, neutralised=False):
    """Write ``header`` and ``rows`` as CSV (BOM first) to the binary file object ``fileobj``.

    ``neutralised=True``: the caller already passed every cell through :func:`neutralise` (a large
    export does it only for the columns that can hold someone's text).  Returns the rows written.
    """
    text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="", write_through=False)
    try:
        text.write(BOM)
        writer = csv.writer(text)
        writer.writerow([neutralise(cell) for cell in header])
        count = 0
        if neutralised:
            for count, cells in enumerate(rows, 1):  # noqa: B007 (the count is returned)
                writer.writerow(cells)
        else:
            for count, cells in enumerate(rows, 1):  # noqa: B007
                writer.writerow([neutralise(cell) for cell in cells])
        text.flush()
    finally:
        text.detach()   # the caller's file stays open
    return count


def xlsx_workbook(target):
    """An XlsxWriter workbook in constant-memory mode writing to ``target`` (a path or binary file):
    strings stay strings (never formulas, links or numbers)."""
    import xlsxwriter  # noqa: PLC0415  (only exports need it)

    return xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False,
                                        "in_memory": False})


def write_xlsx_row(sheet, row_number, cells, cell_format=None, neutralised=False):
    """One row of values: numbers as numbers, everything else as (neutralised) strings."""
    for column, cell in enumerate(cells):
        value = cell if neutralised else neutralise(cell)
        if value is None:
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row_number, column, value, cell_format)
        else:
            sheet.write_string(row_number, column, str(value), cell_format)


def csv_response(filename, header, rows):
    """A download of ``rows`` (an iterable of sequences) as CSV; see :func:`_download`."""
    return _download(filename, "text/csv; charset=utf-8", lambda spool: write_csv(spool, header, rows), rows)


def xlsx_response(filename, sheet_title, header, rows):
    """A download of ``rows`` as one XLSX sheet, written in XlsxWriter's constant-memory mode.

    Cells are written as values (strings never become formulas) and neutralised like the CSV.
    """
    def write(spool):
        workbook = xlsx_workbook(spool)
        sheet = workbook.add_worksheet(sheet_title[:31])
        write_xlsx_row(sheet, 0, header, workbook.add_format({"bold": True}))
        for row_number, cells in enumerate(rows, 1):
            write_xlsx_row(sheet, row_number, cells)
        workbook.close()

    return _download(filename, XLSX_TYPE, write, rows)


def _download(filename, content_type, write, rows):
    """The attachment ``write(file)`` produces, written whole before anything is sent.

    The rows still come from the database one at a time and the file spills to disk beyond a few
    megabytes, so memory stays flat; but an export that fails midway (the database gone, a
    worker killed) raises here, in the handler, which answers an error (503 for the database),
    instead of a cut-off file that looks complete.  The answer carries its length, so a download
    cut off in transit is incomplete for the browser too.
    """
    import tempfile  # noqa: PLC0415  (only exports need it)

    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (read by the response)
    try:
        write(spool)
        size = spool.seek(0, io.SEEK_END)
        spool.seek(0)
    except BaseException:
        spool.close()
        if hasattr(rows, "close"):
            rows.close()     # a generator over a query: its cursor is released now, not at garbage collection
        raise
    response = Response(app_iter=_read_and_close(spool), content_type=content_type, charset=None)
    response.content_length = size
    return attachment_headers(response, filename)


def _read_and_close(spool, chunk=64 * 1024):
    with spool:
        yield from iter(lambda: spool.read(chunk), b"")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
