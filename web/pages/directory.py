"""Organisations, their office holders and their people."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from domain.errors import DomainError
from domain.permissions import is_allowed
from domain.values import ERASED, OrganisationKind
from web.pages.forms import domain_errors, load_form
from web.replay import replaying, view_for
from web.schemas.directory import (
    APPOINTED_OFFICES,
    AddPersonRequestSchema,
    AppointRequestSchema,
    CorrectAppointmentRequestSchema,
    CorrectLeavingFormSchema,
    CorrectOrganisationRequestSchema,
    CorrectPersonFormSchema,
    PeopleQueryArgsSchema,
    RegisterOrganisationRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("directory", __name__)
PER_PAGE = 50


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


@bp.route("/organisations", methods=["GET"])
@permission("directory.read")
def organisations():  # type: ignore[no-untyped-def]
    """Every organisation, with a form to register one for those who may."""
    return _organisations_page({}, {})


def _organisations_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    orgs = view_for("directory").list_organisations()
    can_manage = is_allowed(require_actor().role, "directory.manage") and not replaying()
    kinds = [k.value for k in OrganisationKind]
    page = render_template(
        "organisations.html", organisations=orgs, can_manage=can_manage, kinds=kinds,
        errors=errors, values=values,
    )
    return page, status


@bp.route("/organisations", methods=["POST"])
@permission("directory.manage")
def register_organisation():  # type: ignore[no-untyped-def]
    """Register an organisation from the form."""
    data, errors = load_form(RegisterOrganisationRequestSchema())
    if data is None:
        return _organisations_page(errors, request.form, 422)
    try:
        code = _services().ledger.register_organisation(require_actor(), **data)
    except DomainError as e:
        return _organisations_page(domain_errors(e), request.form, 422)
    return redirect(url_for("directory.organisation", code=code))


@bp.route("/organisations/<code>", methods=["GET"])
@permission("directory.read")
def organisation(code: str):  # type: ignore[no-untyped-def]
    """One organisation: its office holders and a page of its people."""
    return _organisation_page(code.upper(), {}, {})


def _organisation_page(code: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    directory = view_for("directory")
    org = directory.get_organisation(code)
    if org is None:
        abort(404, description=f"organisation {code} not found")
    args = PeopleQueryArgsSchema().load({k: v for k, v in request.args.items() if k == "page"})
    page = args["page"]
    people, total = directory.list_people(code, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    can_manage = is_allowed(require_actor().role, "directory.manage") and not replaying()
    corrections = directory.corrections(code)
    leavers: list = []
    if can_manage:
        everyone, _ = directory.list_people(code, include_left=True, limit=200)
        leavers = [p for p in everyone if p["left_on"] and p["name"] != ERASED]
    html = render_template(
        "organisation.html", org=org, people=people, total=total, page=page, per_page=PER_PAGE,
        can_manage=can_manage, offices=APPOINTED_OFFICES, errors=errors, values=values,
        corrections=corrections, leavers=leavers, kinds=[k.value for k in OrganisationKind],
    )
    return html, status


@bp.route("/organisations/<code>/people", methods=["POST"])
@permission("directory.manage")
def add_person(code: str):  # type: ignore[no-untyped-def]
    """Record a person joining this organisation."""
    form = dict(request.form)
    data, errors = load_form(AddPersonRequestSchema(partial=("organisation",)))
    if data is None:
        return _organisation_page(code.upper(), errors, form, 422)
    data["organisation"] = code.upper()
    try:
        _services().ledger.add_person(require_actor(), **data)
    except DomainError as e:
        return _organisation_page(code.upper(), domain_errors(e), form, 422)
    return redirect(url_for("directory.organisation", code=code.upper()))


@bp.route("/organisations/<code>/offices", methods=["POST"])
@permission("directory.manage")
def appoint(code: str):  # type: ignore[no-untyped-def]
    """Record a person taking up one of this organisation's offices."""
    form = dict(request.form)
    data, errors = load_form(AppointRequestSchema())
    if data is None:
        return _organisation_page(code.upper(), errors, form, 422)
    try:
        _services().ledger.appoint(
            require_actor(), organisation=code.upper(), office=data["office"],
            person_id=str(data["person_id"]), occurred_on=data["occurred_on"],
        )
    except DomainError as e:
        return _organisation_page(code.upper(), domain_errors(e), form, 422)
    return redirect(url_for("directory.organisation", code=code.upper()))


def _correction_post(page: str, schema, command: str, **fixed):  # type: ignore[no-untyped-def]
    """Load a correction form, run the command, and come back to the organisation's page."""
    form = dict(request.form)
    data, errors = load_form(schema)
    if data is None:
        return _organisation_page(page, errors, form, 422)
    if "person_id" in data:
        data["person_id"] = str(data["person_id"])
    try:
        getattr(_services().ledger, command)(require_actor(), **fixed, **data)
    except DomainError as e:
        return _organisation_page(page, domain_errors(e), form, 422)
    return redirect(url_for("directory.organisation", code=page) + "#corrections")


@bp.route("/organisations/<code>/correction", methods=["POST"])
@permission("directory.manage")
def correct_organisation(code: str):  # type: ignore[no-untyped-def]
    """Correct this organisation's wrongly recorded name or kind."""
    return _correction_post(code.upper(), CorrectOrganisationRequestSchema(), "correct_organisation",
                            code=code.upper())


@bp.route("/organisations/<code>/offices/correction", methods=["POST"])
@permission("directory.manage")
def correct_appointment(code: str):  # type: ignore[no-untyped-def]
    """Correct an appointment recorded by mistake."""
    return _correction_post(code.upper(), CorrectAppointmentRequestSchema(), "correct_appointment",
                            organisation=code.upper())


@bp.route("/organisations/<code>/people/correction", methods=["POST"])
@permission("directory.manage")
def correct_person(code: str):  # type: ignore[no-untyped-def]
    """Correct one of this organisation's people's wrongly recorded details."""
    return _correction_post(code.upper(), CorrectPersonFormSchema(), "correct_person")


@bp.route("/organisations/<code>/leavers/correction", methods=["POST"])
@permission("directory.manage")
def correct_leaving(code: str):  # type: ignore[no-untyped-def]
    """Correct a leaving recorded by mistake."""
    return _correction_post(code.upper(), CorrectLeavingFormSchema(), "correct_leaving")
