"""Concerns: your concerns, raising one, a concern's page with its steps, the board and statistics."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from application.concerns import GRANTEE_ROLES, OWN_ORGANISATION_ROLES
from domain.concern_routes import OFFICE_ROLES, Route, Stage
from domain.errors import DomainError, NotFoundError
from domain.permissions import is_allowed
from domain.values import Actor
from domain.working_days import working_days_between
from projections.escalation_queries import ConcernFilters
from web.access import concern_record, reads_of
from web.errors import domain_error_status
from web.pages.forms import domain_errors, load_form
from web.replay import view_for
from web.schemas.access import GrantCaseRequestSchema, RevokeCaseRequestSchema
from web.schemas.concerns import STEPS, ConcernQueryArgsSchema, RaiseConcernFormSchema
from web.security import permission, require_actor

bp = Blueprint("concerns", __name__)
LIST_LIMIT = 50
CARDS_PER_COLUMN = 12
ROLE_OFFICES = {role: office for office, role in OFFICE_ROLES.items()}


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


def _today():  # type: ignore[no-untyped-def]
    return _services().ledger.clock().date()


def _targets() -> dict[str, int]:
    return dict(current_app.config["PVB_SETTINGS"].escalation_targets)


def actor_post(actor: Actor) -> tuple[str, str] | None:
    """The office (and organisation) the actor's role holds, if it is one on a route."""
    office = ROLE_OFFICES.get(actor.role)
    if office is None or not actor.organisation:
        return None
    return office.value, actor.organisation


@bp.route("/concerns", methods=["GET"])
@permission("concerns.read")
def index():  # type: ignore[no-untyped-def]
    """Concerns waiting for you, raised by you, and those your office is part of."""
    actor = require_actor()
    view, today, targets = view_for("escalation"), _today(), _targets()
    post, me = actor_post(actor), actor.person_id
    lists = []
    if post:
        lists.append(("waiting", "Waiting for you", ConcernFilters(holder=post, not_about=me)))
    if me:
        lists.append(("raised", "Raised by you", ConcernFilters(raiser_id=me)))
    if post:
        lists.append(("involving", "Involving your office", ConcernFilters(involving=post, not_about=me)))
    if actor.role in OWN_ORGANISATION_ROLES and actor.organisation:
        lists.append(("organisation", f"Raised in or about {actor.organisation.upper()}",
                      ConcernFilters(organisation=actor.organisation.upper(), not_about=me)))
    sections = []
    wanted, page = request.args.get("section"), _page_number()
    for key, title, filters in lists:
        at = page if key == wanted else 1
        rows, total = view.list_concerns(
            today, targets, filters, limit=LIST_LIMIT, offset=(at - 1) * LIST_LIMIT
        )
        sections.append({"key": key, "title": title, "rows": rows, "total": total,
                         "pager": _pager(at, total, section=key)})
    granted = _services().projections["access"].granted_to(actor.user_id) if actor.role in GRANTEE_ROLES else None
    return render_template(
        "concerns/index.html", sections=sections, can_raise=_can_raise(actor),
        can_board=is_allowed(actor.role, "concerns.board"), granted=granted,
    )


@bp.route("/concerns/new", methods=["GET"])
@permission("concerns.raise")
def new():  # type: ignore[no-untyped-def]
    """The form to raise a concern: first the person's organisation, then the rest."""
    return _new_page({}, {"organisation": request.args.get("organisation", "")})


@bp.route("/concerns/new", methods=["POST"])
@permission("concerns.raise")
def raise_concern():  # type: ignore[no-untyped-def]
    """Raise a concern from the form."""
    form = {k: v for k, v in request.form.items() if k != "catalogue_items"}
    form["catalogue_items"] = request.form.getlist("catalogue_items")
    data, errors = load_form(RaiseConcernFormSchema())
    if data is None:
        return _new_page(errors, form, 422)
    data["subject_id"] = str(data["subject_id"])
    try:
        reference = _services().ledger.raise_concern(require_actor(), **data)
    except DomainError as e:
        return _new_page(domain_errors(e), form, domain_error_status(e))
    return redirect(url_for("concerns.concern", reference=reference))


