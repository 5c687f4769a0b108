"""Small server-drawn SVG charts for staff views: no chart library, nothing loaded from outside."""
from lifelong_xblocks.resources import loader


def bar_chart(chart_id, title, labels, values, description=""):
    """An accessible SVG bar chart (role=img with a title, and the numbers as text)."""
    values = [max(0, v) for v in values]
    highest = max(values) if values and max(values) > 0 else 1
    bar_width, gap, height, top = 28, 8, 120, 16
    bars = []
    for index, (label, value) in enumerate(zip(labels, values)):
        bar_height = round(height * value / highest)
        x = index * (bar_width + gap)
        bars.append({"x": x, "y": top + height - bar_height, "height": bar_height, "width": bar_width,
                     "label": label, "value": value, "text_x": x + bar_width / 2,
                     # the number sits just above its bar (dark text on the bar had too little contrast)
                     "value_y": top + height - bar_height - 4})
    return loader.render_django_template("charts/bar_chart.svg.html", {
        "chart_id": chart_id, "title": title, "description": description, "bars": bars,
        "width": max(1, len(bars)) * (bar_width + gap), "height": top + height + 36,
        "baseline": top + height, "label_y": top + height + 16,
    })
