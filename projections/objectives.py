"""The objectives view: each organisation's coverage of PVB objectives, gaps, outcomes and trend.

"Current" means the objective's period contains the day asked about; that day is passed in,
so coverage is worked out when asked, never stored.

A concern the Independent Chair takes up about an individual (the concern's third route) must be
discussed with them and reflected in their next performance review and, where appropriate, their
performance-related pay. This view keeps each such concern in ``obj_review_concerns`` from the
concern's own events (raised, discussed with the individual, reflected in the review, follow-up not
applicable, withdrawn, reopened, and date corrections) and shows it beside the person: pending until
the Chair records the review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, ClassVar

from domain.concern import Concern
from domain.concern_routes import Route
from domain.objective import OUTCOMES, Objective
from domain.periods import YEAR, financial_year_of, parse_period
from projections.base import View, handles, remembered
from projections.store import SqlCursor
from projections.tracked import (
    ORGANISATION_COLUMNS,
    PEOPLE_COLUMNS,
    TracksOrganisations,
    TracksPeople,
)

CURRENT_LEADERS = "p.senior_leader = 1 AND p.left_on IS NULL"
HAS_CURRENT = (
    "EXISTS (SELECT 1 FROM obj_objectives o WHERE o.person_id = p.id "
    "AND o.period_start <= ? AND o.period_end >= ?)"
)


class ObjectivesView(TracksPeople, TracksOrganisations, View):
    """Senior leaders' PVB objectives by organisation and year."""

    name = "objectives"
    people_table = "obj_people"
    organisations_table = "obj_organisations"
    tables: ClassVar[dict[str, str]] = {
        "obj_people": PEOPLE_COLUMNS,
        "obj_organisations": ORGANISATION_COLUMNS,
        "obj_objectives": "id TEXT PRIMARY KEY, person_id TEXT NOT NULL, organisation TEXT NOT NULL, "
        "citations TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
        "year TEXT NOT NULL, set_on TEXT NOT NULL, outcome TEXT, assessed_on TEXT, "
        "notes INTEGER NOT NULL, last_note_on TEXT, corrections INTEGER NOT NULL",
        "obj_review_concerns": "concern_id TEXT PRIMARY KEY, concern_ref TEXT NOT NULL, "
        "person_id TEXT NOT NULL, organisation TEXT NOT NULL, linked_on TEXT NOT NULL, discussed_on TEXT, "
        "discussed_version INTEGER, closed_on TEXT, closed_how TEXT, closing_version INTEGER, "
        "performance_related_pay TEXT",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS obj_objectives_person ON obj_objectives (person_id, period_end)",
        "CREATE INDEX IF NOT EXISTS obj_objectives_year ON obj_objectives (organisation, year)",
        "CREATE INDEX IF NOT EXISTS obj_people_org ON obj_people (organisation, senior_leader)",
    )

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """As one by one, with each objective's notes and assessments in the batch made by one UPDATE.

        Objectives set are inserted before the changes gathered after them; changes gathered
        for an objective before it was set are made first, as one by one. The other handlers
        write other tables, so they run in place.
        """
        new: list[tuple[Any, ...]] = []
        changes: dict[str, list[Any]] = {}  # id -> [notes, last_note_on, outcome, assessed_on, corrections]
        for e in events:
            kind = type(e)
            if kind not in GATHERED:
                self.apply(c, e)
                continue
            oid = str(e.originator_id)
            if kind is Objective.Set:
                if oid in changes:
                    _change(c, new, {oid: changes.pop(oid)})
                new.append(_objective_row(e))
                continue
            change = changes.setdefault(oid, [0, None, None, None, 0])
            if kind is Objective.ProgressNoted:
                change[0], change[1] = change[0] + 1, e.occurred_on.isoformat()
            elif kind is Objective.Assessed:
                change[2], change[3] = e.outcome, e.occurred_on.isoformat()
            else:  # AssessmentCorrected
                change[2], change[4] = e.outcome, change[4] + 1
        _change(c, new, changes)

    @handles(Objective.Set)
    def _set(self, c: SqlCursor, e: Any) -> None:
        _change(c, [_objective_row(e)], {})

    @handles(Objective.ProgressNoted)
    def _noted(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE obj_objectives SET notes = notes + 1, last_note_on = ? WHERE id = ?",
            (e.occurred_on.isoformat(), str(e.originator_id)),
        )

    @handles(Objective.Assessed)
    def _assessed(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE obj_objectives SET outcome = ?, assessed_on = ? WHERE id = ?",
            (e.outcome, e.occurred_on.isoformat(), str(e.originator_id)),
        )

    @handles(Objective.AssessmentCorrected)
    def _corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE obj_objectives SET outcome = ?, corrections = corrections + 1 WHERE id = ?",
            (e.outcome, str(e.originator_id)),
        )

    # Concerns the Independent Chair takes up about an individual (the concern's third route).
    @handles(Concern.Raised)
    def _concern_raised(self, c: SqlCursor, e: Any) -> None:
        if e.route == Route.INDEPENDENT_CHAIR.value:
            self.link_concern_to_next_review(
                c, str(e.originator_id), e.reference, e.subject.subject_id, e.subject_organisation, e.occurred_on
            )

    @handles(Concern.DiscussedWithIndividual)
    def _concern_discussed(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE obj_review_concerns SET discussed_on = ?, discussed_version = ? WHERE concern_id = ?",
            (e.occurred_on.isoformat(), e.originator_version, str(e.originator_id)),
        )

    @handles(Concern.ReflectedInPerformanceReview, Concern.FollowUpNotApplicable, Concern.Withdrawn)
    def _concern_closed(self, c: SqlCursor, e: Any) -> None:
        how = {"ReflectedInPerformanceReview": "reflected", "FollowUpNotApplicable": "not_applicable"}.get(
            type(e).__name__, "withdrawn")
        self.close_concern_link(c, str(e.originator_id), e.occurred_on, how)
        c.execute(
            "UPDATE obj_review_concerns SET closing_version = ?, performance_related_pay = ? WHERE concern_id = ?",
            (e.originator_version, getattr(e, "performance_related_pay", None), str(e.originator_id)),
        )

    @handles(Concern.Reopened)
    def _concern_reopened(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE obj_review_concerns SET closed_on = NULL, closed_how = NULL, closing_version = NULL, "
            "performance_related_pay = NULL WHERE concern_id = ?",
            (str(e.originator_id),),
        )

    @handles(Concern.StepCorrected)
    def _concern_redated(self, c: SqlCursor, e: Any) -> None:
        if e.corrected_occurred_on is None:
            return
        day, cid = e.corrected_occurred_on.isoformat(), str(e.originator_id)
        if e.corrects == 1:
            c.execute("UPDATE obj_review_concerns SET linked_on = ? WHERE concern_id = ?", (day, cid))
        c.execute("UPDATE obj_review_concerns SET discussed_on = ? WHERE concern_id = ? AND discussed_version = ?",
                  (day, cid, e.corrects))
        c.execute("UPDATE obj_review_concerns SET closed_on = ? WHERE concern_id = ? AND closing_version = ?",
                  (day, cid, e.corrects))

    @staticmethod
    def link_concern_to_next_review(
        c: SqlCursor, concern_id: str, concern_ref: str, person_id: str, organisation: str, linked_on: date
    ) -> None:
        """Record that a concern is to be reflected in the person's next performance review."""
        c.execute(
            "INSERT INTO obj_review_concerns (concern_id, concern_ref, person_id, organisation, linked_on) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (concern_id) DO NOTHING",
            (concern_id, concern_ref, person_id, organisation, linked_on.isoformat()),
        )

    @staticmethod
    def close_concern_link(c: SqlCursor, concern_id: str, closed_on: date, how: str) -> None:
        """Record that the concern was reflected in the review (or why it no longer needs to be)."""
        c.execute(
            "UPDATE obj_review_concerns SET closed_on = ?, closed_how = ? WHERE concern_id = ? "
            "AND closed_on IS NULL",
            (closed_on.isoformat(), how, concern_id),
        )

    # Queries
    @remembered
    def coverage(self, today: date) -> list[dict[str, Any]]:
        """Per organisation with senior leaders: how many have a current objective, and who not."""
        iso = today.isoformat()
        last_year = financial_year_of(today).previous().key
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT g.code, g.name, g.chair_id, ch.name AS chair_name, "
                f"COUNT(p.id) AS leaders, COALESCE(SUM(CASE WHEN {HAS_CURRENT} THEN 1 ELSE 0 END), 0) "
                "AS covered FROM obj_organisations g "
                f"JOIN obj_people p ON p.organisation = g.code AND {CURRENT_LEADERS} "
                "LEFT JOIN obj_people ch ON ch.id = g.chair_id "
                "WHERE g.partner = 1 OR g.kind = 'stp' "
                "GROUP BY g.code, g.name, g.chair_id, ch.name ORDER BY g.name",
                (iso, iso),
            ).fetchall()
            gaps = c.execute(
                "SELECT p.id, p.organisation, p.name, p.title FROM obj_people p "
                f"WHERE {CURRENT_LEADERS} AND NOT {HAS_CURRENT} ORDER BY p.organisation, p.name",
                (iso, iso),
            ).fetchall()
            outcomes = c.execute(
                "SELECT organisation, outcome, COUNT(*) AS n FROM obj_objectives WHERE year = ? "
                "GROUP BY organisation, outcome",
                (last_year,),
            ).fetchall()
            concerns = c.execute(
                "SELECT organisation, COUNT(*) AS n FROM obj_review_concerns WHERE closed_on IS NULL "
                "GROUP BY organisation"
            ).fetchall()
        pending = {r["organisation"]: int(r["n"]) for r in concerns}
        for row in rows:
            row["leaders"], row["covered"] = int(row["leaders"]), int(row["covered"])
            row["share"] = round(100 * row["covered"] / row["leaders"]) if row["leaders"] else 0
            row["gaps"] = [
                {"id": g["id"], "name": g["name"], "title": g["title"]}
                for g in gaps if g["organisation"] == row["code"]
            ]
            counts = {o: 0 for o in (*OUTCOMES, "not_assessed")}
            for o in outcomes:
                if o["organisation"] == row["code"]:
                    counts[o["outcome"] or "not_assessed"] += int(o["n"])
            row["last_year"], row["outcomes"] = last_year, counts
            row["concerns_for_next_review"] = pending.get(row["code"], 0)
        return rows

    @remembered
    def trend(self, organisation: str | None = None) -> list[dict[str, Any]]:
        """By financial year: leaders in post, how many had a PVB objective, and the outcomes."""
        where, params = ("WHERE organisation = ?", [organisation]) if organisation else ("", [])
        with self.view.transaction(commit=False) as c:
            years = c.execute(
                "SELECT year, COUNT(DISTINCT person_id) AS covered, "
                + ", ".join(f"SUM(CASE WHEN outcome = '{o}' THEN 1 ELSE 0 END) AS {o}" for o in OUTCOMES)
                + ", SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS not_assessed "
                f"FROM obj_objectives {where} GROUP BY year ORDER BY year",
                params,
            ).fetchall()
            for row in years:
                fy = parse_period(row["year"], YEAR)
                org_clause = "AND p.organisation = ?" if organisation else ""
                leaders = c.execute(
                    "SELECT COUNT(*) AS n FROM obj_people p WHERE p.senior_leader = 1 "
                    f"AND p.joined_on <= ? AND (p.left_on IS NULL OR p.left_on >= ?) {org_clause}",
                    [fy.end.isoformat(), fy.start.isoformat(), *params],
                ).fetchone()
                row["leaders"] = int(leaders["n"]) if leaders else 0
                row["label"] = fy.label
        for row in years:
            for key in ("covered", *OUTCOMES, "not_assessed"):
                row[key] = int(row[key] or 0)
            row["share"] = round(100 * row["covered"] / row["leaders"]) if row["leaders"] else 0
        return years

    def leaders(self, organisation: str, today: date) -> list[dict[str, Any]]:
        """An organisation's current senior leaders with their objectives and pending concerns."""
        with self.view.transaction(commit=False) as c:
            people = c.execute(
                f"SELECT p.id, p.name, p.title FROM obj_people p WHERE p.organisation = ? AND "
                f"{CURRENT_LEADERS} ORDER BY p.name",
                (organisation,),
            ).fetchall()
            objectives = c.execute(
                "SELECT o.id, o.person_id, o.citations, o.period_start, o.period_end, o.year, "
                "o.outcome, o.assessed_on, o.notes, o.last_note_on FROM obj_objectives o "
                "JOIN obj_people p ON p.id = o.person_id WHERE p.organisation = ? "
                "ORDER BY o.period_start DESC",
                (organisation,),
            ).fetchall()
            concerns = self._review_concerns(c, organisation)
        iso = today.isoformat()
        for person in people:
            mine = [o for o in objectives if o["person_id"] == person["id"]]
            for o in mine:
                o["citations"] = o["citations"].split(",")
                o["current"] = o["period_start"] <= iso <= o["period_end"]
            person["objectives"] = mine
            person["has_current"] = any(o["current"] for o in mine)
            person["concerns_for_next_review"] = [
                r for r in concerns if r["person_id"] == person["id"]
            ]
        return people

    def review_concerns(self, organisation: str) -> list[dict[str, Any]]:
        """Every concern the Independent Chair took up about someone in the organisation, senior or not."""
        with self.view.transaction(commit=False) as c:
            return self._review_concerns(c, organisation)

    @staticmethod
    def _review_concerns(c: SqlCursor, organisation: str) -> list[dict[str, Any]]:
        return c.execute(
            "SELECT r.concern_ref, r.person_id, p.name AS person_name, r.linked_on, r.discussed_on, r.closed_on, "
            "r.closed_how, r.performance_related_pay FROM obj_review_concerns r "
            "LEFT JOIN obj_people p ON p.id = r.person_id WHERE r.organisation = ? ORDER BY r.linked_on, r.concern_ref",
            (organisation,),
        ).fetchall()


