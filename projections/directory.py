"""The directory view: organisations, their office holders, and their people."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.organisation import Organisation
from domain.person import Person
from domain.values import ERASED
from projections.base import View, handles
from projections.store import SqlCursor


class DirectoryView(View):
    """Organisations and people as they stand, for lists, pages and lookups."""

    name = "directory"
    tables: ClassVar[dict[str, str]] = {
        "dir_organisations": "code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, "
        "registered_on TEXT NOT NULL, id TEXT NOT NULL UNIQUE",
        "dir_offices": "organisation TEXT NOT NULL, office TEXT NOT NULL, person_id TEXT NOT NULL, "
        "since TEXT NOT NULL, PRIMARY KEY (organisation, office)",
        "dir_people": "id TEXT PRIMARY KEY, organisation TEXT NOT NULL, name TEXT NOT NULL, "
        "title TEXT NOT NULL, senior_leader INTEGER NOT NULL, clinical INTEGER NOT NULL, "
        "joined_on TEXT NOT NULL, left_on TEXT",
    }
    indexes = ("CREATE INDEX IF NOT EXISTS dir_people_org ON dir_people (organisation, name)",)

    @handles(Organisation.Registered)
    def _registered(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dir_organisations (code, name, kind, registered_on, id) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
            (e.code, e.name, e.kind, e.occurred_on.isoformat(), str(e.originator_id)),
        )

    @handles(Organisation.Renamed)
    def _renamed(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE dir_organisations SET name = ? WHERE code = ?", (e.name, _code(c, e)))

    @handles(Organisation.OfficeHolderAppointed)
    def _appointed(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dir_offices (organisation, office, person_id, since) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (organisation, office) DO UPDATE SET person_id = excluded.person_id, "
            "since = excluded.since",
            (_code(c, e), e.office, e.person_id, e.occurred_on.isoformat()),
        )

    @handles(Organisation.OfficeVacated)
    def _vacated(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "DELETE FROM dir_offices WHERE organisation = ? AND office = ?", (_code(c, e), e.office)
        )

    @handles(Person.Joined)
    def _joined(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dir_people (id, organisation, name, title, senior_leader, clinical, "
            "joined_on) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (
                str(e.originator_id),
                e.organisation,
                str(e.name),
                e.title,
                int(e.senior_leader),
                int(e.clinical),
                e.occurred_on.isoformat(),
            ),
        )

    @handles(Person.Moved)
    def _moved(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE dir_people SET organisation = ?, title = ?, senior_leader = ? WHERE id = ?",
            (e.organisation, e.title, int(e.senior_leader), str(e.originator_id)),
        )

    @handles(Person.Left)
    def _left(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE dir_people SET left_on = ? WHERE id = ?",
            (e.occurred_on.isoformat(), str(e.originator_id)),
        )

    @handles(Person.Erased)
    def _erased(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE dir_people SET name = ? WHERE id = ?", (ERASED, str(e.originator_id)))

    # Queries: small, indexed, paged; never the whole log.
    def list_organisations(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Organisations by name, with a count of current people."""
        sql = (
            "SELECT o.code, o.name, o.kind, o.registered_on, "
            "(SELECT COUNT(*) FROM dir_people p WHERE p.organisation = o.code "
            "AND p.left_on IS NULL) AS people FROM dir_organisations o"
        )
        params: tuple[Any, ...] = ()
        if kind:
            sql, params = sql + " WHERE o.kind = ?", (kind,)
        with self.view.transaction(commit=False) as c:
            return c.execute(sql + " ORDER BY o.name", params).fetchall()

    def get_organisation(self, code: str) -> dict[str, Any] | None:
        """One organisation with its office holders by name."""
        with self.view.transaction(commit=False) as c:
            org = c.execute(
                "SELECT code, name, kind, registered_on FROM dir_organisations WHERE code = ?",
                (code,),
            ).fetchone()
            if org is None:
                return None
            org["offices"] = c.execute(
                "SELECT f.office, f.person_id, f.since, p.name, p.title FROM dir_offices f "
                "LEFT JOIN dir_people p ON p.id = f.person_id WHERE f.organisation = ? "
                "ORDER BY f.office",
                (code,),
            ).fetchall()
        return org

    def list_people(
        self,
        organisation: str | None = None,
        *,
        include_left: bool = False,
        senior_only: bool = False,
        limit: int = 50,
        offset: int = 0,
        person_id: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of people and the total count matching."""
        where, params = ["1 = 1"], []
        if person_id:
            where.append("id = ?")
            params.append(person_id)
        if organisation:
            where.append("organisation = ?")
            params.append(organisation)
        if not include_left:
            where.append("left_on IS NULL")
        if senior_only:
            where.append("senior_leader = 1")
        clause = " AND ".join(where)
        with self.view.transaction(commit=False) as c:
            total = c.execute(f"SELECT COUNT(*) AS n FROM dir_people WHERE {clause}", params)
            count = int(total.fetchone()["n"])  # type: ignore[index]
            rows = c.execute(
                "SELECT id, organisation, name, title, senior_leader, clinical, joined_on, left_on "
                f"FROM dir_people WHERE {clause} ORDER BY organisation, name LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        for row in rows:
            row["senior_leader"], row["clinical"] = bool(row["senior_leader"]), bool(row["clinical"])
        return rows, count

    def people_left_before(self, cutoff: str, limit: int = 1000) -> list[dict[str, Any]]:
        """People who left on or before cutoff (ISO date) and are not yet erased."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT id, organisation, name, title, left_on FROM dir_people "
                "WHERE left_on IS NOT NULL AND left_on <= ? AND name <> ? ORDER BY left_on LIMIT ?",
                (cutoff, ERASED, limit),
            ).fetchall()

    def office_holders(self) -> list[dict[str, Any]]:
        """Every office held now, with the holder's name."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT f.organisation, f.office, f.person_id, p.name FROM dir_offices f "
                "LEFT JOIN dir_people p ON p.id = f.person_id ORDER BY f.organisation, f.office"
            ).fetchall()


def _code(c: SqlCursor, e: Any) -> str:
    row = c.execute(
        "SELECT code FROM dir_organisations WHERE id = ?", (str(e.originator_id),)
    ).fetchone()
    return "" if row is None else str(row["code"])
