"""Small server-drawn SVG charts for staff views: no chart library, nothing loaded from outside."""
import math
import re
from datetime import timedelta

from html import escape as html_escape   # what Django's escape() does, without its lazy-string wrapper

from django.conf import settings
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from lifelong_xblocks.i18n import gettext, ngettext
from lifelong_xblocks.i18n import gettext_noop as N_

# Horizontal bars, one row per category: labels stay readable on a 360 px phone (a column chart
# with ten categories squeezed its labels to 6-7 px there).
WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW, BAR = 320, 72, 40, 26, 18
MAX_LABEL_WIDTH = 160


_WIDE = re.compile("[\u2e81-\U0010ffff]")   # CJK and everything above it: drawn about a character wide


def text_width(text):
    """Estimated width of ``text`` in SVG units: about 14 for a CJK character, 7.5 for others."""
    text = str(text)
    wide = len(_WIDE.findall(text))
    return 14 * wide + 7.5 * (len(text) - wide)


def label_width(labels):
    """Room for the longest label in SVG units."""
    needed = max(map(text_width, labels), default=0) + 10
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


def shown(value):
    """``value`` as a template's ``{{ value }}`` shows it: localized, then escaped.

    An integer is written out directly when no thousands separator is in use (Django's default):
    that is what ``localize`` gives then, at a tenth of its cost (a course's tables have hundreds)."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))


def bar_chart(chart_id, title, labels, values, description=""):
    """An accessible SVG bar chart (role=img with a title, and the numbers as text)."""
    values = [max(0, v) for v in values]
    highest = max(values) if values and max(values) > 0 else 1
    label_room = label_width(labels)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    # Built in Python (a template loop over the bars was a quarter of the dashboard's render with a
    # course's figures); every text is escaped as the template's {{ }} did.
    label_x, height = label_room - 8, max(1, len(values)) * ROW
    described, rows = [], []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        length = round(span * value / highest)
        top = index * ROW
        text_y, shown_value = top + ROW / 2 + 5, shown(value)
        described.append(f" {conditional_escape(label)}: {shown_value};")
        rows.append(f'\n  <g>\n    <text x="{label_x}" y="{text_y}" text-anchor="end" class="ll-chart-label">'
                    f'{conditional_escape(fit_label(label))}</text>\n    <rect x="{label_room}" '
                    f'y="{top + (ROW - BAR) / 2}" width="{length}" height="{BAR}" class="ll-chart-bar"/>\n    '
                    f'<text x="{label_room + length + 6}" y="{text_y}" class="ll-chart-value">{shown_value}</text>\n'
                    f'  </g>\n  ')
    chart_id = conditional_escape(chart_id)
    return mark_safe(  # noqa: S308 (numbers and escaped text only)
        f'<svg class="ll-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 '
        f'{label_room + span + VALUE_WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'xmlns="http://www.w3.org/2000/svg">\n  <title id="{chart_id}-title">{conditional_escape(title)}</title>\n'
        f'  <desc id="{chart_id}-desc">{conditional_escape(description)}{"".join(described)}</desc>\n'
        f'  <line x1="{label_room}" y1="0" x2="{label_room}" y2="{height}" class="ll-chart-axis"/>\n'
        f'  {"".join(rows)}\n</svg>\n')


# ---- calendar heat map --------------------------------------------------------------------------
# One column per week (Monday first), one row per weekday, like a wall calendar turned sideways.
CELL, GAP, DAY_LABEL_WIDTH, MONTH_LABEL_HEIGHT, HEAT_LEVELS = 14, 3, 30, 16, 4
MONTHS = (N_("Jan"), N_("Feb"), N_("Mar"), N_("Apr"), N_("May"), N_("Jun"),
          N_("Jul"), N_("Aug"), N_("Sep"), N_("Oct"), N_("Nov"), N_("Dec"))
WEEKDAY_ROWS = ((0, N_("Mon")), (2, N_("Wed")), (4, N_("Fri")))
PHONE_WIDTH = 320   # what a 360 px phone leaves for a chart; wider calendars scroll there


def _width_ratio(value):
    """What ``{% widthratio value 2 3 %}`` wrote: two thirds of the chart's size, rounded as Python rounds."""
    return str(round((float(value) / 2.0) * 3))


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

    Built here with ``format_html`` (it was a template with a loop over the days, several
    milliseconds a render for a year): positions and levels are numbers, every text is escaped.
    """
    if end < start:
        start, end = end, start
    describe = describe or (lambda day, value: f"{day.isoformat()}: {value}")
    positive = {day: value for day, value in values.items() if value and value > 0 and start <= day <= end}
    highest = max(positive.values(), default=1)
    first_monday = start - timedelta(days=start.weekday())
    pitch = CELL + GAP
    rects, months, texts = [], [], {}   # texts: each day's text, said once for its square and the list
    one_day = timedelta(days=1)
    day = start
    while day <= end:
        column = (day - first_monday).days // 7
        x = DAY_LABEL_WIDTH + column * pitch
        value = positive.get(day, 0)
        level = 0 if not value else max(1, min(HEAT_LEVELS, math.ceil(HEAT_LEVELS * value / highest)))
        text = texts[day] = describe(day, value)
        rects.append(f'<rect x="{x}" y="{MONTH_LABEL_HEIGHT + day.weekday() * pitch}" width="{CELL}" '
                     f'height="{CELL}" rx="2" class="ll-heat-{level}{" ll-heat-marked" if day == marked else ""}">'
                     f"<title>{html_escape(str(text))}</title></rect>")
        if day.day == 1 or day == start:
            months.append((x, day.month))
        day += one_day
    columns = (end - first_monday).days // 7 + 1
    # A month label needs about two columns; drop the start's label when the 1st follows at once.
    months = [month for index, month in enumerate(months)
              if index + 1 >= len(months) or months[index + 1][0] - month[0] >= 2 * pitch]
    width, height = DAY_LABEL_WIDTH + columns * pitch, MONTH_LABEL_HEIGHT + 7 * pitch
    active = [texts[day] for day in sorted(positive)]
    days_total = (end - start).days + 1
    scrolls = format_html(' tabindex="0" role="group" aria-labelledby="{}-title"', chart_id) \
        if width > PHONE_WIDTH else ""
    shaded = ngettext("%(days)s of %(total)s day shaded.", "%(days)s of %(total)s days shaded.", days_total) \
        % {"days": len(active), "total": days_total}
    labels = format_html_join("", '<text x="{}" y="11" class="ll-heat-label">{}</text>',
                              ((x, gettext(MONTHS[month - 1])) for x, month in months))
    weekdays = format_html_join("", '<text x="0" y="{}" class="ll-heat-label">{}</text>',
                                ((MONTH_LABEL_HEIGHT + row * pitch + CELL - 3, gettext(label))
                                 for row, label in WEEKDAY_ROWS))
    key = ""
    if legend:
        legend_width = (HEAT_LEVELS + 1) * pitch
        key = format_html(
            '<p class="ll-heatmap-legend" aria-hidden="true"><span>{}</span>\n  <svg viewBox="0 0 {} {}" width="{}" '
            'height="{}" focusable="false" xmlns="http://www.w3.org/2000/svg">{}</svg>\n  <span>{}</span></p>',
            legend[0], legend_width, CELL, legend_width, CELL,
            format_html_join("", '<rect x="{}" y="0" width="{}" height="{}" rx="2" class="ll-heat-{}"/>',
                             ((level * pitch, CELL, CELL, level) for level in range(HEAT_LEVELS + 1))),
            legend[1])
    if active:   # conditional_escape, as the template's {{ text }} did
        listed = mark_safe(  # noqa: S308 (every text escaped)
            "<ul>" + "".join(f"<li>{conditional_escape(text)}</li>" for text in active) + "</ul>")
    else:
        listed = format_html("<p>{}</p>", gettext("No days yet."))
    return format_html(
        '<div class="ll-heatmap">\n<div class="ll-heatmap-scroll"{}>\n<svg class="ll-heatmap-chart" role="img" '
        'aria-labelledby="{}-title {}-desc" viewBox="0 0 {} {}" width="{}" height="{}" style="min-width: {}px" '
        'preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">\n  <title id="{}-title">{}</title>\n'
        '  <desc id="{}-desc">{} {}</desc>\n  {}\n  {}\n  {}\n</svg>\n</div>\n{}\n<details class="ll-heatmap-text">\n'
        '  <summary>{}</summary>\n  {}\n</details>\n</div>\n',
        scrolls, chart_id, chart_id, width, height, _width_ratio(width), _width_ratio(height), width,
        chart_id, title, chart_id, description, shaded, labels, weekdays,
        mark_safe("".join(rects)),  # noqa: S308 (numbers and escaped text only)
        key, list_label or gettext("Show the days as a list"), listed)
