"""Staff surveys: the panel, panel and all-staff surveys, the import page with preview, mapping and errors."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from application.surveymonkey import FileRejectedError
from domain.errors import DomainError, NotFoundError
from domain.permissions import is_allowed
from domain.survey import SURVEY_KINDS
from domain.survey_panel import LEAVING_REASONS
from domain.values import OrganisationKind
from web.pages.forms import domain_errors, load_form
from web.pages.survey_forms import CUSTOM, defaults, mapping_from, org_answers, posted_values
from web.replay import replaying, view_for
from web.schemas.surveys import (
    MAX_FILE,
    MappingSchema,
    OpenSurveyRequestSchema,
    SurveysQueryArgsSchema,
)
from web.security import permission, require_actor

bp = Blueprint("surveys", __name__)
PER_PAGE = 25


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


def _can(name: str) -> bool:
    """The role holds the permission; while a page is replayed only reading is offered (no forms)."""
    if replaying() and not name.endswith(".read"):
        return False
    return is_allowed(require_actor().role, name)


def _organisations() -> list[dict[str, Any]]:
    return _services().projections["directory"].list_organisations()  # type: ignore[no-any-return]


@bp.route("/surveys", methods=["GET"])
@permission("surveys.read")
def index():  # type: ignore[no-untyped-def]
    """Surveys by period, the panel at a glance, and a form to open a survey."""
    return _index_page({}, {})


def _index_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    try:
        args = SurveysQueryArgsSchema().load({k: v for k, v in request.args.items() if v}, unknown="exclude")
    except SchemaError as e:
        abort(422, description="the filters are not valid: " + ", ".join(sorted(e.messages_dict)))
    view = view_for("meetings")
    surveys, total = view.list_surveys(args.get("kind"), limit=PER_PAGE, offset=(args["page"] - 1) * PER_PAGE)
    html = render_template(
        "surveys/index.html", surveys=surveys, total=total, page=args["page"], per_page=PER_PAGE,
        panel=view.panel_by_organisation(), can_manage=_can("surveys.manage"), kinds=SURVEY_KINDS,
        errors=errors, values=values,
    )
    return html, status


@bp.route("/surveys", methods=["POST"])
@permission("surveys.manage")
def open_survey():  # type: ignore[no-untyped-def]
    """Open a survey from the form."""
    data, errors = load_form(OpenSurveyRequestSchema())
    if data is None:
        return _index_page(errors, request.form, 422)
    try:
        code = _services().ledger.open_survey(require_actor(), **data)
    except DomainError as e:
        return _index_page(domain_errors(e), request.form, 422)
    return redirect(url_for("surveys.survey", code=code))


@bp.route("/surveys/<code>", methods=["GET"])
@permission("surveys.read")
def survey(code: str):  # type: ignore[no-untyped-def]
    """A survey: its mapping or questions, what it holds, and every event."""
    return _survey_page(code, {}, {})


def _survey_page(code: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    ledger = _services().ledger
    try:
        details = ledger.get_survey(code)
    except NotFoundError:
        abort(404, description=f"survey {code.upper()} not found")
    answers = list(dict.fromkeys(a for q in details.questions for a in q["answers"]))
    partners = [o for o in _organisations() if OrganisationKind(o["kind"]).is_partner]
    html = render_template(
        "surveys/survey.html", s=details, timeline=ledger.survey_timeline(code), can_import=_can("surveys.import"),
        answers=answers, partners=partners, added=request.args.get("added"), held=request.args.get("held"),
        errors=errors, values=values,
    )
    return html, status


@bp.route("/surveys/<code>/results", methods=["POST"])
@permission("surveys.import")
def record_results(code: str):  # type: ignore[no-untyped-def]
    """Enter an organisation's counts per answer for one all-staff question."""
    form = request.form
    counts, errors = {}, {}
    for key, value in form.items():
        if key.startswith("count_") and value.strip():
            answer = form.get(f"answer_{key[6:]}", "")
            if not value.strip().isdigit():
                errors[key] = [f"the count for {answer!r} must be a whole number"]
            counts[answer] = int(value) if value.strip().isdigit() else 0
    if errors:
        return _survey_page(code, errors, form, 422)
    try:
        _services().ledger.record_all_staff_results(
            require_actor(), code, organisation=form.get("organisation", ""), question=form.get("question", ""),
            counts=counts,
        )
    except DomainError as e:
        return _survey_page(code, domain_errors(e), form, 422)
    return redirect(url_for("surveys.survey", code=code.upper()) + "#results")


@bp.route("/surveys/<code>/import", methods=["GET"])
@permission("surveys.import")
def import_page(code: str):  # type: ignore[no-untyped-def]
    """Upload an export (panel) or results CSV (all-staff) to preview it."""
    try:
        details = _services().ledger.get_survey(code)
    except NotFoundError:
        abort(404, description=f"survey {code.upper()} not found")
    return render_template("surveys/upload.html", s=details, problems=[], message=None)


@bp.route("/surveys/<code>/import/preview", methods=["POST"])
@permission("surveys.import")
def preview(code: str):  # type: ignore[no-untyped-def]
    """Read the uploaded file and show what importing it would do; nothing is recorded."""
    upload = request.files.get("file")
    data = upload.read(MAX_FILE + 1) if upload else b""
    details = _services().ledger.get_survey(code)
    if not data or len(data) > MAX_FILE:
        message = "choose a file to upload" if not data else "the file is larger than 4 MB"
        return render_template("surveys/upload.html", s=details, problems=[], message=message), 422
    return _preview_page(code, data, upload.filename or "upload.csv", None, {})


