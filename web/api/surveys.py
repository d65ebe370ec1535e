"""The staff survey panel, panel and all-staff surveys, mappings, imports and all-staff results.

Files are sent as JSON with the bytes base64-encoded (``content_base64``), since the API takes
JSON only. A file that cannot be imported answers 422 with every problem, by row and column,
under ``errors.file``, and nothing is recorded.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask_smorest import Blueprint, abort
from marshmallow import RAISE

from application.surveymonkey import FileRejectedError
from web.api.writes import written
from web.schemas.directory import CreatedSchema
from web.schemas.surveys import (
    AgreePanelRequestSchema,
    AllStaffResultsRequestSchema,
    CorrectAllStaffResultsRequestSchema,
    ImportRequestSchema,
    ImportResultSchema,
    MappingSchema,
    OpenSurveyRequestSchema,
    PanelJoinerRequestSchema,
    PanelLeaverRequestSchema,
    PanelSchema,
    PreviewSchema,
    SurveySchema,
    SurveysPageSchema,
    SurveysQueryArgsSchema,
)
from web.security import permission, require_actor

PREFIX = ""
blp = Blueprint(
    "api_surveys", __name__,
    description="The staff survey panel, its quarterly SurveyMonkey surveys (imported idempotently by "
    "Respondent ID; files are sent base64-encoded in JSON) and the all-staff surveys' two PVB questions.",
)


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


def rejected(error: FileRejectedError) -> None:
    """Answer 422 listing every problem with the file."""
    abort(422, message=str(error), messages={"json": {"file": [str(p) for p in error.problems]}})


def preview_json(preview: Any) -> dict[str, Any]:
    """A preview as plain data."""
    export = preview.export
    columns = [] if export is None else [
        {"letter": c.letter, "heading": c.heading, "option": c.option, "free_text": c.free_text,
         "answers": [{"answer": a, "count": n} for a, n in export.answers(c)[:30]]}
        for c in export.columns
    ]
    return {
        "survey": asdict(preview.survey), "columns": columns, "responses": preview.responses, "new": preview.new,
        "already_held": preview.already_held, "problems": [asdict(p) for p in preview.problems],
    }


@blp.route("/survey-panel")
@permission("surveys.read")
@blp.response(200, PanelSchema)
def get_panel():  # type: ignore[no-untyped-def]
    """The staff survey panel's current members by organisation."""
    panel = _ledger().get_panel()
    return {"agreed": panel.agreed, "members": [{"person_id": p, "organisation": o} for p, o in panel.members]}


@blp.route("/survey-panel", methods=["POST"])
@permission("surveys.manage")
@blp.arguments(AgreePanelRequestSchema)
@blp.response(201, CreatedSchema)
def agree_panel(data):  # type: ignore[no-untyped-def]
    """Agree the staff survey panel with its first members."""
    _ledger().agree_panel(require_actor(), member_ids=[str(m) for m in data["member_ids"]], occurred_on=data["occurred_on"])
    return written("panel")


@blp.route("/survey-panel/members", methods=["POST"])
@permission("surveys.manage")
@blp.arguments(PanelJoinerRequestSchema)
@blp.response(201, CreatedSchema)
def add_panel_member(data):  # type: ignore[no-untyped-def]
    """Record someone joining the panel."""
    _ledger().add_panel_member(require_actor(), str(data["person_id"]), occurred_on=data["occurred_on"])
    return written(str(data["person_id"]))


@blp.route("/survey-panel/members/<uuid:person_id>/leaving", methods=["POST"])
@permission("surveys.manage")
@blp.arguments(PanelLeaverRequestSchema)
@blp.response(201, CreatedSchema)
def remove_panel_member(data, person_id):  # type: ignore[no-untyped-def]
    """Record someone leaving the panel."""
    _ledger().remove_panel_member(require_actor(), str(person_id), **data)
    return written(str(person_id))


@blp.route("/surveys")
@permission("surveys.read")
@blp.arguments(SurveysQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, SurveysPageSchema)
def list_surveys(args):  # type: ignore[no-untyped-def]
    """A page of surveys, newest period first."""
    page, per_page = args["page"], args["per_page"]
    items, total = current_app.extensions["pvb"].projections["meetings"].list_surveys(
        args.get("kind"), limit=per_page, offset=(page - 1) * per_page
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page}


@blp.route("/surveys", methods=["POST"])
@permission("surveys.manage")
@blp.arguments(OpenSurveyRequestSchema)
@blp.response(201, CreatedSchema)
def open_survey(data):  # type: ignore[no-untyped-def]
    """Set up a survey for a quarter (all-staff surveys get the two PVB questions unless given)."""
    return written(_ledger().open_survey(require_actor(), **data))


@blp.route("/surveys/<code>")
@permission("surveys.read")
@blp.response(200, SurveySchema)
def get_survey(code):  # type: ignore[no-untyped-def]
    """A survey with its mapping or questions and what it holds."""
    return asdict(_ledger().get_survey(code))


@blp.route("/surveys/<code>/mapping", methods=["PUT"])
@permission("surveys.manage")
@blp.arguments(MappingSchema)
@blp.response(201, CreatedSchema)
def save_mapping(data, code):  # type: ignore[no-untyped-def]
    """Save the mapping from a panel survey's export to catalogue items and organisations (an event)."""
    occurred_on = data.pop("occurred_on", None)
    _ledger().save_survey_mapping(require_actor(), code, data, occurred_on=occurred_on)
    return written(code.upper())


@blp.route("/surveys/<code>/previews", methods=["POST"])
@permission("surveys.import")
@blp.arguments(ImportRequestSchema)
@blp.response(200, PreviewSchema)
def preview_import(data, code):  # type: ignore[no-untyped-def]
    """What importing a file would do: its columns and answers, new and known responses, problems. Records nothing."""
    try:
        preview = _ledger().preview_survey_import(require_actor(), code, data["content_base64"], data["filename"])
    except FileRejectedError as e:
        rejected(e)
    return preview_json(preview)


@blp.route("/surveys/<code>/imports", methods=["POST"])
@permission("surveys.import")
@blp.arguments(ImportRequestSchema)
@blp.response(201, ImportResultSchema)
def import_file(data, code):  # type: ignore[no-untyped-def]
    """Import a SurveyMonkey export (panel) or results CSV (all-staff): only new responses are recorded."""
    try:
        result = _ledger().import_survey_file(
            require_actor(), code, data["content_base64"], data["filename"], occurred_on=data["occurred_on"]
        )
    except FileRejectedError as e:
        rejected(e)
    written(result.survey)
    return asdict(result)


@blp.route("/surveys/<code>/results", methods=["POST"])
@permission("surveys.import")
@blp.arguments(AllStaffResultsRequestSchema)
@blp.response(201, CreatedSchema)
def record_results(data, code):  # type: ignore[no-untyped-def]
    """Enter an organisation's counts per answer for one all-staff question."""
    _ledger().record_all_staff_results(require_actor(), code, **data)
    return written(code.upper())


@blp.route("/surveys/<code>/results/corrections", methods=["POST"])
@permission("surveys.import")
@blp.arguments(CorrectAllStaffResultsRequestSchema)
@blp.response(201, CreatedSchema)
def correct_results(data, code):  # type: ignore[no-untyped-def]
    """Correct an organisation's all-staff results, saying why."""
    _ledger().correct_all_staff_results(require_actor(), code, **data)
    return written(code.upper())
