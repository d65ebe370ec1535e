"""Organisations and people."""

from __future__ import annotations

from flask import abort, current_app
from flask_smorest import Blueprint

from web.api.writes import written
from web.schemas.directory import (
    AddPersonRequestSchema,
    AppointRequestSchema,
    CreatedSchema,
    OrganisationSchema,
    PeoplePageSchema,
    PeopleQueryArgsSchema,
    PersonSchema,
    RegisterOrganisationRequestSchema,
)
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint("api_directory", __name__, description="Organisations, office holders and people")


def _directory():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].projections["directory"]


@blp.route("/organisations")
@permission("directory.read")
@blp.response(200, OrganisationSchema(many=True))
def list_organisations():  # type: ignore[no-untyped-def]
    """Every organisation, by name."""
    return _directory().list_organisations()


@blp.route("/organisations", methods=["POST"])
@permission("directory.manage")
@blp.arguments(RegisterOrganisationRequestSchema)
@blp.response(201, CreatedSchema)
def register_organisation(data):  # type: ignore[no-untyped-def]
    """Register an organisation."""
    code = current_app.extensions["pvb"].ledger.register_organisation(require_actor(), **data)
    return written(code)


@blp.route("/organisations/<code>")
@permission("directory.read")
@blp.response(200, OrganisationSchema)
def get_organisation(code):  # type: ignore[no-untyped-def]
    """One organisation with its office holders."""
    org = _directory().get_organisation(code.upper())
    if org is None:
        abort(404, description=f"organisation {code.upper()} not found")
    return org


@blp.route("/organisations/<code>/offices", methods=["POST"])
@permission("directory.manage")
@blp.arguments(AppointRequestSchema)
@blp.response(201, CreatedSchema)
def appoint(data, code):  # type: ignore[no-untyped-def]
    """Record that a person holds one of the organisation's offices."""
    current_app.extensions["pvb"].ledger.appoint(
        require_actor(), organisation=code, office=data["office"],
        person_id=str(data["person_id"]), occurred_on=data["occurred_on"],
    )
    return written(str(data["person_id"]))


@blp.route("/people")
@permission("directory.read")
@blp.arguments(PeopleQueryArgsSchema, location="query")
@blp.response(200, PeoplePageSchema)
def list_people(args):  # type: ignore[no-untyped-def]
    """A page of people, optionally of one organisation."""
    page, per_page = args["page"], args["per_page"]
    items, total = _directory().list_people(
        args.get("organisation", "").upper() or None,
        include_left=args["include_left"], senior_only=args["senior_only"],
        limit=per_page, offset=(page - 1) * per_page,
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("/people", methods=["POST"])
@permission("directory.manage")
@blp.arguments(AddPersonRequestSchema)
@blp.response(201, CreatedSchema)
def add_person(data):  # type: ignore[no-untyped-def]
    """Record a person joining an organisation."""
    person_id = current_app.extensions["pvb"].ledger.add_person(require_actor(), **data)
    return written(person_id)


@blp.route("/people/<uuid:person_id>")
@permission("directory.read")
@blp.response(200, PersonSchema)
def get_person(person_id):  # type: ignore[no-untyped-def]
    """One person."""
    rows, _ = _directory().list_people(include_left=True, limit=1, offset=0, person_id=str(person_id))
    if not rows:
        abort(404, description=f"person {person_id} not found")
    return rows[0]
