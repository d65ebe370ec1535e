"""Adoption of the framework: Boards' decisions, committees' terms, regulators' roles."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for

from domain.adoption import DECISIONS, EXTERNAL_ROLES
from web.pages.governance_support import can, services, submit, view
from web.schemas.adoption import (
    CorrectAdoptionDecisionRequestSchema,
    NotifyBodyRequestSchema,
    RecordAdoptionDecisionRequestSchema,
    TakePaperRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("adoption", __name__)


@bp.route("/adoption", methods=["GET"])
@permission("adoption.read")
def index():  # type: ignore[no-untyped-def]
    """Organisations and bodies by step, committees, and what is outstanding."""
    return _page({}, {})


def _page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    adoption = view("adoption")
    html = render_template(
        "adoption/index.html", bodies=adoption.list_bodies(), committees=adoption.list_committees(),
        summary=adoption.summary(), can_record=can("adoption.record"), can_terms=can("meetings.manage"),
        decisions=DECISIONS,
        roles=EXTERNAL_ROLES, errors=errors, values=values,
    )
    return html, status


def _done(_result: object) -> str:
    return url_for("adoption.index")


@bp.route("/adoption/papers", methods=["POST"])
@permission("adoption.record")
def take_paper():  # type: ignore[no-untyped-def]
    """Record that the paper went to a Board or Governing Body."""
    return submit(TakePaperRequestSchema(), lambda d: services().ledger.take_paper_to_board(require_actor(), **d), _page, _done)


@bp.route("/adoption/decisions", methods=["POST"])
@permission("adoption.record")
def record_decision():  # type: ignore[no-untyped-def]
    """Record a Board's, regulator's or the HWB's decision."""
    return submit(
        RecordAdoptionDecisionRequestSchema(),
        lambda d: services().ledger.record_adoption_decision(require_actor(), **d), _page, _done,
    )


@bp.route("/adoption/corrections", methods=["POST"])
@permission("adoption.record")
def correct_decision():  # type: ignore[no-untyped-def]
    """Put right a wrongly recorded decision."""
    def command(d: dict) -> str:
        d.pop("note", None)
        return services().ledger.correct_adoption_decision(require_actor(), **d)

    return submit(CorrectAdoptionDecisionRequestSchema(), command, _page, _done)


@bp.route("/adoption/committees", methods=["POST"])
@permission("adoption.record")
def notify_committee():  # type: ignore[no-untyped-def]
    """Record that a committee or sub-committee was sent the paper."""
    return submit(
        NotifyBodyRequestSchema(), lambda d: services().ledger.notify_body(require_actor(), d.pop("body"), **d),
        _page, _done,
    )
