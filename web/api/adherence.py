"""The adherence view: each organisation by quarter, rated by the published rule, with its evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import abort, url_for
from flask_smorest import Blueprint
from marshmallow import RAISE

from domain.period import Quarter, quarters_between
from domain.permissions import is_allowed
from domain.rating import RULE, RULE_VERSION
from projections.adherence_queries import AdherenceCell
from web.access import split_readable
from web.replay import view_for
from web.schemas.adherence import AdherenceQueryArgsSchema, AdherenceSchema, EvidenceSchema
from web.schemas.meetings import QUARTER
from web.security import permission, require_actor

PREFIX = "/adherence"
DEFAULT_QUARTERS = 5
MAX_QUARTERS = 12
blp = Blueprint(
    "api_adherence", __name__,
    description="For each organisation and quarter: its attendees' closing votes, the staff survey panel "
    "and the all-staff questions, rated by the published rule (GET /adherence gives the rule's text), "
    "the concerns raised about its people and their outcomes, and the count and tenor of regulator and "
    "HWB feedback (shown, not rated), and the events behind every figure.",
)


def window(first: str | None, last: str | None, today: date) -> list[Quarter]:
    """The quarters asked for: by default the current quarter and the four before it."""
    end = Quarter.parse(last, "last") if last else Quarter.of(today)
    start = Quarter.parse(first, "first") if first else Quarter(end.year - 1, end.number)
    quarters = quarters_between(start, end)
    if not quarters:
        abort(422, description=f"first ({start.key}) is after last ({end.key})")
    if len(quarters) > MAX_QUARTERS:
        abort(422, description=f"ask for at most {MAX_QUARTERS} quarters at once")
    return quarters


def evidence_url(organisation: str, quarter: str) -> str:
    """The page listing the events behind an organisation's figures in a quarter."""
    return url_for("adherence.evidence", organisation=organisation, quarter=quarter)


def evidence_json(view: Any, organisation: str, quarter: str) -> dict[str, Any]:
    """Everything behind one organisation-quarter; attendees' person ids only for those who may read meetings."""
    cell = view.cells(quarter, quarter, organisation).get((organisation, quarter))
    votes = view.vote_evidence(organisation, quarter)
    # concerns listed only to those who may read each; the others are in the cell's counts
    concerns, withheld = split_readable(view.concern_evidence(organisation, quarter), "reference")
    if not is_allowed(require_actor().role, "meetings.read"):
        votes = [{**v, "person_id": None} for v in votes]
    return {
        "organisation": organisation, "quarter": quarter,
        "cell": {**(cell or AdherenceCell(organisation, quarter)).as_dict(), "evidence": evidence_url(organisation, quarter)},
        "votes": votes, "tallies": view.tally_evidence(organisation, quarter),
        "surveys": view.survey_evidence(organisation, quarter),
        "panel_questions": view.panel_results(organisation, quarter),
        "all_staff_questions": view.panel_results(organisation, quarter, "all_staff"),
        "concerns": [{**x, "url": url_for("concerns.concern", reference=x["reference"]) + f"#event-{x['version']}"}
                     for x in concerns],
        "concerns_withheld": withheld,
        "feedback": [{**x, "url": url_for("feedback.detail", feedback_id=x["feedback_id"])}
                     for x in view.feedback_evidence(organisation, quarter)],
    }


@blp.route("")
@permission("adherence.read")
@blp.arguments(AdherenceQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, AdherenceSchema)
def get_adherence(args):  # type: ignore[no-untyped-def]
    """Every organisation-quarter with a figure in the range, rated by the published rule."""
    quarters = window(args.get("first"), args.get("last"), date.today())
    organisation = (args.get("organisation") or "").upper() or None
    cells = view_for("adherence").cells(quarters[0].key, quarters[-1].key, organisation)
    return {
        "quarters": [q.key for q in quarters],
        "cells": [{**c.as_dict(), "evidence": evidence_url(*key)} for key, c in cells.items()],
        "rule_version": RULE_VERSION, "rule": list(RULE),
    }


@blp.route("/<organisation>/<quarter>")
@permission("adherence.read")
@blp.response(200, EvidenceSchema)
def get_evidence(organisation, quarter):  # type: ignore[no-untyped-def]
    """The votes, tallies and survey events behind one organisation's figures in one quarter."""
    if not QUARTER.regex.match(quarter):
        abort(404, description=f"quarter {quarter} not found; quarters look like 2026-27-Q1")
    Quarter.parse(quarter)
    return evidence_json(view_for("adherence"), organisation.upper(), quarter)
