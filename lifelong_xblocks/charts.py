"""Small server-drawn SVG charts for staff views: no chart library, nothing loaded from outside."""
from lifelong_xblocks.resources import loader

# Horizontal bars, one row per category: labels stay readable on a 360 px phone (a column chart
# with ten categories squeezed its labels to 6-7 px there).
WIDTH, LABEL_WIDTH, VALUE_WIDTH, ROW, BAR = 320, 72, 40, 26, 18


def bar_chart(chart_id, title, labels, values, description=""):
    """An accessible SVG bar chart (role=img with a title, and the numbers as text)."""
    values = [max(0, v) for v in values]
    highest = max(values) if values and max(values) > 0 else 1
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        length = round(span * value / highest)
        top = index * ROW
        bars.append({"label": label, "value": value, "y": top + (ROW - BAR) / 2, "length": length,
                     "text_y": top + ROW / 2 + 5, "value_x": LABEL_WIDTH + length + 6})
    return loader.render_django_template("charts/bar_chart.svg.html", {
        "chart_id": chart_id, "title": title, "description": description, "bars": bars,
        "width": WIDTH, "height": max(1, len(bars)) * ROW, "label_x": LABEL_WIDTH - 8, "bar_x": LABEL_WIDTH,
    })
