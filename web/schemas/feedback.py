"""JSON and form shapes for regulator and Health and Wellbeing Board feedback."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from domain.feedback import (
    MAX_EXAMPLES,
    MAX_LINKS,
    AssessmentKind,
    FeedbackKind,
    ResponseAction,
    Tenor,
)
from web.schemas.replay import moment_field

TENORS = [t.value for t in Tenor]
CODE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")
QUARTER = validate.Regexp(r"^\d{4}-\d{2}-Q[1-4]$")


class ExampleSchema(Schema):
    """A specific example: when, what, and optionally whom it names and which events."""

    occurred_on = fields.Date(required=True)
    description = fields.String(required=True, validate=validate.Length(1, 4000))
    person_id = fields.UUID(load_default=None, allow_none=True)
    positions = fields.List(
        fields.Integer(validate=validate.Range(1, 2**62)), load_default=list,
        validate=validate.Length(max=MAX_LINKS),
    )


class GiveFeedbackRequestSchema(Schema):
    """Give the Independent Chair feedback on an organisation's adherence."""

    organisation = fields.String(required=True, validate=CODE)
    tenor = fields.String(required=True, validate=validate.OneOf(TENORS))
    summary = fields.String(required=True, validate=validate.Length(1, 8000))
    examples = fields.List(
        fields.Nested(ExampleSchema), load_default=list, validate=validate.Length(max=MAX_EXAMPLES)
    )
    citations = fields.List(fields.String(validate=validate.Length(1, 20)), load_default=list)
    occurred_on = fields.Date(load_default=None)


class CommentOnImplementationRequestSchema(Schema):
    """A regulator's comment on the PVB's implementation, made in an STP assessment."""

    assessment_kind = fields.String(
        required=True, validate=validate.OneOf([k.value for k in AssessmentKind])
    )
    assessment = fields.String(required=True, validate=validate.Length(1, 300))
    tenor = fields.String(required=True, validate=validate.OneOf(TENORS))
    summary = fields.String(required=True, validate=validate.Length(1, 8000))
    examples = fields.List(
        fields.Nested(ExampleSchema), load_default=list, validate=validate.Length(max=MAX_EXAMPLES)
    )
    citations = fields.List(fields.String(validate=validate.Length(1, 20)), load_default=list)
    occurred_on = fields.Date(load_default=None)


class RespondToFeedbackRequestSchema(Schema):
    """The Independent Chair's response."""

    action = fields.String(required=True, validate=validate.OneOf([a.value for a in ResponseAction]))
    response = fields.String(required=True, validate=validate.Length(1, 8000))
    occurred_on = fields.Date(load_default=None)


class CorrectFeedbackRequestSchema(Schema):
    """Correct a mistake in feedback: give only what changes, and why."""

    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    tenor = fields.String(load_default=None, validate=validate.OneOf(TENORS))
    summary = fields.String(load_default=None, validate=validate.Length(1, 8000))
    examples = fields.List(
        fields.Nested(ExampleSchema), load_default=None, validate=validate.Length(max=MAX_EXAMPLES)
    )
    occurred_on = fields.Date(load_default=None)


class ExampleOutSchema(Schema):
    """An example as the view shows it."""

    seq = fields.Integer(required=True)
    occurred_on = fields.String(required=True)
    description = fields.String(required=True)
    person_id = fields.String(allow_none=True)
    positions = fields.List(fields.Integer(), required=True)


class ResponseSchema(Schema):
    """One of the Independent Chair's responses."""

    version = fields.Integer(required=True)
    responded_on = fields.String(required=True)
    action = fields.String(required=True)
    response = fields.String(required=True)
    responder_person_id = fields.String(allow_none=True)
    actor_id = fields.String(required=True)
    recorded_at = fields.String(required=True)


