"""The escalation status view: every concern's route, stage and holder, kept from the log.

Only dates are stored; working days at a stage, overdue flags and the like are worked out
at query time against a given today (see projections/escalation_queries.py).
"""

from __future__ import annotations

from collections.abc import Sequence
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

    @handles(Person.DetailsCorrected)
    def _person_corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE esc_people SET name = ? WHERE id = ?", (str(e.name), str(e.originator_id)))

    @handles(Organisation.AppointmentCorrected, Organisation.VacancyCorrected)
    def _office_corrected(self, c: SqlCursor, e: Any) -> None:
        code = self._code(c, e)
        if e.restored_person_id is None:
            c.execute("DELETE FROM esc_offices WHERE organisation = ? AND office = ?", (code, e.office))
        else:
            c.execute(
                "INSERT INTO esc_offices (organisation, office, person_id) VALUES (?, ?, ?) "
                "ON CONFLICT (organisation, office) DO UPDATE SET person_id = excluded.person_id",
                (code, e.office, e.restored_person_id),
            )

    # Concerns: each handler changes the concern's row in memory, as its statements did one by one;
    # the rows are read once and written once per batch (see _apply_concerns).
    @handles(Concern.Raised, *MOVES, Concern.StepCorrected)
    def _concern(self, c: SqlCursor, e: Any) -> None:
        _apply_concerns(c, [e])

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """As one by one: the concerns' rows change in memory; the other handlers write other tables."""
        concerns = []
        for e in events:
            if type(e) in CONCERN_EVENTS:
                concerns.append(e)
            else:
                self.apply(c, e)
        _apply_concerns(c, concerns)

    @staticmethod
    def _code(c: SqlCursor, e: Any) -> str:
        row = c.execute("SELECT code FROM esc_orgs WHERE id = ?", (str(e.originator_id),)).fetchone()
        return "" if row is None else str(row["code"])


CONCERN_EVENTS = frozenset({Concern.Raised, *MOVES, Concern.StepCorrected})
CONCERN_COLUMNS = (
    "id", "number", "reference", "route", "stage", "status", "raiser_id", "raiser_org", "subject_id",
    "subject_org", "subject_office", "stp", "holder_office", "holder_org", "raised_on", "stage_since",
    "stage_version", "closed_on", "closing_version", "resolution_level", "resolution_quarter",
    "resolution_days", "confidential", "catalogue_items",
)
Row = dict[str, Any]


def _apply_concerns(c: SqlCursor, events: list[Any]) -> None:
    """Apply concern events in order: their rows read in one query, changed in memory, written once."""
    if not events:
        return
    rows = _concern_rows(c, {str(e.originator_id) for e in events})
    stored, touched = set(rows), dict.fromkeys(str(e.originator_id) for e in events)
    posts: list[tuple[str, str, str]] = []
    for e in events:
        kind = type(e)
        if kind is Concern.Raised:
            _raised(rows, posts, e)
        elif kind is Concern.StepCorrected:
            _corrected(rows.get(str(e.originator_id)), e)
        else:
            _moved(rows.get(str(e.originator_id)), posts, e)
    new = [tuple(rows[i][k] for k in CONCERN_COLUMNS) for i in touched if i in rows and i not in stored]
    if new:
        c.executemany(
            f"INSERT INTO esc_concerns ({', '.join(CONCERN_COLUMNS)}) "
            f"VALUES ({', '.join('?' for _ in CONCERN_COLUMNS)}) ON CONFLICT (id) DO NOTHING",
            new,
        )
    changed = [(*(rows[i][k] for k in CONCERN_COLUMNS[1:]), i) for i in touched if i in stored]
    if changed:
        c.executemany(
            f"UPDATE esc_concerns SET {', '.join(f'{k} = ?' for k in CONCERN_COLUMNS[1:])} WHERE id = ?", changed
        )
    if posts:
        c.executemany(
            "INSERT INTO esc_posts (concern_id, office, organisation) VALUES (?, ?, ?) "
            "ON CONFLICT (concern_id, office, organisation) DO NOTHING",
            list(dict.fromkeys(posts)),
        )


