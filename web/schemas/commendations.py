"""JSON and form shapes for commendations."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.commendation import DECISIONS
from web.schemas.governance_fields import LinesList, StringList, day, occurred_on, text


class NominateRequestSchema(Schema):
    """Nominate an individual for a commendation, citing behaviours with examples."""

    nominee_id = fields.UUID(required=True)
    citations = StringList(required=True, metadata={"description": "behaviour ids, e.g. B-6"})
    examples = LinesList(required=True, validate=validate.Length(1, 10))
    nominated_by_id = fields.UUID(load_default=None, allow_none=True,
                                  metadata={"description": "only when recording on someone's behalf"})
    occurred_on = occurred_on()


class DecideCommendationRequestSchema(Schema):
    """Record the decision on a nomination."""

    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    reason = text(4000, required=False)
    occurred_on = occurred_on()


class WithdrawCommendationRequestSchema(Schema):
    """Withdraw a nomination before it is decided."""

    reason = text(2000)
    occurred_on = occurred_on()


class NominationSchema(Schema):
    """A nomination in the list."""

    id = fields.String(required=True)
    nominee_id = fields.String(required=True)
    nominee_name = fields.String(required=True)
    nominee_organisation = fields.String(required=True)
    nominated_by_id = fields.String(required=True)
    nominated_by_name = fields.String(required=True)
    nominated_on = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    status = fields.String(required=True)
    decided_on = fields.String(allow_none=True)


class NominationsQueryArgsSchema(Schema):
    """Filter and paging."""

    status = fields.String(validate=validate.OneOf(["pending", *DECISIONS, "withdrawn"]))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class NominationsPageSchema(Schema):
    """A page of nominations."""

    items = fields.List(fields.Nested(NominationSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class CommendationSchema(Schema):
    """One nomination with its examples and decision."""

    id = fields.String(required=True)
    nominee_id = fields.String(required=True)
    nominee_organisation = fields.String(required=True)
    nominated_by_id = fields.String(required=True)
    nominated_on = day(required=True)
    citations = fields.List(fields.String(), required=True)
    examples = fields.List(fields.String(), required=True)
    decision = fields.String(allow_none=True)
    decided_on = fields.Date(allow_none=True)
    reason = fields.String(allow_none=True)
    withdrawn_on = fields.Date(allow_none=True)
