"""JSON shapes for the staff survey panel, surveys, their mappings, imports and all-staff results."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from domain.survey import SURVEY_KINDS
from domain.survey_panel import LEAVING_REASONS
from web.schemas.meetings import QUARTER, ItemList

SURVEY_CODE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,31}$")
MAX_FILE = 4 * 1024 * 1024


class Base64File(fields.String):
    """A file's bytes, base64-encoded in JSON."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bytes:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValidationError("not valid base64") from None
        if not raw:
            raise ValidationError("the file is empty")
        if len(raw) > MAX_FILE:
            raise ValidationError(f"the file is larger than {MAX_FILE // (1024 * 1024)} MB")
        return raw


class QuestionMapSchema(Schema):
    """One closed question of a survey: its column, answers, favourable answers and catalogue items."""

    key = fields.String(validate=validate.Regexp(r"^q\d{1,3}$"))
    heading = fields.String(required=True, validate=validate.Length(1, 1000))
    option = fields.String(load_default="Response", validate=validate.Length(1, 1000))
    label = fields.String(required=True, validate=validate.Length(1, 200))
    answers = fields.List(fields.String(validate=validate.Length(1, 200)), required=True, validate=validate.Length(1, 30))
    favourable = fields.List(fields.String(validate=validate.Length(1, 200)), load_default=list)
    catalogue_items = ItemList(load_default=list)


class OrganisationMapSchema(Schema):
    """Where the respondent's organisation comes from and which answer names which organisation."""

    source = fields.String(load_default="column", validate=validate.OneOf(["column", "custom_data"]))
    heading = fields.String(load_default="", validate=validate.Length(max=1000))
    option = fields.String(load_default="Response", validate=validate.Length(max=1000))
    answers = fields.Dict(keys=fields.String(validate=validate.Length(1, 300)),
                          values=fields.String(validate=validate.Length(2, 16)), required=True)


class MappingSchema(Schema):
    """A survey's mapping, saved as an event."""

    organisation = fields.Nested(OrganisationMapSchema, required=True)
    questions = fields.List(fields.Nested(QuestionMapSchema), required=True, validate=validate.Length(1, 100))
    occurred_on = fields.Date(load_default=None, load_only=True)


class OpenSurveyRequestSchema(Schema):
    """Set up a panel or all-staff survey for a quarter."""

    code = fields.String(required=True, validate=SURVEY_CODE)
    kind = fields.String(required=True, validate=validate.OneOf(SURVEY_KINDS))
    title = fields.String(required=True, validate=validate.Length(1, 200))
    period = fields.String(required=True, validate=QUARTER)
    questions = fields.List(fields.Nested(QuestionMapSchema), load_default=None, validate=validate.Length(1, 10))
    occurred_on = fields.Date(load_default=None)


class SurveySummarySchema(Schema):
    """A survey in a list."""

    code = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    period = fields.String(required=True)
    opened_on = fields.String(required=True)
    mapped = fields.Boolean(required=True)
    responses = fields.Integer(required=True)
    results = fields.Integer(required=True)


class SurveysPageSchema(Schema):
    """A page of surveys."""

    items = fields.List(fields.Nested(SurveySummarySchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class SurveysQueryArgsSchema(Schema):
    """Filters and paging for the list of surveys."""

    kind = fields.String(validate=validate.OneOf(SURVEY_KINDS))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class SurveySchema(Schema):
    """A survey: its mapping or questions, how many responses it holds and all-staff results."""

    code = fields.String(required=True)
    kind = fields.String(required=True)
    title = fields.String(required=True)
    period = fields.String(required=True)
    mapping = fields.Nested(MappingSchema, allow_none=True)
    questions = fields.List(fields.Nested(QuestionMapSchema), required=True)
    responses = fields.Integer(required=True)
    results = fields.Dict(keys=fields.String(), values=fields.Dict(
        keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer())), required=True)


class ImportRequestSchema(Schema):
    """A file to import or preview, base64-encoded: a SurveyMonkey export (panel) or results CSV (all-staff)."""

    filename = fields.String(load_default="upload.csv", validate=validate.Length(1, 200))
    content_base64 = Base64File(required=True)
    occurred_on = fields.Date(load_default=None)


class ImportResultSchema(Schema):
    """What an import recorded."""

    survey = fields.String(required=True)
    added = fields.Integer(required=True)
    already_held = fields.Integer(required=True)
    in_file = fields.Integer(required=True)


class AnswerCountSchema(Schema):
    """An answer and how often it was given."""

    answer = fields.String(required=True)
    count = fields.Integer(required=True)


class ColumnSchema(Schema):
    """A question column of an export."""

    letter = fields.String(required=True)
    heading = fields.String(required=True)
    option = fields.String(required=True)
    free_text = fields.Boolean(required=True)
    answers = fields.List(fields.Nested(AnswerCountSchema), required=True)


class ProblemSchema(Schema):
    """Something wrong with a file, where to find it."""

    row = fields.Integer(allow_none=True)
    column = fields.String(allow_none=True)
    message = fields.String(required=True)


class PreviewSchema(Schema):
    """What importing a file would do; nothing is recorded."""

    survey = fields.Nested(SurveySchema, required=True)
    columns = fields.List(fields.Nested(ColumnSchema), required=True)
    responses = fields.Integer(required=True)
    new = fields.Integer(required=True)
    already_held = fields.Integer(required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)


class AllStaffResultsRequestSchema(Schema):
    """An organisation's counts per answer for one all-staff question."""

    organisation = fields.String(required=True, validate=validate.Length(2, 16))
    question = fields.String(required=True, validate=validate.Length(1, 10))
    counts = fields.Dict(keys=fields.String(validate=validate.Length(1, 200)),
                         values=fields.Integer(validate=validate.Range(0, 10_000_000)), required=True)
    occurred_on = fields.Date(load_default=None)


class CorrectAllStaffResultsRequestSchema(AllStaffResultsRequestSchema):
    """A correction of an organisation's all-staff results, and why."""

    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class PanelMemberSchema(Schema):
    """A panel member by organisation."""

    person_id = fields.String(required=True)
    organisation = fields.String(required=True)


class PanelSchema(Schema):
    """The staff survey panel."""

    agreed = fields.Boolean(required=True)
    members = fields.List(fields.Nested(PanelMemberSchema), required=True)


class AgreePanelRequestSchema(Schema):
    """Agree the panel with its first members."""

    member_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 1000))
    occurred_on = fields.Date(load_default=None)


class PanelJoinerRequestSchema(Schema):
    """Someone joining the panel."""

    person_id = fields.UUID(required=True)
    occurred_on = fields.Date(load_default=None)


class PanelLeaverRequestSchema(Schema):
    """Someone leaving the panel."""

    reason = fields.String(required=True, validate=validate.OneOf(LEAVING_REASONS))
    occurred_on = fields.Date(load_default=None)
