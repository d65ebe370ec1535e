"""The development programme for Chairs and Chief Executives: learning sessions and pledges."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for

from domain.development import PLEDGE_OUTCOMES
from domain.errors import NotFoundError
from web.pages.governance_support import can, catalogue, services, submit, view
from web.schemas.chairs import (
    HoldLearningSessionRequestSchema,
    MakePledgeRequestSchema,
    RecordAttendanceRequestSchema,
    RevisitPledgeRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("development", __name__)


@bp.route("/development", methods=["GET"])
@permission("development.read")
def index():  # type: ignore[no-untyped-def]
    """Learning sessions with their attendees; pledges and their revisits."""
    return _page({}, {})


def _page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    development = view("development")
    leaders = [o for o in view("directory").office_holders() if o["office"] != "programme_board_member"]
    html = render_template(
        "development/index.html", sessions=development.list_sessions(), pledges=development.list_pledges(),
        summary=development.summary(), leaders=leaders, catalogue=catalogue(),
        can_record=can("development.record"), can_pledge=can("development.pledge"),
        errors=errors, values=values,
    )
    return html, status


def _done(_result: object) -> str:
    return url_for("development.index")


@bp.route("/development/sessions", methods=["POST"])
@permission("development.record")
def hold_session():  # type: ignore[no-untyped-def]
    """Record a learning session."""
    return submit(HoldLearningSessionRequestSchema(),
                  lambda d: services().ledger.hold_learning_session(require_actor(), **d), _page, _done)


@bp.route("/development/sessions/<uuid:session_id>/attendance", methods=["POST"])
@permission("development.record")
def record_attendance(session_id):  # type: ignore[no-untyped-def]
    """Record who attended a session."""
    return submit(RecordAttendanceRequestSchema(),
                  lambda d: services().ledger.record_session_attendance(require_actor(), str(session_id), **d),
                  _page, _done)


@bp.route("/development/pledges", methods=["POST"])
@permission("development.pledge")
def make_pledge():  # type: ignore[no-untyped-def]
    """Make your own pledge."""
    return submit(MakePledgeRequestSchema(), lambda d: services().ledger.make_pledge(require_actor(), **d),
                  _page, lambda pid: url_for("development.pledge", pledge_id=pid))


@bp.route("/development/pledges/<uuid:pledge_id>", methods=["GET"])
@permission("development.read")
def pledge(pledge_id):  # type: ignore[no-untyped-def]
    """One pledge with its revisits."""
    return _pledge_page(str(pledge_id), {}, {})


def _pledge_page(pledge_id: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    ledger = services().ledger
    try:
        p = ledger.get_pledge(pledge_id)
    except NotFoundError as e:
        abort(404, description=str(e))
    html = render_template(
        "development/pledge.html", p=p, person=ledger.get_person(p.person_id), outcomes=PLEDGE_OUTCOMES,
        own=require_actor().person_id == p.person_id, errors=errors, values=values,
    )
    return html, status


@bp.route("/development/pledges/<uuid:pledge_id>/revisits", methods=["POST"])
@permission("development.pledge")
def revisit(pledge_id):  # type: ignore[no-untyped-def]
    """Revisit your own pledge."""
    pid = str(pledge_id)
    return submit(RevisitPledgeRequestSchema(), lambda d: services().ledger.revisit_pledge(require_actor(), pid, **d),
                  lambda e, v, s: _pledge_page(pid, e, v, s), lambda _: url_for("development.pledge", pledge_id=pid))
