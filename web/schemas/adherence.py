"""JSON shapes for the adherence view: cells by organisation and quarter, the rule, the evidence."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from web.schemas.meetings import QUARTER


class AdherenceQueryArgsSchema(Schema):
    """Which quarters (default: the last four holding figures) and, optionally, one organisation."""

    first = fields.String(validate=QUARTER)
    last = fields.String(validate=QUARTER)
    organisation = fields.String(validate=validate.Length(2, 16))


class RatingSchema(Schema):
    """A rating by the published rule, and why (colour is null when not rated)."""

    colour = fields.String(allow_none=True)
    reason = fields.String(required=True)


class AdherenceCellSchema(Schema):
    """One organisation in one quarter."""

    organisation = fields.String(required=True)
    quarter = fields.String(required=True)
    votes = fields.Integer(required=True)
    adhered = fields.Integer(required=True)
    partly_adhered = fields.Integer(required=True)
    not_adhered = fields.Integer(required=True)
    panel_favourable = fields.Integer(required=True)
    panel_answers = fields.Integer(required=True)
    panel_respondents = fields.Integer(required=True)
    staff_favourable = fields.Integer(required=True)
    staff_answers = fields.Integer(required=True)
    staff_respondents = fields.Integer(required=True)
    concerns = fields.Integer(required=True)
    concerns_open = fields.Integer(required=True)
    concerns_resolved = fields.Integer(required=True)
    concerns_withdrawn = fields.Integer(required=True)
    feedback = fields.Integer(required=True)
    feedback_positive = fields.Integer(required=True)
    feedback_mixed = fields.Integer(required=True)
    feedback_concerning = fields.Integer(required=True)
    vote_rating = fields.Nested(RatingSchema, required=True)
    panel_rating = fields.Nested(RatingSchema, required=True)
    staff_rating = fields.Nested(RatingSchema, required=True)
    rating = fields.Nested(RatingSchema, required=True)
    evidence = fields.String(required=True)


class AdherenceSchema(Schema):
    """The adherence view over a range of quarters, with the rule that rates it."""

    quarters = fields.List(fields.String(), required=True)
    cells = fields.List(fields.Nested(AdherenceCellSchema), required=True)
    rule_version = fields.Integer(required=True)
    rule = fields.List(fields.String(), required=True)


class VoteEvidenceSchema(Schema):
    """A named vote behind a figure: the meeting and the event (aggregate id and version)."""

    meeting_id = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    held_on = fields.String(required=True)
    person_id = fields.String(allow_none=True)
    verdict = fields.String(required=True)
    corrections = fields.Integer(required=True)
    version = fields.Integer(required=True)


class TallyEvidenceSchema(Schema):
    """An anonymous tally behind a figure."""

    meeting_id = fields.String(required=True)
    title = fields.String(required=True)
    body = fields.String(required=True)
    held_on = fields.String(required=True)
    adhered = fields.Integer(required=True)
    partly_adhered = fields.Integer(required=True)
    not_adhered = fields.Integer(required=True)
    corrections = fields.Integer(required=True)
    version = fields.Integer(required=True)


class SurveyEvidenceSchema(Schema):
    """A survey event behind a figure."""

    code = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    version = fields.Integer(required=True)
    event = fields.String(required=True)
    detail = fields.String(required=True)
    recorded_on = fields.String(required=True)


class QuestionResultSchema(Schema):
    """A survey question's answers from the organisation's respondents."""

    survey = fields.String(required=True)
    survey_title = fields.String(required=True)
    question = fields.String(required=True)
    label = fields.String(required=True)
    catalogue_items = fields.List(fields.String(), required=True)
    answers = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    favourable = fields.Integer(required=True)
    total = fields.Integer(required=True)


class ConcernEvidenceSchema(Schema):
    """A concern raised about one of the organisation's people: its route, stage and how it ended (no names)."""

    concern_id = fields.String(required=True)
    reference = fields.String(required=True)
    raised_on = fields.String(required=True)
    route = fields.String(required=True)
    stage = fields.String(required=True)
    outcome = fields.String(allow_none=True, metadata={"description": "resolved, withdrawn, or null while open"})
    resolution_level = fields.String(allow_none=True)
    closed_on = fields.String(allow_none=True)
    version = fields.Integer(required=True, metadata={"description": "the concern's latest event behind the row"})
    url = fields.String(required=True, metadata={"description": "the concern's page (its chain and investigators)"})


class FeedbackEvidenceSchema(Schema):
    """Regulator or HWB feedback on the organisation, with its tenor."""

    feedback_id = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "adherence, or implementation (a regulator's comment)"})
    given_on = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "the giving organisation's code"})
    source_kind = fields.String(required=True)
    tenor = fields.String(required=True, metadata={"description": "positive, mixed or concerning"})
    corrections = fields.Integer(required=True)
    version = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "the feedback's page"})


class EvidenceSchema(Schema):
    """Everything behind one organisation's figures in one quarter."""

    organisation = fields.String(required=True)
    quarter = fields.String(required=True)
    cell = fields.Nested(AdherenceCellSchema, required=True)
    votes = fields.List(fields.Nested(VoteEvidenceSchema), required=True)
    tallies = fields.List(fields.Nested(TallyEvidenceSchema), required=True)
    surveys = fields.List(fields.Nested(SurveyEvidenceSchema), required=True)
    panel_questions = fields.List(fields.Nested(QuestionResultSchema), required=True)
    all_staff_questions = fields.List(fields.Nested(QuestionResultSchema), required=True)
    concerns = fields.List(fields.Nested(ConcernEvidenceSchema), required=True, metadata={
        "description": "the concerns you may read (their chain, the organisations' Chief Executives and Chairs, "
        "the governance lead, the Independent Chair, investigators, granted regulators)"})
    concerns_withheld = fields.Integer(required=True, metadata={"description": "concerns you may not read, not listed"})
    feedback = fields.List(fields.Nested(FeedbackEvidenceSchema), required=True)
