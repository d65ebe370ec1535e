"""Meeting bodies, meetings, the opening check and the closing vote."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import RAISE

from web.api.writes import written
from web.schemas.directory import CreatedSchema
from web.schemas.meetings import (
    AppointSecretaryRequestSchema,
    BodySchema,
    CloseVotingRequestSchema,
    CorrectiveStepRequestSchema,
    CorrectTallyRequestSchema,
    CorrectVoteRequestSchema,
    EstablishBodyRequestSchema,
    MeetingSchema,
    MeetingsPageSchema,
    MeetingsQueryArgsSchema,
    OpeningCheckRequestSchema,
    RecordMeetingRequestSchema,
    TallyRequestSchema,
    TermsOfReferenceRequestSchema,
    VoteRequestSchema,
)
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint(
    "api_meetings", __name__,
    description="Meeting bodies (the Programme Board and the committees reporting to it), their "
    "cross-organisational meetings, the opening check on representation and the closing adherence vote.",
)


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


def meeting_json(meeting_id: str) -> dict[str, Any]:
    """A meeting as the API and pages show it, with its timeline."""
    ledger = _ledger()
    m = ledger.get_meeting(meeting_id)
    check = m.opening_check
    return {
        "id": m.id, "body": m.body, "title": m.title, "held_on": m.held_on, "quarter": m.quarter,
        "chair_person_id": m.chair_person_id, "vote_mode": m.vote_mode,
        "attendees": [asdict(a) for a in m.attendees],
        "opening_check": None if check is None else {
            "all_views_represented": check["all"], "missing_views": check["missing"],
            "speaking_up_expected": check["speaking_up_expected"], "occurred_on": check["on"],
        },
        "corrective_steps": [
            {"step": s["step"], "missing_view": s["missing_view"], "owner_organisation": s["owner"], "occurred_on": s["on"]}
            for s in m.corrective_steps
        ],
        "votes": [asdict(v) for v in m.votes],
        "tallies": [{"organisation": o, "adhered": t[0], "partly_adhered": t[1], "not_adhered": t[2]}
                    for o, t in sorted(m.tallies.items())],
        "closed_on": m.closed_on,
        "timeline": [asdict(t) for t in ledger.meeting_timeline(meeting_id)],
    }


@blp.route("/meeting-bodies")
@permission("meetings.read")
@blp.response(200, BodySchema(many=True))
def list_bodies():  # type: ignore[no-untyped-def]
    """The Programme Board and the committees and sub-committees reporting to it."""
    return current_app.extensions["pvb"].projections["meetings"].list_bodies()


@blp.route("/meeting-bodies", methods=["POST"])
@permission("meetings.manage")
@blp.arguments(EstablishBodyRequestSchema)
@blp.response(201, CreatedSchema)
def establish_body(data):  # type: ignore[no-untyped-def]
    """Set up a meeting body."""
    return written(_ledger().establish_body(require_actor(), **data))


@blp.route("/meeting-bodies/<code>/terms-of-reference", methods=["POST"])
@permission("meetings.manage")
@blp.arguments(TermsOfReferenceRequestSchema)
@blp.response(201, CreatedSchema)
def update_terms_of_reference(data, code):  # type: ignore[no-untyped-def]
    """Record that a body's terms of reference were updated to reflect the PVB."""
    _ledger().update_terms_of_reference(require_actor(), code, **data)
    return written(code.upper())


@blp.route("/meeting-bodies/<code>/secretary", methods=["POST"])
@permission("meetings.manage")
@blp.arguments(AppointSecretaryRequestSchema)
@blp.response(201, CreatedSchema)
def appoint_secretary(data, code):  # type: ignore[no-untyped-def]
    """Make someone the body's secretary: only they and the governance lead record its meetings."""
    _ledger().appoint_body_secretary(require_actor(), code, person_id=str(data["person_id"]),
                                     occurred_on=data["occurred_on"])
    return written(code.upper())


