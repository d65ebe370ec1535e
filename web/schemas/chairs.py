"""JSON and form shapes for the Independent Chair's meetings and the development programme."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.development import PLEDGE_OUTCOMES
from web.schemas.governance_fields import StringList, day, occurred_on, text

ORG_CODE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")


class AgreedActionSchema(Schema):
    """An action agreed at the meeting."""

    text = text(1000)
    owner_organisation = fields.String(required=True, validate=ORG_CODE)
    due_on = day(required=True)


class HoldChairsMeetingRequestSchema(Schema):
    """Record the quarter's meeting with the Chairs (its quarter is the date's)."""

    attended = StringList(required=True, metadata={"description": "codes of the organisations whose Chair came"})
    progress_reviewed = text(8000)
    successes = text(8000, required=False)
    actions = fields.List(fields.Nested(AgreedActionSchema), load_default=list, validate=validate.Length(max=20))
    occurred_on = occurred_on()


class CompleteChairsMeetingActionRequestSchema(Schema):
    """Record that an action was done."""

    note = text(2000, required=False)
    occurred_on = occurred_on()


class ChairAttendeeSchema(Schema):
    """A Chair who attended."""

    organisation = fields.String(required=True)
    person_id = fields.String(required=True)
    name = fields.String(required=True)


class ChairsMeetingActionSchema(Schema):
    """An action agreed at a meeting."""

    number = fields.Integer(required=True)
    text = fields.String(required=True)
    owner_organisation = fields.String(required=True)
    due_on = fields.String(required=True)
    done_on = fields.String(allow_none=True)
    overdue = fields.Boolean(required=True)


class ChairsMeetingSchema(Schema):
    """A quarter's meeting of the Independent Chair with the Chairs."""

    quarter = fields.String(required=True)
    held_on = fields.String(required=True)
    progress_reviewed = fields.String(required=True)
    successes = fields.String(required=True)
    attendees = fields.List(fields.Nested(ChairAttendeeSchema), required=True)
    absent = fields.List(fields.String(), required=True)
    actions = fields.List(fields.Nested(ChairsMeetingActionSchema), required=True)


class HoldLearningSessionRequestSchema(Schema):
    """Record a learning session of the development programme."""

    title = text(200)
    facilitator = text(200, required=False)
    citations = StringList(load_default=list)
    occurred_on = occurred_on()


class RecordAttendanceRequestSchema(Schema):
    """Record who attended a session (person ids of Chairs and Chief Executives)."""

    attendees = StringList(required=True, validate=validate.Length(1, 50))
    occurred_on = occurred_on()


class MakePledgeRequestSchema(Schema):
    """Make your own personal pledge."""

    text = text(2000)
    citations = StringList(required=True)
    occurred_on = occurred_on()


class RevisitPledgeRequestSchema(Schema):
    """Revisit your own pledge."""

    outcome = fields.String(required=True, validate=validate.OneOf(PLEDGE_OUTCOMES))
    reflection = text(4000)
    occurred_on = occurred_on()


class SessionAttendeeSchema(Schema):
    """Someone who attended a session."""

    person_id = fields.String(required=True)
    name = fields.String(required=True)
    organisation = fields.String(required=True)


class LearningSessionSchema(Schema):
    """A learning session with its attendees."""

    id = fields.String(required=True)
    title = fields.String(required=True)
    facilitator = fields.String(required=True)
    held_on = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    attendees = fields.List(fields.Nested(SessionAttendeeSchema), required=True)


class PledgeSummarySchema(Schema):
    """A pledge in the list (its wording is read one by one)."""

    id = fields.String(required=True)
    person_id = fields.String(required=True)
    name = fields.String(required=True)
    organisation = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    made_on = fields.String(required=True)
    revisits = fields.Integer(required=True)
    last_revisited_on = fields.String(allow_none=True)
    last_outcome = fields.String(allow_none=True)


class DevelopmentSchema(Schema):
    """The development programme: sessions, pledges and counts."""

    sessions = fields.List(fields.Nested(LearningSessionSchema), required=True)
    pledges = fields.List(fields.Nested(PledgeSummarySchema), required=True)
    summary = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class PledgeRevisitSchema(Schema):
    """A revisit of a pledge."""

    revisited_on = day(required=True)
    outcome = fields.String(required=True)
    reflection = fields.String(required=True)


class PledgeSchema(Schema):
    """A pledge with its wording and revisits."""

    id = fields.String(required=True)
    person_id = fields.String(required=True)
    organisation = fields.String(required=True)
    text = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    made_on = day(required=True)
    revisits = fields.List(fields.Nested(PledgeRevisitSchema), required=True)
