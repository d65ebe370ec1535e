"""The reports' and governance pages' charts as server-rendered SVG: readable without JavaScript,
printable, and safe.

Every label is escaped here, so a chart built from user-written text cannot carry markup.
Colours are SVG presentation attributes (not style attributes), which the CSP allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

NHS_BLUE, GREY, TEXT = "#005eb8", "#d8dde0", "#212b32"
WIDTH, LABEL_WIDTH, BAR_HEIGHT, GAP = 640, 170, 22, 8


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
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" font-size="13" text-anchor="end" '
            f'fill="{TEXT}">{escape(str(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{plot}" height="{BAR_HEIGHT}" fill="{GREY}"/>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" fill="{NHS_BLUE}"/>'
            f'<text x="{LABEL_WIDTH + plot + 6}" y="{y + 16}" font-size="13" fill="{TEXT}">'
            f"{escape(f'{value:g}{unit}')}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def section_chart(section: dict[str, Any]) -> Markup:
    """The chart of a report section (see projections/reporting.py), or nothing."""
    chart = section.get("chart")
    if not chart or not chart.get("items"):
        return Markup("")
    return bar_chart(chart["title"], chart["items"], unit=chart.get("unit", ""), maximum=chart.get("max"))
