"""The directory view: organisations, their office holders, and their people."""

from __future__ import annotations

from typing import Any, ClassVar

from domain.meeting_body import MeetingBody
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
        # Corrections of the directory's records, kept as history (no personal data: field names).
        "dir_corrections": "subject_id TEXT NOT NULL, version INTEGER NOT NULL, "
        "organisation TEXT NOT NULL, person_id TEXT, what TEXT NOT NULL, corrects INTEGER NOT NULL, "
        "corrected TEXT NOT NULL, reason TEXT NOT NULL, occurred_on TEXT NOT NULL, "
        "corrects_occurred_on TEXT NOT NULL, actor_id TEXT NOT NULL, PRIMARY KEY (subject_id, version)",
        # Meeting bodies and their members (the Programme Board's members among the STP roles).
        "dir_bodies": "code TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL",
        "dir_body_members": "body TEXT NOT NULL, person_id TEXT NOT NULL, organisation TEXT NOT NULL, "
        "since TEXT NOT NULL, PRIMARY KEY (body, person_id)",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS dir_people_org ON dir_people (organisation, name)",
        "CREATE INDEX IF NOT EXISTS dir_corrections_org ON dir_corrections (organisation, occurred_on)",
    )

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

    @handles(Person.DetailsCorrected)
    def _details_corrected(self, c: SqlCursor, e: Any) -> None:
        pid = str(e.originator_id)
        c.execute(
            "UPDATE dir_people SET name = ?, title = ?, senior_leader = ?, clinical = ? WHERE id = ?",
            (str(e.name), e.title, int(e.senior_leader), int(e.clinical), pid),
        )
        _correction(c, e, pid, _person_org(c, pid), pid, "details", ", ".join(e.corrected))

    @handles(Person.LeavingCorrected)
    def _leaving_corrected(self, c: SqlCursor, e: Any) -> None:
        pid = str(e.originator_id)
        c.execute("UPDATE dir_people SET left_on = NULL WHERE id = ?", (pid,))
        _correction(c, e, pid, _person_org(c, pid), pid, "leaving", "left_on")

    @handles(Organisation.RegistrationCorrected)
    def _registration_corrected(self, c: SqlCursor, e: Any) -> None:
        code = _code(c, e)
        c.execute("UPDATE dir_organisations SET name = ?, kind = ? WHERE code = ?", (e.name, e.kind, code))
        _correction(c, e, str(e.originator_id), code, None, "registration", ", ".join(e.corrected))

    @handles(Organisation.AppointmentCorrected, Organisation.VacancyCorrected)
    def _office_corrected(self, c: SqlCursor, e: Any) -> None:
        code = _code(c, e)
        if e.restored_person_id is None:
            c.execute("DELETE FROM dir_offices WHERE organisation = ? AND office = ?", (code, e.office))
        else:
            c.execute(
                "INSERT INTO dir_offices (organisation, office, person_id, since) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (organisation, office) DO UPDATE SET person_id = excluded.person_id, "
                "since = excluded.since",
                (code, e.office, e.restored_person_id, e.restored_since.isoformat()),
            )
        what = "appointment" if isinstance(e, Organisation.AppointmentCorrected) else "vacancy"
        _correction(c, e, str(e.originator_id), code, e.person_id or None, what, e.office)

    @handles(MeetingBody.Established)
    def _body_established(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dir_bodies (code, name, kind) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING",
            (e.code, e.name, e.kind),
        )

    @handles(MeetingBody.MemberAppointed)
    def _member_appointed(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dir_body_members (body, person_id, organisation, since) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (body, person_id) DO UPDATE SET organisation = excluded.organisation, "
            "since = excluded.since",
            (e.body, e.person_id, e.organisation, e.occurred_on.isoformat()),
        )

    @handles(MeetingBody.MemberStoodDown)
    def _member_stood_down(self, c: SqlCursor, e: Any) -> None:
        c.execute("DELETE FROM dir_body_members WHERE body = ? AND person_id = ?", (e.body, e.person_id))

    @handles(MeetingBody.MemberAppointmentCorrected)
    def _member_appointment_corrected(self, c: SqlCursor, e: Any) -> None:
        if e.since is None:
            c.execute("DELETE FROM dir_body_members WHERE body = ? AND person_id = ?", (e.body, e.person_id))
        else:
            c.execute(
                "UPDATE dir_body_members SET since = ? WHERE body = ? AND person_id = ?",
                (e.since.isoformat(), e.body, e.person_id),
            )

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

    def corrections(self, organisation: str, limit: int = 100) -> list[dict[str, Any]]:
        """The corrections of an organisation's records and its people's, latest first, with names."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT k.what, k.person_id, p.name, k.corrects, k.corrected, k.reason, k.occurred_on, "
                "k.corrects_occurred_on, k.actor_id FROM dir_corrections k "
                "LEFT JOIN dir_people p ON p.id = k.person_id WHERE k.organisation = ? "
                "ORDER BY k.occurred_on DESC, k.subject_id, k.version DESC LIMIT ?",
                (organisation, limit),
            ).fetchall()


    def body_members(self, body: str | None = None, *, include_left: bool = True) -> list[dict[str, Any]]:
        """Members of meeting bodies (of one body, by code, if given), by body then name.

        A member who has left the directory (or was erased) stays listed until stood down, marked
        ``current`` false with their ``left_on``; an erased member's name shows as [erased].
        """
        where, params = ["1 = 1"], []
        if body:
            where.append("m.body = ?")
            params.append(body.upper())
        if not include_left:
            where.append("p.left_on IS NULL")
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT m.body, COALESCE(b.name, m.body) AS body_name, m.person_id, m.organisation, m.since, "
                "COALESCE(p.name, '') AS name, COALESCE(p.title, '') AS title, p.left_on, "
                "COALESCE(o.name, m.organisation) AS organisation_name FROM dir_body_members m "
                "LEFT JOIN dir_bodies b ON b.code = m.body LEFT JOIN dir_people p ON p.id = m.person_id "
                "LEFT JOIN dir_organisations o ON o.code = m.organisation "
                f"WHERE {' AND '.join(where)} ORDER BY m.body, m.organisation, p.name, m.person_id",
                params,
            ).fetchall()
        for row in rows:
            row["current"] = row["left_on"] is None
            row["erased"] = row["name"] == ERASED
        return rows

    def programme_board_code(self) -> str | None:
        """The code of the Programme Board (the body whose kind is programme_board), if set up."""
        with self.view.transaction(commit=False) as c:
            row = c.execute(
                "SELECT code FROM dir_bodies WHERE kind = 'programme_board' ORDER BY code LIMIT 1"
            ).fetchone()
        return None if row is None else str(row["code"])

    def body_exists(self, code: str) -> bool:
        """True if a meeting body with this code is in the directory view."""
        with self.view.transaction(commit=False) as c:
            return c.execute("SELECT 1 FROM dir_bodies WHERE code = ?", (code.upper(),)).fetchone() is not None

    def programme_board(self) -> list[dict[str, Any]]:
        """The Programme Board's members, current ones first."""
        code = self.programme_board_code()
        if code is None:
            return []
        return sorted(self.body_members(code), key=lambda m: not m["current"])

    def stp_roles(self) -> dict[str, Any]:
        """The STP roles: the Independent Chair and Accountable Officer (offices held now, of any
        organisation) and the Programme Board with its members, current ones first."""
        holders = {r["office"]: {"person_id": r["person_id"], "name": r["name"]} for r in self.office_holders()
                   if r["office"] in ("independent_chair", "accountable_officer")}
        return {
            "independent_chair": holders.get("independent_chair"),
            "accountable_officer": holders.get("accountable_officer"),
            "programme_board": self.programme_board_code(),
            "programme_board_members": self.programme_board(),
        }


def _person_org(c: SqlCursor, person_id: str) -> str:
    row = c.execute("SELECT organisation FROM dir_people WHERE id = ?", (person_id,)).fetchone()
    return "" if row is None else str(row["organisation"])


def _correction(
    c: SqlCursor, e: Any, subject: str, organisation: str, person_id: str | None, what: str, corrected: str
) -> None:
    c.execute(
        "INSERT INTO dir_corrections (subject_id, version, organisation, person_id, what, corrects, "
        "corrected, reason, occurred_on, corrects_occurred_on, actor_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (subject_id, version) DO NOTHING",
        (
            subject, int(e.originator_version), organisation, person_id, what, int(e.corrects), corrected,
            e.reason, e.occurred_on.isoformat(), e.corrects_occurred_on.isoformat(), e.actor_id,
        ),
    )


def _code(c: SqlCursor, e: Any) -> str:
    row = c.execute(
        "SELECT code FROM dir_organisations WHERE id = ?", (str(e.originator_id),)
    ).fetchone()
    return "" if row is None else str(row["code"])
