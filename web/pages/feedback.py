"""Regulator and Health and Wellbeing Board feedback, and the Independent Chair's responses."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from domain.errors import DomainError
from domain.feedback import AssessmentKind, ResponseAction, Tenor
from domain.period import Quarter
from domain.permissions import is_allowed
from domain.values import Role
from web.pages.forms import domain_errors, load_form
from web.replay import replaying, view_for
from web.schemas.feedback import (
    EXAMPLE_SLOTS,
    CommentOnImplementationFormSchema,
    CorrectFeedbackFormSchema,
    FeedbackQueryArgsSchema,
    GiveFeedbackFormSchema,
    RespondToFeedbackRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("feedback", __name__)
PER_PAGE = 20
RECENT_QUARTERS = 8  # the summaries show the latest quarters (a page must not grow with the years)


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


def _organisations() -> list[dict[str, Any]]:
    return current_app.extensions["pvb"].projections["directory"].list_organisations()  # type: ignore[no-any-return]


def quarter_label(key: str) -> str:
    """A quarter key for people ('Q1 2026/27 (Apr–Jun 2026)')."""
    try:
        return Quarter.parse(key).label
    except DomainError:
        return key


@bp.route("/feedback", methods=["GET"])
@permission("feedback.read")
def index():  # type: ignore[no-untyped-def]
    """Feedback by organisation, by giver and over time, with a form for those who give it."""
    return _index_page({}, {})


def _index_page(errors: dict, values: dict, form: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    args_in = {k: v for k, v in request.args.items() if v != "" and k not in ("known_at", "as_of")}
    try:
        args = FeedbackQueryArgsSchema().load(args_in, unknown="exclude")
    except SchemaError as e:
        abort(422, description="the filters are not valid: " + ", ".join(sorted(e.messages_dict)))
    view = view_for("feedback")
    page = args.pop("page")
    args.pop("per_page")
    items, total = view.list_feedback(**args, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    actor = require_actor()
    can_give = is_allowed(actor.role, "feedback.give") and not replaying()
    orgs = _organisations()
    quarters = view.quarters()
    shown = {args["quarter"]} if args.get("quarter") else set(quarters[:RECENT_QUARTERS])
    html = render_template(
        "feedback/index.html",
        items=items, total=total, page=page, per_page=PER_PAGE, filters=args,
        summary=view.tenor_by_quarter(quarters=sorted(shown)),
        by_regulator=view.by_regulator(quarters=sorted(shown)), quarters=quarters,
        older_quarters=len(quarters) > len(shown),
        quarter_label=quarter_label, names={o["code"]: o["name"] for o in orgs},
        subjects=[o for o in orgs if o["kind"] not in ("regulator", "hwb")],
        givers=[o for o in orgs if o["kind"] in ("regulator", "hwb")],
        can_give=can_give, can_comment=can_give and actor.role is Role.REGULATOR,
        tenors=[t.value for t in Tenor], slots=range(1, EXAMPLE_SLOTS + 1),
        errors=errors, values=values, form=form,
    )
    return html, status


@bp.route("/feedback", methods=["POST"])
@permission("feedback.give")
def give():  # type: ignore[no-untyped-def]
    """Give feedback from the form."""
    data, errors = load_form(GiveFeedbackFormSchema())
    if data is None:
        return _index_page(errors, request.form, status=422)
    try:
        feedback_id = _ledger().give_feedback(require_actor(), **data)
    except DomainError as e:
        return _index_page(domain_errors(e), request.form, status=422)
    return redirect(url_for("feedback.detail", feedback_id=feedback_id))


@bp.route("/feedback/implementation", methods=["GET"])
@permission("feedback.give")
def comment_form():  # type: ignore[no-untyped-def]
    """The form for a regulator's comment on the PVB's implementation."""
    return _comment_page({}, {})


def _comment_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    html = render_template(
        "feedback/implementation.html", errors=errors, values=values,
        tenors=[t.value for t in Tenor], assessment_kinds=[k.value for k in AssessmentKind],
        slots=range(1, EXAMPLE_SLOTS + 1),
    )
    return html, status


@bp.route("/feedback/implementation", methods=["POST"])
@permission("feedback.give")
def comment():  # type: ignore[no-untyped-def]
    """Record a comment on the PVB's implementation from the form."""
    data, errors = load_form(CommentOnImplementationFormSchema())
    if data is None:
        return _comment_page(errors, request.form, 422)
    try:
        feedback_id = _ledger().comment_on_implementation(require_actor(), **data)
    except DomainError as e:
        return _comment_page(domain_errors(e), request.form, 422)
    return redirect(url_for("feedback.detail", feedback_id=feedback_id))


@bp.route("/feedback/<uuid:feedback_id>", methods=["GET"])
@permission("feedback.read")
def detail(feedback_id):  # type: ignore[no-untyped-def]
    """One piece of feedback, its examples and the Independent Chair's responses."""
    return _detail_page(str(feedback_id), {}, {}, None)


def _detail_page(feedback_id: str, errors: dict, values: dict, form: str | None, status: int = 200):  # type: ignore[no-untyped-def]
    item = view_for("feedback").get_feedback(feedback_id)
    if item is None:
        abort(404, description=f"feedback {feedback_id} not found")
    actor = require_actor()
    live = not replaying()
    html = render_template(
        "feedback/detail.html", item=item, quarter_label=quarter_label,
        names={o["code"]: o["name"] for o in _organisations()},
        can_respond=live and is_allowed(actor.role, "feedback.respond"),
        can_correct=live and is_allowed(actor.role, "feedback.give") and actor.organisation == item["from_organisation"],
        can_investigate=is_allowed(actor.role, "investigate"),
        actions=[a.value for a in ResponseAction], tenors=[t.value for t in Tenor],
        slots=range(1, EXAMPLE_SLOTS + 1), errors=errors, values=values, form=form,
    )
    return html, status


@bp.route("/feedback/<uuid:feedback_id>/responses", methods=["POST"])
@permission("feedback.respond")
def respond(feedback_id):  # type: ignore[no-untyped-def]
    """Record the Independent Chair's response from the form."""
    data, errors = load_form(RespondToFeedbackRequestSchema())
    if data is None:
        return _detail_page(str(feedback_id), errors, request.form, "respond", 422)
    try:
        _ledger().respond_to_feedback(require_actor(), str(feedback_id), **data)
    except DomainError as e:
        return _detail_page(str(feedback_id), domain_errors(e), request.form, "respond", 422)
    return redirect(url_for("feedback.detail", feedback_id=feedback_id))


@bp.route("/feedback/<uuid:feedback_id>/corrections", methods=["POST"])
@permission("feedback.give")
def correct(feedback_id):  # type: ignore[no-untyped-def]
    """Correct the feedback from the form."""
    data, errors = load_form(CorrectFeedbackFormSchema())
    if data is None:
        return _detail_page(str(feedback_id), errors, request.form, "correct", 422)
    try:
        _ledger().correct_feedback(require_actor(), str(feedback_id), **data)
    except DomainError as e:
        return _detail_page(str(feedback_id), domain_errors(e), request.form, "correct", 422)
    return redirect(url_for("feedback.detail", feedback_id=feedback_id))
