"""Meeting bodies and meetings: the opening check, the closing vote, corrections and the timeline."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup
from marshmallow import Schema, pre_load
from marshmallow import ValidationError as SchemaError

from application.meeting_details import MeetingDetails
from domain.errors import DomainError, NotFoundError
from domain.meeting_body import BODY_KINDS, VOTE_MODES
from domain.meeting_votes import VERDICTS
from domain.permissions import is_allowed
from web.api.meetings import meeting_json
from web.errors import domain_error_status
from web.pages.forms import domain_errors, load_form
from web.replay import replaying, view_for
from web.schemas.meetings import (
    CorrectiveStepRequestSchema,
    CorrectTallyRequestSchema,
    CorrectVoteRequestSchema,
    EstablishBodyRequestSchema,
    MeetingsQueryArgsSchema,
    OpeningCheckRequestSchema,
    RecordMeetingRequestSchema,
    TallyRequestSchema,
    TermsOfReferenceRequestSchema,
    VoteRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("meetings", __name__)
PER_PAGE = 25
PEOPLE_IN_FORM = 500


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


def _can(name: str) -> bool:
    """The role holds the permission; while a page is replayed only reading is offered (no forms)."""
    if replaying() and not name.endswith(".read"):
        return False
    return is_allowed(require_actor().role, name)


def _names(person_ids: list[str]) -> dict[str, str]:
    """Names of a bounded list of people (a meeting's attendees), one indexed lookup each."""
    directory = _services().projections["directory"]
    names = {}
    for pid in dict.fromkeys(person_ids):
        rows, _ = directory.list_people(person_id=pid, include_left=True, limit=1)
        names[pid] = rows[0]["name"] if rows else pid
    return names


@bp.route("/meetings", methods=["GET"])
@permission("meetings.read")
def index():  # type: ignore[no-untyped-def]
    """Meetings, newest first, filtered by body, organisation or quarter, with a form to record one."""
    return _index_page({}, {})


def _index_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    args_in = {k: v for k, v in request.args.items() if v}
    try:
        args = MeetingsQueryArgsSchema().load(args_in, unknown="exclude")
    except SchemaError as e:
        abort(422, description="the filters are not valid: " + ", ".join(sorted(e.messages_dict)))
    page = args.pop("page")
    args.pop("per_page")
    view = view_for("meetings")
    meetings, total = view.list_meetings(
        body=(args.get("body") or "").upper() or None, organisation=(args.get("organisation") or "").upper() or None,
        quarter=args.get("quarter"), limit=PER_PAGE, offset=(page - 1) * PER_PAGE,
    )
    can_record = _can("meetings.record")
    html = render_template(
        "meetings/index.html", meetings=meetings, total=total, page=page, per_page=PER_PAGE, args=args,
        bodies=view.list_bodies(), people_fields=_people_fields(errors, values) if can_record else "",
        can_record=can_record, errors=errors, values=values,
    )
    return html, status


def _people_fields(errors: dict, values: dict) -> Markup:
    """The form's chair and attendee fields, one entry per person: most of the page's work, so the
    unfilled fields are kept until the directory next changes (View.remember)."""
    directory = _services().projections["directory"]

    def render() -> Markup:
        people, _ = directory.list_people(limit=PEOPLE_IN_FORM)
        return Markup(render_template("meetings/people_fields.html", people=people, errors=errors, values=values))

    if errors or values:
        return render()
    return directory.remember(("meetings.people_fields", PEOPLE_IN_FORM), render)


@bp.route("/meetings", methods=["POST"])
@permission("meetings.record")
def record_meeting():  # type: ignore[no-untyped-def]
    """Record a meeting from the form."""
    form = request.form.to_dict(flat=True)
    form["attendee_ids"] = request.form.getlist("attendee_ids")  # type: ignore[assignment]
    data, errors = load_form(_MeetingFormSchema())
    if data is None:
        return _index_page(errors, form, 422)
    try:
        meeting_id = _services().ledger.record_meeting(
            require_actor(), body=data["body"], title=data["title"], held_on=data["held_on"],
            chair_person_id=str(data["chair_person_id"]), attendee_ids=[str(a) for a in data["attendee_ids"]],
        )
    except DomainError as e:
        return _index_page(domain_errors(e), form, 422)
    return redirect(url_for("meetings.meeting", meeting_id=meeting_id))


@bp.route("/meeting-bodies", methods=["GET"])
@permission("meetings.read")
def bodies():  # type: ignore[no-untyped-def]
    """The Programme Board and the committees reporting to it, with their terms of reference."""
    return _bodies_page({}, {})


def _bodies_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    html = render_template(
        "meetings/bodies.html", bodies=view_for("meetings").list_bodies(),
        can_manage=_can("meetings.manage"), kinds=BODY_KINDS, modes=VOTE_MODES, errors=errors, values=values,
    )
    return html, status


@bp.route("/meeting-bodies", methods=["POST"])
@permission("meetings.manage")
def establish_body():  # type: ignore[no-untyped-def]
    """Set up a body from the form."""
    data, errors = load_form(EstablishBodyRequestSchema())
    if data is None:
        return _bodies_page(errors, request.form, 422)
    try:
        _services().ledger.establish_body(require_actor(), **data)
    except DomainError as e:
        return _bodies_page(domain_errors(e), request.form, 422)
    return redirect(url_for("meetings.bodies"))


@bp.route("/meeting-bodies/terms-of-reference", methods=["POST"])
@permission("meetings.manage")
def terms_of_reference():  # type: ignore[no-untyped-def]
    """Record a body's updated terms of reference (the body is chosen in the form)."""
    data, errors = load_form(TermsOfReferenceRequestSchema())
    if data is None:
        return _bodies_page(errors, request.form, 422)
    try:
        _services().ledger.update_terms_of_reference(require_actor(), request.form.get("body", ""), **data)
    except DomainError as e:
        return _bodies_page(domain_errors(e), request.form, 422)
    return redirect(url_for("meetings.bodies"))


@bp.route("/meetings/<uuid:meeting_id>", methods=["GET"])
@permission("meetings.read")
def meeting(meeting_id):  # type: ignore[no-untyped-def]
    """A meeting: attendees, the opening item, the closing vote, and every event."""
    return _meeting_page(str(meeting_id), {}, {}, None)


def _meeting_page(meeting_id: str, errors: dict, values: dict, form: str | None, status: int = 200):  # type: ignore[no-untyped-def]
    try:
        data = meeting_json(meeting_id)
    except NotFoundError:
        abort(404, description=f"meeting {meeting_id} not found")
    details: MeetingDetails = _services().ledger.get_meeting(meeting_id)
    actor = require_actor()
    voted = {v.person_id for v in details.votes}
    can_record = _services().ledger.may_record_meeting(actor, details.body)
    voters = [a for a in details.attendees if a.person_id not in voted and (can_record or a.person_id == actor.person_id)]
    html = render_template(
        "meetings/meeting.html", m=data, names=_names([a.person_id for a in details.attendees]),
        can_record=can_record, can_vote=_can("meetings.vote") and bool(voters) and details.closed_on is None,
        voters=voters, verdicts=VERDICTS, organisations=sorted({a.organisation for a in details.attendees}),
        errors=errors, values=values, form=form,
    )
    return html, status


def _meeting_form(meeting_id: str, form: str, schema: Schema, command: str, **extra: Any):  # type: ignore[no-untyped-def]
    data, errors = load_form(schema)
    if data is None:
        return _meeting_page(meeting_id, errors, request.form, form, 422)
    data.update(extra)
    if "person_id" in data:
        data["person_id"] = str(data["person_id"])
    try:
        getattr(_services().ledger, command)(require_actor(), meeting_id, **data)
    except DomainError as e:
        return _meeting_page(meeting_id, domain_errors(e), request.form, form, domain_error_status(e))
    return redirect(url_for("meetings.meeting", meeting_id=meeting_id) + f"#{form}")


@bp.route("/meetings/<uuid:meeting_id>/opening-check", methods=["POST"])
@permission("meetings.record")
def opening_check(meeting_id):  # type: ignore[no-untyped-def]
    """Record the opening item from the form; missing views come one per line."""
    return _meeting_form(str(meeting_id), "opening", _LinesSchema(), "record_opening_check")


class _LinesSchema(OpeningCheckRequestSchema):
    """The opening check as a form: missing views typed one per line."""

    @pre_load
    def _lines(self, data: Any, **kwargs: Any) -> Any:
        data = dict(data)
        if isinstance(data.get("missing_views"), str):
            data["missing_views"] = [v.strip() for v in data["missing_views"].splitlines() if v.strip()]
        return data


class _MeetingFormSchema(RecordMeetingRequestSchema):
    """The record-a-meeting form: one ticked attendee arrives as a string, not a list."""

    @pre_load
    def _listify(self, data: Any, **kwargs: Any) -> Any:
        data = dict(data)
        if isinstance(data.get("attendee_ids"), str):
            data["attendee_ids"] = [data["attendee_ids"]]
        return data


@bp.route("/meetings/<uuid:meeting_id>/corrective-steps", methods=["POST"])
@permission("meetings.record")
def corrective_step(meeting_id):  # type: ignore[no-untyped-def]
    """Record a corrective step agreed at the opening item."""
    return _meeting_form(str(meeting_id), "steps", CorrectiveStepRequestSchema(), "agree_corrective_step")


@bp.route("/meetings/<uuid:meeting_id>/votes", methods=["POST"])
@permission("meetings.vote")
def vote(meeting_id):  # type: ignore[no-untyped-def]
    """Record an attendee's closing vote."""
    return _meeting_form(str(meeting_id), "vote", VoteRequestSchema(), "record_vote")


@bp.route("/meetings/<uuid:meeting_id>/votes/correction", methods=["POST"])
@permission("meetings.vote")
def correct_vote(meeting_id):  # type: ignore[no-untyped-def]
    """Correct a recorded vote, saying why."""
    person_id = request.form.get("person_id", "")
    return _meeting_form(str(meeting_id), "correction", CorrectVoteRequestSchema(), "correct_vote", person_id=person_id)


@bp.route("/meetings/<uuid:meeting_id>/tallies", methods=["POST"])
@permission("meetings.record")
def tally(meeting_id):  # type: ignore[no-untyped-def]
    """Record an organisation's anonymous tally."""
    return _meeting_form(str(meeting_id), "tally", TallyRequestSchema(), "record_tally")


@bp.route("/meetings/<uuid:meeting_id>/tallies/correction", methods=["POST"])
@permission("meetings.record")
def correct_tally(meeting_id):  # type: ignore[no-untyped-def]
    """Correct an organisation's tally, saying why."""
    return _meeting_form(str(meeting_id), "tally-correction", CorrectTallyRequestSchema(), "correct_tally")


@bp.route("/meetings/<uuid:meeting_id>/close", methods=["POST"])
@permission("meetings.record")
def close(meeting_id):  # type: ignore[no-untyped-def]
    """Close the meeting's vote."""
    return _meeting_form(str(meeting_id), "close", _CloseSchema(), "close_voting")


class _CloseSchema(Schema):
    """Closing the vote takes no fields from the form."""
