"""JSON shapes for replays and investigations."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from web.replay import MOMENT_HELP, parse_moment

CODE = validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$")


class Moment(fields.String):
    """A moment of system time: ISO 8601, UK time unless it carries an offset."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return parse_moment(text, attr or "moment")
        except ValueError as e:
            raise ValidationError(str(e)) from None


def moment_field(**kwargs: Any) -> Moment:
    """A Moment field documented as an ISO 8601 date-time."""
    return Moment(metadata={"description": MOMENT_HELP, "example": "2026-03-31T17:00"}, **kwargs)


class ReplayQueryArgsSchema(Schema):
    """When to replay to, and which page of which table to show."""

    known_at = moment_field()
    as_of = fields.Date(metadata={"description": "only what had happened by this date in the world"})
    table = fields.String(validate=validate.Length(1, 63))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=100, validate=validate.Range(1, 1000))


class ReplayTableSchema(Schema):
    """A page of one replayed table."""

    name = fields.String(required=True)
    columns = fields.List(fields.String(), required=True)
    total = fields.Integer(required=True)
    rows = fields.List(fields.Dict(keys=fields.String()), required=True)


class ReplaySchema(Schema):
    """A view as known at a moment and as of a date."""

    view = fields.String(required=True)
    position = fields.Integer(required=True)
    head = fields.Integer(required=True)
    known_at = fields.String(allow_none=True)
    as_of = fields.String(allow_none=True)
    started_from = fields.String(required=True)
    events_applied = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    tables = fields.List(fields.Nested(ReplayTableSchema), required=True)


class ReplayableViewSchema(Schema):
    """A view that can be replayed, with its tables and checkpoints."""

    name = fields.String(required=True)
    tables = fields.List(fields.String(), required=True)
    checkpoints = fields.List(fields.Integer(), required=True)


class SubjectArgsSchema(Schema):
    """At most one subject: an organisation, a person or an aggregate (none: every event)."""

    organisation = fields.String(validate=CODE)
    person = fields.UUID()
    aggregate = fields.UUID()

    @validates_schema
    def _one_subject(self, data: dict[str, Any], **kwargs: Any) -> None:
        given = [k for k in ("organisation", "person", "aggregate") if data.get(k)]
        if len(given) > 1:
            raise ValidationError("give one of organisation, person or aggregate", field_name=given[1])


class TimelineQueryArgsSchema(SubjectArgsSchema):
    """Filters and paging for an investigation's timeline."""

    event_type = fields.String(validate=validate.Length(1, 200))
    actor = fields.String(validate=validate.Length(1, 200))
    known_at = moment_field()
    as_of = fields.Date()
    oldest_first = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))


class TimelineEventSchema(Schema):
    """One event in the timeline."""

    position = fields.Integer(required=True)
    recorded_at = fields.String(required=True)
    occurred_on = fields.String(allow_none=True)
    world_on = fields.String(allow_none=True)
    topic = fields.String(required=True)
    event_type = fields.String(required=True)
    aggregate_type = fields.String(required=True)
    originator_id = fields.String(required=True)
    originator_version = fields.Integer(required=True)
    actor_id = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    organisation = fields.String(allow_none=True)
    person_id = fields.String(allow_none=True)


class ActorSummarySchema(Schema):
    """Who acted on the subject, how often, and when first and last."""

    actor_id = fields.String(allow_none=True)
    actor_role = fields.String(allow_none=True)
    events = fields.Integer(required=True)
    first_position = fields.Integer(required=True)
    last_position = fields.Integer(required=True)
    first_recorded_at = fields.String(required=True)
    last_recorded_at = fields.String(required=True)


class TimelinePageSchema(Schema):
    """A page of the timeline, the position it was cut at, and the actors."""

    items = fields.List(fields.Nested(TimelineEventSchema), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    known_at_position = fields.Integer(allow_none=True)
    actors = fields.List(fields.Nested(ActorSummarySchema), required=True)


class DiffQueryArgsSchema(SubjectArgsSchema):
    """Which view to compare between which two moments."""

    view = fields.String(required=True, validate=validate.Length(1, 63))
    before = moment_field(required=True)
    after = moment_field(load_default=None)
    as_of = fields.Date()
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 500))


class ChangedRowSchema(Schema):
    """A row whose key stayed and whose values changed."""

    before = fields.Dict(keys=fields.String(), required=True)
    after = fields.Dict(keys=fields.String(), required=True)


class TableDiffSchema(Schema):
    """What changed in one table."""

    table = fields.String(required=True)
    key = fields.List(fields.String(), required=True)
    added = fields.List(fields.Dict(keys=fields.String()), required=True)
    removed = fields.List(fields.Dict(keys=fields.String()), required=True)
    changed = fields.List(fields.Nested(ChangedRowSchema), required=True)
    truncated = fields.Boolean(required=True)


class DiffSchema(Schema):
    """A view's difference between two moments."""

    view = fields.String(required=True)
    before_position = fields.Integer(required=True)
    after_position = fields.Integer(required=True)
    tables = fields.List(fields.Nested(TableDiffSchema), required=True)
