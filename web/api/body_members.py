"""The STP roles and the members of meeting bodies (the Programme Board's members)."""

from __future__ import annotations

from flask import abort, current_app
from flask_smorest import Blueprint

from web.api.writes import written
from web.schemas.body_members import (
    AppointMemberRequestSchema,
    BodyMemberSchema,
    BodyMembersQueryArgsSchema,
    CorrectMemberRequestSchema,
    StandDownMemberRequestSchema,
    StpRolesSchema,
)
from web.schemas.directory import CreatedSchema
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint("api_body_members", __name__, description="The STP roles and the members of meeting bodies")


def _directory():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].projections["directory"]


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


@blp.route("/stp-roles")
@permission("directory.read")
@blp.response(200, StpRolesSchema)
def stp_roles():  # type: ignore[no-untyped-def]
    """The Independent Chair, the Accountable Officer and the Programme Board's members (current ones first)."""
    return _directory().stp_roles()


@blp.route("/meeting-bodies/<code>/members")
@permission("directory.read")
@blp.arguments(BodyMembersQueryArgsSchema, location="query")
@blp.response(200, BodyMemberSchema(many=True))
def list_members(args, code):  # type: ignore[no-untyped-def]
    """A body's members; those who left the directory but were not yet stood down are marked not current."""
    directory = _directory()
    if not directory.body_exists(code):
        abort(404, description=f"meeting body {code.upper()} not found")
    return directory.body_members(code.upper(), include_left=args["include_left"])


@blp.route("/meeting-bodies/<code>/members", methods=["POST"])
@permission("directory.manage")
@blp.arguments(AppointMemberRequestSchema)
@blp.response(201, CreatedSchema)
def appoint_member(data, code):  # type: ignore[no-untyped-def]
    """Record a person becoming a member of a body, from an organisation (theirs unless given)."""
    person_id = str(data.pop("person_id"))
    _ledger().appoint_body_member(require_actor(), code, person_id=person_id, **data)
    return written(person_id)


@blp.route("/meeting-bodies/<code>/members/<uuid:person_id>/stand-down", methods=["POST"])
@permission("directory.manage")
@blp.arguments(StandDownMemberRequestSchema)
@blp.response(201, CreatedSchema)
def stand_down_member(data, code, person_id):  # type: ignore[no-untyped-def]
    """Record a member standing down."""
    _ledger().stand_down_body_member(require_actor(), code, person_id=str(person_id), **data)
    return written(str(person_id))


@blp.route("/meeting-bodies/<code>/members/<uuid:person_id>/corrections", methods=["POST"])
@permission("directory.manage")
@blp.arguments(CorrectMemberRequestSchema)
@blp.response(201, CreatedSchema)
def correct_member(data, code, person_id):  # type: ignore[no-untyped-def]
    """Put right an appointment recorded wrongly: the day it began, or (no since) that it never happened."""
    _ledger().correct_body_member_appointment(require_actor(), code, person_id=str(person_id), **data)
    return written(str(person_id))
