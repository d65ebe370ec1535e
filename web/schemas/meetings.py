"""JSON and form shapes for meeting bodies, meetings, the opening check and the closing vote."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from domain.meeting_body import BODY_KINDS, VOTE_MODES
from domain.meeting_votes import VERDICTS

CODE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")
QUARTER = validate.Regexp(r"^\d{4}-\d{2}-Q[1-4]$")
ITEM = validate.Regexp(r"^[A-Z]{1,3}-\d{1,3}$")


class ItemList(fields.List):
    """Catalogue item ids: a JSON list, or in a form one comma-separated string."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fields.String(validate=ITEM), validate=validate.Length(max=30), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip().upper() for v in value.replace(";", ",").split(",") if v.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


class EstablishBodyRequestSchema(Schema):
    """Set up the Programme Board, or a committee or sub-committee reporting to a body."""

    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    kind = fields.String(required=True, validate=validate.OneOf(BODY_KINDS))
    reports_to = fields.String(load_default=None, validate=CODE)
    vote_mode = fields.String(load_default="by_attendee", validate=validate.OneOf(VOTE_MODES))
    occurred_on = fields.Date(load_default=None)


class TermsOfReferenceRequestSchema(Schema):
    """A body's terms of reference updated to reflect the PVB."""

    reference = fields.String(required=True, validate=validate.Length(1, 300))
    summary = fields.String(required=True, validate=validate.Length(1, 4000))
    occurred_on = fields.Date(load_default=None)


class AppointSecretaryRequestSchema(Schema):
    """The person who becomes a body's secretary: they record its meetings and correct its votes."""

    person_id = fields.UUID(required=True)
    occurred_on = fields.Date(load_default=None)


class BodySchema(Schema):
    """A meeting body."""

    code = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    reports_to = fields.String(allow_none=True)
    vote_mode = fields.String(required=True)
    established_on = fields.String(required=True)
    terms_updated_on = fields.String(allow_none=True)
    terms_reference = fields.String(allow_none=True)
    notified_on = fields.String(
        allow_none=True, metadata={"description": "when a committee was sent the paper (POST /adoption/committees)"}
    )
    meetings = fields.Integer(required=True)


class RecordMeetingRequestSchema(Schema):
    """A cross-organisational meeting held: body, title, date, chair and attendees."""

    body = fields.String(required=True, validate=CODE)
    title = fields.String(required=True, validate=validate.Length(1, 200))
    held_on = fields.Date(load_default=None)
    chair_person_id = fields.UUID(required=True)
    attendee_ids = fields.List(fields.UUID(), required=True, validate=validate.Length(1, 200))


class MeetingsQueryArgsSchema(Schema):
    """Filters and paging for the list of meetings."""

    body = fields.String(validate=CODE)
    organisation = fields.String(validate=validate.Length(2, 16))
    quarter = fields.String(validate=QUARTER)
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 200))


class MeetingSummarySchema(Schema):
    """A meeting in a list."""

    id = fields.String(required=True)
    body = fields.String(required=True)
    title = fields.String(required=True)
    held_on = fields.String(required=True)
    quarter = fields.String(required=True)
    chair_person_id = fields.String(required=True)
    vote_mode = fields.String(required=True)
    attendees = fields.Integer(required=True)
    organisations = fields.List(fields.String(), required=True)
    opening_check = fields.String(required=True)
    corrective_steps = fields.Integer(required=True)
    votes = fields.Integer(required=True)
    closed_on = fields.String(allow_none=True)


