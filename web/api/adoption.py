"""Adoption of the framework: papers to Boards and committees, decisions, regulators' roles."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from web.api.writes import written
from web.schemas.adoption import (
    AdoptionSchema,
    CorrectAdoptionDecisionRequestSchema,
    NotifyBodyRequestSchema,
    RecordAdoptionDecisionRequestSchema,
    TakePaperRequestSchema,
)
from web.schemas.directory import CreatedSchema
from web.security import permission, require_actor

PREFIX = "/adoption"
blp = Blueprint("api_adoption", __name__, description="Adoption of the framework by each organisation and committee")


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


@blp.route("")
@permission("adoption.read")
@blp.response(200, AdoptionSchema)
def get_adoption():  # type: ignore[no-untyped-def]
    """Organisations and bodies by step, committees, and counts."""
    view = current_app.extensions["pvb"].projections["adoption"]
    return {"bodies": view.list_bodies(), "committees": view.list_committees(), "summary": view.summary()}


@blp.route("/papers", methods=["POST"])
@permission("adoption.record")
@blp.arguments(TakePaperRequestSchema)
@blp.response(201, CreatedSchema)
def take_paper(data):  # type: ignore[no-untyped-def]
    """Record that the paper went to an organisation's Board or Governing Body."""
    return written(_ledger().take_paper_to_board(require_actor(), **data))


@blp.route("/decisions", methods=["POST"])
@permission("adoption.record")
@blp.arguments(RecordAdoptionDecisionRequestSchema)
@blp.response(201, CreatedSchema)
def record_decision(data):  # type: ignore[no-untyped-def]
    """Record a Board's, Governing Body's, regulator's or the HWB's decision."""
    return written(_ledger().record_adoption_decision(require_actor(), **data))


@blp.route("/corrections", methods=["POST"])
@permission("adoption.record")
@blp.arguments(CorrectAdoptionDecisionRequestSchema)
@blp.response(201, CreatedSchema)
def correct_decision(data):  # type: ignore[no-untyped-def]
    """Put right a wrongly recorded decision, with the reason."""
    data.pop("note", None)
    return written(_ledger().correct_adoption_decision(require_actor(), **data))


@blp.route("/committees", methods=["POST"])
@permission("adoption.record")
@blp.arguments(NotifyBodyRequestSchema)
@blp.response(201, CreatedSchema)
def notify_committee(data):  # type: ignore[no-untyped-def]
    """Record that a committee or sub-committee (a meeting body, by code) was sent the paper.

    Its terms of reference being updated is POST /meeting-bodies/{code}/terms-of-reference.
    """
    return written(_ledger().notify_body(require_actor(), data.pop("body"), **data))
