"""The STP roles: the Independent Chair, the Accountable Officer and the Programme Board's members."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for

from domain.errors import DomainError
from domain.permissions import is_allowed
from web.pages.forms import domain_errors, load_form
from web.replay import replaying, view_for
from web.schemas.body_members import CorrectFormSchema, MemberFormSchema, StandDownFormSchema
from web.security import permission, require_actor

bp = Blueprint("programme_board", __name__)


@bp.route("/programme-board", methods=["GET"])
@permission("directory.read")
def index():  # type: ignore[no-untyped-def]
    """The STP roles and the Programme Board's members, with forms for those who record appointments."""
    return _page({}, {})


def _page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    directory = view_for("directory")
    roles = directory.stp_roles()
    can_manage = is_allowed(require_actor().role, "directory.manage") and not replaying()
    candidates = []
    if can_manage and roles["programme_board"]:
        members = {m["person_id"] for m in roles["programme_board_members"]}
        people, _ = directory.list_people(limit=2000)
        candidates = [p for p in people if p["id"] not in members]
    page = render_template(
        "programme_board.html", roles=roles, can_manage=can_manage, candidates=candidates,
        errors=errors, values=values,
    )
    return page, status


def _write(schema, command):  # type: ignore[no-untyped-def]
    form = dict(request.form)
    code = current_app.extensions["pvb"].projections["directory"].programme_board_code()
    if code is None:
        abort(404, description="the Programme Board is not set up yet")
    data, errors = load_form(schema)
    if data is None:
        return _page(errors, form, 422)
    data["person_id"] = str(data["person_id"])
    try:
        command(require_actor(), code, **data)
    except DomainError as e:
        return _page(domain_errors(e), form, 422)
    return redirect(url_for("programme_board.index"))


@bp.route("/programme-board/members", methods=["POST"])
@permission("directory.manage")
def appoint():  # type: ignore[no-untyped-def]
    """Record a person becoming a member of the Programme Board."""
    return _write(MemberFormSchema(), current_app.extensions["pvb"].ledger.appoint_body_member)


@bp.route("/programme-board/members/stand-down", methods=["POST"])
@permission("directory.manage")
def stand_down():  # type: ignore[no-untyped-def]
    """Record a member of the Programme Board standing down."""
    return _write(StandDownFormSchema(), current_app.extensions["pvb"].ledger.stand_down_body_member)


@bp.route("/programme-board/members/correction", methods=["POST"])
@permission("directory.manage")
def correct():  # type: ignore[no-untyped-def]
    """Put right an appointment recorded wrongly (another start day, or never appointed)."""
    return _write(CorrectFormSchema(), current_app.extensions["pvb"].ledger.correct_body_member_appointment)