class MeetingsPageSchema(Schema):
    """A page of meetings."""

    items = fields.List(fields.Nested(MeetingSummarySchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


class OpeningCheckRequestSchema(Schema):
    """The opening item: were all necessary views represented; which were missing."""

    all_views_represented = fields.Boolean(required=True)
    missing_views = fields.List(fields.String(validate=validate.Length(1, 200)), load_default=list,
                                validate=validate.Length(max=20))
    speaking_up_expected = fields.Boolean(load_default=True)
    occurred_on = fields.Date(load_default=None)


class CorrectiveStepRequestSchema(Schema):
    """A corrective step agreed at the opening item."""

    step = fields.String(required=True, validate=validate.Length(1, 2000))
    missing_view = fields.String(load_default=None, validate=validate.Length(1, 200))
    owner_organisation = fields.String(load_default=None, validate=validate.Length(2, 16))
    occurred_on = fields.Date(load_default=None)


class VoteRequestSchema(Schema):
    """An attendee's closing vote."""

    person_id = fields.UUID(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    catalogue_items = ItemList(load_default=list)
    comment = fields.String(load_default=None, validate=validate.Length(max=2000))
    occurred_on = fields.Date(load_default=None)


class CorrectVoteRequestSchema(Schema):
    """A correction of a recorded vote, and why."""

    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    catalogue_items = ItemList(load_default=list)
    comment = fields.String(load_default=None, validate=validate.Length(max=2000))
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    occurred_on = fields.Date(load_default=None)


class TallyRequestSchema(Schema):
    """An organisation's anonymous tally at the closing item."""

    organisation = fields.String(required=True, validate=validate.Length(2, 16))
    adhered = fields.Integer(required=True, validate=validate.Range(0, 200))
    partly_adhered = fields.Integer(required=True, validate=validate.Range(0, 200))
    not_adhered = fields.Integer(required=True, validate=validate.Range(0, 200))
    occurred_on = fields.Date(load_default=None)


class CorrectTallyRequestSchema(TallyRequestSchema):
    """A correction of an organisation's tally, and why."""

    reason = fields.String(required=True, validate=validate.Length(1, 2000))


class CloseVotingRequestSchema(Schema):
    """Close the meeting's vote."""

    occurred_on = fields.Date(load_default=None)


class AttendeeSchema(Schema):
    """An attendee by organisation."""

    person_id = fields.String(required=True)
    organisation = fields.String(required=True)


class OpeningCheckSchema(Schema):
    """The opening item as recorded."""

    all_views_represented = fields.Boolean(required=True)
    missing_views = fields.List(fields.String(), required=True)
    speaking_up_expected = fields.Boolean(required=True)
    occurred_on = fields.Date(required=True)


class CorrectiveStepSchema(Schema):
    """A corrective step as recorded."""

    step = fields.String(required=True)
    missing_view = fields.String(allow_none=True)
    owner_organisation = fields.String(allow_none=True)
    occurred_on = fields.Date(required=True)


class VoteSchema(Schema):
    """A vote as it now stands."""

    person_id = fields.String(required=True)
    organisation = fields.String(required=True)
    verdict = fields.String(required=True)
    catalogue_items = fields.List(fields.String(), required=True)
    comment = fields.String(allow_none=True)
    corrections = fields.Integer(required=True)
    voted_on = fields.Date(required=True)


class TallySchema(Schema):
    """An organisation's tally as it now stands."""

    organisation = fields.String(required=True)
    adhered = fields.Integer(required=True)
    partly_adhered = fields.Integer(required=True)
    not_adhered = fields.Integer(required=True)


class MeetingEventSchema(Schema):
    """One event of the meeting."""

    version = fields.Integer(required=True)
    event = fields.String(required=True)
    occurred_on = fields.Date(required=True)
    recorded_at = fields.DateTime(required=True)
    actor_id = fields.String(required=True)
    actor_role = fields.String(required=True)
    summary = fields.String(required=True)


class MeetingSchema(Schema):
    """A meeting with its opening item, votes or tallies and its events."""

    id = fields.String(required=True)
    body = fields.String(required=True)
    title = fields.String(required=True)
    held_on = fields.Date(required=True)
    quarter = fields.String(required=True)
    chair_person_id = fields.String(required=True)
    vote_mode = fields.String(required=True)
    attendees = fields.List(fields.Nested(AttendeeSchema), required=True)
    opening_check = fields.Nested(OpeningCheckSchema, allow_none=True)
    corrective_steps = fields.List(fields.Nested(CorrectiveStepSchema), required=True)
    votes = fields.List(fields.Nested(VoteSchema), required=True)
    tallies = fields.List(fields.Nested(TallySchema), required=True)
    closed_on = fields.Date(allow_none=True)
    timeline = fields.List(fields.Nested(MeetingEventSchema), required=True)
