"""JSON and form shapes for concerns, their steps, the escalation status view and statistics."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields, pre_load, validate

from domain.concern_commands import AO_OUTCOMES, CEO_OUTCOMES, PAY_OUTCOMES
from domain.concern_routes import Route, Stage
from web.schemas.access import CaseGrantSchema, RecordReadSchema

TEXT = validate.Length(1, 10_000)
ITEM_ID = validate.Regexp(r"^[A-Z]{1,3}-\d{1,3}$")


class RaiseConcernRequestSchema(Schema):
    """Raise a concern about someone, citing catalogue items with specific examples."""

    subject_id = fields.UUID(required=True, metadata={"description": "the person concerned"})
    catalogue_items = fields.List(
        fields.String(validate=ITEM_ID), required=True, validate=validate.Length(1, 30),
        metadata={"description": "principles, values or behaviours cited, e.g. B-1"},
    )
    narrative = fields.String(required=True, validate=TEXT)
    examples = fields.String(required=True, validate=TEXT, metadata={"description": "specific examples"})
    confidential = fields.Boolean(
        load_default=False, metadata={"description": "only the concern's chain sees who raised it"}
    )
    occurred_on = fields.Date(load_default=None)


class RaiseConcernFormSchema(RaiseConcernRequestSchema):
    """The raise form: one ticked item arrives as a single value, not a list."""

    @pre_load
    def _listify(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        items = data.get("catalogue_items")
        return {**data, "catalogue_items": [items]} if isinstance(items, str) else data


class StepRequestSchema(Schema):
    """A step recorded in words by the person whose step it is."""

    account = fields.String(required=True, validate=TEXT, metadata={"description": "what happened"})
    occurred_on = fields.Date(load_default=None)


class ChiefExecutivesDiscussionRequestSchema(StepRequestSchema):
    """The raiser's Chief Executive records the discussion with the other Chief Executive."""

    outcome = fields.String(required=True, validate=validate.OneOf(CEO_OUTCOMES))


class AccountableOfficerDecisionRequestSchema(StepRequestSchema):
    """The Accountable Officer resolves the concern or escalates it to the Independent Chair."""

    outcome = fields.String(required=True, validate=validate.OneOf(AO_OUTCOMES))


class PerformanceReviewRequestSchema(StepRequestSchema):
    """The Chair records how the concern was reflected in the next performance review."""

    performance_related_pay = fields.String(required=True, validate=validate.OneOf(PAY_OUTCOMES))


class WithdrawConcernRequestSchema(Schema):
    """The raiser withdraws the concern."""

    reason = fields.String(load_default=None, validate=TEXT)
    occurred_on = fields.Date(load_default=None)


class ReopenConcernRequestSchema(Schema):
    """Reopen a resolved or withdrawn concern."""

    reason = fields.String(required=True, validate=TEXT)
    occurred_on = fields.Date(load_default=None)


class ConcernNoteRequestSchema(Schema):
    """A note by someone in the concern's chain."""

    text = fields.String(required=True, validate=TEXT)
    occurred_on = fields.Date(load_default=None)


class CorrectConcernStepRequestSchema(Schema):
    """Correct an earlier step: name it (its event number) and say why."""

    corrects = fields.Integer(required=True, validate=validate.Range(1, 100_000))
    reason = fields.String(required=True, validate=TEXT)
    account = fields.String(load_default=None, validate=TEXT)
    corrected_occurred_on = fields.Date(load_default=None)
    occurred_on = fields.Date(load_default=None)


@dataclass(frozen=True)
class StepSpec:
    """How one step is taken: its input, the ledger command, its API path and its title."""

    schema: type[Schema]
    command: str
    path: str
    title: str


