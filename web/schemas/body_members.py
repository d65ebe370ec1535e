"""JSON and form shapes for the members of meeting bodies (the Programme Board's members) and the STP roles."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class BodyMemberSchema(Schema):
    """A member of a meeting body, from an organisation; ``current`` is false once they left the directory."""

    body = fields.String(required=True)
    body_name = fields.String(required=True)
    person_id = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "[erased] once the person's data was erased"})
    title = fields.String(required=True)
    organisation = fields.String(required=True, metadata={"description": "the organisation they are a member from"})
    organisation_name = fields.String(required=True)
    since = fields.String(required=True)
    left_on = fields.String(allow_none=True, required=True)
    current = fields.Boolean(required=True)
    erased = fields.Boolean(required=True)


class BodyMembersQueryArgsSchema(Schema):
    """Whether to list members who have left the directory but were not yet stood down."""

    include_left = fields.Boolean(load_default=True)


class StpRoleHolderSchema(Schema):
    """Who holds an STP office."""

    person_id = fields.String(required=True)
    name = fields.String(allow_none=True, required=True)


class StpRolesSchema(Schema):
    """The STP roles: the Independent Chair, the Accountable Officer and the Programme Board's members."""

    independent_chair = fields.Nested(StpRoleHolderSchema, allow_none=True, required=True)
    accountable_officer = fields.Nested(StpRoleHolderSchema, allow_none=True, required=True)
    programme_board = fields.String(allow_none=True, required=True, metadata={"description": "its body code"})
    programme_board_members = fields.List(fields.Nested(BodyMemberSchema), required=True)


class AppointMemberRequestSchema(Schema):
    """Record a person becoming a member of a body; the organisation defaults to theirs."""

    person_id = fields.UUID(required=True)
    organisation = fields.String(load_default=None, validate=validate.Regexp(r"^[A-Za-z][A-Za-z0-9-]{1,15}$"))
    occurred_on = fields.Date(load_default=None)


class StandDownMemberRequestSchema(Schema):
    """Record a member standing down."""

    reason = fields.String(required=True, validate=validate.Length(1, 1000))
    occurred_on = fields.Date(load_default=None)


class CorrectMemberRequestSchema(Schema):
    """Put right an appointment: the day it in fact began, or no since if it never happened."""

    reason = fields.String(required=True, validate=validate.Length(1, 1000))
    since = fields.Date(load_default=None)
    occurred_on = fields.Date(load_default=None)


class MemberFormSchema(AppointMemberRequestSchema):
    """The page's forms name the person in the form rather than the path."""


class StandDownFormSchema(StandDownMemberRequestSchema):
    """Stand down, from the page."""

    person_id = fields.UUID(required=True)


class CorrectFormSchema(CorrectMemberRequestSchema):
    """Correct an appointment, from the page."""

    person_id = fields.UUID(required=True)
