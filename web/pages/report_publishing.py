"""Drafting, checking and publishing the six-monthly report, and correcting a published edition.

Publishing is safe: the Publish button leads to a page that shows what will be frozen (the NHS
"check your answers" pattern), refuses while any section could not be drawn, warns when the
figures were drawn at an older position than the log's head with a one-click redraw, and asks for
the public summary. A published edition is put right by a corrected edition, published the same way.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, url_for

from domain.errors import DomainError
from domain.figures import undrawn
from domain.periods import HALF, parse_period
from web.pages.governance_support import can, services, submit
from web.pages.reports import index_page, may_see_drafts, reading_context, six_monthly_report
from web.report_render import headline_figures
from web.schemas.reports import (
    DraftCorrectedEditionRequestSchema,
    DraftSixMonthlyReportRequestSchema,
    EditSixMonthlyNarrativeRequestSchema,
    PublishSixMonthlyReportRequestSchema,
    RedraftSixMonthlyReportRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("report_publishing", __name__)


def _half_key(period: str) -> str:
    try:
        return parse_period(period, HALF).key
    except DomainError as e:
        abort(404, description=str(e))


def six_monthly_page(period: str, edition: int | None, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    """An edition's page: the report, and for its authors the forms that act on the latest edition."""
    r = six_monthly_report(period, edition)
    latest = r["edition"] == max(e["edition"] for e in r["editions"])
    html = render_template(
        "reports/six_monthly.html", **reading_context(r), can_publish=can("reports.publish") and latest,
        can_draft=can("reports.draft") and latest, can_export=can("ledger.read"), errors=errors,
        values=values or {"narrative": r["narrative"]}, just_published=request.args.get("published") == "1",
    )
    return html, status


@bp.route("/reports/six-monthly", methods=["POST"])
@permission("reports.draft")
def draft():  # type: ignore[no-untyped-def]
    """Draft a six-monthly report from the ledger."""
    return submit(DraftSixMonthlyReportRequestSchema(),
                  lambda d: services().ledger.draft_six_monthly_report(require_actor(), **d),
                  index_page, lambda p: url_for("reports.six_monthly", period=p))


def _post(period: str, schema: Any, method: str, then: str = "page"):  # type: ignore[no-untyped-def]
    key = _half_key(period)

    def done(_: Any) -> str:
        if then == "check":
            return url_for("report_publishing.check", period=key)
        return url_for("reports.six_monthly", period=key, edition=_latest_edition(key))

    return submit(schema, lambda d: getattr(services().ledger, method)(require_actor(), period=key, **d),
                  lambda e, v, s: six_monthly_page(key, _latest_edition(key), e, v, s), done)


def _latest_edition(key: str) -> int | None:
    editions = services().projections["reports"].editions(key)
    return max((e["edition"] for e in editions), default=None)


@bp.route("/reports/six-monthly/<period>/redraft", methods=["POST"])
@permission("reports.draft")
def redraft(period: str):  # type: ignore[no-untyped-def]
    """Draw the latest edition's figures again from the ledger as it now stands (back to the check page if asked)."""
    then = "check" if request.args.get("next") == "check" else "page"
    return _post(period, RedraftSixMonthlyReportRequestSchema(), "redraft_six_monthly_report", then)


@bp.route("/reports/six-monthly/<period>/narrative", methods=["POST"])
@permission("reports.publish")
def edit_narrative(period: str):  # type: ignore[no-untyped-def]
    """Record the Independent Chair's narrative of the latest edition."""
    return _post(period, EditSixMonthlyNarrativeRequestSchema(), "edit_six_monthly_narrative")


@bp.route("/reports/six-monthly/<period>/corrections", methods=["POST"])
@permission("reports.draft")
def draft_correction(period: str):  # type: ignore[no-untyped-def]
    """Draft a corrected edition of the published report, saying why."""
    return _post(period, DraftCorrectedEditionRequestSchema(), "draft_corrected_edition")


def _check_page(period: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    key = _half_key(period)
    if not may_see_drafts():
        abort(404)
    r = six_monthly_report(key, _latest_edition(key))
    if r["status"] != "draft":  # published already: nothing to check, show it
        return redirect(url_for("reports.six_monthly", period=key, edition=r["edition"]))
    head = services().ledger.max_position()
    ctx = reading_context(r)
    html = render_template(
        "reports/check.html", **ctx, head=head, behind=services().ledger.figure_changes_since(int(r["drawn_at"] or 0)),
        undrawn=undrawn(r["figures"]), headlines=headline_figures(r["figures"]),
        quotes=sum(len(q["items"]) for s in r["figures"].get("sections", []) for q in s.get("quotes") or []),
        drawn_on=(r.get("checkpoint") or {}).get("time", "")[:10], errors=errors,
        values=values or {"public_summary": "", "drawn_at": r["drawn_at"]},
    )
    return html, status


@bp.route("/reports/six-monthly/<period>/publish", methods=["GET"])
@permission("reports.publish")
def check(period: str):  # type: ignore[no-untyped-def]
    """Check what will be frozen before publishing the latest edition."""
    return _check_page(period, {}, {})


@bp.route("/reports/six-monthly/<period>/publication", methods=["POST"])
@permission("reports.publish")
def publish(period: str):  # type: ignore[no-untyped-def]
    """Publish the latest edition as checked, freezing its content; then show it with a confirmation."""
    key = _half_key(period)
    return submit(PublishSixMonthlyReportRequestSchema(),
                  lambda d: services().ledger.publish_six_monthly_report(require_actor(), period=key, **d),
                  lambda e, v, s: _check_page(key, e, v, s),
                  lambda _: url_for("reports.six_monthly", period=key, edition=_latest_edition(key), published="1"))
