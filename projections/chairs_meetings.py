"""The Independent Chair's quarterly meetings with the Chairs: who came, what was agreed."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from domain.chair_meeting import ChairsMeeting
from projections.base import View, handles
from projections.store import SqlCursor
from projections.tracked import (
    ORGANISATION_COLUMNS,
    PEOPLE_COLUMNS,
    TracksOrganisations,
    TracksPeople,
)


class ChairsMeetingsView(TracksPeople, TracksOrganisations, View):
    """Each quarter's meeting, its attendees by organisation, and its agreed actions."""

    name = "chairs_meetings"
    people_table = "cm_people"
    organisations_table = "cm_organisations"
    tables: ClassVar[dict[str, str]] = {
        "cm_people": PEOPLE_COLUMNS,
        "cm_organisations": ORGANISATION_COLUMNS,
        "cm_meetings": "quarter TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, held_on TEXT NOT NULL, "
        "progress_reviewed TEXT NOT NULL, successes TEXT NOT NULL",
        "cm_attendees": "quarter TEXT NOT NULL, organisation TEXT NOT NULL, person_id TEXT NOT NULL, "
        "PRIMARY KEY (quarter, organisation)",
        "cm_actions": "quarter TEXT NOT NULL, number INTEGER NOT NULL, meeting_id TEXT NOT NULL, "
        "text TEXT NOT NULL, owner_organisation TEXT NOT NULL, due_on TEXT NOT NULL, done_on TEXT, "
        "PRIMARY KEY (quarter, number)",
    }

    @handles(ChairsMeeting.Held)
    def _held(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO cm_meetings (quarter, id, held_on, progress_reviewed, successes) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (quarter) DO NOTHING",
            (e.quarter, str(e.originator_id), e.occurred_on.isoformat(), e.progress_reviewed, e.successes),
        )
        for a in e.attendees:
            c.execute(
                "INSERT INTO cm_attendees (quarter, organisation, person_id) VALUES (?, ?, ?) "
                "ON CONFLICT (quarter, organisation) DO NOTHING",
                (e.quarter, a["organisation"], a["person_id"]),
            )
        for a in e.actions:
            c.execute(
                "INSERT INTO cm_actions (quarter, number, meeting_id, text, owner_organisation, due_on) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (quarter, number) DO NOTHING",
                (e.quarter, a["number"], str(e.originator_id), a["text"], a["owner_organisation"], a["due_on"]),
            )

    @handles(ChairsMeeting.ActionCompleted)
    def _action_done(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE cm_actions SET done_on = ? WHERE meeting_id = ? AND number = ?",
            (e.occurred_on.isoformat(), str(e.originator_id), e.action),
        )

    # Queries
    def list_meetings(self, today: date, limit: int = 20) -> list[dict[str, Any]]:
        """Meetings, newest first: attendees by name, partner organisations absent, actions."""
        with self.view.transaction(commit=False) as c:
            meetings = c.execute(
                "SELECT quarter, held_on, progress_reviewed, successes FROM cm_meetings "
                "ORDER BY quarter DESC LIMIT ?",
                (limit,),
            ).fetchall()
            quarters = [m["quarter"] for m in meetings] or [""]
            marks = ", ".join("?" for _ in quarters)
            attendees = c.execute(
                "SELECT a.quarter, a.organisation, a.person_id, COALESCE(p.name, '') AS name "
                f"FROM cm_attendees a LEFT JOIN cm_people p ON p.id = a.person_id "
                f"WHERE a.quarter IN ({marks}) ORDER BY a.organisation",
                quarters,
            ).fetchall()
            actions = c.execute(
                "SELECT quarter, number, text, owner_organisation, due_on, done_on FROM cm_actions "
                f"WHERE quarter IN ({marks}) ORDER BY quarter, number",
                quarters,
            ).fetchall()
            partners = [
                r["code"] for r in c.execute(
                    "SELECT code FROM cm_organisations WHERE partner = 1 ORDER BY code"
                ).fetchall()
            ]
        iso = today.isoformat()
        for m in meetings:
            m["attendees"] = [a for a in attendees if a["quarter"] == m["quarter"]]
            came = {a["organisation"] for a in m["attendees"]}
            m["absent"] = [code for code in partners if code not in came]
            m["actions"] = [a for a in actions if a["quarter"] == m["quarter"]]
            for a in m["actions"]:
                a["overdue"] = a["done_on"] is None and a["due_on"] < iso
        return meetings

    def attendance_by_organisation(self) -> list[dict[str, Any]]:
        """For each partner organisation, at how many of the meetings its Chair attended."""
        with self.view.transaction(commit=False) as c:
            held = c.execute("SELECT COUNT(*) AS n FROM cm_meetings").fetchone()
            rows = c.execute(
                "SELECT o.code, o.name, COUNT(a.quarter) AS attended FROM cm_organisations o "
                "LEFT JOIN cm_attendees a ON a.organisation = o.code WHERE o.partner = 1 "
                "GROUP BY o.code, o.name ORDER BY o.name"
            ).fetchall()
        meetings = int(held["n"]) if held else 0
        for row in rows:
            row["attended"], row["meetings"] = int(row["attended"]), meetings
        return rows

    def period_summary(self, start: date, end: date) -> dict[str, Any]:
        """Meetings held between start and end, how many Chairs came, and actions agreed."""
        s, e = start.isoformat(), end.isoformat()
        with self.view.transaction(commit=False) as c:
            meetings = c.execute(
                "SELECT m.quarter, m.held_on, (SELECT COUNT(*) FROM cm_attendees a "
                "WHERE a.quarter = m.quarter) AS attended, (SELECT COUNT(*) FROM cm_actions x "
                "WHERE x.quarter = m.quarter) AS actions FROM cm_meetings m "
                "WHERE m.held_on BETWEEN ? AND ? ORDER BY m.quarter",
                (s, e),
            ).fetchall()
            partners = c.execute("SELECT COUNT(*) AS n FROM cm_organisations WHERE partner = 1").fetchone()
        for m in meetings:
            m["attended"], m["actions"] = int(m["attended"]), int(m["actions"])
        return {"meetings": meetings, "partners": int(partners["n"]) if partners else 0}
