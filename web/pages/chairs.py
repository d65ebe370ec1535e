"""The Independent Chair's quarterly meetings with the Chairs of the organisations."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from web.pages.governance_support import can, services, submit, today, view
from web.schemas.chairs import (
    AgreedActionSchema,
    CompleteChairsMeetingActionRequestSchema,
    HoldChairsMeetingRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("chairs", __name__)
ACTION_ROWS = 3


@bp.route("/chairs-meetings", methods=["GET"])
@permission("chairs_meetings.read")
def index():  # type: ignore[no-untyped-def]
    """Every meeting: who attended, the progress reviewed, the actions agreed."""
    return _page({}, {})


def _page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    day = today()
    meetings = view("chairs_meetings")
    partners = [o for o in view("directory").list_organisations() if o["kind"] not in ("stp", "regulator", "hwb")]
    html = render_template(
        "chairs/index.html", meetings=meetings.list_meetings(day), attendance=meetings.attendance_by_organisation(),
        partners=partners, rows=range(1, ACTION_ROWS + 1), can_record=can("chairs_meetings.record"),
        errors=errors, values=values, today=day,
    )
    return html, status


def _form_actions() -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    actions, errors = [], {}
    for i in range(1, ACTION_ROWS + 1):
        row = {k: request.form.get(f"action_{k}_{i}", "").strip() for k in ("text", "owner_organisation", "due_on")}
        if not row["text"] and not row["due_on"]:
            continue
        try:
            actions.append(AgreedActionSchema().load(row))
        except SchemaError as e:
            errors[f"action_text_{i}"] = [f"action {i}: {k}: {', '.join(v)}" for k, v in e.messages_dict.items()]
    return actions, errors


@bp.route("/chairs-meetings", methods=["POST"])
@permission("chairs_meetings.record")
def hold():  # type: ignore[no-untyped-def]
    """Record the quarter's meeting with the Chairs."""
    actions, errors = _form_actions()
    if errors:
        return _page(errors, dict(request.form), 422)

    def command(d: dict[str, Any]) -> str:
        return services().ledger.hold_chairs_meeting(require_actor(), **dict(d, actions=actions))

    return submit(HoldChairsMeetingRequestSchema(), command, _page, lambda _: url_for("chairs.index"))


@bp.route("/chairs-meetings/<quarter>/actions/<int:number>", methods=["POST"])
@permission("chairs_meetings.record")
def complete_action(quarter: str, number: int):  # type: ignore[no-untyped-def]
    """Record that an agreed action was done."""
    return submit(
        CompleteChairsMeetingActionRequestSchema(),
        lambda d: services().ledger.complete_chairs_meeting_action(require_actor(), quarter.upper(), number, **d),
        _page, lambda _: url_for("chairs.index"),
    )
