"""charts.bar_chart: the staff views' accessible SVG bar chart, built in Python."""
import re
import xml.etree.ElementTree as ET

from django.utils import translation

from lifelong_xblocks import charts

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg):
    return ET.fromstring(str(svg))  # noqa: S314 (our own chart, not outside input)


def test_every_text_is_escaped_and_the_svg_is_well_formed():
    svg = charts.bar_chart('c"1', "Votes <b>& more</b>", ["<script>x</script>", "学习之星 & co"], [3, 1],
                           "Books & votes")
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)       # raises on any unescaped markup
    assert root.find(f"{SVG}title").text == "Votes <b>& more</b>"
    assert root.find(f"{SVG}desc").text == "Books & votes <script>x</script>: 3; 学习之星 & co: 1;"
    assert [text.text for text in root.iter(f"{SVG}text")] == ["<script>x</script>", "3", "学习之星 & co", "1"]


def test_the_chart_is_an_image_named_by_its_title_and_description():
    root = parse(charts.bar_chart("votes", "Books by votes", ["a", "b"], [2, 0]))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "votes-title votes-desc"
    assert root.find(f"{SVG}title").get("id") == "votes-title"
    assert root.find(f"{SVG}desc").get("id") == "votes-desc"


def test_bars_are_scaled_to_the_highest_value_and_negatives_are_drawn_as_zero():
    root = parse(charts.bar_chart("c", "T", ["full", "half", "none", "minus"], [10, 5, 0, -4]))
    widths = [int(rect.get("width")) for rect in root.iter(f"{SVG}rect")]
    span = charts.WIDTH - charts.LABEL_WIDTH - charts.VALUE_WIDTH
    assert widths == [span, round(span / 2), 0, 0]
    assert [text.text for text in root.iter(f"{SVG}text")][1::2] == ["10", "5", "0", "0"]
    assert root.get("viewBox").endswith(f" {4 * charts.ROW}")


def test_an_empty_chart_keeps_one_row_of_height_and_long_labels_are_shortened():
    assert parse(charts.bar_chart("c", "T", [], [])).get("viewBox").endswith(f" {charts.ROW}")
    label = "终身学习活动周" * 6
    root = parse(charts.bar_chart("c", "T", [label], [1]))
    shown = next(root.iter(f"{SVG}text")).text
    assert shown.endswith("…") and len(shown) < len(label)
    assert label in root.find(f"{SVG}desc").text     # the description keeps it whole


def test_numbers_are_written_as_the_language_writes_them():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            svg = str(charts.bar_chart("c", "T", ["a"], [2.5]))
        assert re.search(r'class="ll-chart-value">2\.5<', svg)


def test_whole_numbers_follow_the_thousands_separator_setting(settings):
    svg = str(charts.bar_chart("c", "T", ["a", "b"], [12345, 7]))
    assert 'class="ll-chart-value">12345<' in svg              # Django's default: no separator
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("en"):
        svg = str(charts.bar_chart("c", "T", ["a", "b"], [12345, 7]))
    assert 'class="ll-chart-value">12,345<' in svg and 'class="ll-chart-value">7<' in svg


def test_shown_values_are_localized_and_escaped_like_a_template_variable():
    assert charts.shown(-42) == "-42" and charts.shown(True) == "True"
    assert charts.shown("<b>") == "&lt;b&gt;" and charts.shown("71%") == "71%"
    with translation.override("en"):
        assert charts.shown(0.5) == "0.5"
