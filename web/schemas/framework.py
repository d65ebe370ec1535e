"""JSON shapes for the framework catalogue."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class CatalogueItemSchema(Schema):
    """One principle, value or behaviour pair."""

    id = fields.String(required=True, validate=validate.Regexp(r"^[A-Z]{1,3}-\d{1,3}$"))
    kind = fields.String(required=True, validate=validate.OneOf(["principle", "value", "behaviour"]))
    group = fields.String(required=True, validate=validate.Length(1, 100))
    text = fields.String(required=True, validate=validate.Length(1, 1000))
    unhelpful = fields.String(allow_none=True, validate=validate.Length(1, 1000))


class FrameworkSchema(Schema):
    """A version of the framework."""

    version = fields.Integer(required=True)
    current_version = fields.Integer(required=True)
    source = fields.String(required=True)
    items = fields.List(fields.Nested(CatalogueItemSchema), required=True)


class FrameworkQueryArgsSchema(Schema):
    """Which version to read."""

    version = fields.Integer(validate=validate.Range(1, 10_000))


class AmendFrameworkRequestSchema(Schema):
    """An amendment agreed by the Programme Board."""

    added = fields.List(fields.Nested(CatalogueItemSchema), load_default=list)
    changed = fields.List(fields.Nested(CatalogueItemSchema), load_default=list)
    withdrawn = fields.List(fields.String(validate=validate.Length(1, 10)), load_default=list)
    reason = fields.String(required=True, validate=validate.Length(1, 2000))
    occurred_on = fields.Date(load_default=None)