def _new_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    directory = _services().projections["directory"]
    organisations = [o for o in directory.list_organisations() if o["kind"] not in ("regulator", "hwb")]
    code = (values.get("organisation") or "").upper()
    people = []
    if code and any(o["code"] == code for o in organisations):
        people, _ = directory.list_people(code, limit=500)
    groups: dict[str, list[Any]] = {}
    for item in _services().ledger.get_framework().items:
        groups.setdefault(item.group, []).append(item)
    actor = require_actor()
    html = render_template(
        "concerns/new.html", organisations=organisations, organisation=code, people=people,
        groups=groups, errors=errors, values=values, linked=bool(actor.person_id),
    )
    return html, status


@bp.route("/concerns/board", methods=["GET"])
@permission("concerns.board")
def board():  # type: ignore[no-untyped-def]
    """The escalation board: a column per stage, filtered by organisation, route and overdue."""
    args = _board_args()
    filters = ConcernFilters(**{k: v for k, v in args.items() if k in ("organisation", "route", "overdue")})
    columns = view_for("escalation").board(
        _today(), _targets(), filters, per_column=CARDS_PER_COLUMN
    )
    organisations = _services().projections["directory"].list_organisations()
    return render_template(
        "concerns/board.html", columns=columns, filters=args, routes=list(Route),
        organisations=[o for o in organisations if o["kind"] not in ("regulator", "hwb")],
        today=_today(),
    )


@bp.route("/concerns/list", methods=["GET"])
@permission("concerns.board")
def listing():  # type: ignore[no-untyped-def]
    """Every concern matching the board's filters and a stage, a page at a time, newest first."""
    args = _board_args(extra=("stage",))
    page = _page_number()
    rows, total = view_for("escalation").list_concerns(
        _today(), _targets(), ConcernFilters(**args), limit=LIST_LIMIT, offset=(page - 1) * LIST_LIMIT
    )
    stage = next((s.label for s in Stage if s.value == args.get("stage")), None)
    return render_template(
        "concerns/list.html", rows=rows, total=total, stage=stage, filters=args,
        paging=_pager(page, total, **{k: str(v).lower() if isinstance(v, bool) else v
                                     for k, v in args.items()}),
    )


def _page_number() -> int:
    """The page asked for (1 when absent); anything else than a page number is a 422."""
    try:
        args = ConcernQueryArgsSchema(only=("page",)).load({"page": request.args.get("page", "1")})
    except SchemaError as e:
        abort(422, description="page: " + " ".join(e.messages_dict.get("page", ["not a page number"])))
    return int(args["page"])


