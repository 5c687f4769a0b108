"""Small server-drawn SVG charts for staff views: no chart library, nothing loaded from outside."""
import math
from datetime import timedelta

from django.utils.html import escape
from django.utils.safestring import mark_safe

from lifelong_xblocks.i18n import gettext
from lifelong_xblocks.i18n import gettext_noop as N_
from lifelong_xblocks.resources import loader

# Horizontal bars, one row per category: labels stay readable on a 360 px phone (a column chart
# with ten categories squeezed its labels to 6-7 px there).
WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW, BAR = 320, 72, 40, 26, 18
MAX_LABEL_WIDTH = 160


def text_width(text):
    """Estimated width of ``text`` in SVG units: about 14 for a CJK character, 7.5 for others."""
    return sum(14 if ord(ch) > 0x2E80 else 7.5 for ch in str(text))


def label_width(labels):
    """Room for the longest label in SVG units."""
    needed = max((text_width(label) for label in labels), default=0) + 10
    return int(min(MAX_LABEL_WIDTH, max(LABEL_WIDTH, needed)))


def fit_label(text, room=MAX_LABEL_WIDTH - 20):
    """``text`` cut to ``room`` SVG units with an ellipsis (the chart's <desc> keeps it whole).

    The room leaves a margin: the estimate is rough for punctuation, and a CJK font draws the
    ellipsis a full character wide."""
    text = str(text)
    if text_width(text) <= room:
        return text
    while text and text_width(text) + 14 > room:
        text = text[:-1]
    return text.rstrip() + "…"


def bar_chart(chart_id, title, labels, values, description=""):
    """An accessible SVG bar chart (role=img with a title, and the numbers as text)."""
    values = [max(0, v) for v in values]
    highest = max(values) if values and max(values) > 0 else 1
    label_room = label_width(labels)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        length = round(span * value / highest)
        top = index * ROW
        bars.append({"label": label, "shown": fit_label(label), "value": value, "y": top + (ROW - BAR) / 2, "length": length,
                     "text_y": top + ROW / 2 + 5, "value_x": label_room + length + 6})
    return loader.render_django_template("charts/bar_chart.svg.html", {
        "chart_id": chart_id, "title": title, "description": description, "bars": bars,
        "width": label_room + span + VALUE_WIDTH, "height": max(1, len(bars)) * ROW, "label_x": label_room - 8,
        "bar_x": label_room,
    })


# ---- calendar heat map --------------------------------------------------------------------------
# One column per week (Monday first), one row per weekday, like a wall calendar turned sideways.
CELL, GAP, DAY_LABEL_WIDTH, MONTH_LABEL_HEIGHT, HEAT_LEVELS = 14, 3, 30, 16, 4
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
          N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))
WEEKDAY_ROWS = ((0, N_("Mon")), (2, N_("Wed")), (4, N_("Fri")))
PHONE_WIDTH = 320   # what a 360 px phone leaves for a chart; wider calendars scroll there


def _heat_rects(cells):
    """The squares of a heatmap as SVG (a year is 365 of them: one join here instead of a template
    loop, several milliseconds a render); positions and levels are numbers, each day's text is escaped."""
    return mark_safe("".join(  # noqa: S308 (numbers and escaped text only)
        f'<rect x="{cell["x"]}" y="{cell["y"]}" width="{CELL}" height="{CELL}" rx="2" class="ll-heat-{cell["level"]}'
        f'{" ll-heat-marked" if cell["marked"] else ""}"><title>{escape(cell["text"])}</title></rect>'
        for cell in cells))


def calendar_heatmap(chart_id, title, values, start, end, description="", describe=None, marked=None,
                     list_label=None, legend=None):
    """An accessible SVG calendar of ``start``..``end`` (dates), one square a day, shaded by value.

    ``values`` maps a date to a number (days missing or 0 are empty squares).  ``describe(day, value)``
    gives a day's text (default ``2026-12-01: 3``); the chart's ``<desc>`` and a text list after it
    (a ``<details>`` opened by ``list_label``) say the same as the squares, for screen readers and for
    anyone who prefers text.  ``marked`` (e.g. today) gets an outline.  Shades are classes
    ``ll-heat-0`` .. ``ll-heat-4``: style them in CSS.  ``legend=(low, high)`` adds a key of the
    shades between those two words ("Less" ... "More").  A long range keeps its squares at full
    size and scrolls sideways in its box (keyboard-focusable) instead of shrinking to dots.
    """
    if end < start:
        start, end = end, start
    describe = describe or (lambda day, value: f"{day.isoformat()}: {value}")
    positive = {day: value for day, value in values.items() if value and value > 0 and start <= day <= end}
    highest = max(positive.values(), default=1)
    first_monday = start - timedelta(days=start.weekday())
    pitch = CELL + GAP
    cells, months, texts = [], [], {}   # texts: each day's text, said once for its square and the list
    day = start
    while day <= end:
        column = (day - first_monday).days // 7
        value = positive.get(day, 0)
        level = 0 if not value else max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * value / highest)))
        texts[day] = describe(day, value)
        cells.append({"x": DAY_LABEL_WIDTH + column * pitch, "y": MONTH_LABEL_HEIGHT + day.weekday() * pitch,
                      "level": level, "marked": day == marked, "text": texts[day]})
        if day.day == 1 or day == start:
            months.append({"x": DAY_LABEL_WIDTH + column * pitch, "text": gettext(MONTHS[day.month - 1])})
        day += timedelta(days=1)
    columns = (end - first_monday).days // 7 + 1
    # A month label needs about two columns; drop the start's label when the 1st follows at once.
    months = [month for index, month in enumerate(months)
              if index + 1 >= len(months) or months[index + 1]["x"] - month["x"] >= 2 * pitch]
    return loader.render_django_template("charts/calendar_heatmap.svg.html", {
        "chart_id": chart_id, "title": title, "description": description, "cell_rects": _heat_rects(cells),
        "months": months,
        "weekdays": [{"y": MONTH_LABEL_HEIGHT + row * pitch + CELL - 3, "text": gettext(label)}
                     for row, label in WEEKDAY_ROWS],
        "active": [texts[day] for day in sorted(positive)],
        "days_total": (end - start).days + 1, "cell_size": CELL, "list_label": list_label,
        "width": DAY_LABEL_WIDTH + columns * pitch, "height": MONTH_LABEL_HEIGHT + 7 * pitch,
        "legend": legend, "legend_width": (HEAT_LEVELS + 1) * pitch,
        "legend_cells": [{"x": level * pitch, "level": level} for level in range(HEAT_LEVELS + 1)],
        "scrolls": DAY_LABEL_WIDTH + columns * pitch > PHONE_WIDTH,
    })