STEPS: dict[str, StepSpec] = {
    "chief_executives_discussion": StepSpec(
        ChiefExecutivesDiscussionRequestSchema, "record_chief_executives_discussion",
        "chief-executives-discussion", "Record the Chief Executives' discussion"),
    "accountable_officer_decision": StepSpec(
        AccountableOfficerDecisionRequestSchema, "record_accountable_officer_decision",
        "accountable-officer-decision", "Record the Accountable Officer's decision"),
    "independent_chair_resolution": StepSpec(
        StepRequestSchema, "record_independent_chair_resolution", "independent-chair-resolution",
        "Record the resolution reached with the two Chairs"),
    "chair_handling": StepSpec(
        StepRequestSchema, "record_chair_handling", "chair-handling",
        "Record how the concern was handled and its outcome"),
    "discussion_with_individual": StepSpec(
        StepRequestSchema, "record_discussion_with_individual", "discussion-with-individual",
        "Record the discussion with the individual"),
    "performance_review": StepSpec(
        PerformanceReviewRequestSchema, "record_performance_review", "performance-review",
        "Record how it was reflected in the next performance review"),
    "not_applicable": StepSpec(
        StepRequestSchema, "record_follow_up_not_applicable", "follow-up-not-applicable",
        "Record why the follow-up does not apply"),
    "withdraw": StepSpec(WithdrawConcernRequestSchema, "withdraw_concern", "withdrawal",
                         "Withdraw the concern"),
    "reopen": StepSpec(ReopenConcernRequestSchema, "reopen_concern", "reopening", "Reopen the concern"),
    "note": StepSpec(ConcernNoteRequestSchema, "add_concern_note", "notes", "Add a note"),
    "correct": StepSpec(CorrectConcernStepRequestSchema, "correct_concern_step", "corrections",
                        "Correct a step"),
}


class PostHolderSchema(Schema):
    """Someone in the concern's chain, by the office they held."""

    post = fields.String(required=True)
    label = fields.String(required=True)
    person_id = fields.String(allow_none=True)
    name = fields.String(required=True)


class TimelineEntrySchema(Schema):
    """One event of the concern: what, who, in what role, happened when and recorded when."""

    version = fields.Integer(required=True)
    what = fields.String(required=True)
    label = fields.String(required=True)
    who = fields.String(required=True)
    role = fields.String(required=True)
    by = fields.String(allow_none=True)
    occurred_on = fields.Date(required=True)
    recorded_at = fields.DateTime(required=True)
    outcome = fields.String(allow_none=True)
    outcome_label = fields.String(allow_none=True)
    text = fields.String(allow_none=True)
    stage = fields.String(allow_none=True)
    people = fields.List(fields.Nested(PostHolderSchema), required=True)
    corrects = fields.Integer(allow_none=True)
    corrected_occurred_on = fields.Date(allow_none=True)
    corrected_by = fields.List(fields.Integer(), required=True)


class ConcernSchema(Schema):
    """A concern with its whole timeline; 'raiser' reads "a member of staff at ORG" unless the reader may know who raised it."""

    id = fields.String(required=True)
    reference = fields.String(required=True)
    number = fields.Integer(required=True)
    route = fields.String(required=True)
    route_label = fields.String(required=True)
    stage = fields.String(required=True)
    stage_label = fields.String(required=True)
    status = fields.String(required=True)
    confidential = fields.Boolean(required=True)
    raiser = fields.String(required=True)
    raiser_id = fields.String(allow_none=True)
    raiser_organisation = fields.String(required=True)
    subject_id = fields.String(required=True)
    subject_name = fields.String(required=True)
    subject_organisation = fields.String(required=True)
    subject_office = fields.String(allow_none=True)
    catalogue_items = fields.List(fields.String(), required=True)
    framework_version = fields.Integer(required=True)
    narrative = fields.String(required=True)
    examples = fields.String(required=True)
    raised_on = fields.Date(required=True)
    stage_since = fields.Date(required=True)
    closed_on = fields.Date(allow_none=True)
    resolution_level = fields.String(allow_none=True)
    resolution_label = fields.String(allow_none=True)
    holder = fields.Nested(PostHolderSchema, allow_none=True)
    timeline = fields.List(fields.Nested(TimelineEntrySchema), required=True)
    available_steps = fields.List(fields.String(), required=True)
    read_by = fields.List(fields.Nested(RecordReadSchema), required=True,
                          metadata={"description": "who read it, once per reader per day, newest first"})
    granted_to = fields.List(fields.Nested(CaseGrantSchema), required=True,
                             metadata={"description": "regulator and HWB users an investigator granted it"})


