"""The adherence dashboard: a heat map of organisations by quarter, each organisation's trend, the evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, abort, current_app, render_template, request

from domain.errors import DomainError
from domain.period import Quarter
from domain.permissions import is_allowed
from domain.rating import RULE, RULE_VERSION, SURVEY_GREEN, SURVEY_RED, VOTES_GREEN_ADHERED
from domain.values import OrganisationKind
from web.api.adherence import evidence_json, evidence_url, window
from web.replay import view_for
from web.schemas.adherence import AdherenceQueryArgsSchema
from web.security import permission, require_actor
from web.svg_charts import HeatCell, Series, heat_map, trend_chart

bp = Blueprint("adherence", __name__)


def _organisations() -> dict[str, dict[str, Any]]:
    rows = current_app.extensions["pvb"].projections["directory"].list_organisations()
    return {r["code"]: r for r in rows}


def _quarters() -> list[Quarter]:
    args = {k: v for k, v in request.args.items() if k in ("first", "last", "organisation") and v}
    errors = AdherenceQueryArgsSchema().validate(args)
    if errors:
        abort(422, description="the quarters are not valid: " + ", ".join(sorted(errors)))
    try:
        return window(args.get("first"), args.get("last"), date.today())
    except DomainError as e:
        abort(422, description=str(e))


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share:.0%}"


@bp.route("/adherence", methods=["GET"])
@permission("adherence.read")
def dashboard():  # type: ignore[no-untyped-def]
    """Every organisation by quarter, rated by the published rule, each square linking to its evidence."""
    quarters = _quarters()
    view = view_for("adherence")
    cells = view.cells(quarters[0].key, quarters[-1].key)
    orgs = _organisations()
    codes = {code for code, _ in cells} | {
        c for c, o in orgs.items() if OrganisationKind(o["kind"]).is_partner
    }
    rows = sorted(codes, key=lambda c: orgs.get(c, {}).get("name", c))
    row_labels = [(c, c) for c in rows]
    columns = [(q.key, q.short_label) for q in quarters]
    links: dict[tuple[str, str], str] = {}

    def link(org: str, quarter: str) -> str:  # each cell links to its evidence up to three times
        if (org, quarter) not in links:
            links[org, quarter] = evidence_url(org, quarter)
        return links[org, quarter]

    def cell(org: str, quarter: str) -> HeatCell | None:
        found = cells.get((org, quarter))
        if found is None:
            return None
        return HeatCell(found.rating.colour, found.rating.reason, link(org, quarter))

    svg = heat_map(row_labels, columns, cell, "Adherence by organisation and quarter, rated by the published rule")
    return render_template(
        "adherence/dashboard.html", svg=svg, rows=rows, orgs=orgs, quarters=quarters, cells=cells,
        rule=RULE, rule_version=RULE_VERSION, percent=_percent, evidence_url=link,
    )


@bp.route("/adherence/<organisation>", methods=["GET"])
@permission("adherence.read")
def organisation(organisation: str):  # type: ignore[no-untyped-def]
    """One organisation's trend over quarters: votes adhered, panel and all-staff favourable shares."""
    code = organisation.upper()
    orgs = _organisations()
    if code not in orgs:
        abort(404, description=f"organisation {code} not found")
    quarters = _quarters()
    cells = view_for("adherence").cells(quarters[0].key, quarters[-1].key, code)
    row = [cells.get((code, q.key)) for q in quarters]
    series = [
        Series("Closing votes: adhered", "", "#005eb8", [c.share(c.adhered) if c else None for c in row]),
        Series("Staff survey panel: favourable", "8 4", "#007f3b", [c.panel_share if c else None for c in row]),
        Series("All-staff questions: favourable", "2 3", "#330072", [c.staff_share if c else None for c in row]),
    ]
    lines = [(VOTES_GREEN_ADHERED, f"votes green at {VOTES_GREEN_ADHERED:.0%}"),
             (SURVEY_GREEN, f"surveys green at {SURVEY_GREEN:.0%}"), (SURVEY_RED, f"surveys red below {SURVEY_RED:.0%}")]
    svg = trend_chart([q.short_label for q in quarters], series, f"{orgs[code]['name']}: adherence over quarters", lines)
    return render_template(
        "adherence/organisation.html", org=orgs[code], quarters=quarters, row=row, svg=svg, percent=_percent,
        evidence_url=evidence_url, rule=RULE,
    )


@bp.route("/adherence/<organisation>/<quarter>", methods=["GET"])
@permission("adherence.read")
def evidence(organisation: str, quarter: str):  # type: ignore[no-untyped-def]
    """The votes, tallies and survey events behind one organisation's figures in one quarter."""
    code = organisation.upper()
    try:
        the_quarter = Quarter.parse(quarter)
    except DomainError:
        abort(404, description=f"quarter {quarter} not found; quarters look like 2026-27-Q1")
    data = evidence_json(view_for("adherence"), code, the_quarter.key)
    role = require_actor().role
    return render_template(
        "adherence/evidence.html", e=data, quarter=the_quarter, org=_organisations().get(code, {"name": code, "code": code}),
        percent=_percent, can_meetings=is_allowed(role, "meetings.read"), can_surveys=is_allowed(role, "surveys.read"),
        can_feedback=is_allowed(role, "feedback.read"),
    )