GATHERED = frozenset({Objective.Set, Objective.ProgressNoted, Objective.Assessed, Objective.AssessmentCorrected})


def _objective_row(e: Any) -> tuple[Any, ...]:
    return (str(e.originator_id), e.person_id, e.organisation, ",".join(e.citations), e.period_start.isoformat(),
            e.period_end.isoformat(), financial_year_of(e.period_start).key, e.occurred_on.isoformat())


def _change(c: SqlCursor, new: list[tuple[Any, ...]], changes: dict[str, list[Any]]) -> None:
    """Insert the objectives set, then make the changes gathered for each; empty both."""
    if new:
        c.executemany(
            "INSERT INTO obj_objectives (id, person_id, organisation, citations, period_start, "
            "period_end, year, set_on, notes, corrections) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0) "
            "ON CONFLICT (id) DO NOTHING",
            new,
        )
        new.clear()
    if changes:  # a None outcome, assessed_on or last_note_on means "not changed in this batch"
        c.executemany(
            "UPDATE obj_objectives SET notes = notes + ?, last_note_on = COALESCE(?, last_note_on), "
            "outcome = COALESCE(?, outcome), assessed_on = COALESCE(?, assessed_on), "
            "corrections = corrections + ? WHERE id = ?",
            [(*change, oid) for oid, change in changes.items()],
        )
        changes.clear()