def _pager(page: int, total: int, **args: Any) -> dict[str, Any]:
    """Links to the newer and older pages of a list of LIST_LIMIT rows."""
    pages = max(1, -(-total // LIST_LIMIT))
    link = lambda n: url_for(request.endpoint or "concerns.index", **args, page=n)  # noqa: E731
    return {
        "page": page, "pages": pages,
        "newer": link(page - 1) if page > 1 else None,
        "older": link(page + 1) if page < pages else None,
    }


def _board_args(extra: tuple[str, ...] = ()) -> dict[str, Any]:
    raw = {k: v for k, v in request.args.items() if v not in ("", "any") and k in (
        "organisation", "route", "overdue", *extra)}
    try:
        args = ConcernQueryArgsSchema().load(raw, unknown="exclude")
    except SchemaError as e:
        abort(422, description="the filters are not valid: " + ", ".join(sorted(e.messages_dict)))
    if args.get("organisation"):
        args["organisation"] = args["organisation"].upper()
    args.pop("page", None), args.pop("per_page", None)
    return args  # type: ignore[no-any-return]


@bp.route("/concerns/statistics", methods=["GET"])
@permission("concerns.statistics")
def statistics():  # type: ignore[no-untyped-def]
    """Anonymised statistics: by stage, route and organisation; how and how fast resolved."""
    stats = view_for("escalation").statistics(_today(), _targets())
    longest = max((r["median_days"] for r in stats["resolved_by_level"]), default=0) or 1
    return render_template("concerns/statistics.html", stats=stats, longest=longest)


@bp.route("/concerns/<reference>", methods=["GET"])
@permission("concerns.read")
def concern(reference: str):  # type: ignore[no-untyped-def]
    """A concern: its whole timeline, who has read it, and a form for each step you may take now."""
    return _concern_page(reference, {}, {}, None)


@bp.route("/concerns/<reference>/grants", methods=["POST"])
@permission("concerns.grant")
def grant(reference: str):  # type: ignore[no-untyped-def]
    """An investigator grants a regulator or HWB user this case."""
    return _access_form(reference, GrantCaseRequestSchema(), "grant", lambda d: _services().ledger.grant_case_access(
        require_actor(), reference, username=d["username"], reason=d["reason"]))


@bp.route("/concerns/<reference>/grants/<username>/revoke", methods=["POST"])
@permission("concerns.grant")
def revoke(reference: str, username: str):  # type: ignore[no-untyped-def]
    """An investigator withdraws a grant of this case."""
    return _access_form(reference, RevokeCaseRequestSchema(), "revoke", lambda d: _services().ledger.revoke_case_access(
        require_actor(), reference, username=username, reason=d["reason"]))


def _access_form(reference: str, schema: Any, form: str, command: Any):  # type: ignore[no-untyped-def]
    data, errors = load_form(schema)
    if data is None:
        return _concern_page(reference, errors, request.form, form, 422)
    try:
        command(data)
    except NotFoundError:
        if not _services().ledger.concern_exists(reference):
            raise
        return _concern_page(reference, {"username": ["that user has no access to revoke"]}, request.form, form, 404)
    except DomainError as e:
        return _concern_page(reference, domain_errors(e), request.form, form, domain_error_status(e))
    return redirect(url_for("concerns.concern", reference=reference.upper()) + "#access")


@bp.route("/concerns/<reference>/steps/<step>", methods=["POST"])
@permission("concerns.step")
def take_step(reference: str, step: str):  # type: ignore[no-untyped-def]
    """Take one step of the concern's route from its form."""
    spec = STEPS.get(step)
    if spec is None:
        abort(404, description=f"no step called {step}")
    data, errors = load_form(spec.schema())
    if data is None:
        return _concern_page(reference, errors, request.form, step, 422)
    try:
        getattr(_services().ledger, spec.command)(require_actor(), reference, **data)
    except NotFoundError:
        raise
    except DomainError as e:
        return _concern_page(reference, domain_errors(e), request.form, step, domain_error_status(e))
    return redirect(url_for("concerns.concern", reference=reference.upper()))


def _concern_page(  # type: ignore[no-untyped-def]
    reference: str, errors: dict, values: Any, form: str | None, status: int = 200
):
    actor = require_actor()
    details = _services().ledger.get_concern(actor, reference)  # every rendering records the read
    today, targets = _today(), _targets()
    is_open = details.status == "open"
    at_stage = working_days_between(details.stage_since, today) if is_open else None
    timing = {
        "at_stage": at_stage,
        "total": working_days_between(details.raised_on, details.closed_on or today),
        "target": targets.get(details.stage),
        "overdue": bool(is_open and at_stage is not None and at_stage > targets.get(details.stage, 10)),
    }
    items = {i.id: i for i in _services().ledger.get_framework(details.framework_version).items}
    html = render_template(
        "concerns/concern.html", concern=details, timing=timing, items=items, steps=STEPS,
        errors=errors, values=values, form=form, stages=Stage,
        reads=reads_of(concern_record(details.reference)),
        grants=_services().projections["access"].grants(details.id),
        can_grant=is_allowed(actor.role, "concerns.grant"),
    )
    return html, status


def _can_raise(actor: Actor) -> bool:
    return is_allowed(actor.role, "concerns.raise") and bool(actor.person_id)
