"""Questions to the escalation view: filtered, paged and aggregated in SQL; time worked out today.

Working days and overdue flags depend on the day asked, so they are computed here from the
stored dates and a given today; an overdue filter becomes a date cut-off per stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from domain.concern_routes import (
    DEFAULT_TARGET_DAYS,
    OPEN_STAGES,
    Level,
    Route,
    Stage,
    post_key,
    post_label,
)
from domain.values import Office
from domain.working_days import overdue_cutoff, working_days_between
from projections.base import remembered

ROW_SQL = (
    "SELECT c.id, c.reference, c.number, c.route, c.stage, c.status, c.raiser_org, c.subject_id, "
    "c.subject_org, c.subject_office, c.holder_office, c.holder_org, c.raised_on, c.stage_since, "
    "c.closed_on, c.resolution_level, c.resolution_days, c.confidential, c.catalogue_items, "
    "p.name AS subject_name, o.person_id AS holder_person_id, h.name AS holder_name "
    "FROM esc_concerns c LEFT JOIN esc_people p ON p.id = c.subject_id "
    "LEFT JOIN esc_offices o ON o.organisation = c.holder_org AND o.office = c.holder_office "
    "LEFT JOIN esc_people h ON h.id = o.person_id"
)
MEDIAN_SQL = (
    "SELECT {g}, MAX(cnt) AS resolved, CAST(AVG(resolution_days) AS REAL) AS median_days FROM ("
    "SELECT {g}, resolution_days, ROW_NUMBER() OVER (PARTITION BY {g} ORDER BY resolution_days) AS rn, "
    "COUNT(*) OVER (PARTITION BY {g}) AS cnt FROM esc_concerns "
    "WHERE status = 'resolved' AND resolution_level IS NOT NULL) t "
    "WHERE rn IN ((cnt + 1) / 2, (cnt + 2) / 2) GROUP BY {g}"
)


def default_targets() -> dict[str, int]:
    """The paper's 'resolve locally and swiftly': 10 working days at every stage."""
    return {stage.value: DEFAULT_TARGET_DAYS for stage in OPEN_STAGES}


@dataclass(frozen=True)
class ConcernFilters:
    """Which concerns to list; every filter given must hold."""

    organisation: str | None = None  # raised from, or about someone in, this organisation
    route: str | None = None
    stage: str | None = None
    status: str | None = None  # open, resolved or withdrawn
    overdue: bool | None = None
    holder: tuple[str, str] | None = None  # (office, organisation) holding it now
    involving: tuple[str, str] | None = None  # (office, organisation) it has reached
    raiser_id: str | None = None
    not_about: str | None = None  # leave out concerns about this person


