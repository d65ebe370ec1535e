"""Senior leaders' PVB objectives: coverage by organisation, each organisation's leaders, each objective."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, url_for

from domain.errors import NotFoundError
from domain.objective import OUTCOMES
from domain.periods import YEAR, financial_year_of, parse_period
from domain.values import Role
from web.access import split_readable
from web.pages.governance_support import can, catalogue, services, submit, today, view
from web.report_charts import bar_chart
from web.schemas.objectives import (
    AssessObjectiveRequestSchema,
    CorrectObjectiveAssessmentRequestSchema,
    NoteObjectiveProgressRequestSchema,
    SetObjectiveFormSchema,
)
from web.security import permission, require_actor

bp = Blueprint("objectives", __name__)


@bp.route("/objectives", methods=["GET"])
@permission("objectives.read")
def coverage():  # type: ignore[no-untyped-def]
    """Coverage of PVB objectives by organisation, the named gaps, outcomes and trend."""
    day = today()
    rows = view("objectives").coverage(day)
    trend = view("objectives").trend()
    chart = bar_chart("Senior leaders with a current PVB objective (%)", [[r["code"], r["share"]] for r in rows],
                      unit="%", maximum=100)
    trend_chart = bar_chart("Coverage by financial year (%)", [[t["label"], t["share"]] for t in trend],
                            unit="%", maximum=100)
    return render_template("objectives/coverage.html", rows=rows, trend=trend, chart=chart,
                           trend_chart=trend_chart, today=day)


def _chairs(code: str) -> bool:
    """True if the signed-in user records objectives for this organisation."""
    actor = require_actor()
    if not can("objectives.set"):
        return False
    if actor.role is Role.INDEPENDENT_CHAIR:
        org = view("directory").get_organisation(code)
        return org is not None and org["kind"] == "stp"
    return (actor.organisation or "").upper() == code


@bp.route("/objectives/<code>", methods=["GET"])
@permission("objectives.read")
def organisation(code: str):  # type: ignore[no-untyped-def]
    """An organisation's senior leaders, their objectives, and concerns for their next review."""
    return _organisation_page(code.upper(), {}, {})


def _organisation_page(code: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    org = view("directory").get_organisation(code)
    if org is None:
        abort(404, description=f"organisation {code} not found")
    day = today()
    year = financial_year_of(day)
    leaders = view("objectives").leaders(code, day)
    # a concern shows as a link only to those who may read it; to others only as a count
    review_concerns, withheld = split_readable(view("objectives").review_concerns(code), "concern_ref")
    shown = {c["concern_ref"] for c in review_concerns}
    for p in leaders:
        p["concerns_for_next_review"] = [c for c in p["concerns_for_next_review"] if c["concern_ref"] in shown]
    html = render_template(
        "objectives/organisation.html", org=org, leaders=leaders,
        review_concerns=review_concerns, withheld_concerns=withheld,
        can_set=_chairs(code), years=[year.key, year.next().key], catalogue=catalogue(),
        errors=errors, values=values, today=day,
    )
    return html, status


@bp.route("/objectives/<code>", methods=["POST"])
@permission("objectives.set")
def set_objective(code: str):  # type: ignore[no-untyped-def]
    """Record a PVB objective for one of the organisation's senior leaders."""
    code = code.upper()

    def command(d: dict[str, Any]) -> str:
        year = parse_period(d.pop("year"), YEAR, field="year")
        return services().ledger.set_objective(
            require_actor(), person_id=str(d["person_id"]), text=d["text"], citations=d["citations"],
            period_start=year.start, period_end=year.end, occurred_on=d["occurred_on"],
        )

    page = lambda e, v, s: _organisation_page(code, e, v, s)  # noqa: E731
    return submit(SetObjectiveFormSchema(), command, page, lambda oid: url_for("objectives.objective", objective_id=oid))


@bp.route("/objectives/item/<uuid:objective_id>", methods=["GET"])
@permission("objectives.read")
def objective(objective_id):  # type: ignore[no-untyped-def]
    """One objective: its wording, progress notes and assessment."""
    return _objective_page(str(objective_id), {}, {})


def _objective_page(objective_id: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    ledger = services().ledger
    try:
        details = ledger.get_objective(objective_id)
    except NotFoundError as e:
        abort(404, description=str(e))
    person = ledger.get_person(details.person_id)
    html = render_template(
        "objectives/objective.html", o=details, person=person, can_set=_chairs(details.organisation),
        outcomes=OUTCOMES, errors=errors, values=values,
    )
    return html, status


def _objective_post(objective_id: str, schema: Any, method: str):  # type: ignore[no-untyped-def]
    page = lambda e, v, s: _objective_page(objective_id, e, v, s)  # noqa: E731
    command = lambda d: getattr(services().ledger, method)(require_actor(), objective_id, **d)  # noqa: E731
    return submit(schema, command, page, lambda _: url_for("objectives.objective", objective_id=objective_id))


@bp.route("/objectives/item/<uuid:objective_id>/progress", methods=["POST"])
@permission("objectives.set")
def note_progress(objective_id):  # type: ignore[no-untyped-def]
    """Add a progress note."""
    return _objective_post(str(objective_id), NoteObjectiveProgressRequestSchema(), "note_objective_progress")


@bp.route("/objectives/item/<uuid:objective_id>/assessment", methods=["POST"])
@permission("objectives.set")
def assess(objective_id):  # type: ignore[no-untyped-def]
    """Record the year-end assessment."""
    return _objective_post(str(objective_id), AssessObjectiveRequestSchema(), "assess_objective")


@bp.route("/objectives/item/<uuid:objective_id>/correction", methods=["POST"])
@permission("objectives.set")
def correct(objective_id):  # type: ignore[no-untyped-def]
    """Correct a wrongly recorded assessment."""
    return _objective_post(str(objective_id), CorrectObjectiveAssessmentRequestSchema(), "correct_objective_assessment")
