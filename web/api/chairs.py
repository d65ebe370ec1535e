"""The Independent Chair's meetings with the Chairs, and the development programme."""

from __future__ import annotations

from flask import abort, current_app
from flask_smorest import Blueprint

from domain.errors import NotFoundError
from web.api.writes import written
from web.schemas.chairs import (
    ChairsMeetingSchema,
    CompleteChairsMeetingActionRequestSchema,
    DevelopmentSchema,
    HoldChairsMeetingRequestSchema,
    HoldLearningSessionRequestSchema,
    MakePledgeRequestSchema,
    PledgeSchema,
    RecordAttendanceRequestSchema,
    RevisitPledgeRequestSchema,
)
from web.schemas.directory import CreatedSchema
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint("api_chairs", __name__, description="The Independent Chair's meetings and the development programme")


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


@blp.route("/chairs-meetings")
@permission("chairs_meetings.read")
@blp.response(200, ChairsMeetingSchema(many=True))
def list_chairs_meetings():  # type: ignore[no-untyped-def]
    """The quarterly meetings, newest first, with attendees, absences and actions."""
    return _services().projections["chairs_meetings"].list_meetings(_services().ledger.clock().date())


@blp.route("/chairs-meetings", methods=["POST"])
@permission("chairs_meetings.record")
@blp.arguments(HoldChairsMeetingRequestSchema)
@blp.response(201, CreatedSchema)
def hold_chairs_meeting(data):  # type: ignore[no-untyped-def]
    """Record the quarter's meeting with the Chairs (the quarter is that of occurred_on)."""
    return written(_services().ledger.hold_chairs_meeting(require_actor(), **data))


@blp.route("/chairs-meetings/<quarter>/actions/<number>/completion", methods=["POST"])
@permission("chairs_meetings.record")
@blp.arguments(CompleteChairsMeetingActionRequestSchema)
@blp.response(201, CreatedSchema)
def complete_action(data, quarter, number):  # type: ignore[no-untyped-def]
    """Record that an action agreed at a meeting was done."""
    if not number.isdigit() or not 0 < int(number) < 10_000:
        abort(404, description=f"action {number} not found")
    return written(_services().ledger.complete_chairs_meeting_action(require_actor(), quarter.upper(), int(number), **data))


@blp.route("/development")
@permission("development.read")
@blp.response(200, DevelopmentSchema)
def get_development():  # type: ignore[no-untyped-def]
    """Learning sessions with attendees, pledges, and counts."""
    view = _services().projections["development"]
    return {"sessions": view.list_sessions(), "pledges": view.list_pledges(), "summary": view.summary()}


@blp.route("/development/sessions", methods=["POST"])
@permission("development.record")
@blp.arguments(HoldLearningSessionRequestSchema)
@blp.response(201, CreatedSchema)
def hold_session(data):  # type: ignore[no-untyped-def]
    """Record a learning session."""
    return written(_services().ledger.hold_learning_session(require_actor(), **data))


@blp.route("/development/sessions/<uuid:session_id>/attendance", methods=["POST"])
@permission("development.record")
@blp.arguments(RecordAttendanceRequestSchema)
@blp.response(201, CreatedSchema)
def record_attendance(data, session_id):  # type: ignore[no-untyped-def]
    """Record who attended a session."""
    return written(_services().ledger.record_session_attendance(require_actor(), str(session_id), **data))


@blp.route("/development/pledges", methods=["POST"])
@permission("development.pledge")
@blp.arguments(MakePledgeRequestSchema)
@blp.response(201, CreatedSchema)
def make_pledge(data):  # type: ignore[no-untyped-def]
    """Make your own personal pledge."""
    return written(_services().ledger.make_pledge(require_actor(), **data))


@blp.route("/development/pledges/<uuid:pledge_id>")
@permission("development.read")
@blp.response(200, PledgeSchema)
def get_pledge(pledge_id):  # type: ignore[no-untyped-def]
    """One pledge with its revisits."""
    try:
        return _services().ledger.get_pledge(str(pledge_id))
    except NotFoundError as e:
        abort(404, description=str(e))


@blp.route("/development/pledges/<uuid:pledge_id>/revisits", methods=["POST"])
@permission("development.pledge")
@blp.arguments(RevisitPledgeRequestSchema)
@blp.response(201, CreatedSchema)
def revisit_pledge(data, pledge_id):  # type: ignore[no-untyped-def]
    """Revisit your own pledge."""
    return written(_services().ledger.revisit_pledge(require_actor(), str(pledge_id), **data))