class FeedbackSchema(Schema):
    """A piece of feedback with its examples and the Independent Chair's responses."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    organisation = fields.String(required=True)
    from_organisation = fields.String(required=True)
    from_kind = fields.String(required=True)
    given_by = fields.String(required=True)
    recipient_person_id = fields.String(allow_none=True)
    given_on = fields.String(required=True)
    quarter = fields.String(required=True)
    tenor = fields.String(required=True)
    summary = fields.String(required=True)
    assessment_kind = fields.String(allow_none=True)
    assessment = fields.String(allow_none=True)
    citations = fields.List(fields.String(), required=True)
    framework_version = fields.Integer(required=True)
    recorded_at = fields.String(required=True)
    corrections = fields.Integer(required=True)
    last_correction_reason = fields.String(allow_none=True)
    responses = fields.Integer(required=True)
    first_response_on = fields.String(allow_none=True)
    last_response_on = fields.String(allow_none=True)
    last_response_action = fields.String(allow_none=True)
    examples = fields.List(fields.Nested(ExampleOutSchema), required=True)
    response_list = fields.List(fields.Nested(ResponseSchema), required=True)


class FeedbackQueryArgsSchema(Schema):
    """Filters and paging for the feedback list."""

    organisation = fields.String(validate=CODE)
    from_organisation = fields.String(validate=CODE)
    quarter = fields.String(validate=QUARTER)
    kind = fields.String(validate=validate.OneOf([k.value for k in FeedbackKind]))
    tenor = fields.String(validate=validate.OneOf(TENORS))
    responded = fields.Boolean(load_default=None, allow_none=True)
    known_at = moment_field()
    as_of = fields.Date()
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class FeedbackPageSchema(Schema):
    """A page of feedback."""

    items = fields.List(fields.Nested(FeedbackSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class TenorCountSchema(Schema):
    """Count and tenor of feedback for one organisation (or giver) in one quarter."""

    organisation = fields.String()
    from_organisation = fields.String()
    quarter = fields.String(required=True)
    given = fields.Integer(required=True)
    positive = fields.Integer(required=True)
    mixed = fields.Integer(required=True)
    concerning = fields.Integer(required=True)
    responded = fields.Integer(required=True)


class FeedbackSummarySchema(Schema):
    """Feedback counted by organisation and quarter, and by giver and quarter."""

    by_organisation = fields.List(fields.Nested(TenorCountSchema), required=True)
    by_regulator = fields.List(fields.Nested(TenorCountSchema), required=True)


# Forms: the same requests, flattened for HTML (up to EXAMPLE_SLOTS examples per form).
EXAMPLE_SLOTS = 3


def _example_slot_fields() -> dict[str, fields.Field]:
    slots: dict[str, fields.Field] = {}
    for i in range(1, EXAMPLE_SLOTS + 1):
        slots[f"example_{i}_occurred_on"] = fields.Date(load_default=None)
        slots[f"example_{i}_description"] = fields.String(
            load_default=None, validate=validate.Length(max=4000)
        )
        slots[f"example_{i}_positions"] = fields.String(
            load_default=None, validate=validate.Regexp(r"^[0-9 ,]*$", error="list event positions as numbers")
        )
        slots[f"example_{i}_person_id"] = fields.UUID(load_default=None)
    return slots


ExampleSlotsSchema = type(
    "ExampleSlotsSchema", (Schema,), {"__doc__": "Examples as numbered form fields.", **_example_slot_fields()}
)


def _examples_from_slots(data: dict[str, Any]) -> list[dict[str, Any]]:
    examples = []
    for i in range(1, EXAMPLE_SLOTS + 1):
        slot = {k: data.pop(f"example_{i}_{k}", None) for k in ("occurred_on", "description", "positions", "person_id")}
        if not slot["description"]:
            if slot["occurred_on"] or slot["positions"] or slot["person_id"]:
                raise ValidationError("describe the example", field_name=f"example_{i}_description")
            continue
        if slot["occurred_on"] is None:
            raise ValidationError("give the example's date", field_name=f"example_{i}_occurred_on")
        positions = [int(p) for p in (slot["positions"] or "").replace(",", " ").split()]
        examples.append({**slot, "positions": positions, "person_id": str(slot["person_id"]) if slot["person_id"] else None})
    return examples


class GiveFeedbackFormSchema(ExampleSlotsSchema):  # type: ignore[misc,valid-type]
    """The give-feedback form."""

    organisation = fields.String(required=True, validate=CODE)
    tenor = fields.String(required=True, validate=validate.OneOf(TENORS))
    summary = fields.String(required=True, validate=validate.Length(1, 8000))
    citations = fields.String(load_default="", validate=validate.Length(max=400))
    occurred_on = fields.Date(load_default=None)

    @post_load
    def _shape(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data["examples"] = _examples_from_slots(data)
        data["citations"] = data["citations"].replace(",", " ").split()
        return data


class CommentOnImplementationFormSchema(GiveFeedbackFormSchema):
    """The comment-on-implementation form (about the STP, so no organisation)."""

    organisation = fields.String(load_default=None)
    assessment_kind = fields.String(required=True, validate=validate.OneOf([k.value for k in AssessmentKind]))
    assessment = fields.String(required=True, validate=validate.Length(1, 300))

    @post_load
    def _drop_organisation(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        data.pop("organisation", None)
        return data


class CorrectFeedbackFormSchema(ExampleSlotsSchema):  # type: ignore[misc,valid-type]
    """The correction form: examples given here replace all the examples."""

    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    tenor = fields.String(load_default=None, validate=validate.OneOf(TENORS))
    summary = fields.String(load_default=None, validate=validate.Length(1, 8000))
    replace_examples = fields.Boolean(load_default=False)

    @post_load
    def _shape(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        examples = _examples_from_slots(data)
        data["examples"] = examples if data.pop("replace_examples") else None
        return data
