"""The Board's reports and the "what is due" calendar."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app
from flask_smorest import Blueprint

from domain.errors import DomainError, NotFoundError
from domain.periods import HALF, QUARTER, parse_period
from domain.permissions import is_allowed
from web.api.writes import written
from web.pages.calendar import due_items
from web.schemas.directory import CreatedSchema
from web.schemas.reports import (
    CorrectedEditionSchema,
    DraftCorrectedEditionRequestSchema,
    DraftSixMonthlyReportRequestSchema,
    DueQueryArgsSchema,
    DueSchema,
    EditSixMonthlyNarrativeRequestSchema,
    PublishSixMonthlyReportRequestSchema,
    QuarterlyReportSchema,
    RedraftSixMonthlyReportRequestSchema,
    ReportPublishedSchema,
    SixMonthlyReportSchema,
    SixMonthlyReportSummarySchema,
)
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint("api_reports", __name__, description="The quarterly and six-monthly reports, and what is due")


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


def _sees_drafts() -> bool:
    role = require_actor().role
    return is_allowed(role, "reports.draft") or is_allowed(role, "reports.publish")


def _key(period: str, kind: str) -> str:
    try:
        return parse_period(period, kind).key
    except DomainError as e:
        abort(404, description=str(e))


@blp.route("/reports")
@permission("reports.read")
@blp.response(200, SixMonthlyReportSummarySchema(many=True))
def list_reports():  # type: ignore[no-untyped-def]
    """Six-monthly reports, newest first (drafts only to those who draft or publish them)."""
    rows = _services().projections["reports"].list_reports()
    return [r for r in rows if r["status"] == "published" or _sees_drafts()]


@blp.route("/reports/six-monthly", methods=["POST"])
@permission("reports.draft")
@blp.arguments(DraftSixMonthlyReportRequestSchema)
@blp.response(201, CreatedSchema)
def draft(data):  # type: ignore[no-untyped-def]
    """Draft the six-monthly report for a half-year from the ledger's views."""
    return written(_services().ledger.draft_six_monthly_report(require_actor(), **data))


def _six_monthly(period: str, edition: int | None) -> dict:
    key = _key(period, HALF)
    row = _services().projections["reports"].get_report(key, edition=edition)
    if row is None or (row["status"] == "draft" and not _sees_drafts()):
        abort(404, description=f"no six-monthly report is published for {key}" + (f" as edition {edition}" if edition else ""))
    if row["status"] != "draft":
        content = row["content"]
        return {"kind": row["kind"], "period": key, "edition": row["edition"], "status": row["status"],
                "figures": content["figures"], "narrative": content["narrative"],
                "published_on": date.fromisoformat(content["published_on"]), "content": content,
                "content_hash": row["content_hash"], "checkpoint": content.get("checkpoint"),
                "supersedes": row["supersedes"], "reason": row["reason"], "superseded_by": row["superseded_by"]}
    try:
        r = _services().ledger.get_six_monthly_report(key, row["edition"])
    except NotFoundError as e:
        abort(404, description=str(e))
    return {"kind": r.kind, "period": r.period, "edition": r.edition, "status": "draft", "figures": r.figures,
            "narrative": r.narrative, "published_on": None, "content": None, "content_hash": None,
            "checkpoint": r.checkpoint, "supersedes": r.supersedes, "reason": r.reason, "superseded_by": None}


@blp.route("/reports/six-monthly/<period>")
@permission("reports.read")
@blp.response(200, SixMonthlyReportSchema)
def get_six_monthly(period):  # type: ignore[no-untyped-def]
    """A six-monthly report's current edition: the latest published (frozen content and its SHA-256), else the draft."""
    return _six_monthly(period, None)


@blp.route("/reports/six-monthly/<period>/editions/<int:edition>")
@permission("reports.read")
@blp.response(200, SixMonthlyReportSchema)
def get_six_monthly_edition(period, edition):  # type: ignore[no-untyped-def]
    """One edition of a six-monthly report: published, superseded (still as published), or a draft."""
    return _six_monthly(period, edition)


@blp.route("/reports/six-monthly/<period>/redraft", methods=["POST"])
@permission("reports.draft")
@blp.arguments(RedraftSixMonthlyReportRequestSchema)
@blp.response(201, CreatedSchema)
def redraft(data, period):  # type: ignore[no-untyped-def]
    """Draw the figures again from the ledger as it now stands."""
    return written(_services().ledger.redraft_six_monthly_report(require_actor(), period=_key(period, HALF), **data))


@blp.route("/reports/six-monthly/<period>/narrative", methods=["POST"])
@permission("reports.publish")
@blp.arguments(EditSixMonthlyNarrativeRequestSchema)
@blp.response(201, CreatedSchema)
def edit_narrative(data, period):  # type: ignore[no-untyped-def]
    """Record the Independent Chair's narrative."""
    return written(_services().ledger.edit_six_monthly_narrative(require_actor(), period=_key(period, HALF), **data))


@blp.route("/reports/six-monthly/<period>/publication", methods=["POST"])
@permission("reports.publish")
@blp.arguments(PublishSixMonthlyReportRequestSchema)
@blp.response(201, ReportPublishedSchema)
def publish(data, period):  # type: ignore[no-untyped-def]
    """Publish the latest edition with its public summary: its content is frozen and its SHA-256 recorded.

    Refused while a section could not be drawn, without a narrative, when drawn_at is given and the
    figures were redrawn since, and when the public summary names anyone in the directory.
    """
    key = _key(period, HALF)
    digest = _services().ledger.publish_six_monthly_report(require_actor(), period=key, **data)
    return dict(written(key), content_hash=digest)


@blp.route("/reports/six-monthly/<period>/corrections", methods=["POST"])
@permission("reports.draft")
@blp.arguments(DraftCorrectedEditionRequestSchema)
@blp.response(201, CorrectedEditionSchema)
def draft_correction(data, period):  # type: ignore[no-untyped-def]
    """Draft a corrected edition to supersede the published one, saying why; it is published the same way."""
    edition = _services().ledger.draft_corrected_edition(require_actor(), period=_key(period, HALF), **data)
    return dict(written(_key(period, HALF)), edition=edition)


@blp.route("/reports/quarterly/<quarter>")
@permission("reports.read")
@blp.response(200, QuarterlyReportSchema)
def quarterly(quarter):  # type: ignore[no-untyped-def]
    """The quarterly progress report's figures for a quarter (e.g. 2026-27-Q2)."""
    key = _key(quarter, QUARTER)
    figures = _services().ledger.draw_report_figures("quarterly", key)
    try:
        checkpoint = _services().ledger.report_checkpoint()
    except DomainError:
        checkpoint = None
    return {"quarter": key, "figures": figures, "checkpoint": checkpoint}


@blp.route("/calendar/due")
@permission("calendar.read")
@blp.arguments(DueQueryArgsSchema, location="query")
@blp.response(200, DueSchema)
def due(args):  # type: ignore[no-untyped-def]
    """The paper's calendar as of a day: each duty done, due or overdue, and for whom."""
    day = args["today"] or _services().ledger.clock().date()
    items, counts = due_items(day)
    if args.get("status"):
        items = [i for i in items if i["status"] == args["status"]]
    return {"today": day, "counts": counts, "items": items}
