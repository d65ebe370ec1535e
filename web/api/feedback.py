"""Regulator and Health and Wellbeing Board feedback, and the Independent Chair's responses."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask_smorest import Blueprint
from marshmallow import RAISE

from web.api.writes import written
from web.replay import view_for
from web.schemas.directory import CreatedSchema
from web.schemas.feedback import (
    CommentOnImplementationRequestSchema,
    CorrectFeedbackRequestSchema,
    FeedbackPageSchema,
    FeedbackQueryArgsSchema,
    FeedbackSchema,
    FeedbackSummarySchema,
    GiveFeedbackRequestSchema,
    RespondToFeedbackRequestSchema,
)
from web.schemas.replay import ReplayQueryArgsSchema
from web.security import permission, require_actor

PREFIX = "/feedback"
blp = Blueprint(
    "api_feedback", __name__,
    description="Feedback to the Independent Chair from regulators and the Health and Wellbeing "
    "Board, with examples, and the Chair's responses. Lists accept ?known_at= and ?as_of= to "
    "replay the view (permission 'replay').",
)


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


def examples_in(data: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Examples from a request, person ids as strings."""
    if data.get("examples") is None:
        return None
    return [{**e, "person_id": str(e["person_id"]) if e.get("person_id") else None} for e in data["examples"]]


@blp.route("")
@permission("feedback.read")
@blp.arguments(FeedbackQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, FeedbackPageSchema)
def list_feedback(args):  # type: ignore[no-untyped-def]
    """A page of feedback, newest first, filtered by organisation, giver, quarter and more."""
    page, per_page = args.pop("page"), args.pop("per_page")
    args.pop("known_at", None), args.pop("as_of", None)  # honoured by view_for
    items, total = view_for("feedback").list_feedback(
        **args, limit=per_page, offset=(page - 1) * per_page
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("", methods=["POST"])
@permission("feedback.give")
@blp.arguments(GiveFeedbackRequestSchema)
@blp.response(201, CreatedSchema)
def give_feedback(data):  # type: ignore[no-untyped-def]
    """Give the Independent Chair feedback on an organisation's adherence to the PVB."""
    data["organisation"] = data["organisation"].upper()
    feedback_id = _ledger().give_feedback(require_actor(), **{**data, "examples": examples_in(data)})
    return written(feedback_id)


@blp.route("/implementation", methods=["POST"])
@permission("feedback.give")
@blp.arguments(CommentOnImplementationRequestSchema)
@blp.response(201, CreatedSchema)
def comment_on_implementation(data):  # type: ignore[no-untyped-def]
    """Record a regulator's comment on the PVB's implementation, made in an STP assessment."""
    feedback_id = _ledger().comment_on_implementation(
        require_actor(), **{**data, "examples": examples_in(data)}
    )
    return written(feedback_id)


@blp.route("/summary")
@permission("feedback.read")
@blp.arguments(ReplayQueryArgsSchema(only=("known_at", "as_of")), location="query", unknown=RAISE)
@blp.response(200, FeedbackSummarySchema)
def summary(args):  # type: ignore[no-untyped-def]
    """Count and tenor of adherence feedback per organisation and quarter, and per giver."""
    view = view_for("feedback")
    return {"by_organisation": view.tenor_by_quarter(), "by_regulator": view.by_regulator()}


@blp.route("/<uuid:feedback_id>")
@permission("feedback.read")
@blp.arguments(ReplayQueryArgsSchema(only=("known_at", "as_of")), location="query", unknown=RAISE)
@blp.response(200, FeedbackSchema)
def get_feedback(args, feedback_id):  # type: ignore[no-untyped-def]
    """One piece of feedback, its examples and every response."""
    found = view_for("feedback").get_feedback(str(feedback_id))
    if found is None:
        abort(404, description=f"feedback {feedback_id} not found")
    return found


@blp.route("/<uuid:feedback_id>/responses", methods=["POST"])
@permission("feedback.respond")
@blp.arguments(RespondToFeedbackRequestSchema)
@blp.response(201, CreatedSchema)
def respond(data, feedback_id):  # type: ignore[no-untyped-def]
    """Record the Independent Chair's response to a piece of feedback."""
    _ledger().respond_to_feedback(require_actor(), str(feedback_id), **data)
    return written(str(feedback_id))


@blp.route("/<uuid:feedback_id>/corrections", methods=["POST"])
@permission("feedback.give")
@blp.arguments(CorrectFeedbackRequestSchema)
@blp.response(201, CreatedSchema)
def correct(data, feedback_id):  # type: ignore[no-untyped-def]
    """Correct a mistake in feedback your organisation gave (say what changes, and why)."""
    _ledger().correct_feedback(require_actor(), str(feedback_id), **{**data, "examples": examples_in(data)})
    return written(str(feedback_id))
