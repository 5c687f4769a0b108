"""Sanitising authored text and neutralising spreadsheet formulas."""
import csv
import io

import pytest

from lifelong_xblocks import exports
from lifelong_xblocks.sanitize import clean_html, demote_headings, is_safe_url, plain_text, render_markdown


@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>", '<iframe src="https://evil.example"></iframe>', "<style>*{}</style>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
])
def test_dangerous_markup_is_removed(payload):
    cleaned = clean_html(payload) + render_markdown(payload)
    for marker in ("<script", "onerror", "javascript:", "<svg", "<iframe", "<style", "data:text"):
        assert marker not in cleaned.lower()


def test_harmless_markup_survives():
    assert clean_html("<p>你好 <strong>world</strong></p>") == "<p>你好 <strong>world</strong></p>"
    assert "<h2>" in render_markdown("## 要点")


def test_plain_text_keeps_words_apart():
    assert plain_text("<p>one</p><p>two</p>") == "one two"


@pytest.mark.parametrize("url, safe", [
    ("https://cdn.example.org/a.mp4", True), ("/asset-v1:org+c+r+type@asset+block@a.mp4", True),
    ("javascript:alert(1)", False), ("//evil.example/a.mp4", False), ("data:video/mp4;base64,AAAA", False),
    ("https://a.example/x\" onerror=\"1", False), ("", False), (None, False), ("ftp://a.example/x", False),
])
def test_urls(url, safe):
    assert is_safe_url(url) is safe


def test_csv_has_a_bom_and_neutralised_formulas():
    target = io.BytesIO()
    exports.write_csv(target, ["name", "note"], [["张三", "=HYPERLINK(\"x\")"], ["b", "+1"], ["c", 3]])
    body = target.getvalue()
    assert body.startswith("\ufeff".encode("utf-8"))
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows == [["name", "note"], ["张三", "'=HYPERLINK(\"x\")"], ["b", "'+1"], ["c", "3"]]


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_is_neutralised(value):
    assert exports.neutralise(value).startswith("'")


def test_authored_headings_stay_below_the_block_title():
    html = render_markdown("## 要点\n\n### 细节\n\n###### six")
    assert demote_headings(html) == "<h3>要点</h3>\n<h4>细节</h4>\n<h6>six</h6>"


def test_xlsx_export_reads_back_as_values_with_formulas_neutralised():
    import io

    import openpyxl

    from lifelong_xblocks.exports import xlsx_response

    rows = [["王小明", "=HYPERLINK(\"http://x\")", 3, "-2+3"], ["Ann", "@SUM(A1)", 0.5, "plain"]]
    response = xlsx_response("report.xlsx", "Registrations", ["name", "note", "n", "text"], iter(rows))
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response.headers["Content-Disposition"]
    body = b"".join(response.app_iter)
    assert len(body) == response.content_length
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["name", "note", "n", "text"]
    assert values[1] == ["王小明", "'=HYPERLINK(\"http://x\")", 3, "'-2+3"]
    assert values[2] == ["Ann", "'@SUM(A1)", 0.5, "plain"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
