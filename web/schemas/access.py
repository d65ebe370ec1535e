"""JSON and form shapes for granting a case to a regulator and for the reads of a record."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

USERNAME = validate.Regexp(r"^[A-Za-z0-9._-]{1,64}$", error="a username: letters, digits, '.', '_' or '-'")
REASON = validate.Length(1, 2000)


class GrantCaseRequestSchema(Schema):
    """An investigator grants a regulator or HWB user one concern's case."""

    username = fields.String(required=True, validate=USERNAME)
    reason = fields.String(required=True, validate=REASON)


class RevokeCaseRequestSchema(Schema):
    """An investigator withdraws a grant."""

    reason = fields.String(required=True, validate=REASON)


class RecordReadSchema(Schema):
    """One reader's reads of a confidential record on one day."""

    reader = fields.String(required=True)
    role = fields.String(required=True)
    day = fields.String(required=True)
    what = fields.List(fields.String(), required=True)
    first_at = fields.String(required=True)


class CaseGrantSchema(Schema):
    """A regulator or HWB user granted the case."""

    user_id = fields.String(required=True)
    user_role = fields.String(required=True)
    granted_on = fields.String(required=True)
    granted_by = fields.String(required=True)
    reason = fields.String(required=True)
