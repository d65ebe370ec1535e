"""Organisations and people."""

from __future__ import annotations

from flask import abort, current_app
from flask_smorest import Blueprint

from web.api.writes import written
from web.schemas.directory import (
    AddPersonRequestSchema,
    AppointRequestSchema,
    CorrectAppointmentRequestSchema,
    CorrectionSchema,
    CorrectLeavingRequestSchema,
    CorrectOrganisationRequestSchema,
    CorrectPersonRequestSchema,
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


@blp.route("/organisations/<code>/correction", methods=["POST"])
@permission("directory.manage")
@blp.arguments(CorrectOrganisationRequestSchema)
@blp.response(201, CreatedSchema)
def correct_organisation(data, code):  # type: ignore[no-untyped-def]
    """Put right an organisation's wrongly recorded name or kind, with the reason."""
    current_app.extensions["pvb"].ledger.correct_organisation(require_actor(), code, **data)
    return written(code.upper())


@blp.route("/organisations/<code>/offices/correction", methods=["POST"])
@permission("directory.manage")
@blp.arguments(CorrectAppointmentRequestSchema)
@blp.response(201, CreatedSchema)
def correct_appointment(data, code):  # type: ignore[no-untyped-def]
    """Put right an appointment recorded by mistake: the office shows its previous holder again."""
    current_app.extensions["pvb"].ledger.correct_appointment(require_actor(), organisation=code, **data)
    return written(code.upper())


@blp.route("/organisations/<code>/corrections")
@permission("directory.read")
@blp.response(200, CorrectionSchema(many=True))
def list_corrections(code):  # type: ignore[no-untyped-def]
    """The corrections of an organisation's records and its people's, latest first."""
    if _directory().get_organisation(code.upper()) is None:
        abort(404, description=f"organisation {code.upper()} not found")
    return _directory().corrections(code.upper())


@blp.route("/people/<uuid:person_id>/correction", methods=["POST"])
@permission("directory.manage")
@blp.arguments(CorrectPersonRequestSchema)
@blp.response(201, CreatedSchema)
def correct_person(data, person_id):  # type: ignore[no-untyped-def]
    """Put right a person's wrongly recorded name, title or senior/clinical flags, with the reason."""
    current_app.extensions["pvb"].ledger.correct_person(require_actor(), str(person_id), **data)
    return written(str(person_id))


@blp.route("/people/<uuid:person_id>/leaving/correction", methods=["POST"])
@permission("directory.manage")
@blp.arguments(CorrectLeavingRequestSchema)
@blp.response(201, CreatedSchema)
def correct_leaving(data, person_id):  # type: ignore[no-untyped-def]
    """Put right a leaving recorded by mistake: the person is current again."""
    current_app.extensions["pvb"].ledger.correct_leaving(require_actor(), str(person_id), **data)
    return written(str(person_id))
