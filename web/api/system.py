"""Health, the caller's identity, and projection status."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint("api_system", __name__, description="Who am I, and how are the views doing")


class MeSchema(Schema):
    """The caller."""

    username = fields.String(required=True)
    role = fields.String(required=True)
    organisation = fields.String(allow_none=True)


class ProjectionStatusSchema(Schema):
    """A view's position in the log."""

    name = fields.String(required=True)
    position = fields.Integer(required=True)
    head = fields.Integer(required=True)
    lag = fields.Integer(required=True)


@blp.route("/me")
@permission("signed_in")
@blp.response(200, MeSchema)
def me():  # type: ignore[no-untyped-def]
    """Who the token or session belongs to."""
    actor = require_actor()
    return {"username": actor.user_id, "role": actor.role.value, "organisation": actor.organisation}


@blp.route("/projections")
@permission("projections.read")
@blp.response(200, ProjectionStatusSchema(many=True))
def projection_status():  # type: ignore[no-untyped-def]
    """Each view's position and lag behind the log."""
    statuses = current_app.extensions["pvb"].projections.status()
    return [{"name": s.name, "position": s.position, "head": s.head, "lag": s.lag} for s in statuses]
