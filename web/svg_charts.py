"""Server-rendered SVG charts: readable and printable without JavaScript, never colour alone."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

# NHS identity colours; each rating also carries a letter, so colour is never the only cue.
FILL = {"green": "#007f3b", "amber": "#ffb81c", "red": "#d5281b", None: "#d8dde0"}
INK = {"green": "#ffffff", "amber": "#212b32", "red": "#ffffff", None: "#212b32"}
LETTER = {"green": "G", "amber": "A", "red": "R", None: "–"}


@dataclass(frozen=True)
class HeatCell:
    """One square of the heat map."""

    colour: str | None
    detail: str
    href: str


def heat_map(
    rows: Sequence[tuple[str, str]], columns: Sequence[tuple[str, str]],
    cell: Callable[[str, str], HeatCell | None], title: str, chart_id: str = "heatmap",
) -> Markup:
    """Organisations (row key, label) by quarters (column key, label); each cell links to its evidence."""
    left, top, width, height = 210, 44, 92, 34
    total_w, total_h = left + width * len(columns) + 10, top + height * len(rows) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pvb-chart" viewBox="0 0 {total_w} {total_h}" '
        f'width="{total_w}" height="{total_h}" role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for j, (_, label) in enumerate(columns):
        x = left + j * width + width / 2
        parts.append(f'<text x="{x:.0f}" y="{top - 14}" text-anchor="middle" font-size="13" fill="#212b32">{escape(label)}</text>')
    for i, (row_key, row_label) in enumerate(rows):
        y = top + i * height
        parts.append(f'<text x="{left - 10}" y="{y + height / 2 + 5:.0f}" text-anchor="end" font-size="13" '
                     f'fill="#212b32">{escape(row_label)}</text>')
        for j, (column_key, _) in enumerate(columns):
            x = left + j * width
            found = cell(row_key, column_key)
            colour = found.colour if found else None
            detail = found.detail if found else "no votes or survey results"
            box = (f'<rect x="{x + 2}" y="{y + 2}" width="{width - 4}" height="{height - 4}" rx="3" '
                   f'fill="{FILL[colour]}" stroke="#ffffff"/><text x="{x + width / 2:.0f}" y="{y + height / 2 + 5:.0f}" '
                   f'text-anchor="middle" font-size="14" font-weight="bold" fill="{INK[colour]}">{LETTER[colour]}</text>')
            tip = f"<title>{escape(row_label)}, {escape(column_key)}: {escape(detail)}</title>"
            if found and found.href:
                parts.append(f'<a href="{escape(found.href)}">{tip}{box}</a>')
            else:
                parts.append(f"<g>{tip}{box}</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class Series:
    """A line on the trend chart: its name, dash pattern and one value (0..1 or None) per quarter."""

    name: str
    dash: str
    colour: str
    values: Sequence[float | None]


def trend_chart(
    quarters: Sequence[str], series: Sequence[Series], title: str, lines: Sequence[tuple[float, str]] = (),
    chart_id: str = "trend",
) -> Markup:
    """A line chart of shares (0-100%) over quarters, with labelled reference lines and a legend."""
    left, top, plot_w, plot_h = 48, 16, max(110 * (len(quarters) - 1), 220), 220
    total_w, total_h = left + plot_w + 170, top + plot_h + 44 + 22 * len(series)
    step = plot_w / max(len(quarters) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        return left + (index * step if len(quarters) > 1 else plot_w / 2), top + plot_h * (1 - value)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pvb-chart" viewBox="0 0 {total_w} {total_h}" '
        f'width="{total_w}" height="{total_h}" role="img" aria-labelledby="{chart_id}-title">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
    ]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        parts.append(f'<line x1="{left}" y1="{y:.0f}" x2="{left + plot_w}" y2="{y:.0f}" stroke="#d8dde0"/>'
                     f'<text x="{left - 6}" y="{y + 4:.0f}" text-anchor="end" font-size="11" fill="#4c6272">{tick:.0%}</text>')
    placed: list[float] = []
    for value, label in sorted(lines, reverse=True):
        y = top + plot_h * (1 - value)
        text_y = max([y + 4, *(p + 13 for p in placed)])  # labels beside the plot never overlap
        placed.append(text_y)
        parts.append(f'<line x1="{left}" y1="{y:.0f}" x2="{left + plot_w + 4}" y2="{y:.0f}" stroke="#4c6272" '
                     f'stroke-dasharray="2 4"/><text x="{left + plot_w + 30}" y="{text_y:.0f}" '
                     f'font-size="11" fill="#4c6272">{escape(label)}</text>')
    for index, quarter in enumerate(quarters):
        x, _ = xy(index, 0)
        parts.append(f'<text x="{x:.0f}" y="{top + plot_h + 18}" text-anchor="middle" font-size="11" '
                     f'fill="#212b32">{escape(quarter)}</text>')
    for s in series:
        points = [(i, v) for i, v in enumerate(s.values) if v is not None]
        segments: list[list[tuple[float, float]]] = []
        prev = -2
        for i, v in points:  # a gap in the data breaks the line
            if segments and i - prev == 1:
                segments[-1].append(xy(i, v))
            else:
                segments.append([xy(i, v)])
            prev = i
        for segment in segments:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{s.colour}" stroke-width="2.5" '
                         f'stroke-dasharray="{s.dash}"/>')
        for i, v in points:
            x, y = xy(i, v)
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{s.colour}"><title>{escape(s.name)}, '
                         f'{escape(quarters[i])}: {v:.0%}</title></circle>')
    for n, s in enumerate(series):
        y = top + plot_h + 40 + 22 * n
        parts.append(f'<line x1="{left}" y1="{y}" x2="{left + 36}" y2="{y}" stroke="{s.colour}" stroke-width="2.5" '
                     f'stroke-dasharray="{s.dash}"/><text x="{left + 44}" y="{y + 4}" font-size="12" '
                     f'fill="#212b32">{escape(s.name)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
