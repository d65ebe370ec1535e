"""JSON and form shapes for the Programme Board's quarterly reviews and their actions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.review import ACTION_STATUSES, CARRIED_FORWARD, DONE, DROPPED
from web.schemas.governance_fields import day, occurred_on, text


class HoldReviewRequestSchema(Schema):
    """Record that the Programme Board held its quarterly review (its quarter is the date's)."""

    summary = text(8000)
    occurred_on = occurred_on()


class NewReviewActionSchema(Schema):
    """An action a decision sets."""

    text = text(1000)
    owner_person_id = fields.UUID(required=True)
    due_on = day(required=True)


class RecordReviewDecisionRequestSchema(Schema):
    """Record a decision of the review and its actions."""

    decided = text(4000)
    learning = text(4000, required=False)
    good_practice = text(4000, required=False)
    successes = text(4000, required=False)
    issues_resolved = text(4000, required=False)
    actions = fields.List(fields.Nested(NewReviewActionSchema), load_default=list, validate=validate.Length(max=20))
    occurred_on = occurred_on()


class UpdateReviewActionRequestSchema(Schema):
    """Mark an action done, carried forward (with a new due date and reason) or dropped (reason)."""

    status = fields.String(required=True, validate=validate.OneOf([DONE, CARRIED_FORWARD, DROPPED]))
    note = text(2000, required=False, metadata={"description": "the reason, for carried_forward or dropped"})
    due_on = day()
    occurred_on = occurred_on()


class ReviewSchema(Schema):
    """A quarter's review."""

    quarter = fields.String(required=True)
    held_on = fields.String(required=True)
    summary = fields.String(required=True)
    decisions = fields.Integer(required=True)
    actions = fields.Integer()
    open_actions = fields.Integer()


class ReviewDecisionSchema(Schema):
    """A decision of a review."""

    number = fields.Integer(required=True)
    decided = fields.String(required=True)
    learning = fields.String(required=True)
    good_practice = fields.String(required=True)
    successes = fields.String(required=True)
    issues_resolved = fields.String(required=True)
    decided_on = fields.String(required=True)


class ReviewDetailSchema(ReviewSchema):
    """A review with its decisions."""

    decision_list = fields.List(fields.Nested(ReviewDecisionSchema), required=True)


class ReviewActionSchema(Schema):
    """An action with its owner, state and overdue flag."""

    ref = fields.String(required=True)
    quarter = fields.String(required=True)
    number = fields.Integer(required=True)
    decision = fields.Integer(required=True)
    text = fields.String(required=True)
    owner_person_id = fields.String(required=True)
    owner_organisation = fields.String(required=True)
    owner_name = fields.String(required=True)
    set_on = fields.String(required=True)
    due_on = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(ACTION_STATUSES))
    closed_on = fields.String(allow_none=True)
    reason = fields.String(required=True)
    times_carried = fields.Integer(required=True)
    overdue = fields.Boolean(required=True)


class ReviewActionsQueryArgsSchema(Schema):
    """Filters and paging for actions; overdue is judged on today (defaults to today)."""

    quarter = fields.String(validate=validate.Regexp(r"^\d{4}-\d{2}-Q[1-4]$"))
    status = fields.String(validate=validate.OneOf(ACTION_STATUSES))
    overdue = fields.Boolean(load_default=False)
    today = day()
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class ReviewActionsPageSchema(Schema):
    """A page of actions."""

    items = fields.List(fields.Nested(ReviewActionSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
