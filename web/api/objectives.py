"""Senior leaders' PVB objectives: coverage, setting, progress and assessment."""

from __future__ import annotations

from flask import abort, current_app, url_for
from flask_smorest import Blueprint

from domain.errors import NotFoundError
from web.access import split_readable
from web.api.writes import written
from web.schemas.directory import CreatedSchema
from web.schemas.objectives import (
    AssessObjectiveRequestSchema,
    CorrectObjectiveAssessmentRequestSchema,
    NoteObjectiveProgressRequestSchema,
    ObjectiveCoverageQueryArgsSchema,
    ObjectiveSchema,
    ObjectivesCoverageSchema,
    ReviewConcernsSchema,
    SetObjectiveRequestSchema,
)
from web.security import permission, require_actor

PREFIX = "/objectives"
blp = Blueprint("api_objectives", __name__, description="Senior leaders' personal objectives on the PVB")


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


@blp.route("/coverage")
@permission("objectives.read")
@blp.arguments(ObjectiveCoverageQueryArgsSchema, location="query")
@blp.response(200, ObjectivesCoverageSchema)
def coverage(args):  # type: ignore[no-untyped-def]
    """Each organisation's share of senior leaders with a current PVB objective, the gaps, and the trend."""
    day = args["today"] or _services().ledger.clock().date()
    view = _services().projections["objectives"]
    return {"today": day, "organisations": view.coverage(day), "trend": view.trend()}


@blp.route("/review-concerns/<code>")
@permission("objectives.read")
@blp.response(200, ReviewConcernsSchema)
def review_concerns(code):  # type: ignore[no-untyped-def]
    """The concerns the Independent Chair took up about the organisation's people, for their next review.

    Listed only if you may read them (investigators; the chain; the governance lead and the Independent
    Chair; the organisation's Chief Executive and Chair); the rest are counted in `withheld`."""
    code = code.upper()
    if _services().projections["directory"].get_organisation(code) is None:
        abort(404, description=f"organisation {code} not found")
    every = _services().projections["objectives"].review_concerns(code)
    readable, withheld = split_readable(every, "concern_ref")  # the others only as counts
    rows = [{**r, "url": url_for("concerns.concern", reference=r["concern_ref"])} for r in readable]
    return {"organisation": code, "pending": sum(1 for r in every if r["closed_on"] is None),
            "withheld": withheld, "concerns": rows}


@blp.route("", methods=["POST"])
@permission("objectives.set")
@blp.arguments(SetObjectiveRequestSchema)
@blp.response(201, CreatedSchema)
def set_objective(data):  # type: ignore[no-untyped-def]
    """Record a PVB objective for a senior leader of the Chair's own organisation."""
    data["person_id"] = str(data["person_id"])
    return written(_services().ledger.set_objective(require_actor(), **data))


@blp.route("/<uuid:objective_id>")
@permission("objectives.read")
@blp.response(200, ObjectiveSchema)
def get_objective(objective_id):  # type: ignore[no-untyped-def]
    """One objective with its progress notes and assessment."""
    try:
        return _services().ledger.get_objective(str(objective_id))
    except NotFoundError as e:
        abort(404, description=str(e))


@blp.route("/<uuid:objective_id>/progress", methods=["POST"])
@permission("objectives.set")
@blp.arguments(NoteObjectiveProgressRequestSchema)
@blp.response(201, CreatedSchema)
def note_progress(data, objective_id):  # type: ignore[no-untyped-def]
    """Add a progress note."""
    return written(_services().ledger.note_objective_progress(require_actor(), str(objective_id), **data))


@blp.route("/<uuid:objective_id>/assessment", methods=["POST"])
@permission("objectives.set")
@blp.arguments(AssessObjectiveRequestSchema)
@blp.response(201, CreatedSchema)
def assess(data, objective_id):  # type: ignore[no-untyped-def]
    """Record the year-end assessment: met, partly met or not met."""
    return written(_services().ledger.assess_objective(require_actor(), str(objective_id), **data))


@blp.route("/<uuid:objective_id>/correction", methods=["POST"])
@permission("objectives.set")
@blp.arguments(CorrectObjectiveAssessmentRequestSchema)
@blp.response(201, CreatedSchema)
def correct(data, objective_id):  # type: ignore[no-untyped-def]
    """Put right a wrongly recorded assessment."""
    return written(_services().ledger.correct_objective_assessment(require_actor(), str(objective_id), **data))
