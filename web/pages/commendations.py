"""Commendations: nominations citing behaviours with examples, and the decisions on them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, url_for

from domain.commendation import DECISIONS
from domain.errors import NotFoundError
from web.pages.governance_support import can, catalogue, services, submit, view
from web.schemas.commendations import (
    DecideCommendationRequestSchema,
    NominateRequestSchema,
    WithdrawCommendationRequestSchema,
)
from web.security import permission, require_actor

bp = Blueprint("commendations", __name__)


@bp.route("/commendations", methods=["GET"])
@permission("commendations.read")
def index():  # type: ignore[no-untyped-def]
    """Nominations, newest first, with a form to nominate someone."""
    return _index_page({}, {})


def _index_page(errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    commendations = view("commendations")
    rows, total = commendations.list_nominations(limit=100)
    people, _ = view("directory").list_people(limit=500)
    behaviours = [i for i in catalogue() if i.kind == "behaviour"]
    html = render_template(
        "commendations/index.html", rows=rows, total=total, summary=commendations.summary(),
        people=people, behaviours=behaviours, can_nominate=can("commendations.nominate"),
        errors=errors, values=values,
    )
    return html, status


@bp.route("/commendations", methods=["POST"])
@permission("commendations.nominate")
def nominate():  # type: ignore[no-untyped-def]
    """Record a nomination from the form (one example per line)."""
    def command(d: dict[str, Any]) -> str:
        d["nominee_id"] = str(d["nominee_id"])
        if d.get("nominated_by_id"):
            d["nominated_by_id"] = str(d["nominated_by_id"])
        return services().ledger.nominate_for_commendation(require_actor(), **d)

    return submit(NominateRequestSchema(), command, _index_page,
                  lambda cid: url_for("commendations.commendation", commendation_id=cid))


@bp.route("/commendations/<uuid:commendation_id>", methods=["GET"])
@permission("commendations.read")
def commendation(commendation_id):  # type: ignore[no-untyped-def]
    """One nomination with its examples and the decision."""
    return _detail_page(str(commendation_id), {}, {})


def _detail_page(commendation_id: str, errors: dict, values: dict, status: int = 200):  # type: ignore[no-untyped-def]
    ledger = services().ledger
    try:
        c = ledger.get_commendation(commendation_id)
    except NotFoundError as e:
        abort(404, description=str(e))
    actor = require_actor()
    html = render_template(
        "commendations/commendation.html", c=c, nominee=ledger.get_person(c.nominee_id),
        nominator=ledger.get_person(c.nominated_by_id), decisions=DECISIONS,
        can_decide=can("commendations.decide"),
        can_withdraw=can("commendations.decide") or actor.person_id == c.nominated_by_id,
        errors=errors, values=values,
    )
    return html, status


@bp.route("/commendations/<uuid:commendation_id>/decision", methods=["POST"])
@permission("commendations.decide")
def decide(commendation_id):  # type: ignore[no-untyped-def]
    """Record the decision on a nomination."""
    cid = str(commendation_id)
    return submit(
        DecideCommendationRequestSchema(),
        lambda d: services().ledger.decide_commendation(require_actor(), cid, **d),
        lambda e, v, s: _detail_page(cid, e, v, s),
        lambda _: url_for("commendations.commendation", commendation_id=cid),
    )


@bp.route("/commendations/<uuid:commendation_id>/withdrawal", methods=["POST"])
@permission("commendations.nominate")
def withdraw(commendation_id):  # type: ignore[no-untyped-def]
    """Withdraw a nomination."""
    cid = str(commendation_id)
    return submit(
        WithdrawCommendationRequestSchema(),
        lambda d: services().ledger.withdraw_commendation(require_actor(), cid, **d),
        lambda e, v, s: _detail_page(cid, e, v, s),
        lambda _: url_for("commendations.commendation", commendation_id=cid),
    )