def _preview_page(code: str, data: bytes, filename: str, values: dict | None, errors: dict, status: int = 200):  # type: ignore[no-untyped-def]
    ledger = _services().ledger
    try:
        result = ledger.preview_survey_import(require_actor(), code, data, filename)
    except FileRejectedError as e:
        details = ledger.get_survey(code)
        return render_template("surveys/upload.html", s=details, problems=e.problems, message=str(e)), 422
    export, orgs = result.export, _organisations()
    form_values = values or (defaults(export, orgs, result.survey.mapping) if export is not None else {})
    letter = form_values.get("org_column", CUSTOM)
    html = render_template(
        "surveys/preview.html", p=result, s=result.survey, filename=filename,
        content=base64.b64encode(data).decode(), values=form_values, errors=errors,
        org_answer_list=[] if export is None else org_answers(export, letter), organisations=orgs,
        can_map=_can("surveys.manage") and result.survey.kind == "panel" and result.survey.responses == 0,
    )
    return html, status


def _posted_file() -> tuple[bytes, str]:
    try:
        data = base64.b64decode(request.form.get("content_base64", ""), validate=True)
    except (binascii.Error, ValueError):
        abort(422, description="the uploaded file was lost on the way; upload it again")
    if not data:
        abort(422, description="the uploaded file was lost on the way; upload it again")
    return data, request.form.get("filename", "upload.csv")


@bp.route("/surveys/<code>/mapping", methods=["POST"])
@permission("surveys.manage")
def save_mapping(code: str):  # type: ignore[no-untyped-def]
    """Save the mapping from the preview's form (or show the answers of another organisation column)."""
    data, filename = _posted_file()
    values = posted_values(request.form)
    try:
        preview_now = _services().ledger.preview_survey_import(require_actor(), code, data, filename)
    except FileRejectedError as e:
        details = _services().ledger.get_survey(code)
        return render_template("surveys/upload.html", s=details, problems=e.problems, message=str(e)), 422
    if preview_now.export is None:
        abort(409, description=f"survey {code.upper()} is an all-staff survey; its questions were set when opened")
    if request.form.get("action") == "refresh":
        values["org_answers"] = {a: values["org_answers"].get(a, "") for a, _ in org_answers(preview_now.export, values.get("org_column", CUSTOM))}
        return _preview_page(code, data, filename, values, {})
    try:
        mapping = MappingSchema().load(mapping_from(values, preview_now.export))
        _services().ledger.save_survey_mapping(require_actor(), code, mapping)
    except SchemaError as e:
        flat = {"mapping": [f"{k}: {v}" for k, v in _flatten(e.messages_dict)]}
        return _preview_page(code, data, filename, values, flat, 422)
    except DomainError as e:
        return _preview_page(code, data, filename, values, domain_errors(e), 422)
    return _preview_page(code, data, filename, None, {})


def _flatten(messages: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(messages, dict):
        return [pair for k, v in messages.items() for pair in _flatten(v, f"{prefix}{k}.")]
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(prefix.rstrip("."), "; ".join(messages))]
    return [(prefix.rstrip("."), str(messages))]


@bp.route("/surveys/<code>/import", methods=["POST"])
@permission("surveys.import")
def import_file(code: str):  # type: ignore[no-untyped-def]
    """Import the previewed file; only responses the survey does not hold are recorded."""
    data, filename = _posted_file()
    try:
        result = _services().ledger.import_survey_file(require_actor(), code, data, filename)
    except FileRejectedError as e:
        details = _services().ledger.get_survey(code)
        return render_template("surveys/upload.html", s=details, problems=e.problems, message=str(e)), 422
    except DomainError as e:
        return _preview_page(code, data, filename, None, domain_errors(e), 422)
    return redirect(url_for("surveys.survey", code=result.survey, added=result.added, held=result.already_held))


@bp.route("/survey-panel", methods=["GET"])
@permission("surveys.read")
def panel():  # type: ignore[no-untyped-def]
    """The staff survey panel by organisation, with forms for joiners and leavers."""
    return _panel_page({}, {})


def _panel_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    details = _services().ledger.get_panel()
    directory = _services().projections["directory"]
    names = {}
    for person_id, _ in details.members:
        rows, _ = directory.list_people(person_id=person_id, include_left=True, limit=1)
        names[person_id] = rows[0] if rows else {"name": person_id, "title": ""}
    people: list[dict[str, Any]] = []
    if _can("surveys.manage"):
        people, _ = directory.list_people(limit=500)
    html = render_template(
        "surveys/panel.html", panel=details, names=names, people=people, can_manage=_can("surveys.manage"),
        reasons=LEAVING_REASONS, errors=errors, values=values,
    )
    return html, status


@bp.route("/survey-panel", methods=["POST"])
@permission("surveys.manage")
def panel_change():  # type: ignore[no-untyped-def]
    """Agree the panel, or record a joiner or a leaver, from the forms."""
    form, ledger, actor = request.form, _services().ledger, require_actor()
    try:
        action = form.get("action")
        if action == "agree":
            ledger.agree_panel(actor, member_ids=form.getlist("member_ids"))
        elif action == "join":
            ledger.add_panel_member(actor, form.get("person_id", ""))
        elif action == "leave":
            ledger.remove_panel_member(actor, form.get("person_id", ""), reason=form.get("reason", ""))
        else:
            return _panel_page({"_form": ["choose what to record"]}, form, 422)
    except DomainError as e:
        return _panel_page(domain_errors(e), form, 422)
    return redirect(url_for("surveys.panel"))

