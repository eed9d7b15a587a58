"""Charts as inline SVG strings: horizontal bars, a histogram, a time series. Plain markup with
no script, font or file of its own, so a report opens anywhere offline; every label is escaped
(they come from articles). Each chart is `<svg class="chart" data-chart=NAME>` and each mark
carries its value in `data-value`, which is what the browser test reads back."""
from collections.abc import Sequence
from html import escape

ACCENT, MUTED, TEXT, GRID = "#2f6f9f", "#9bb7cc", "#222", "#ddd"
WIDTH = 640
ROW = 22                 # height of one bar of a bar chart
CHAR_WIDTH = 7           # about, at the charts' 12px: a longer label is cut (the whole one is in its tooltip)


def number(value: float) -> str:
    """1,234 or 0.82: how the report writes a value."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def bar_chart(name: str, bars: Sequence[tuple[str, float]], unit: str = "", label_width: int = 230,
              width: int = WIDTH) -> str:
    """One horizontal bar per (label, value), in the given order."""
    if not bars:
        return _empty(name)
    top = max(value for _, value in bars) or 1
    room = width - label_width - 70
    rows = []
    for i, (label, value) in enumerate(bars):
        y, length = i * ROW, max(value / top * room, 1 if value else 0)
        tip, shown = escape(f"{label}: {number(value)}{unit}"), escape(_cut(label, label_width))
        rows.append(f'<g><title>{tip}</title>'
                    f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">{shown}</text>'
                    f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{ROW - 8}" fill="{ACCENT}" '
                    f'data-label="{escape(label)}" data-value="{value:g}"/>'
                    f'<text x="{label_width + length + 5:.1f}" y="{y + 15}">{number(value)}{escape(unit)}</text></g>')
    return _svg(name, width, len(bars) * ROW + 4, "".join(rows))


def histogram(name: str, bins: Sequence[tuple[str, str, int]], height: int = 170) -> str:
    """Vertical bars, one per (tick, bin label, count): the tick (where the bin starts) under the
    left edge of every few bars, the label in the bar's tooltip."""
    if not bins:
        return _empty(name)
    top = max(count for _, _, count in bins) or 1
    left, plot = 40, height - 36
    step = (WIDTH - left - 20) / len(bins)
    every = max(1, round(len(bins) / 10))
    marks = [f'<line x1="{left}" y1="{plot + 10}" x2="{WIDTH - 10}" y2="{plot + 10}" stroke="{GRID}"/>',
             f'<text x="{left - 6}" y="20" text-anchor="end">{number(top)}</text>']
    for i, (tick, label, count) in enumerate(bins):
        x, bar = left + i * step, count / top * plot
        marks.append(f'<rect x="{x + 1:.1f}" y="{plot + 10 - bar:.1f}" width="{max(step - 2, 1):.1f}" '
                     f'height="{bar:.1f}" fill="{ACCENT}" data-label="{escape(label)}" data-value="{count}">'
                     f'<title>{escape(label)}: {number(count)}</title></rect>')
        if i % every == 0:
            marks.append(f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle">{escape(tick)}</text>')
    return _svg(name, WIDTH, height, "".join(marks))


def time_series(name: str, points: Sequence[tuple[str, float]], height: int = 150, width: int = WIDTH) -> str:
    """A line through (label, value) points in order, a dot each, the first and last labelled."""
    if not points:
        return _empty(name)
    top = max(value for _, value in points) or 1
    plot, left, right = height - 40, 50, width - 20
    step = (right - left) / max(len(points) - 1, 1)
    xy = [(left + i * step, 10 + plot - value / top * plot) for i, (_, value) in enumerate(points)]
    marks = [f'<line x1="{left}" y1="{plot + 10}" x2="{right}" y2="{plot + 10}" stroke="{GRID}"/>',
             f'<text x="{left - 6}" y="16" text-anchor="end">{number(top)}</text>',
             f'<text x="{left - 6}" y="{plot + 10}" text-anchor="end">0</text>',
             f'<polyline fill="none" stroke="{MUTED}" stroke-width="2" '
             f'points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in xy)}"/>']
    for (label, value), (x, y) in zip(points, xy):
        marks.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{ACCENT}" data-label="{escape(label)}" '
                     f'data-value="{value:g}"><title>{escape(label)}: {number(value)}</title></circle>')
    ends = {len(points) - 1: "end", 0: "start"}      # one point: labelled from its start
    for i, anchor in ends.items():
        marks.append(f'<text x="{xy[i][0]:.1f}" y="{height - 8}" text-anchor="{anchor}">{escape(points[i][0])}</text>')
    return _svg(name, width, height, "".join(marks))


def _svg(name: str, width: int, height: int, marks: str) -> str:
    return (f'<svg class="chart" data-chart="{escape(name)}" role="img" '
            f'aria-label="{escape(name)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'font-size="12" fill="{TEXT}">{marks}</svg>')


def _empty(name: str) -> str:
    return f'<p class="none" data-chart="{escape(name)}">none</p>'


def _cut(label: str, room: int) -> str:
    chars = room // CHAR_WIDTH
    return label if len(label) <= chars else label[:chars - 1] + "…"
