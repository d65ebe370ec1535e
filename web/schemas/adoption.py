"""JSON and form shapes for the framework's adoption."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.adoption import DECISIONS, EXTERNAL_ROLES
from web.schemas.governance_fields import StringList, occurred_on, text

ORG_CODE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")


class TakePaperRequestSchema(Schema):
    """Record that the paper went to an organisation's Board or Governing Body."""

    organisation = fields.String(required=True, validate=ORG_CODE)
    body = text(200)
    occurred_on = occurred_on()


class RecordAdoptionDecisionRequestSchema(Schema):
    """Record the decision of a Board, Governing Body, regulator or the HWB."""

    organisation = fields.String(required=True, validate=ORG_CODE)
    decision = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    amendments = fields.String(load_default=None, allow_none=True, validate=validate.Length(0, 4000))
    roles_accepted = StringList(load_default=list, metadata={"description": ", ".join(EXTERNAL_ROLES)})
    note = text(4000, required=False)
    occurred_on = occurred_on()


class CorrectAdoptionDecisionRequestSchema(RecordAdoptionDecisionRequestSchema):
    """Put right a wrongly recorded decision."""

    reason = text(2000)


class NotifyBodyRequestSchema(Schema):
    """Record that a committee or sub-committee (a meeting body) was sent the paper.

    Its terms of reference being updated is recorded on the body: POST /meeting-bodies/{code}/terms-of-reference.
    """

    body = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$"),
                         metadata={"description": "the meeting body's code, e.g. FPC"})
    note = text(2000, required=False)
    occurred_on = occurred_on()


class AdoptionBodySchema(Schema):
    """An organisation or body and where it stands in adopting the framework."""

    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    external = fields.Boolean(required=True)
    step = fields.String(required=True)
    body = fields.String(allow_none=True)
    paper_taken_on = fields.String(allow_none=True)
    decision = fields.String(allow_none=True)
    decided_on = fields.String(allow_none=True)
    amendments = fields.String(allow_none=True)
    roles_accepted = fields.List(fields.String(), required=True)
    corrections = fields.Integer(required=True)
    outstanding = fields.String(allow_none=True)


class CommitteeSchema(Schema):
    """A committee or sub-committee (a meeting body): sent the paper, and its terms of reference updated."""

    code = fields.String(required=True)
    id = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    reports_to = fields.String(allow_none=True)
    notified_on = fields.String(allow_none=True)
    terms_updated_on = fields.String(allow_none=True)
    terms_reference = fields.String(allow_none=True)
    terms_framework_version = fields.Integer(allow_none=True)
    terms_updates = fields.Integer(required=True)
    outstanding = fields.String(allow_none=True)


class AdoptionSchema(Schema):
    """The adoption view: bodies by step, committees, and counts."""

    bodies = fields.List(fields.Nested(AdoptionBodySchema), required=True)
    committees = fields.List(fields.Nested(CommitteeSchema), required=True)
    summary = fields.Dict(keys=fields.String(), required=True)
