"""/public/api: the JSON twin of each public page, needing no token (in the OpenAPI document with no security)."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from web import public_site
from web.pages.governance_support import today
from web.security import permission

PREFIX = ""
URL_PREFIX = "/public/api"
blp = Blueprint("api_public", __name__, description="The public site's data: no sign-in, no token, no personal data")
NO_TOKEN: dict[str, Any] = {"security": []}


class PublicIndexSchema(Schema):
    """Where each public answer is."""

    framework = fields.String(required=True)
    adoption = fields.String(required=True)
    reports = fields.String(required=True)
    concern_statistics = fields.String(required=True)
    checkpoint = fields.String(required=True)
    feed = fields.String(required=True)


class PublicFrameworkSchema(Schema):
    """The framework at its current version and its history."""

    version = fields.Integer(required=True)
    source = fields.String(required=True)
    items = fields.List(fields.Dict(), required=True)
    history = fields.List(fields.Dict(), required=True)


class PublicAdoptionSchema(Schema):
    """Each organisation's decision and each committee's terms of reference."""

    organisations = fields.List(fields.Dict(), required=True)
    committees = fields.List(fields.Dict(), required=True)


class PublicReportSummarySchema(Schema):
    """A published edition in the list."""

    period = fields.String(required=True)
    edition = fields.Integer(required=True)
    status = fields.String(required=True, metadata={"description": "published, or superseded"})
    published_on = fields.String(required=True)
    superseded_by = fields.Integer(allow_none=True)
    superseded_on = fields.String(allow_none=True)
    supersedes = fields.Integer(allow_none=True)
    content_hash = fields.String(required=True)
    public_summary = fields.String(required=True)
    href = fields.String(required=True)


class PublicReportSchema(Schema):
    """The public edition of a published report: figures, charts, headings and the public summary."""

    period = fields.String(required=True)
    edition = fields.Integer(required=True)
    status = fields.String(required=True)
    published_on = fields.String(required=True)
    content_hash = fields.String(required=True)
    public_summary = fields.String(required=True)
    supersedes = fields.Dict(allow_none=True)
    superseded_by = fields.Integer(allow_none=True)
    figures = fields.Dict(required=True, metadata={"description": "the frozen figures, without quoted text"})
    checkpoint = fields.Dict(allow_none=True)
    pdf = fields.String(required=True)


class PublicConcernStatisticsSchema(Schema):
    """Concerns resolved by level and quarter; figures resting on fewer than five concerns are null."""

    suppressed_below = fields.Integer(required=True)
    resolved_by_quarter_and_level = fields.List(fields.Dict(), required=True)


class PublicCheckpointSchema(Schema):
    """The latest signed checkpoint and the ledger's public keys."""

    checkpoint = fields.Dict(allow_none=True)
    public_keys = fields.List(fields.Dict(), required=True)


@blp.route("")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicIndexSchema)
def index():  # type: ignore[no-untyped-def]
    """Where each of the public site's answers is."""
    return {"framework": url_for("api_public.framework"), "adoption": url_for("api_public.adoption"),
            "reports": url_for("api_public.reports"), "concern_statistics": url_for("api_public.concerns"),
            "checkpoint": url_for("api_public.checkpoint"), "feed": url_for("public.feed")}


@blp.route("/framework")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicFrameworkSchema)
def framework():  # type: ignore[no-untyped-def]
    """The agreed framework at its current version, with its history of amendments."""
    return public_site.framework()


@blp.route("/adoption")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicAdoptionSchema)
def adoption():  # type: ignore[no-untyped-def]
    """Each organisation's adoption: Board decision and date, committees' terms, regulators' and HWB approval."""
    return public_site.adoption()


@blp.route("/reports")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicReportSummarySchema(many=True))
def reports():  # type: ignore[no-untyped-def]
    """Every published six-monthly report edition, newest first; superseded editions marked."""
    return public_site.reports()


def _report(period: str, edition: int | None) -> dict[str, Any]:
    r = public_site.public_report(period, edition)
    return {"period": r["period_key"], "edition": r["edition"], "status": r["status"], "published_on": r["published_on"],
            "content_hash": r["hash"], "public_summary": r["public_summary"], "supersedes": r["supersedes"],
            "superseded_by": r["superseded_by"], "figures": r["figures"], "checkpoint": r["checkpoint"],
            "pdf": r["urls"]["pdf"]}


@blp.route("/reports/<period>")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicReportSchema)
def report(period):  # type: ignore[no-untyped-def]
    """The public edition of a published report (its current edition)."""
    return _report(period, None)


@blp.route("/reports/<period>/editions/<int:edition>")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicReportSchema)
def report_edition(period, edition):  # type: ignore[no-untyped-def]
    """The public edition of one published edition of a report, superseded or not."""
    return _report(period, edition)


@blp.route("/concerns/statistics")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicConcernStatisticsSchema)
def concerns():  # type: ignore[no-untyped-def]
    """Concerns resolved by level and quarter with median working days; no names, fewer than five suppressed."""
    return public_site.concern_statistics(today())


@blp.route("/checkpoint")
@permission("public")
@blp.doc(**NO_TOKEN)
@blp.response(200, PublicCheckpointSchema)
def checkpoint():  # type: ignore[no-untyped-def]
    """The latest signed checkpoint of the log and the ledger's public keys."""
    return public_site.checkpoint()
