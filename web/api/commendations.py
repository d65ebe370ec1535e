"""Commendations: nominations citing behaviours with examples, and decisions."""

from __future__ import annotations

from flask import abort, current_app
from flask_smorest import Blueprint

from domain.errors import NotFoundError
from web.api.writes import written
from web.schemas.commendations import (
    CommendationSchema,
    DecideCommendationRequestSchema,
    NominateRequestSchema,
    NominationsPageSchema,
    NominationsQueryArgsSchema,
    WithdrawCommendationRequestSchema,
)
from web.schemas.directory import CreatedSchema
from web.security import permission, require_actor

PREFIX = "/commendations"
blp = Blueprint("api_commendations", __name__, description="Nominations for a commendation and decisions")


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


@blp.route("")
@permission("commendations.read")
@blp.arguments(NominationsQueryArgsSchema, location="query")
@blp.response(200, NominationsPageSchema)
def list_nominations(args):  # type: ignore[no-untyped-def]
    """A page of nominations, newest first."""
    page, per_page = args["page"], args["per_page"]
    items, total = _services().projections["commendations"].list_nominations(
        args.get("status"), limit=per_page, offset=(page - 1) * per_page
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("", methods=["POST"])
@permission("commendations.nominate")
@blp.arguments(NominateRequestSchema)
@blp.response(201, CreatedSchema)
def nominate(data):  # type: ignore[no-untyped-def]
    """Nominate an individual, citing behaviours with examples."""
    data["nominee_id"] = str(data["nominee_id"])
    data["nominated_by_id"] = str(data["nominated_by_id"]) if data.get("nominated_by_id") else None
    return written(_services().ledger.nominate_for_commendation(require_actor(), **data))


@blp.route("/<uuid:commendation_id>")
@permission("commendations.read")
@blp.response(200, CommendationSchema)
def get_commendation(commendation_id):  # type: ignore[no-untyped-def]
    """One nomination with its examples and the decision."""
    try:
        return _services().ledger.get_commendation(str(commendation_id))
    except NotFoundError as e:
        abort(404, description=str(e))


@blp.route("/<uuid:commendation_id>/decision", methods=["POST"])
@permission("commendations.decide")
@blp.arguments(DecideCommendationRequestSchema)
@blp.response(201, CreatedSchema)
def decide(data, commendation_id):  # type: ignore[no-untyped-def]
    """Record the decision on a nomination."""
    return written(_services().ledger.decide_commendation(require_actor(), str(commendation_id), **data))


@blp.route("/<uuid:commendation_id>/withdrawal", methods=["POST"])
@permission("commendations.nominate")
@blp.arguments(WithdrawCommendationRequestSchema)
@blp.response(201, CreatedSchema)
def withdraw(data, commendation_id):  # type: ignore[no-untyped-def]
    """Withdraw a nomination before it is decided."""
    return written(_services().ledger.withdraw_commendation(require_actor(), str(commendation_id), **data))
