"""JSON and form shapes for senior leaders' PVB objectives."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from domain.objective import OUTCOMES
from web.schemas.governance_fields import StringList, day, occurred_on, text


class SetObjectiveRequestSchema(Schema):
    """Record a PVB objective for a senior leader of your organisation."""

    person_id = fields.UUID(required=True)
    text = text(2000)
    citations = StringList(required=True, metadata={"description": "catalogue ids, e.g. SL-4, B-1"})
    period_start = day(required=True)
    period_end = day(required=True)
    occurred_on = occurred_on()


class SetObjectiveFormSchema(Schema):
    """The page's form: the period is chosen as a financial year."""

    person_id = fields.UUID(required=True)
    text = text(2000)
    citations = StringList(required=True)
    year = fields.String(required=True, validate=validate.Regexp(r"^\d{4}-\d{2}$"))
    occurred_on = occurred_on()


class NoteObjectiveProgressRequestSchema(Schema):
    """Add a progress note to an objective."""

    note = text(4000)
    occurred_on = occurred_on()


class AssessObjectiveRequestSchema(Schema):
    """Record the year-end assessment."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    comment = text(4000, required=False)
    occurred_on = occurred_on()


class CorrectObjectiveAssessmentRequestSchema(Schema):
    """Put right a wrongly recorded assessment."""

    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = text(2000)
    occurred_on = occurred_on()


class ObjectiveCoverageQueryArgsSchema(Schema):
    """The day coverage is judged on (defaults to today)."""

    today = day()


class ObjectiveGapSchema(Schema):
    """A senior leader without a current PVB objective."""

    id = fields.String(required=True)
    name = fields.String(required=True)
    title = fields.String(required=True)


class ObjectiveOutcomesSchema(Schema):
    """Assessment outcomes counted."""

    met = fields.Integer(required=True)
    partly_met = fields.Integer(required=True)
    not_met = fields.Integer(required=True)
    not_assessed = fields.Integer(required=True)


class ObjectiveCoverageSchema(Schema):
    """One organisation's coverage of PVB objectives."""

    code = fields.String(required=True)
    name = fields.String(required=True)
    chair_id = fields.String(allow_none=True)
    chair_name = fields.String(allow_none=True)
    leaders = fields.Integer(required=True)
    covered = fields.Integer(required=True)
    share = fields.Integer(required=True)
    gaps = fields.List(fields.Nested(ObjectiveGapSchema), required=True)
    last_year = fields.String(required=True)
    outcomes = fields.Nested(ObjectiveOutcomesSchema, required=True)
    concerns_for_next_review = fields.Integer(required=True)


class ObjectiveTrendSchema(ObjectiveOutcomesSchema):
    """One financial year's coverage and outcomes."""

    year = fields.String(required=True)
    label = fields.String(required=True)
    leaders = fields.Integer(required=True)
    covered = fields.Integer(required=True)
    share = fields.Integer(required=True)


class ObjectivesCoverageSchema(Schema):
    """Coverage by organisation on a day, and the trend by year."""

    today = day(required=True)
    organisations = fields.List(fields.Nested(ObjectiveCoverageSchema), required=True)
    trend = fields.List(fields.Nested(ObjectiveTrendSchema), required=True)


class ProgressNoteSchema(Schema):
    """A progress note."""

    noted_on = day(required=True)
    note = fields.String(required=True)


class ObjectiveSchema(Schema):
    """One objective with its notes and assessment."""

    id = fields.String(required=True)
    person_id = fields.String(required=True)
    organisation = fields.String(required=True)
    text = fields.String(required=True)
    citations = fields.List(fields.String(), required=True)
    framework_version = fields.Integer(required=True)
    period_start = day(required=True)
    period_end = day(required=True)
    set_on = day(required=True)
    set_by_person_id = fields.String(allow_none=True)
    notes = fields.List(fields.Nested(ProgressNoteSchema), required=True)
    outcome = fields.String(allow_none=True)
    assessed_on = fields.Date(allow_none=True)
    comment = fields.String(allow_none=True)


class ReviewConcernSchema(Schema):
    """A concern the Independent Chair took up about an individual, to reflect in their next performance review."""

    concern_ref = fields.String(required=True)
    person_id = fields.String(required=True)
    person_name = fields.String(allow_none=True)
    linked_on = fields.String(required=True, metadata={"description": "the day the concern was raised"})
    discussed_on = fields.String(allow_none=True, metadata={"description": "the Chair discussed it with them"})
    closed_on = fields.String(allow_none=True)
    closed_how = fields.String(allow_none=True, metadata={"description": "reflected, not_applicable or withdrawn"})
    performance_related_pay = fields.String(allow_none=True, metadata={"description": "reflected or not_appropriate"})
    url = fields.String(required=True)


class ReviewConcernsSchema(Schema):
    """An organisation's concerns for its people's next performance reviews."""

    organisation = fields.String(required=True)
    pending = fields.Integer(required=True, metadata={"description": "pending the next review, all of them"})
    withheld = fields.Integer(required=True, metadata={"description": "concerns you may not read, not listed"})
    concerns = fields.List(fields.Nested(ReviewConcernSchema), required=True)
