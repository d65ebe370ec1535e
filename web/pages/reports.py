"""The Board's reports: the quarterly progress report and the Independent Chair's six-monthly report.

Each is a printable page with server-rendered SVG charts and a PDF download. A published
six-monthly report is shown from its frozen content, never recomputed. Each ends with the signed
checkpoint of the sealed log it was drawn from: the six-monthly report's is taken when its figures
are drawn (and frozen with it), the quarterly report's when the page or PDF is drawn.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, url_for

from domain.errors import DomainError, NotFoundError
from domain.periods import HALF, QUARTER, half_of, parse_period, quarter_of
from domain.report import content_hash
from projections.reporting import quarterly_figures
from web.pages.governance_support import can, services, submit, today, view
from web.report_charts import section_chart
from web.report_pdf import report_pdf
from web.schemas.reports import (
    DraftSixMonthlyReportRequestSchema,
    EditSixMonthlyNarrativeRequestSchema,
    PublishSixMonthlyReportRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("reports", __name__)


def _may_see_drafts() -> bool:
    return can("reports.draft") or can("reports.publish")


@bp.route("/reports", methods=["GET"])
@permission("reports.read")
def index():  # type: ignore[no-untyped-def]
    """The reports: quarterly progress reports, and six-monthly reports (drafts to their authors)."""
    return _index_page({}, {})


def _index_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    day = today()
    reports = [r for r in view("reports").list_reports() if r["status"] == "published" or _may_see_drafts()]
    quarters, q = [], quarter_of(day)
    for _ in range(5):
        quarters.append(q)
        q = q.previous()
    halves, h = [], half_of(day)
    for _ in range(3):
        halves.append(h)
        h = h.previous()
    html = render_template(
        "reports/index.html", reports=reports, quarters=quarters, halves=halves,
        can_draft=can("reports.draft"), errors=errors, values=values,
    )
    return html, status


def _sections_with_charts(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(s, chart_svg=section_chart(s)) for s in figures.get("sections", [])]


def checkpoint_lines(checkpoint: dict[str, Any] | None) -> list[str]:
    """The closing lines of a report: the signed checkpoint it was drawn from, to check offline."""
    if not checkpoint:
        return ["Drawn from no signed checkpoint: the log could not be sealed when this was drawn."]
    return [
        f"Drawn from ledger checkpoint {checkpoint['size']} ({checkpoint['origin']}): the first "
        f"{checkpoint['size']} events of the log.",
        f"Merkle root hash (RFC 9162, SHA-256): {checkpoint['root_hash']}",
        f"Signed at {checkpoint['time']} with the ledger's Ed25519 key {checkpoint['key_id']}.",
        f"Signature (base64): {checkpoint['signature']}",
        "Check it offline with the public key (/api/v1/ledger/public-key) and a consistency proof "
        f"(/api/v1/ledger/proofs/consistency?first={checkpoint['size']}).",
    ]


def current_checkpoint() -> dict[str, Any] | None:
    """The signed checkpoint current now, for a report drawn now (None if the log cannot be sealed here).

    A page replayed as known at a moment is drawn from the first N events of the log only, so it
    ends with the checkpoint of that size instead.
    """
    ledger = services().ledger
    replayed = g.get("pvb_replay")
    known_then = replayed and replayed["known_at"] and replayed["position"] < ledger.max_position()
    try:
        return ledger.report_checkpoint(replayed["position"] if known_then else None)
    except DomainError:
        return None


class PageViews(Mapping[str, Any]):
    """The views a report draws on, each live or replayed as the page is asked (?known_at=, ?as_of=)."""

    def __getitem__(self, name: str) -> Any:
        if name not in services().projections.views:
            raise KeyError(name)
        return view(name)

    def __iter__(self) -> Iterator[str]:
        return iter(services().projections.views)

    def __len__(self) -> int:
        return len(services().projections.views)


def _quarter(quarter: str) -> Any:
    try:
        return parse_period(quarter, QUARTER, field="quarter")
    except DomainError as e:
        abort(404, description=str(e))


@bp.route("/reports/quarterly/<quarter>", methods=["GET"])
@permission("reports.read")
def quarterly(quarter: str):  # type: ignore[no-untyped-def]
    """The quarterly progress report for the Programme Board, as a printable page."""
    q = _quarter(quarter)
    figures = quarterly_figures(PageViews(), q, today())
    checkpoint = current_checkpoint()
    return render_template("reports/quarterly.html", quarter=q, figures=figures,
                           sections=_sections_with_charts(figures), checkpoint=checkpoint,
                           checkpoint_lines=checkpoint_lines(checkpoint))


@bp.route("/reports/quarterly/<quarter>/pdf", methods=["GET"])
@permission("reports.read")
def quarterly_pdf(quarter: str):  # type: ignore[no-untyped-def]
    """The quarterly progress report as a PDF."""
    q = _quarter(quarter)
    figures = quarterly_figures(services().projections.views, q, today())
    pdf = report_pdf(f"Quarterly progress report: {q.label}", f"For the STP Programme Board. Figures as of {figures['as_of']}.",
                     figures["sections"], footer_lines=checkpoint_lines(current_checkpoint()))
    return _pdf_response(pdf, f"pvb-quarterly-{q.key}.pdf")


def _six_monthly(period: str) -> dict[str, Any]:
    """The report to show: frozen content if published, else the draft (to those who may see it)."""
    try:
        half = parse_period(period, HALF)
    except DomainError as e:
        abort(404, description=str(e))
    row = view("reports").get_report(half.key)
    if row is not None and row["status"] == "published":
        content = row["content"]
        return {"period": half, "published": True, "figures": content["figures"], "narrative": content["narrative"],
                "hash": row["content_hash"], "hash_ok": content_hash(content) == row["content_hash"],
                "published_on": content["published_on"], "published_by": content["published_by"],
                "checkpoint": content.get("checkpoint")}
    if not _may_see_drafts():
        abort(404, description=f"no six-monthly report is published for {half.label}")
    try:
        draft = services().ledger.get_six_monthly_report(half.key)
    except NotFoundError as e:
        abort(404, description=str(e))
    return {"period": half, "published": False, "figures": draft.figures, "narrative": draft.narrative,
            "drafted_from": draft.position, "checkpoint": draft.checkpoint}


@bp.route("/reports/six-monthly/<period>", methods=["GET"])
@permission("reports.read")
def six_monthly(period: str):  # type: ignore[no-untyped-def]
    """The Independent Chair's six-monthly report: as published (frozen), or as drafted."""
    return _six_monthly_page(period, {}, {})


