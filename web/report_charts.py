"""The reports' and governance pages' charts as server-rendered SVG: readable without JavaScript,
printable, and safe.

Every label is escaped here, so a chart built from user-written text cannot carry markup.
Colours are SVG presentation attributes (not style attributes), which the CSP allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from web.svg_charts import HeatCell, Series, heat_map, trend_chart

NHS_BLUE, GREY, TEXT = "#005eb8", "#d8dde0", "#212b32"
WIDTH, LABEL_WIDTH, BAR_HEIGHT, GAP = 640, 250, 22, 8
LINE_STYLES = (("", NHS_BLUE), ("6 4", "#330072"), ("2 3", "#007f3b"))


def bar_chart(
    title: str, items: Sequence[Sequence[Any]], *, unit: str = "", maximum: float | None = None
) -> Markup:
    """A horizontal bar chart of (label, value) pairs, with each value written beside its bar."""
    values = [float(v or 0) for _, v in items]
    top = float(maximum or max(values, default=0) or 1)
    plot = WIDTH - LABEL_WIDTH - 60
    height = 30 + len(items) * (BAR_HEIGHT + GAP) + 10
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pvb-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="18" font-size="15" font-weight="bold" fill="{TEXT}">{escape(title)}</text>',
    ]
    for i, ((label, _), value) in enumerate(zip(items, values, strict=True)):
        y = 30 + i * (BAR_HEIGHT + GAP)
        length = 0 if top <= 0 else max(0.0, min(value / top, 1.0)) * plot
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" font-size="12" text-anchor="end" '
            f'fill="{TEXT}">{escape(str(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{plot}" height="{BAR_HEIGHT}" fill="{GREY}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{NHS_BLUE}"/>'
            f'<text x="{LABEL_WIDTH + plot + 6}" y="{y + 16}" font-size="13" fill="{TEXT}">'
            f"{escape(f'{value:g}{unit}')}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def chart_svg(chart: dict[str, Any], chart_id: str) -> Markup:
    """One chart of a report section (domain/figures/report.py's shapes), or nothing when it is empty."""
    kind = chart.get("type", "bars")
    if kind == "heatmap":
        if not chart["rows"]:
            return Markup("")
        cells = {(org, q): HeatCell(colour, f"{colour or 'not rated'}: {reason}", "")
                 for org, q, colour, reason in chart["cells"]}
        return heat_map([(r, r) for r in chart["rows"]], [(c, c) for c in chart["columns"]],
                        lambda r, c: cells.get((r, c)), chart["title"], chart_id)
    if kind == "lines":
        series = [Series(label, LINE_STYLES[i % 3][0], LINE_STYLES[i % 3][1],
                         [None if v is None else v / 100 for v in values])
                  for i, (label, values) in enumerate(chart["series"])]
        return trend_chart(chart["columns"], series, chart["title"], chart_id=chart_id)
    if not chart.get("items"):
        return Markup("")
    return bar_chart(chart["title"], chart["items"], unit=chart.get("unit", ""), maximum=chart.get("max"))


def section_charts(section: dict[str, Any]) -> list[Markup]:
    """Every chart of a report section, drawn (a report frozen before sections had several: its one chart)."""
    charts = list(section.get("charts") or ([section["chart"]] if section.get("chart") else []))
    drawn = [chart_svg(c, f"chart-{section.get('key', 's')}-{i}") for i, c in enumerate(charts)]
    return [c for c in drawn if c]