class ConcernStatusSchema(Schema):
    """A concern in the escalation status view, with its time at stage in working days."""

    reference = fields.String(required=True)
    number = fields.Integer(required=True)
    route = fields.String(required=True)
    route_label = fields.String(required=True)
    stage = fields.String(required=True)
    stage_label = fields.String(required=True)
    status = fields.String(required=True)
    raiser_org = fields.String(required=True)
    subject_id = fields.String(required=True)
    subject_name = fields.String(allow_none=True)
    subject_org = fields.String(required=True)
    subject_office = fields.String(allow_none=True)
    holder = fields.String(allow_none=True, metadata={"description": "the office holding it now"})
    holder_person_id = fields.String(allow_none=True)
    holder_name = fields.String(allow_none=True)
    raised_on = fields.String(required=True)
    stage_since = fields.String(required=True)
    closed_on = fields.String(allow_none=True)
    days_at_stage = fields.Integer(allow_none=True, metadata={"description": "working days"})
    days_total = fields.Integer(required=True, metadata={"description": "working days"})
    target_days = fields.Integer(allow_none=True)
    overdue = fields.Boolean(required=True)
    resolution_level = fields.String(allow_none=True)
    resolution_label = fields.String(allow_none=True)
    resolution_days = fields.Integer(allow_none=True)
    confidential = fields.Boolean(required=True)
    catalogue_items = fields.List(fields.String(), required=True)


class ConcernQueryArgsSchema(Schema):
    """Filters and paging for the escalation status view."""

    organisation = fields.String(validate=validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$"))
    route = fields.String(validate=validate.OneOf([r.value for r in Route]))
    stage = fields.String(validate=validate.OneOf([s.value for s in Stage]))
    status = fields.String(validate=validate.OneOf(["open", "resolved", "withdrawn"]))
    overdue = fields.Boolean()
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class ConcernPageSchema(Schema):
    """A page of the escalation status view."""

    items = fields.List(fields.Nested(ConcernStatusSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    today = fields.Date(required=True)


class StageCountSchema(Schema):
    """How many concerns are at a stage, and how many of those are overdue."""

    stage = fields.String(required=True)
    label = fields.String(required=True)
    count = fields.Integer(required=True)
    overdue = fields.Integer(required=True)


class RouteCountSchema(Schema):
    """Concerns on a route by status."""

    route = fields.String(required=True)
    label = fields.String(required=True)
    open = fields.Integer(required=True)
    resolved = fields.Integer(required=True)
    withdrawn = fields.Integer(required=True)


class OrganisationCountSchema(Schema):
    """Concerns about people in an organisation, and raised from it."""

    organisation = fields.String(required=True)
    about = fields.Integer(required=True)
    open = fields.Integer(required=True)
    overdue = fields.Integer(required=True)
    raised = fields.Integer(required=True)


class ResolutionSchema(Schema):
    """How many were resolved at a level, and the median working days to resolution."""

    level = fields.String(required=True)
    label = fields.String(required=True)
    resolved = fields.Integer(required=True)
    median_days = fields.Float(required=True)
    quarter = fields.String(metadata={"description": "NHS financial-year quarter, e.g. 2025/26 Q3"})


class ConcernStatisticsSchema(Schema):
    """Anonymised statistics: no names, no narratives."""

    today = fields.Date(required=True)
    targets = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    by_stage = fields.List(fields.Nested(StageCountSchema), required=True)
    by_route = fields.List(fields.Nested(RouteCountSchema), required=True)
    by_organisation = fields.List(fields.Nested(OrganisationCountSchema), required=True)
    resolved_by_level = fields.List(fields.Nested(ResolutionSchema), required=True)
    resolved_by_quarter = fields.List(fields.Nested(ResolutionSchema), required=True)
