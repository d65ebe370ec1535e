"""The investigation pages: a subject's timeline, what each actor knew when, and view diffs."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from projections.timeline import Subject
from web.investigations import compare, note_read, timeline
from web.replay import parse_day, parse_moment, replayer, show_moment
from web.schemas.replay import TimelineQueryArgsSchema
from web.security import permission, require_actor

bp = Blueprint("investigations", __name__)
PER_PAGE = 50
FILTERS = ("event_type", "actor", "known_at", "as_of", "oldest_first", "page")


def _projections():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].projections


@bp.route("/investigations")
@permission("investigate")
def index():  # type: ignore[no-untyped-def]
    """Choose a subject; the whole log's timeline, or one event by its position."""
    event = None
    if request.args.get("position", "").isdigit():
        event = _projections()["timeline"].get(int(request.args["position"]))
    orgs = _projections()["directory"].list_organisations()
    return _page(None, "Every event in the ledger", {"organisations": orgs, "event": event})


@bp.route("/investigations/organisations/<code>")
@permission("investigate")
def organisation(code: str):  # type: ignore[no-untyped-def]
    """Everything about an organisation."""
    org = _projections()["directory"].get_organisation(code.upper())
    title = org["name"] if org else f"Organisation {code.upper()}"
    return _page(Subject("organisation", code.upper()), title, {})


@bp.route("/investigations/people/<uuid:person_id>")
@permission("investigate")
def person(person_id):  # type: ignore[no-untyped-def]
    """Everything about a person."""
    rows, _ = _projections()["directory"].list_people(
        include_left=True, limit=1, offset=0, person_id=str(person_id)
    )
    title = f"{rows[0]['name']}, {rows[0]['title']} ({rows[0]['organisation']})" if rows else f"Person {person_id}"
    return _page(Subject("person", str(person_id)), title, {})


@bp.route("/investigations/aggregates/<uuid:aggregate_id>")
@permission("investigate")
def aggregate(aggregate_id):  # type: ignore[no-untyped-def]
    """Everything recorded on one aggregate (a concern, a piece of feedback, a meeting...)."""
    subject = Subject("aggregate", str(aggregate_id))
    first, total = _projections()["timeline"].events(subject, limit=1, newest_first=False)
    title = f"{first[0]['aggregate_type']} {aggregate_id}" if total else f"Aggregate {aggregate_id}"
    return _page(subject, title, {})


@bp.route("/investigations/concerns/<reference>")
@permission("investigate")
def concern(reference: str):  # type: ignore[no-untyped-def]
    """Everything recorded on a concern, found by its reference (C-14)."""
    cid = _projections()["escalation"].concern_id(reference.strip())
    if cid is None:
        abort(404, description=f"concern {reference.upper()} not found")
    return _page(Subject("aggregate", cid), f"Concern {reference.upper()}", {})


@bp.route("/investigations/concerns")
@permission("investigate")
def concern_by_form():  # type: ignore[no-untyped-def]
    """The index's form: go to a concern's investigation page by its reference."""
    reference = request.args.get("reference", "").strip()
    if not reference:
        abort(422, description="give the concern's reference, e.g. C-14")
    return redirect(url_for("investigations.concern", reference=reference.upper()))


def _page(subject: Subject | None, title: str, extra: dict[str, Any]):  # type: ignore[no-untyped-def]
    raw = {k: v for k, v in request.args.items() if k in FILTERS and v != ""}
    try:
        args = TimelineQueryArgsSchema().load(raw)
    except SchemaError as e:
        abort(422, description="; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in e.messages_dict.items()))
    found = timeline(
        subject, event_type=args.get("event_type"), actor=args.get("actor"),
        known_at=args.get("known_at"), as_of=args.get("as_of"), page=args["page"],
        per_page=PER_PAGE, oldest_first=args["oldest_first"],
    )
    diff, diff_error = _diff(subject)
    note_read(require_actor(), {"read": "investigation", "subject": subject.__dict__ if subject else None, **raw})
    return render_template(
        "investigations/subject.html", subject=subject, title=title, found=found, filters=raw,
        event_types=_projections()["timeline"].event_types(subject),
        known_at=show_moment(args.get("known_at")), views=replayer().names,
        diff=diff, diff_error=diff_error, per_page=PER_PAGE, **extra,
    )


def _diff(subject: Subject | None) -> tuple[dict[str, Any] | None, str | None]:
    """The view comparison asked for by ?view=&before=&after= (None if not asked)."""
    name = request.args.get("view", "")
    if not name:
        return None, None
    try:
        before = parse_moment(request.args.get("before", ""), "before")
        after_text = request.args.get("after", "").strip()
        after = parse_moment(after_text, "after") if after_text else None
        as_of_text = request.args.get("diff_as_of", "").strip()
        as_of = parse_day(as_of_text, "as of") if as_of_text else None
    except ValueError as e:
        return None, str(e)
    result = compare(name, subject, before, after, as_of)
    result["before"], result["after"] = show_moment(before), show_moment(after) or "now"
    return result, None
