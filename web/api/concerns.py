"""Concerns: raise one, take each step of its route, read it with its timeline, list the status view."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import RAISE

from projections.escalation_queries import ConcernFilters
from web.access import concern_record, reads_of
from web.api.writes import written
from web.schemas.access import GrantCaseRequestSchema, RevokeCaseRequestSchema
from web.schemas.concerns import (
    STEPS,
    ConcernPageSchema,
    ConcernQueryArgsSchema,
    ConcernSchema,
    ConcernStatisticsSchema,
    RaiseConcernRequestSchema,
    StepSpec,
)
from web.schemas.directory import CreatedSchema
from web.security import permission, require_actor

PREFIX = "/concerns"
blp = Blueprint(
    "api_concerns", __name__,
    description="Concerns about behaviour against the framework and their escalation along the "
    "paper's routes. Each step may be taken only by the person the paper names for it; a concern "
    "the caller may not read answers 404. Times are in working days (England and Wales).",
)


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


def today():  # type: ignore[no-untyped-def]
    """Today, by the ledger's clock."""
    return _services().ledger.clock().date()


def targets() -> dict[str, int]:
    """The configured working-day target per stage."""
    return dict(current_app.config["PVB_SETTINGS"].escalation_targets)


@blp.route("")
@permission("concerns.board")
@blp.arguments(ConcernQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ConcernPageSchema)
def list_concerns(args):  # type: ignore[no-untyped-def]
    """The escalation status view: every concern's route, stage, holder and working days."""
    page, per_page = args.pop("page"), args.pop("per_page")
    if args.get("organisation"):
        args["organisation"] = args["organisation"].upper()
    items, total = _services().projections["escalation"].list_concerns(
        today(), targets(), ConcernFilters(**args), limit=per_page, offset=(page - 1) * per_page
    )
    return {"items": items, "total": total, "page": page, "per_page": per_page, "today": today()}


@blp.route("/statistics")
@permission("concerns.statistics")
@blp.response(200, ConcernStatisticsSchema)
def statistics():  # type: ignore[no-untyped-def]
    """Anonymised statistics: counts by stage, route and organisation; resolution by level."""
    return _services().projections["escalation"].statistics(today(), targets())


@blp.route("", methods=["POST"])
@permission("concerns.raise")
@blp.arguments(RaiseConcernRequestSchema)
@blp.response(201, CreatedSchema)
def raise_concern(data):  # type: ignore[no-untyped-def]
    """Raise a concern; the route follows from who raises it and about whom."""
    data["subject_id"] = str(data["subject_id"])
    return written(_services().ledger.raise_concern(require_actor(), **data))


@blp.route("/<reference>")
@permission("concerns.read")
@blp.response(200, ConcernSchema)
def get_concern(reference):  # type: ignore[no-untyped-def]
    """A concern with its whole timeline, the steps the caller may take now, and who has read it.

    Reading it is recorded (once per reader per day). Regulators and the HWB read only the
    cases an investigator granted them (403 otherwise); others outside it get 404.
    """
    actor = require_actor()
    details = _services().ledger.get_concern(actor, reference)  # records the read
    return {
        **asdict(details),
        "read_by": reads_of(concern_record(details.reference))["items"],
        "granted_to": _services().projections["access"].grants(details.id),
    }


@blp.route("/<reference>/grants", methods=["POST"])
@permission("concerns.grant")
@blp.arguments(GrantCaseRequestSchema)
@blp.response(201, CreatedSchema)
def grant_case(data, reference):  # type: ignore[no-untyped-def]
    """An investigator grants a regulator or HWB user this case (recorded; revocable)."""
    return written(_services().ledger.grant_case_access(require_actor(), reference, **data))


@blp.route("/<reference>/grants/<username>/revocation", methods=["POST"])
@permission("concerns.grant")
@blp.arguments(RevokeCaseRequestSchema)
@blp.response(201, CreatedSchema)
def revoke_case(data, reference, username):  # type: ignore[no-untyped-def]
    """An investigator withdraws a grant of this case."""
    return written(_services().ledger.revoke_case_access(require_actor(), reference, username=username, **data))


def _step_operation(name: str, spec: StepSpec) -> None:
    """Register POST /concerns/<reference>/<path> for one step."""

    def take_step(data: dict[str, Any], reference: str) -> dict[str, object]:
        command = getattr(_services().ledger, spec.command)
        return written(command(require_actor(), reference, **data))

    take_step.__name__ = f"take_{name}"
    take_step.__doc__ = f"{spec.title}. {spec.schema.__doc__}"
    view = blp.response(201, CreatedSchema)(take_step)
    view = blp.arguments(spec.schema)(view)
    view = permission("concerns.step")(view)
    blp.route(f"/<reference>/{spec.path}", methods=["POST"], endpoint=f"take_{name}")(view)


for _name, _spec in STEPS.items():
    _step_operation(_name, _spec)
