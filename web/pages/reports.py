"""The Board's reports: the quarterly progress report and the Independent Chair's six-monthly report.

Each is a page with server-rendered SVG charts, a printable page, a PDF made from that printable
page, and an export bundle that proves every figure. A published edition is shown from its frozen
content, never recomputed; quoted text in it is read from its event as the page is drawn. Each
report ends with the signed checkpoint of the sealed log it was drawn from.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request, url_for

from domain.errors import DomainError, NotFoundError
from domain.periods import HALF, QUARTER, half_of, parse_period, quarter_of
from domain.report import content_hash
from web.pages.governance_support import can, services, today, view
from web.report_render import pdf_from_html, prepare_sections, printable_html
from web.security import permission

bp = Blueprint("reports", __name__)
SIX_MONTHLY_PAGES = ("/reports/six-monthly/<period>", "/reports/six-monthly/<period>/editions/<int:edition>")


def may_see_drafts() -> bool:
    """True for those who draft or publish reports."""
    return can("reports.draft") or can("reports.publish")


@bp.route("/reports", methods=["GET"])
@permission("reports.read")
def index():  # type: ignore[no-untyped-def]
    """The reports: quarterly progress reports, and every edition of the six-monthly reports."""
    return index_page({}, {})


def index_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    """The reports page, with the drafting form's errors if any."""
    day = today()
    rows = [r for r in view("reports").list_reports() if r["status"] != "draft" or may_see_drafts()]
    quarters, q = [], quarter_of(day)
    for _ in range(5):
        quarters.append(q)
        q = q.previous()
    halves, h = [], half_of(day)
    for _ in range(3):
        halves.append(h)
        h = h.previous()
    html = render_template("reports/index.html", reports=rows, quarters=quarters, halves=halves,
                           can_draft=can("reports.draft"), errors=errors, values=values)
    return html, status


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


def _replayed_position() -> int | None:
    replayed = g.get("pvb_replay")
    if replayed and replayed.get("known_at") and replayed["position"] < services().ledger.max_position():
        return int(replayed["position"])
    return None


def _quarter(quarter: str) -> Any:
    try:
        return parse_period(quarter, QUARTER, field="quarter")
    except DomainError as e:
        abort(404, description=str(e))


def _quarterly(quarter: str) -> dict[str, Any]:
    q, ledger = _quarter(quarter), services().ledger
    view("reports")  # honours ?known_at= / ?as_of= (the replay control), as every view page does
    replayed = g.get("pvb_replay") or {}
    upto = _replayed_position()
    as_of = date.fromisoformat(replayed["as_of"]) if replayed.get("as_of") else None
    figures = ledger.draw_report_figures("quarterly", q.key, upto=upto, as_of=as_of)
    try:
        checkpoint = ledger.report_checkpoint(upto)
    except DomainError:
        checkpoint = None
    return {
        "kind": "quarterly", "period": q, "title": f"Quarterly progress report: {q.label}",
        "caption": f"For the STP Programme Board · figures as of {figures['as_of']}", "status": "live",
        "figures": figures, "narrative": None, "checkpoint": checkpoint, "drawn_at": figures["position"],
        "urls": {"page": url_for("reports.quarterly", quarter=q.key), "print": url_for("reports.quarterly_print", quarter=q.key),
                 "pdf": url_for("reports.quarterly_pdf", quarter=q.key), "bundle": url_for("reports.quarterly_bundle", quarter=q.key)},
        "filename": f"pvb-quarterly-{q.key}",
    }


def six_monthly_report(period: str, edition: int | None = None) -> dict[str, Any]:
    """An edition of a six-monthly report as it is read (the current one if none is named): frozen if published."""
    try:
        half = parse_period(period, HALF)
    except DomainError as e:
        abort(404, description=str(e))
    row = view("reports").get_report(half.key, edition=edition)
    if row is None or (row["status"] == "draft" and not may_see_drafts()):
        abort(404, description=f"no six-monthly report is published for {half.label}"
              + (f" as edition {edition}" if edition else ""))
    r: dict[str, Any] = {"kind": "six_monthly", "period": half, "edition": row["edition"], "status": row["status"],
                         "superseded_by": row["superseded_by"], "superseded_on": row["superseded_on"]}
    if row["status"] == "draft":
        try:
            d = services().ledger.get_six_monthly_report(half.key, row["edition"])
        except NotFoundError as e:
            abort(404, description=str(e))
        r.update(figures=d.figures, narrative=d.narrative, checkpoint=d.checkpoint, drawn_at=d.position,
                 public_summary="", supersedes={"edition": d.supersedes, "reason": d.reason} if d.supersedes else None)
    else:
        content = row["content"]
        r.update(figures=content["figures"], narrative=content["narrative"], checkpoint=content.get("checkpoint"),
                 drawn_at=content.get("drawn_from_position"), public_summary=content.get("public_summary", ""),
                 supersedes=content.get("supersedes"), hash=row["content_hash"], published_on=content["published_on"],
                 published_by=content["published_by"], hash_ok=content_hash(content) == row["content_hash"])
    editions = [e for e in view("reports").editions(half.key) if e["status"] != "draft" or may_see_drafts()]
    newer = [e for e in editions if e["edition"] > r["edition"] and e["status"] == "draft"]
    key, n = half.key, r["edition"]
    r.update(
        title=f"Six-monthly report: {half.label}", editions=editions, draft_in_progress=newer[0]["edition"] if newer else None,
        caption=f"The Independent Chair's report to the STP Programme Board · edition {n} · figures as of "
                f"{r['figures'].get('as_of', '')}",
        urls={"page": url_for("reports.six_monthly", period=key, edition=n),
              "print": url_for("reports.six_monthly_print", period=key, edition=n),
              "pdf": url_for("reports.six_monthly_pdf", period=key, edition=n),
              "bundle": url_for("reports.six_monthly_bundle", period=key, edition=n)},
        filename=f"pvb-six-monthly-{key}-edition-{n}",
    )
    return r


