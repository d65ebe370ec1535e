"""Organisations, their office holders and their people."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from domain.errors import DomainError
from domain.permissions import is_allowed
from domain.values import Office, OrganisationKind
from web.pages.forms import domain_errors, load_form
from web.replay import replaying, view_for
from web.schemas.directory import (
    AddPersonRequestSchema,
    AppointRequestSchema,
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
    html = render_template(
        "organisation.html", org=org, people=people, total=total, page=page, per_page=PER_PAGE,
        can_manage=can_manage, offices=[o.value for o in Office], errors=errors, values=values,
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