def _concern_rows(c: SqlCursor, ids: set[str]) -> dict[str, Row]:
    """The stored rows of some concerns, by id."""
    found: dict[str, Row] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        for row in c.execute(
            f"SELECT {', '.join(CONCERN_COLUMNS)} FROM esc_concerns WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ).fetchall():
            found[row["id"]] = row
    return found


def _raised(rows: dict[str, Row], posts: list[tuple[str, str, str]], e: Any) -> None:
    cid, route, stage = str(e.originator_id), Route(e.route), Stage(e.stage)
    office, org = holder_post(route, stage, e.raiser_organisation, e.subject_organisation,
                              e.subject_office, e.stp) or (None, None)
    row = {
        "id": cid, "number": e.number, "reference": e.reference, "route": route.value, "stage": stage.value,
        "status": "open", "raiser_id": e.raiser.subject_id, "raiser_org": e.raiser_organisation,
        "subject_id": e.subject.subject_id, "subject_org": e.subject_organisation,
        "subject_office": e.subject_office, "stp": e.stp, "holder_office": office and office.value,
        "holder_org": org, "raised_on": e.occurred_on.isoformat(), "stage_since": e.occurred_on.isoformat(),
        "stage_version": e.originator_version, "closed_on": None, "closing_version": None,
        "resolution_level": None, "resolution_quarter": None, "resolution_days": None,
        "confidential": int(e.confidential), "catalogue_items": ",".join(e.catalogue_items),
    }
    rows.setdefault(cid, row)  # raised twice: the first row stays, as ON CONFLICT DO NOTHING kept it
    _add_posts(posts, cid, route, stage, row)


def _moved(row: Row | None, posts: list[tuple[str, str, str]], e: Any) -> None:
    if row is None:
        return
    route, stage, day = Route(row["route"]), Stage(e.stage), e.occurred_on
    if stage.is_open:
        office, org = holder_post(route, stage, row["raiser_org"], row["subject_org"],
                                  row["subject_office"], row["stp"]) or (None, None)
        row.update(stage=stage.value, status="open", holder_office=office and office.value, holder_org=org,
                   stage_since=day.isoformat(), stage_version=e.originator_version, closed_on=None,
                   closing_version=None, resolution_level=None, resolution_quarter=None, resolution_days=None)
        _add_posts(posts, row["id"], route, stage, row)
        return
    row.update(stage=stage.value, status=stage.value, holder_office=None, holder_org=None,
               closed_on=day.isoformat(), closing_version=e.originator_version,
               resolution_level=getattr(e, "resolution_level", None))
    _resolution_time(row)


def _corrected(row: Row | None, e: Any) -> None:
    if row is None or e.corrected_occurred_on is None:
        return
    day, version = e.corrected_occurred_on.isoformat(), e.corrects
    if version == 1:
        row["raised_on"] = day
    if version == row["stage_version"] and row["status"] == "open":
        row["stage_since"] = day
    if version == row["closing_version"]:
        row["closed_on"] = day
    _resolution_time(row)


def _resolution_time(row: Row) -> None:
    """Working days from raising to resolution; fixed once both dates are (no 'today')."""
    if not row["resolution_level"] or not row["closed_on"]:
        return
    raised, closed = date.fromisoformat(row["raised_on"]), date.fromisoformat(row["closed_on"])
    row.update(resolution_quarter=financial_quarter(closed), resolution_days=working_days_between(raised, closed))


def _add_posts(posts: list[tuple[str, str, str]], concern: str, route: Route, stage: Stage, row: Row) -> None:
    """Record the offices a stage brings into the concern's chain."""
    for office, org in stage_posts(route, stage, row["raiser_org"], row["subject_org"], row["subject_office"],
                                   row["stp"]):
        posts.append((concern, office.value, org))