def reading_context(r: dict[str, Any], *, public: bool = False) -> dict[str, Any]:
    """What the report body template needs: the report, its sections drawn and its closing lines."""
    reader = None if public else services().ledger.quoted_text
    return {"r": r, "sections": prepare_sections(r["figures"], reader, public=public), "public": public,
            "checkpoint": r.get("checkpoint"), "checkpoint_lines": checkpoint_lines(r.get("checkpoint"))}


def pdf_response(r: dict[str, Any], *, public: bool = False) -> Response:
    """The report's printable page as a PDF download."""
    pdf = pdf_from_html(printable_html(**reading_context(r, public=public)), request.url_root)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{r["filename"]}{"-public" if public else ""}.pdf"'
    return response


def _bundle_response(kind: str, period: str, edition: int | None, filename: str) -> Any:
    work = Path(tempfile.mkdtemp(prefix="pvb-report-bundle-"))
    try:
        services().ledger.export_report_bundle(str(work / filename), kind, period, edition)
        archive = shutil.make_archive(str(work / filename), "zip", root_dir=work, base_dir=filename)
        data = Path(archive).read_bytes()
    except DomainError as e:
        abort(409, description=str(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    response = Response(data, mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}-bundle.zip"'
    return response


@bp.route("/reports/quarterly/<quarter>", methods=["GET"])
@permission("reports.read")
def quarterly(quarter: str):  # type: ignore[no-untyped-def]
    """The quarterly progress report for the Programme Board, drawn from the log now."""
    return render_template("reports/quarterly.html", can_export=can("ledger.read"), **reading_context(_quarterly(quarter)))


@bp.route("/reports/quarterly/<quarter>/print", methods=["GET"])
@permission("reports.read")
def quarterly_print(quarter: str):  # type: ignore[no-untyped-def]
    """The quarterly report's printable page (what its PDF is made from)."""
    return printable_html(**reading_context(_quarterly(quarter)))


@bp.route("/reports/quarterly/<quarter>/pdf", methods=["GET"])
@permission("reports.read")
def quarterly_pdf(quarter: str):  # type: ignore[no-untyped-def]
    """The quarterly progress report as a tagged PDF."""
    return pdf_response(_quarterly(quarter))


@bp.route("/reports/quarterly/<quarter>/bundle", methods=["GET"])
@permission("ledger.read")
def quarterly_bundle(quarter: str):  # type: ignore[no-untyped-def]
    """The quarterly report's export bundle: the log up to now, the figures, and the verifier (a zip)."""
    q = _quarter(quarter)
    return _bundle_response("quarterly", q.key, None, f"pvb-quarterly-{q.key}")


@bp.route(SIX_MONTHLY_PAGES[0], methods=["GET"])
@bp.route(SIX_MONTHLY_PAGES[1], methods=["GET"])
@permission("reports.read")
def six_monthly(period: str, edition: int | None = None):  # type: ignore[no-untyped-def]
    """An edition of the Independent Chair's six-monthly report (the current one if none is named)."""
    from web.pages.report_publishing import six_monthly_page

    return six_monthly_page(period, edition, {}, {})


@bp.route(SIX_MONTHLY_PAGES[0] + "/print", methods=["GET"])
@bp.route(SIX_MONTHLY_PAGES[1] + "/print", methods=["GET"])
@permission("reports.read")
def six_monthly_print(period: str, edition: int | None = None):  # type: ignore[no-untyped-def]
    """A six-monthly report's printable page (what its PDF is made from)."""
    return printable_html(**reading_context(six_monthly_report(period, edition)))


@bp.route(SIX_MONTHLY_PAGES[0] + "/pdf", methods=["GET"])
@bp.route(SIX_MONTHLY_PAGES[1] + "/pdf", methods=["GET"])
@permission("reports.read")
def six_monthly_pdf(period: str, edition: int | None = None):  # type: ignore[no-untyped-def]
    """A six-monthly report as a tagged PDF; a published one carries its hash, a superseded one says so."""
    return pdf_response(six_monthly_report(period, edition))


@bp.route(SIX_MONTHLY_PAGES[0] + "/bundle", methods=["GET"])
@bp.route(SIX_MONTHLY_PAGES[1] + "/bundle", methods=["GET"])
@permission("ledger.read")
def six_monthly_bundle(period: str, edition: int | None = None):  # type: ignore[no-untyped-def]
    """A six-monthly report's export bundle: the log up to it, its frozen figures, and the verifier (a zip)."""
    r = six_monthly_report(period, edition)
    return _bundle_response("six_monthly", r["period"].key, r["edition"], r["filename"])
