"""JSON and form shapes for API tokens."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class CreateTokenRequestSchema(Schema):
    """Ask for a new API token."""

    scope = fields.String(load_default="read", validate=validate.OneOf(["read", "write"]))
    days = fields.Integer(load_default=90, validate=validate.Range(1, 365))
    label = fields.String(load_default="", validate=validate.Length(0, 100))


class NewTokenSchema(Schema):
    """A token just created; the secret is shown only this once."""

    id = fields.String(required=True)
    token = fields.String(required=True)
    scope = fields.String(required=True)
    expires_at = fields.DateTime(required=True)


class TokenSchema(Schema):
    """An API token without its secret."""

    id = fields.String(required=True)
    label = fields.String(required=True)
    scope = fields.String(required=True)
    expires_at = fields.DateTime(required=True)
    revoked = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
