"""The Board's reports as PDF documents (reportlab), with their charts drawn natively.

Everything user-written (the narrative, and any text inside figures) is escaped before it
reaches reportlab's paragraph markup, so it prints as written and can never become markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

NHS_BLUE = colors.HexColor("#005eb8")
GREY = colors.HexColor("#d8dde0")
_STYLES = getSampleStyleSheet()
BODY = _STYLES["BodyText"]
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10)


def _p(text: Any, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of plain text: escaped, with line breaks kept."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> Table:
    data = [[_p(c, SMALL) for c in columns]] + [[_p(v, SMALL) for v in row] for row in rows]
    table = Table(data, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edee")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _chart(chart: dict[str, Any]) -> Drawing:
    """A horizontal bar chart, each value written beside its bar."""
    items = chart["items"]
    width, label_w, bar_h, gap = 170 * mm, 40 * mm, 12, 5
    plot = width - label_w - 30 * mm
    top = float(chart.get("max") or max((float(v or 0) for _, v in items), default=0) or 1)
    height = 20 + len(items) * (bar_h + gap)
    d = Drawing(width, height)
    d.add(String(0, height - 12, str(chart["title"]), fontName="Helvetica-Bold", fontSize=10))
    for i, (label, value) in enumerate(items):
        y = height - 20 - (i + 1) * (bar_h + gap) + gap
        length = max(0.0, min(float(value or 0) / top, 1.0)) * plot
        d.add(String(label_w - 4, y + 3, str(label), fontSize=8, textAnchor="end"))
        d.add(Rect(label_w, y, plot, bar_h, fillColor=GREY, strokeColor=None))
        d.add(Rect(label_w, y, length, bar_h, fillColor=NHS_BLUE, strokeColor=None))
        d.add(String(label_w + plot + 4, y + 3, f"{float(value or 0):g}{chart.get('unit', '')}", fontSize=8))
    return d


def _section(section: dict[str, Any]) -> list[Any]:
    story: list[Any] = [Paragraph(escape(section["title"]), _STYLES["Heading2"])]
    if section.get("note"):
        story.append(_p(section["note"]))
    if not section.get("available", True):
        return story
    figures = section.get("figures") or {}
    if figures:
        story.append(_table(["Figure", "Value"], [[k, v] for k, v in figures.items()]))
        story.append(Spacer(1, 4 * mm))
    if section.get("chart") and section["chart"].get("items"):
        story.append(_chart(section["chart"]))
        story.append(Spacer(1, 4 * mm))
    table = section.get("table")
    if table and table.get("rows"):
        story.append(_table(table["columns"], table["rows"]))
    for heading, items in (section.get("lists") or {}).items():
        story.append(Paragraph(escape(heading), _STYLES["Heading4"]))
        story.extend(_p(f"• {item}") for item in items)
    return story


def report_pdf(
    title: str, subtitle: str, sections: Sequence[dict[str, Any]], *,
    narrative: str = "", footer_lines: Sequence[str] = (),
) -> bytes:
    """A report as PDF bytes: title, narrative, each section, and closing lines (e.g. its hash)."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, title=title, author="pvb-ledger", leftMargin=18 * mm,
        rightMargin=18 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
    )
    story: list[Any] = [Paragraph(escape(title), _STYLES["Title"]), _p(subtitle)]
    if narrative:
        story.append(Paragraph("The Independent Chair's assessment", _STYLES["Heading2"]))
        story.extend(_p(par) for par in narrative.split("\n\n"))
    for section in sections:
        story.extend(_section(section))
    if footer_lines:
        story.append(Spacer(1, 6 * mm))
        story.extend(_p(line, SMALL) for line in footer_lines)
    doc.build(story)
    return buffer.getvalue()
