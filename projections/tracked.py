"""Mixins that give a view its own copy of the directory it needs: people and organisations.

A view that shows names keeps them in its own table (so a rebuild of that view alone is
exact) and replaces a name with "[erased]" when the person's key is destroyed, so no
plaintext of erased personal data survives in it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from domain.organisation import Organisation
from domain.person import Person
from domain.values import ERASED, Office, OrganisationKind
from projections.base import handles
from projections.store import SqlCursor

JOINED, MOVED = get_topic(Person.Joined), get_topic(Person.Moved)
PEOPLE_COLUMNS = (
    "id TEXT PRIMARY KEY, organisation TEXT NOT NULL, name TEXT NOT NULL, title TEXT NOT NULL, "
    "senior_leader INTEGER NOT NULL, joined_on TEXT NOT NULL, left_on TEXT"
)
ORGANISATION_COLUMNS = (
    "id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, "
    "partner INTEGER NOT NULL, chair_id TEXT"
)


class TracksPeople:
    """Keeps ``people_table`` (id, organisation, name, title, senior_leader, joined_on, left_on)."""

    people_table: ClassVar[str] = ""

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """As one by one, with each run of joiners and movers written by two multi-row statements.

        A run ends at any other event, which is applied in place after it, so every other
        handler sees the people as it would one by one; within a run, every joiner is inserted
        before any move is made, and the moves keep their order.
        """
        handlers = self._handlers  # type: ignore[attr-defined]
        if (handlers.get(JOINED) is not TracksPeople._tracked_person_joined
                or handlers.get(MOVED) is not TracksPeople._tracked_person_moved):
            super().apply_events(c, events, positions)  # type: ignore[misc]  # a subclass handles them itself
            return
        joined: list[tuple[Any, ...]] = []
        moved: list[tuple[Any, ...]] = []
        for i, e in enumerate(events):
            kind = type(e)
            if kind is Person.Joined:
                joined.append(_joined_row(e))
            elif kind is Person.Moved:
                moved.append((e.organisation, e.title, int(e.senior_leader), str(e.originator_id)))
            else:
                self._write_people(c, joined, moved)
                self.apply(c, e, None if positions is None else positions[i])  # type: ignore[attr-defined]
        self._write_people(c, joined, moved)

    def _write_people(self, c: SqlCursor, joined: list[tuple[Any, ...]], moved: list[tuple[Any, ...]]) -> None:
        if joined:
            c.executemany(
                f"INSERT INTO {self.people_table} (id, organisation, name, title, senior_leader, "
                "joined_on) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                joined,
            )
            joined.clear()
        if moved:
            c.executemany(
                f"UPDATE {self.people_table} SET organisation = ?, title = ?, senior_leader = ? WHERE id = ?",
                moved,
            )
            moved.clear()

    @handles(Person.Joined)
    def _tracked_person_joined(self, c: SqlCursor, e: Any) -> None:
        self._write_people(c, [_joined_row(e)], [])

    @handles(Person.Moved)
    def _tracked_person_moved(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            f"UPDATE {self.people_table} SET organisation = ?, title = ?, senior_leader = ? "
            "WHERE id = ?",
            (e.organisation, e.title, int(e.senior_leader), str(e.originator_id)),
        )

    @handles(Person.Left)
    def _tracked_person_left(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            f"UPDATE {self.people_table} SET left_on = ? WHERE id = ?",
            (e.occurred_on.isoformat(), str(e.originator_id)),
        )

    @handles(Person.Erased)
    def _tracked_person_erased(self, c: SqlCursor, e: Any) -> None:
        c.execute(f"UPDATE {self.people_table} SET name = ? WHERE id = ?", (ERASED, str(e.originator_id)))

    @handles(Person.DetailsCorrected)
    def _tracked_person_corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            f"UPDATE {self.people_table} SET name = ?, title = ?, senior_leader = ? WHERE id = ?",
            (str(e.name), e.title, int(e.senior_leader), str(e.originator_id)),
        )

    @handles(Person.LeavingCorrected)
    def _tracked_person_leaving_corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(f"UPDATE {self.people_table} SET left_on = NULL WHERE id = ?", (str(e.originator_id),))


def _joined_row(e: Any) -> tuple[Any, ...]:
    return (str(e.originator_id), e.organisation, str(e.name), e.title, int(e.senior_leader),
            e.occurred_on.isoformat())


class TracksOrganisations:
    """Keeps ``organisations_table`` (id, code, name, kind, partner, chair_id)."""

    organisations_table: ClassVar[str] = ""

    @handles(Organisation.Registered)
    def _tracked_org_registered(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            f"INSERT INTO {self.organisations_table} (id, code, name, kind, partner) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.code, e.name, e.kind, int(OrganisationKind(e.kind).is_partner)),
        )

    @handles(Organisation.Renamed)
    def _tracked_org_renamed(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            f"UPDATE {self.organisations_table} SET name = ? WHERE id = ?", (e.name, str(e.originator_id))
        )

    @handles(Organisation.OfficeHolderAppointed)
    def _tracked_org_appointed(self, c: SqlCursor, e: Any) -> None:
        if e.office in (Office.CHAIR.value, Office.INDEPENDENT_CHAIR.value):
            c.execute(
                f"UPDATE {self.organisations_table} SET chair_id = ? WHERE id = ?",
                (e.person_id, str(e.originator_id)),
            )

    @handles(Organisation.OfficeVacated)
    def _tracked_org_vacated(self, c: SqlCursor, e: Any) -> None:
        if e.office in (Office.CHAIR.value, Office.INDEPENDENT_CHAIR.value):
            c.execute(
                f"UPDATE {self.organisations_table} SET chair_id = NULL WHERE id = ? AND chair_id = ?",
                (str(e.originator_id), e.person_id),
            )

    @handles(Organisation.RegistrationCorrected)
    def _tracked_org_corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            f"UPDATE {self.organisations_table} SET name = ?, kind = ?, partner = ? WHERE id = ?",
            (e.name, e.kind, int(OrganisationKind(e.kind).is_partner), str(e.originator_id)),
        )

    @handles(Organisation.AppointmentCorrected, Organisation.VacancyCorrected)
    def _tracked_org_office_corrected(self, c: SqlCursor, e: Any) -> None:
        if e.office in (Office.CHAIR.value, Office.INDEPENDENT_CHAIR.value):
            c.execute(
                f"UPDATE {self.organisations_table} SET chair_id = ? WHERE id = ?",
                (e.restored_person_id, str(e.originator_id)),
            )