@blp.route("/meetings")
@permission("meetings.read")
@blp.arguments(MeetingsQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, MeetingsPageSchema)
def list_meetings(args):  # type: ignore[no-untyped-def]
    """A page of meetings, newest first, by body, attending organisation or quarter."""
    page, per_page = args.pop("page"), args.pop("per_page")
    items, total = current_app.extensions["pvb"].projections["meetings"].list_meetings(
        body=(args.get("body") or "").upper() or None, organisation=(args.get("organisation") or "").upper() or None,
        quarter=args.get("quarter"), limit=per_page, offset=(page - 1) * per_page,
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("/meetings", methods=["POST"])
@permission("meetings.record")
@blp.arguments(RecordMeetingRequestSchema)
@blp.response(201, CreatedSchema)
def record_meeting(data):  # type: ignore[no-untyped-def]
    """Record a cross-organisational meeting held, with its chair and attendees."""
    meeting_id = _ledger().record_meeting(
        require_actor(), body=data["body"], title=data["title"], held_on=data["held_on"],
        chair_person_id=str(data["chair_person_id"]), attendee_ids=[str(a) for a in data["attendee_ids"]],
    )
    return written(meeting_id)


@blp.route("/meetings/<uuid:meeting_id>")
@permission("meetings.read")
@blp.response(200, MeetingSchema)
def get_meeting(meeting_id):  # type: ignore[no-untyped-def]
    """A meeting with its attendees, opening item, votes or tallies and every event."""
    return meeting_json(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/opening-check", methods=["POST"])
@permission("meetings.record")
@blp.arguments(OpeningCheckRequestSchema)
@blp.response(201, CreatedSchema)
def record_opening_check(data, meeting_id):  # type: ignore[no-untyped-def]
    """Record the opening item: whether all necessary views were represented."""
    _ledger().record_opening_check(require_actor(), str(meeting_id), **data)
    return written(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/corrective-steps", methods=["POST"])
@permission("meetings.record")
@blp.arguments(CorrectiveStepRequestSchema)
@blp.response(201, CreatedSchema)
def agree_corrective_step(data, meeting_id):  # type: ignore[no-untyped-def]
    """Record a corrective step agreed at the opening item."""
    _ledger().agree_corrective_step(require_actor(), str(meeting_id), **data)
    return written(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/votes", methods=["POST"])
@permission("meetings.vote")
@blp.arguments(VoteRequestSchema)
@blp.response(201, CreatedSchema)
def record_vote(data, meeting_id):  # type: ignore[no-untyped-def]
    """Record an attendee's closing vote (attendees may record their own; secretaries any)."""
    _ledger().record_vote(require_actor(), str(meeting_id), **{**data, "person_id": str(data["person_id"])})
    return written(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/votes/<uuid:person_id>/corrections", methods=["POST"])
@permission("meetings.vote")
@blp.arguments(CorrectVoteRequestSchema)
@blp.response(201, CreatedSchema)
def correct_vote(data, meeting_id, person_id):  # type: ignore[no-untyped-def]
    """Correct a recorded vote, saying why; the original stays in the log."""
    _ledger().correct_vote(require_actor(), str(meeting_id), person_id=str(person_id), **data)
    return written(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/tallies", methods=["POST"])
@permission("meetings.record")
@blp.arguments(TallyRequestSchema)
@blp.response(201, CreatedSchema)
def record_tally(data, meeting_id):  # type: ignore[no-untyped-def]
    """Record an organisation's anonymous tally at the closing item."""
    _ledger().record_tally(require_actor(), str(meeting_id), **data)
    return written(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/tallies/corrections", methods=["POST"])
@permission("meetings.record")
@blp.arguments(CorrectTallyRequestSchema)
@blp.response(201, CreatedSchema)
def correct_tally(data, meeting_id):  # type: ignore[no-untyped-def]
    """Correct an organisation's tally, saying why."""
    _ledger().correct_tally(require_actor(), str(meeting_id), **data)
    return written(str(meeting_id))


@blp.route("/meetings/<uuid:meeting_id>/close", methods=["POST"])
@permission("meetings.record")
@blp.arguments(CloseVotingRequestSchema)
@blp.response(201, CreatedSchema)
def close_voting(data, meeting_id):  # type: ignore[no-untyped-def]
    """Close the meeting's vote; attendees who did not vote are recorded as not voting."""
    _ledger().close_voting(require_actor(), str(meeting_id), **data)
    return written(str(meeting_id))
