"""charts.calendar_heatmap: an accessible SVG calendar any block can use."""
from datetime import date

from lifelong_xblocks import charts


def render(values, start=date(2026, 11, 30), end=date(2026, 12, 13), **options):
    return charts.calendar_heatmap("cal", "Reading <days>", values, start, end, "Desc & more", **options)


def test_one_square_a_day_with_a_title_and_a_description():
    svg = render({date(2026, 12, 1): 10})
    assert svg.count("<rect") == 14
    assert 'role="img"' in svg and 'aria-labelledby="cal-title cal-desc"' in svg
    assert "<title id=\"cal-title\">Reading &lt;days&gt;</title>" in svg
    assert "Desc &amp; more" in svg and "1 of 14 days shaded." in svg


def test_shades_follow_the_values_and_today_is_marked():
    svg = render({date(2026, 12, 1): 10, date(2026, 12, 2): 40}, marked=date(2026, 12, 2))
    assert 'class="ll-heat-1"><title>2026-12-01: 10</title>' in svg
    assert 'class="ll-heat-4 ll-heat-marked"><title>2026-12-02: 40</title>' in svg


def test_a_text_alternative_lists_the_shaded_days():
    svg = render({date(2026, 12, 3): 5, date(2027, 1, 1): 9},
                 describe=lambda day, value: f"{day:%m/%d} <b>{value}</b>")
    assert "<li>12/03 &lt;b&gt;5&lt;/b&gt;</li>" in svg
    assert "01/01" not in svg, "days outside the range are left out"


def test_no_days_says_so():
    assert "No days yet." in render({})


def test_weeks_are_columns_starting_on_monday():
    svg = render({}, start=date(2026, 11, 30), end=date(2026, 12, 6))   # Monday to Sunday
    assert 'x="30" y="16"' in svg and 'x="30" y="118"' in svg and 'x="47"' not in svg


def test_reversed_ends_are_swapped():
    assert render({}, start=date(2026, 12, 6), end=date(2026, 11, 30)).count("<rect") == 7


def test_a_legend_shows_every_shade_between_its_two_words():
    svg = render({}, legend=("Less <", "More"))
    legend = svg[svg.index("ll-heatmap-legend"):svg.index("</p>")]
    assert "Less &lt;" in legend and "More" in legend and 'aria-hidden="true"' in svg
    assert [f"ll-heat-{level}" in legend for level in range(5)] == [True] * 5
    assert "ll-heatmap-legend" not in render({})


def test_a_long_range_scrolls_at_full_size_instead_of_shrinking():
    short, year = render({}), render({}, start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert 'tabindex="0"' not in short                     # a phone shows 12 weeks whole: no empty tab stop
    assert 'class="ll-heatmap-scroll" tabindex="0" role="group" aria-labelledby="cal-title"' in year
    assert 'style="min-width: ' in year