def _six_monthly_page(period: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    report = _six_monthly(period)
    html = render_template(
        "reports/six_monthly.html", r=report, sections=_sections_with_charts(report["figures"]),
        checkpoint_lines=checkpoint_lines(report["checkpoint"]),
        can_publish=can("reports.publish"), can_draft=can("reports.draft"), errors=errors,
        values=values or {"narrative": report["narrative"]},
    )
    return html, status


@bp.route("/reports/six-monthly/<period>/pdf", methods=["GET"])
@permission("reports.read")
def six_monthly_pdf(period: str):  # type: ignore[no-untyped-def]
    """The six-monthly report as a PDF; a published one carries its hash."""
    r = _six_monthly(period)
    status = (f"Published {r['published_on']} by {r['published_by']}." if r["published"]
              else "DRAFT: not yet published.")
    footer = [f"Content SHA-256: {r['hash']}"] if r["published"] else []
    footer += checkpoint_lines(r["checkpoint"])
    pdf = report_pdf(
        f"The Independent Chair's six-monthly report: {r['period'].label}",
        f"To the STP Programme Board. {status} Figures as of {r['figures'].get('as_of', '')}.",
        r["figures"].get("sections", []), narrative=r["narrative"], footer_lines=footer,
    )
    return _pdf_response(pdf, f"pvb-six-monthly-{r['period'].key}.pdf")


def _pdf_response(pdf: bytes, filename: str) -> Response:
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/reports/six-monthly", methods=["POST"])
@permission("reports.draft")
def draft():  # type: ignore[no-untyped-def]
    """Draft a six-monthly report from the ledger."""
    return submit(DraftSixMonthlyReportRequestSchema(), lambda d: services().ledger.draft_six_monthly_report(require_actor(), **d),
                  _index_page, lambda p: url_for("reports.six_monthly", period=p))


def _post(period: str, schema: Any, method: str):  # type: ignore[no-untyped-def]
    key = _half_key(period)
    return submit(schema, lambda d: getattr(services().ledger, method)(require_actor(), period=key, **d),
                  lambda e, v, s: _six_monthly_page(key, e, v, s), lambda _: url_for("reports.six_monthly", period=key))


def _half_key(period: str) -> str:
    try:
        return parse_period(period, HALF).key
    except DomainError as e:
        abort(404, description=str(e))


@bp.route("/reports/six-monthly/<period>/redraft", methods=["POST"])
@permission("reports.draft")
def redraft(period: str):  # type: ignore[no-untyped-def]
    """Draw the figures again from the ledger as it now stands."""
    return _post(period, PublishSixMonthlyReportRequestSchema(), "redraft_six_monthly_report")


@bp.route("/reports/six-monthly/<period>/narrative", methods=["POST"])
@permission("reports.publish")
def edit_narrative(period: str):  # type: ignore[no-untyped-def]
    """Record the Independent Chair's narrative."""
    return _post(period, EditSixMonthlyNarrativeRequestSchema(), "edit_six_monthly_narrative")


@bp.route("/reports/six-monthly/<period>/publication", methods=["POST"])
@permission("reports.publish")
def publish(period: str):  # type: ignore[no-untyped-def]
    """Publish the report, freezing its content."""
    return _post(period, PublishSixMonthlyReportRequestSchema(), "publish_six_monthly_report")
