"""The Programme Board's quarterly reviews, their decisions, and their actions."""

from __future__ import annotations

from flask import abort, current_app
from flask_smorest import Blueprint

from web.api.writes import written
from web.schemas.directory import CreatedSchema
from web.schemas.reviews import (
    HoldReviewRequestSchema,
    RecordReviewDecisionRequestSchema,
    ReviewActionsPageSchema,
    ReviewActionsQueryArgsSchema,
    ReviewDetailSchema,
    ReviewSchema,
    UpdateReviewActionRequestSchema,
)
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint("api_reviews", __name__, description="The Programme Board's quarterly reviews and actions")


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


@blp.route("/reviews")
@permission("reviews.read")
@blp.response(200, ReviewSchema(many=True))
def list_reviews():  # type: ignore[no-untyped-def]
    """Reviews, newest first, with counts of their actions."""
    return _services().projections["reviews"].list_reviews(limit=100)


@blp.route("/reviews", methods=["POST"])
@permission("reviews.record")
@blp.arguments(HoldReviewRequestSchema)
@blp.response(201, CreatedSchema)
def hold_review(data):  # type: ignore[no-untyped-def]
    """Record the quarter's review (the quarter is that of occurred_on)."""
    return written(_services().ledger.hold_review(require_actor(), **data))


@blp.route("/reviews/<quarter>")
@permission("reviews.read")
@blp.response(200, ReviewDetailSchema)
def get_review(quarter):  # type: ignore[no-untyped-def]
    """One review with its decisions."""
    found = _services().projections["reviews"].get_review(quarter.upper())
    if found is None:
        abort(404, description=f"no Programme Board review is recorded for {quarter}")
    return found


@blp.route("/reviews/<quarter>/decisions", methods=["POST"])
@permission("reviews.record")
@blp.arguments(RecordReviewDecisionRequestSchema)
@blp.response(201, CreatedSchema)
def record_decision(data, quarter):  # type: ignore[no-untyped-def]
    """Record a decision of the review with its actions (each with an owner and a due date)."""
    data["actions"] = [dict(a, owner_person_id=str(a["owner_person_id"])) for a in data["actions"]]
    number = _services().ledger.record_review_decision(require_actor(), quarter.upper(), **data)
    return written(f"{quarter.upper()}-D{number}")


@blp.route("/reviews/<quarter>/actions/<number>", methods=["POST"])
@permission("reviews.record")
@blp.arguments(UpdateReviewActionRequestSchema)
@blp.response(201, CreatedSchema)
def update_action(data, quarter, number):  # type: ignore[no-untyped-def]
    """Mark an action done, carried forward to a new due date, or dropped with a reason."""
    return written(_services().ledger.update_review_action(require_actor(), quarter.upper(), _number(number), **data))


def _number(value: str) -> int:
    """An action's number from the path (1, 2, ...), or 404."""
    if not value.isdigit() or not 0 < int(value) < 10_000:
        abort(404, description=f"action {value} not found")
    return int(value)


@blp.route("/review-actions")
@permission("reviews.read")
@blp.arguments(ReviewActionsQueryArgsSchema, location="query")
@blp.response(200, ReviewActionsPageSchema)
def list_actions(args):  # type: ignore[no-untyped-def]
    """A page of actions, each flagged overdue as of today (or the given day)."""
    day = args["today"] or _services().ledger.clock().date()
    page, per_page = args["page"], args["per_page"]
    items, total = _services().projections["reviews"].list_actions(
        day, quarter=args.get("quarter"), status=args.get("status"), overdue_only=args["overdue"],
        limit=per_page, offset=(page - 1) * per_page,
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}
