"""The comparison page's bar charts, laid out for a server-rendered SVG.

One panel per group that is compared (one room; a list page of each size),
one row per read path, one horizontal bar per percentile, each labelled
with its value: the page needs no script and no asset from elsewhere. Each
panel has its own linear scale from zero, so that a page of 1,000 rooms
does not flatten the single-room bars; the tick marks say the scale.

Works on the comparison's JSON (``ComparisonSerializer``'s data), so the
chart shows exactly the numbers a script gets.
"""

import math

from django.template.loader import render_to_string

#: Percentile, its field in the JSON, its colour.
MEASURES = (
    ("p50", "p50_ms", "#4c78a8"),
    ("p95", "p95_ms", "#f58518"),
    ("p99", "p99_ms", "#b03a2e"),
)

WIDTH = 820
LABEL_WIDTH = 250  # the read path's name, left of the bars
VALUE_WIDTH = 90  # room for the longest bar's value label
TOP = 34  # the panel's title and legend
BAR_HEIGHT = 15
BAR_GAP = 3
ROW_GAP = 20
AXIS_HEIGHT = 26
TITLE_HEIGHT = 30  # above each panel, in the file of charts
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_WIDTH
ROW_HEIGHT = len(MEASURES) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP + ROW_GAP


def ticks(largest: float) -> list[float]:
    """Round ticks from 0 to at least ``largest``: steps of 1, 2 or 5 times a power of ten."""
    if largest <= 0:
        return [0.0, 1.0]
    raw = largest / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 5, 10) if f * magnitude >= raw)
    count = math.ceil(largest / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def _number(value: float) -> str:
    return f"{value:g}"


def panel(title: str, rows: list[dict]) -> dict:
    """One chart: its size, scale, ticks and a bar per read path and percentile."""
    values = [row[field] for row in rows for _, field, _ in MEASURES if row[field] is not None]
    scale = ticks(max(values, default=0))
    top = scale[-1]
    laid_out = []
    for index, row in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        bars = []
        for position, (measure, field, colour) in enumerate(MEASURES):
            value = row[field]
            if value is None:
                continue
            width = PLOT_WIDTH * value / top
            bars.append(
                {
                    "measure": measure,
                    "value": value,
                    "colour": colour,
                    "x": LABEL_WIDTH,
                    "y": y + position * (BAR_HEIGHT + BAR_GAP),
                    "width": round(width, 2),
                    "height": BAR_HEIGHT,
                    "label_x": round(LABEL_WIDTH + width + 5, 2),
                    "label_y": y + position * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT - 3,
                }
            )
        laid_out.append(
            {
                "path": row["path"],
                "name": row["read_path"],
                "figures": row,
                "baseline": index == 0,
                "label_y": y + 12,
                "name_y": y + 28,
                "speedup_y": y + 44,
                "bars": bars,
            }
        )
    plot_bottom = TOP + len(rows) * ROW_HEIGHT - ROW_GAP + 6
    return {
        "title": title,
        "width": WIDTH,
        "height": plot_bottom + AXIS_HEIGHT,
        "plot_top": TOP - 6,
        "plot_bottom": plot_bottom,
        "tick_label_y": plot_bottom + 16,
        "ticks": [
            {"x": round(LABEL_WIDTH + PLOT_WIDTH * tick / top, 2), "label": _number(tick)}
            for tick in scale
        ],
        "legend": [
            {"measure": measure, "colour": colour, "x": LABEL_WIDTH + i * 70}
            for i, (measure, _field, colour) in enumerate(MEASURES)
        ],
        "rows": laid_out,
    }


def charts(comparison: dict) -> list[dict]:
    """A panel for single rooms, then one per list page size."""
    return [
        panel("One room", comparison["single_room"]),
        *(
            panel(f"A list page of {group['page_size']} rooms", group["read_paths"])
            for group in comparison["lists"]
        ),
    ]


def charts_file(comparison: dict) -> str:
    """The page's charts as one SVG file, each panel under its title: what
    ``process_logs.py --chart`` writes, so that the file and the page cannot differ."""
    panels, top = charts(comparison), 0
    for chart in panels:
        chart |= {"title_y": top + TITLE_HEIGHT - 10, "y": top + TITLE_HEIGHT}
        top += TITLE_HEIGHT + chart["height"]
    context = {"charts": panels, "width": WIDTH, "height": top}
    return render_to_string("rooms/compare_charts.svg", context)
