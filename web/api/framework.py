"""The framework catalogue."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from flask_smorest import Blueprint

from domain.framework import CatalogueItem
from web.schemas.framework import (
    AmendFrameworkRequestSchema,
    FrameworkQueryArgsSchema,
    FrameworkSchema,
)
from web.security import permission, require_actor

PREFIX = "/framework"
blp = Blueprint("api_framework", __name__, description="The principles, values and behaviours")


@blp.route("")
@permission("framework.read")
@blp.arguments(FrameworkQueryArgsSchema, location="query")
@blp.response(200, FrameworkSchema)
def get_framework(args):  # type: ignore[no-untyped-def]
    """Read a version of the framework (the current one by default)."""
    return asdict(current_app.extensions["pvb"].ledger.get_framework(args.get("version")))


@blp.route("/amendments", methods=["POST"])
@permission("framework.amend")
@blp.arguments(AmendFrameworkRequestSchema)
@blp.response(201, FrameworkSchema)
def amend_framework(data):  # type: ignore[no-untyped-def]
    """Record an amendment agreed by the Programme Board, making a new version."""
    ledger = current_app.extensions["pvb"].ledger
    version = ledger.amend_framework(
        require_actor(),
        added=[CatalogueItem.from_dict(i) for i in data["added"]],
        changed=[CatalogueItem.from_dict(i) for i in data["changed"]],
        withdrawn=data["withdrawn"],
        reason=data["reason"],
        occurred_on=data["occurred_on"],
    )
    return asdict(ledger.get_framework(version))
