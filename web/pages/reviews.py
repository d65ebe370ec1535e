"""The Programme Board's quarterly reviews, their decisions, and actions tracked to completion."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from domain.review import CARRIED_FORWARD, DONE, DROPPED
from web.pages.governance_support import can, services, submit, today, view
from web.schemas.reviews import (
    HoldReviewRequestSchema,
    NewReviewActionSchema,
    RecordReviewDecisionRequestSchema,
    UpdateReviewActionRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("reviews", __name__)
ACTION_ROWS = 3


@bp.route("/reviews", methods=["GET"])
@permission("reviews.read")
def index():  # type: ignore[no-untyped-def]
    """Every review, the actions (overdue ones first), and a form to record the quarter's review."""
    return _index_page({}, {})


def _index_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    day = today()
    reviews = view("reviews")
    overdue_only = request.args.get("overdue") == "1"
    actions, total = reviews.list_actions(day, overdue_only=overdue_only, limit=200)
    html = render_template(
        "reviews/index.html", reviews=reviews.list_reviews(), actions=actions, total=total,
        counts=reviews.action_counts(day), overdue_only=overdue_only, can_record=can("reviews.record"),
        errors=errors, values=values, today=day,
    )
    return html, status


@bp.route("/reviews", methods=["POST"])
@permission("reviews.record")
def hold():  # type: ignore[no-untyped-def]
    """Record the quarter's review."""
    return submit(
        HoldReviewRequestSchema(), lambda d: services().ledger.hold_review(require_actor(), **d), _index_page,
        lambda quarter: url_for("reviews.review", quarter=quarter),
    )


@bp.route("/reviews/<quarter>", methods=["GET"])
@permission("reviews.read")
def review(quarter: str):  # type: ignore[no-untyped-def]
    """One review: its decisions and actions, with forms to record more."""
    return _review_page(quarter.upper(), {}, {})


def _review_page(quarter: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    reviews = view("reviews")
    found = reviews.get_review(quarter)
    if found is None:
        abort(404, description=f"no Programme Board review is recorded for {quarter}")
    day = today()
    actions, _ = reviews.list_actions(day, quarter=quarter, limit=200)
    people, _ = view("directory").list_people(senior_only=True, limit=500)
    html = render_template(
        "reviews/review.html", review=found, actions=actions, people=people, rows=range(1, ACTION_ROWS + 1),
        can_record=can("reviews.record"), statuses=[DONE, CARRIED_FORWARD, DROPPED],
        errors=errors, values=values, today=day,
    )
    return html, status


def _form_actions() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The decision form's action rows that were filled in, loaded through the API's schema."""
    actions, errors = [], {}
    for i in range(1, ACTION_ROWS + 1):
        row = {k: request.form.get(f"action_{k}_{i}", "").strip() for k in ("text", "owner_person_id", "due_on")}
        if not any(row.values()):
            continue
        try:
            actions.append(NewReviewActionSchema().load(row))
        except SchemaError as e:
            errors[f"action_text_{i}"] = [f"action {i}: {k}: {', '.join(v)}" for k, v in e.messages_dict.items()]
    return actions, errors


@bp.route("/reviews/<quarter>/decisions", methods=["POST"])
@permission("reviews.record")
def record_decision(quarter: str):  # type: ignore[no-untyped-def]
    """Record a decision of the review with up to three actions."""
    quarter = quarter.upper()
    page = lambda e, v, s: _review_page(quarter, e, v, s)  # noqa: E731
    actions, errors = _form_actions()
    if errors:
        return page(errors, dict(request.form), 422)

    def command(d: dict[str, Any]) -> int:
        d["actions"] = [dict(a, owner_person_id=str(a["owner_person_id"])) for a in actions]
        return services().ledger.record_review_decision(require_actor(), quarter, **d)

    return submit(RecordReviewDecisionRequestSchema(), command, page, lambda _: url_for("reviews.review", quarter=quarter))


@bp.route("/reviews/<quarter>/actions/<int:number>", methods=["POST"])
@permission("reviews.record")
def update_action(quarter: str, number: int):  # type: ignore[no-untyped-def]
    """Mark an action done, carried forward or dropped."""
    quarter = quarter.upper()
    page = lambda e, v, s: _review_page(quarter, e, v, s)  # noqa: E731
    return submit(
        UpdateReviewActionRequestSchema(),
        lambda d: services().ledger.update_review_action(require_actor(), quarter, number, **d), page,
        lambda _: url_for("reviews.review", quarter=quarter),
    )