class EscalationQueries:
    """The read side of the escalation view."""

    view: Any

    def concern_id(self, reference: str) -> str | None:
        """The aggregate id of the concern with a reference such as C-14 (None if there is none)."""
        with self.view.transaction(commit=False) as c:
            row = c.execute("SELECT id FROM esc_concerns WHERE reference = ?", (reference.upper(),)).fetchone()
        return None if row is None else str(row["id"])

    def list_concerns(
        self, today: date, targets: Mapping[str, int] | None = None,
        filters: ConcernFilters | None = None, *, limit: int = 50, offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of concerns, newest first, and the total matching."""
        targets = {**default_targets(), **(targets or {})}
        clause, params = _where(filters or ConcernFilters(), today, targets)
        with self.view.transaction(commit=False) as c:
            total = c.execute(f"SELECT COUNT(*) AS n FROM esc_concerns c WHERE {clause}", params)
            count = int(total.fetchone()["n"])
            rows = c.execute(
                f"{ROW_SQL} WHERE {clause} ORDER BY c.number DESC LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [_enrich(row, today, targets) for row in rows], count

    @remembered
    def board(
        self, today: date, targets: Mapping[str, int] | None = None,
        filters: ConcernFilters | None = None, *, per_column: int = 12,
    ) -> list[dict[str, Any]]:
        """One column per stage: its count, how many are overdue, and its first cards."""
        targets = {**default_targets(), **(targets or {})}
        filters = filters or ConcernFilters()
        counts = {row["stage"]: row for row in self._by_stage(today, targets, filters)}
        columns = []
        for stage in Stage:
            if filters.stage and filters.stage != stage.value:
                continue
            found = counts.get(stage.value, {"n": 0, "overdue": 0})
            cards: list[dict[str, Any]] = []
            if found["n"]:
                staged = replace(filters, stage=stage.value)
                cards, _ = self.list_concerns(today, targets, staged, limit=per_column)
            columns.append({"stage": stage.value, "label": stage.label, "count": int(found["n"]),
                            "overdue": int(found["overdue"] or 0), "cards": cards})
        return columns

    @remembered
    def statistics(self, today: date, targets: Mapping[str, int] | None = None) -> dict[str, Any]:
        """Anonymised figures: counts by stage, route and organisation; resolution by level."""
        targets = {**default_targets(), **(targets or {})}
        overdue, params = _overdue(today, targets)
        flag = f"SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END)"
        with self.view.transaction(commit=False) as c:
            about = c.execute(
                f"SELECT c.subject_org AS organisation, COUNT(*) AS about, SUM(CASE WHEN c.status = "
                f"'open' THEN 1 ELSE 0 END) AS open, {flag} AS overdue FROM esc_concerns c "
                "GROUP BY c.subject_org", params,
            ).fetchall()
            raised = c.execute(
                "SELECT raiser_org AS organisation, COUNT(*) AS raised FROM esc_concerns "
                "GROUP BY raiser_org"
            ).fetchall()
            routes = c.execute(
                "SELECT route, status, COUNT(*) AS n FROM esc_concerns GROUP BY route, status"
            ).fetchall()
            levels = c.execute(MEDIAN_SQL.format(g="resolution_level")).fetchall()
            quarters = c.execute(MEDIAN_SQL.format(g="resolution_quarter, resolution_level")).fetchall()
        return {
            "today": today,
            "targets": targets,
            "by_stage": [
                {"stage": r["stage"], "label": Stage(r["stage"]).label, "count": int(r["n"]),
                 "overdue": int(r["overdue"] or 0)}
                for r in self._by_stage(today, targets, ConcernFilters())
            ],
            "by_route": _by_route(routes),
            "by_organisation": _by_organisation(about, raised),
            "resolved_by_level": sorted(
                (_level_row(r) for r in levels), key=lambda r: list(Level).index(Level(r["level"]))
            ),
            "resolved_by_quarter": sorted(
                (_level_row(r) | {"quarter": r["resolution_quarter"]} for r in quarters),
                key=lambda r: (r["quarter"], list(Level).index(Level(r["level"]))),
            ),
        }

    def _by_stage(
        self, today: date, targets: Mapping[str, int], filters: ConcernFilters
    ) -> list[dict[str, Any]]:
        clause, params = _where(filters, today, targets)
        overdue, overdue_params = _overdue(today, targets)
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                f"SELECT c.stage, COUNT(*) AS n, SUM(CASE WHEN {overdue} THEN 1 ELSE 0 END) AS overdue "
                f"FROM esc_concerns c WHERE {clause} GROUP BY c.stage",
                [*overdue_params, *params],
            ).fetchall()
        order = [s.value for s in Stage]
        return sorted(rows, key=lambda r: order.index(r["stage"]))


def _overdue(today: date, targets: Mapping[str, int]) -> tuple[str, list[Any]]:
    """SQL true for open concerns past their stage's target on today, with its parameters."""
    parts, params = [], []
    for stage in OPEN_STAGES:
        parts.append("(c.stage = ? AND c.stage_since < ?)")
        params += [stage.value, overdue_cutoff(today, targets[stage.value]).isoformat()]
    return f"(c.status = 'open' AND ({' OR '.join(parts)}))", params


def _where(filters: ConcernFilters, today: date, targets: Mapping[str, int]) -> tuple[str, list[Any]]:
    where, params = ["1 = 1"], []
    if filters.organisation:
        where.append("(c.raiser_org = ? OR c.subject_org = ?)")
        params += [filters.organisation, filters.organisation]
    for column in ("route", "stage", "status"):
        value = getattr(filters, column)
        if value:
            where.append(f"c.{column} = ?")
            params.append(value)
    if filters.overdue is not None:
        overdue, overdue_params = _overdue(today, targets)
        where.append(overdue if filters.overdue else f"NOT {overdue}")
        params += overdue_params
    if filters.holder:
        where.append("c.holder_office = ? AND c.holder_org = ?")
        params += list(filters.holder)
    if filters.involving:
        where.append(
            "EXISTS (SELECT 1 FROM esc_posts x WHERE x.concern_id = c.id AND x.office = ? "
            "AND x.organisation = ?)"
        )
        params += list(filters.involving)
    if filters.raiser_id:
        where.append("c.raiser_id = ?")
        params.append(filters.raiser_id)
    if filters.not_about:
        where.append("c.subject_id <> ?")
        params.append(filters.not_about)
    return " AND ".join(where), params


def _enrich(row: dict[str, Any], today: date, targets: Mapping[str, int]) -> dict[str, Any]:
    """Add labels and the time-dependent figures for today."""
    is_open = row["status"] == "open"
    raised, since = date.fromisoformat(row["raised_on"]), date.fromisoformat(row["stage_since"])
    closed = date.fromisoformat(row["closed_on"]) if row["closed_on"] else None
    at_stage = working_days_between(since, today) if is_open else None
    target = targets[row["stage"]] if is_open else None
    holder = None
    if row["holder_office"]:
        holder = post_label(post_key(Office(row["holder_office"]), row["holder_org"]))
    row.update(
        route_label=Route(row["route"]).label,
        stage_label=Stage(row["stage"]).label,
        confidential=bool(row["confidential"]),
        catalogue_items=[i for i in row["catalogue_items"].split(",") if i],
        holder=holder,
        days_at_stage=at_stage,
        days_total=working_days_between(raised, closed or today),
        target_days=target,
        overdue=bool(is_open and at_stage is not None and target is not None and at_stage > target),
        resolution_label=Level(row["resolution_level"]).label if row["resolution_level"] else None,
    )
    return row


def _by_route(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = {(r["route"], r["status"]): int(r["n"]) for r in rows}
    return [
        {"route": route.value, "label": route.label,
         **{status: found.get((route.value, status), 0) for status in ("open", "resolved", "withdrawn")}}
        for route in Route
    ]


def _by_organisation(about: list[dict[str, Any]], raised: list[dict[str, Any]]) -> list[dict[str, Any]]:
    orgs: dict[str, dict[str, Any]] = {}
    for row in about:
        orgs[row["organisation"]] = {
            "organisation": row["organisation"], "about": int(row["about"]),
            "open": int(row["open"] or 0), "overdue": int(row["overdue"] or 0), "raised": 0,
        }
    for row in raised:
        entry = orgs.setdefault(row["organisation"], {
            "organisation": row["organisation"], "about": 0, "open": 0, "overdue": 0, "raised": 0,
        })
        entry["raised"] = int(row["raised"])
    return [orgs[k] for k in sorted(orgs)]


def _level_row(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "level": row["resolution_level"],
        "label": Level(row["resolution_level"]).label,
        "resolved": int(row["resolved"]),
        "median_days": float(row["median_days"]),
    }
