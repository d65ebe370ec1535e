"""A report drawn for reading: its sections with their charts and quoted text, on the page and in the PDF.

The PDF is the report's printable HTML page (templates/reports/printable.html) rendered by
WeasyPrint as PDF/UA-1 (tagged), so the page and the PDF cannot drift apart. Quoted text (a
feedback example, a response, a review's decision) is read from its event when the report is
drawn, decrypted; after an erasure it shows as erased. The public edition leaves every quote out.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from flask import render_template

from domain.figures import HEADLINES
from web.report_charts import section_charts

QuoteReader = Callable[[int, str], "str | None"]
ERASED_TEXT = "[erased: the person it was about has been erased from the ledger]"


def _legacy(section: dict[str, Any]) -> dict[str, Any]:
    """A section frozen in the first report shape (one table, one chart, 'available'), read as today's."""
    s = dict(section)
    if "tables" not in s:
        table = s.get("table")
        s["tables"] = [{"title": "", "columns": table["columns"], "rows": table["rows"], "key_columns": 1}] if table else []
    if s.get("available") is False and not s.get("error"):
        s["error"] = s.get("note") or "this section was not drawn"
        s["note"] = ""
    return s


def prepare_sections(figures: dict[str, Any], read_quote: QuoteReader | None, *, public: bool = False
                     ) -> list[dict[str, Any]]:
    """The sections of drawn figures, ready for the section macro: charts drawn, quotes read (or left out)."""
    prepared = []
    for raw in figures.get("sections", []):
        s = _legacy(raw)
        quotes = []
        if not public and read_quote is not None:
            for group in s.get("quotes") or []:
                quotes.append({"heading": group["heading"], "items": [
                    {"label": q["label"], "position": q["position"],
                     "text": read_quote(int(q["position"]), str(q["field"]))} for q in group["items"]]})
        prepared.append(dict(
            s, charts_svg=section_charts(s), quotes=quotes, headline=HEADLINES.get(s.get("key", "")),
            chart_titles=[c.get("title", "") for c in s.get("charts") or [] if c.get("type") in ("heatmap", "lines")],
        ))
    return prepared


def headline_figures(figures: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(section title, label, value) of each section's headline figure, for summaries and checks."""
    found = []
    for s in figures.get("sections", []):
        label = HEADLINES.get(s.get("key", ""))
        if label and label in (s.get("figures") or {}):
            found.append((s["title"], label, s["figures"][label]))
    return found


def printable_html(**context: Any) -> str:
    """The report's printable page (standalone HTML, its styles inline): what the PDF is made from."""
    return render_template("reports/printable.html", erased_text=ERASED_TEXT, **context)


def _fetch_nothing(url: str, *args: Any, **kwargs: Any) -> Any:
    """The printable page needs no image, font or stylesheet from anywhere: WeasyPrint fetches nothing."""
    raise ValueError(f"the report's PDF fetches no resource ({url})")


_PDFS: OrderedDict[str, bytes] = OrderedDict()  # by SHA-256 of the printable page: the same page, the same PDF
_PDFS_KEPT = 16
_PDF_LOCK = threading.Lock()


def pdf_from_html(html: str, base_url: str) -> bytes:
    """The printable page as a tagged PDF (PDF/UA-1); a page drawn before (a published report, say) is not laid out again."""
    key = hashlib.sha256(f"{base_url}\0{html}".encode()).hexdigest()
    with _PDF_LOCK:
        if key in _PDFS:
            _PDFS.move_to_end(key)
            return _PDFS[key]
    from weasyprint import HTML  # imported when a PDF is asked for: it loads Pango

    document = HTML(string=html, base_url=base_url, url_fetcher=_fetch_nothing)
    pdf = bytes(document.write_pdf(pdf_variant="pdf/ua-1"))
    with _PDF_LOCK:
        _PDFS[key] = pdf
        while len(_PDFS) > _PDFS_KEPT:
            _PDFS.popitem(last=False)
    return pdf
