"""The escalation status view: every concern's route, stage and holder, kept from the log.

Only dates are stored; working days at a stage, overdue flags and the like are worked out
at query time against a given today (see projections/escalation_queries.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from domain.concern import MOVES, Concern
from domain.concern_routes import Route, Stage, financial_quarter, holder_post, stage_posts
from domain.organisation import Organisation
from domain.person import Person
from domain.values import ERASED
from domain.working_days import working_days_between
from projections.base import View, handles
from projections.escalation_queries import EscalationQueries
from projections.store import SqlCursor


class EscalationView(EscalationQueries, View):
    """Concerns by route and stage, who holds each now, and how and when they were resolved.

    Names are kept in esc_people, which an erasure overwrites; the raiser is kept only as
    an id (for "concerns I raised") and never returned by the board's queries.
    """

    name = "escalation"
    tables: ClassVar[dict[str, str]] = {
        "esc_concerns": "id TEXT PRIMARY KEY, number INTEGER NOT NULL, reference TEXT NOT NULL, "
        "route TEXT NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL, raiser_id TEXT NOT NULL, "
        "raiser_org TEXT NOT NULL, subject_id TEXT NOT NULL, subject_org TEXT NOT NULL, "
        "subject_office TEXT, stp TEXT NOT NULL, holder_office TEXT, holder_org TEXT, "
        "raised_on TEXT NOT NULL, stage_since TEXT NOT NULL, stage_version INTEGER NOT NULL, "
        "closed_on TEXT, closing_version INTEGER, resolution_level TEXT, resolution_quarter TEXT, "
        "resolution_days INTEGER, confidential INTEGER NOT NULL, catalogue_items TEXT NOT NULL",
        "esc_posts": "concern_id TEXT NOT NULL, office TEXT NOT NULL, organisation TEXT NOT NULL, "
        "PRIMARY KEY (concern_id, office, organisation)",
        "esc_orgs": "id TEXT PRIMARY KEY, code TEXT NOT NULL",
        "esc_offices": "organisation TEXT NOT NULL, office TEXT NOT NULL, person_id TEXT NOT NULL, "
        "PRIMARY KEY (organisation, office)",
        "esc_people": "id TEXT PRIMARY KEY, name TEXT NOT NULL",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS esc_concerns_stage ON esc_concerns (stage, stage_since)",
        "CREATE INDEX IF NOT EXISTS esc_concerns_number ON esc_concerns (number)",
        # a stage's newest first (the escalation board's columns), without sorting the whole stage
        "CREATE INDEX IF NOT EXISTS esc_concerns_stage_number ON esc_concerns (stage, number)",
        "CREATE INDEX IF NOT EXISTS esc_concerns_subject_org ON esc_concerns (subject_org)",
        "CREATE INDEX IF NOT EXISTS esc_concerns_raiser_org ON esc_concerns (raiser_org)",
        "CREATE INDEX IF NOT EXISTS esc_concerns_holder ON esc_concerns (holder_office, holder_org)",
        "CREATE INDEX IF NOT EXISTS esc_concerns_raiser ON esc_concerns (raiser_id)",
        "CREATE INDEX IF NOT EXISTS esc_concerns_resolved ON esc_concerns "
        "(resolution_level, resolution_quarter)",
        "CREATE INDEX IF NOT EXISTS esc_posts_post ON esc_posts (office, organisation)",
    )

    # The directory, as far as this view needs it: who holds which office, and names.
    @handles(Organisation.Registered)
    def _registered(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO esc_orgs (id, code) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.code),
        )

    @handles(Organisation.OfficeHolderAppointed)
    def _appointed(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO esc_offices (organisation, office, person_id) VALUES (?, ?, ?) "
            "ON CONFLICT (organisation, office) DO UPDATE SET person_id = excluded.person_id",
            (self._code(c, e), e.office, e.person_id),
        )

    @handles(Organisation.OfficeVacated)
    def _vacated(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "DELETE FROM esc_offices WHERE organisation = ? AND office = ?", (self._code(c, e), e.office)
        )

    @handles(Person.Joined)
    def _joined(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO esc_people (id, name) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), str(e.name)),
        )

    @handles(Person.Erased)
    def _erased(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE esc_people SET name = ? WHERE id = ?", (ERASED, str(e.originator_id)))

    # Concerns.
    @handles(Concern.Raised)
    def _raised(self, c: SqlCursor, e: Any) -> None:
        route, stage = Route(e.route), Stage(e.stage)
        office, org = holder_post(route, stage, e.raiser_organisation, e.subject_organisation,
                                  e.subject_office, e.stp) or (None, None)
        c.execute(
            "INSERT INTO esc_concerns (id, number, reference, route, stage, status, raiser_id, "
            "raiser_org, subject_id, subject_org, subject_office, stp, holder_office, holder_org, "
            "raised_on, stage_since, stage_version, confidential, catalogue_items) VALUES "
            "(?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                str(e.originator_id), e.number, e.reference, route.value, stage.value,
                e.raiser.subject_id, e.raiser_organisation, e.subject.subject_id,
                e.subject_organisation, e.subject_office, e.stp, office and office.value, org,
                e.occurred_on.isoformat(), e.occurred_on.isoformat(), e.originator_version,
                int(e.confidential), ",".join(e.catalogue_items),
            ),
        )
        self._add_posts(c, str(e.originator_id), route, stage, {
            "raiser_org": e.raiser_organisation, "subject_org": e.subject_organisation,
            "subject_office": e.subject_office, "stp": e.stp,
        })

    @handles(*MOVES)
    def _moved(self, c: SqlCursor, e: Any) -> None:
        row = self._row(c, e)
        if row is None:
            return
        route, stage, day = Route(row["route"]), Stage(e.stage), e.occurred_on
        if stage.is_open:
            office, org = holder_post(route, stage, row["raiser_org"], row["subject_org"],
                                      row["subject_office"], row["stp"]) or (None, None)
            c.execute(
                "UPDATE esc_concerns SET stage = ?, status = 'open', holder_office = ?, holder_org = ?, "
                "stage_since = ?, stage_version = ?, closed_on = NULL, closing_version = NULL, "
                "resolution_level = NULL, resolution_quarter = NULL, resolution_days = NULL "
                "WHERE id = ?",
                (stage.value, office and office.value, org, day.isoformat(), e.originator_version,
                 row["id"]),
            )
            self._add_posts(c, row["id"], route, stage, row)
            return
        level = getattr(e, "resolution_level", None)
        c.execute(
            "UPDATE esc_concerns SET stage = ?, status = ?, holder_office = NULL, holder_org = NULL, "
            "closed_on = ?, closing_version = ?, resolution_level = ? WHERE id = ?",
            (stage.value, stage.value, day.isoformat(), e.originator_version, level, row["id"]),
        )
        self._resolution_time(c, row["id"])

    @handles(Concern.StepCorrected)
    def _corrected(self, c: SqlCursor, e: Any) -> None:
        row = self._row(c, e)
        if row is None or e.corrected_occurred_on is None:
            return
        day, version = e.corrected_occurred_on.isoformat(), e.corrects
        if version == 1:
            c.execute("UPDATE esc_concerns SET raised_on = ? WHERE id = ?", (day, row["id"]))
        if version == row["stage_version"] and row["status"] == "open":
            c.execute("UPDATE esc_concerns SET stage_since = ? WHERE id = ?", (day, row["id"]))
        if version == row["closing_version"]:
            c.execute("UPDATE esc_concerns SET closed_on = ? WHERE id = ?", (day, row["id"]))
        self._resolution_time(c, row["id"])

    def _resolution_time(self, c: SqlCursor, concern: str) -> None:
        """Working days from raising to resolution; fixed once both dates are (no 'today')."""
        row = c.execute(
            "SELECT raised_on, closed_on, resolution_level FROM esc_concerns WHERE id = ?", (concern,)
        ).fetchone()
        if row is None or not row["resolution_level"] or not row["closed_on"]:
            return
        raised, closed = date.fromisoformat(row["raised_on"]), date.fromisoformat(row["closed_on"])
        c.execute(
            "UPDATE esc_concerns SET resolution_quarter = ?, resolution_days = ? WHERE id = ?",
            (financial_quarter(closed), working_days_between(raised, closed), concern),
        )

    @staticmethod
    def _add_posts(c: SqlCursor, concern: str, route: Route, stage: Stage, row: dict[str, Any]) -> None:
        """Record the offices a stage brings into the concern's chain."""
        posts = stage_posts(route, stage, row["raiser_org"], row["subject_org"], row["subject_office"],
                            row["stp"])
        for office, org in posts:
            c.execute(
                "INSERT INTO esc_posts (concern_id, office, organisation) VALUES (?, ?, ?) "
                "ON CONFLICT (concern_id, office, organisation) DO NOTHING",
                (concern, office.value, org),
            )

    @staticmethod
    def _row(c: SqlCursor, e: Any) -> dict[str, Any] | None:
        return c.execute(
            "SELECT id, route, status, raiser_org, subject_org, subject_office, stp, stage_version, "
            "closing_version FROM esc_concerns WHERE id = ?",
            (str(e.originator_id),),
        ).fetchone()

    @staticmethod
    def _code(c: SqlCursor, e: Any) -> str:
        row = c.execute("SELECT code FROM esc_orgs WHERE id = ?", (str(e.originator_id),)).fetchone()
        return "" if row is None else str(row["code"])
