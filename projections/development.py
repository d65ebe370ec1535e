"""The development programme view: learning sessions and attendance; pledges and revisits.

A pledge's wording and reflections are personal data: they stay in the events, under the
pledger's key, and are read through the application; this view keeps only dates and outcomes.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from domain.development import LearningSession, Pledge
from projections.base import View, handles
from projections.store import SqlCursor
from projections.tracked import PEOPLE_COLUMNS, TracksPeople


class DevelopmentView(TracksPeople, View):
    """Who attended which learning session; who pledged, and when they last revisited it."""

    name = "development"
    people_table = "dev_people"
    tables: ClassVar[dict[str, str]] = {
        "dev_people": PEOPLE_COLUMNS,
        "dev_sessions": "id TEXT PRIMARY KEY, title TEXT NOT NULL, facilitator TEXT NOT NULL, "
        "held_on TEXT NOT NULL, citations TEXT NOT NULL",
        "dev_attendance": "session_id TEXT NOT NULL, person_id TEXT NOT NULL, "
        "PRIMARY KEY (session_id, person_id)",
        "dev_pledges": "id TEXT PRIMARY KEY, person_id TEXT NOT NULL, organisation TEXT NOT NULL, "
        "citations TEXT NOT NULL, made_on TEXT NOT NULL, revisits INTEGER NOT NULL, "
        "last_revisited_on TEXT, last_outcome TEXT",
    }

    @handles(LearningSession.Held)
    def _session(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dev_sessions (id, title, facilitator, held_on, citations) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.title, e.facilitator, e.occurred_on.isoformat(), ",".join(e.citations)),
        )

    @handles(LearningSession.AttendanceRecorded)
    def _attended(self, c: SqlCursor, e: Any) -> None:
        for person_id in e.attendees:
            c.execute(
                "INSERT INTO dev_attendance (session_id, person_id) VALUES (?, ?) "
                "ON CONFLICT (session_id, person_id) DO NOTHING",
                (str(e.originator_id), person_id),
            )

    @handles(Pledge.Made)
    def _pledged(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO dev_pledges (id, person_id, organisation, citations, made_on, revisits) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.person_id, e.organisation, ",".join(e.citations), e.occurred_on.isoformat()),
        )

    @handles(Pledge.Revisited)
    def _revisited(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE dev_pledges SET revisits = revisits + 1, last_revisited_on = ?, last_outcome = ? "
            "WHERE id = ?",
            (e.occurred_on.isoformat(), e.outcome, str(e.originator_id)),
        )

    # Queries
    def list_sessions(self, limit: int = 50) -> list[dict[str, Any]]:
        """Sessions, newest first, each with its attendees' names."""
        with self.view.transaction(commit=False) as c:
            sessions = c.execute(
                "SELECT id, title, facilitator, held_on, citations FROM dev_sessions "
                "ORDER BY held_on DESC, id LIMIT ?",
                (limit,),
            ).fetchall()
            ids = [s["id"] for s in sessions] or [""]
            marks = ", ".join("?" for _ in ids)
            attendance = c.execute(
                "SELECT a.session_id, a.person_id, COALESCE(p.name, '') AS name, "
                "COALESCE(p.organisation, '') AS organisation FROM dev_attendance a "
                f"LEFT JOIN dev_people p ON p.id = a.person_id WHERE a.session_id IN ({marks}) "
                "ORDER BY p.organisation, p.name",
                ids,
            ).fetchall()
        for s in sessions:
            s["citations"] = [i for i in s["citations"].split(",") if i]
            s["attendees"] = [a for a in attendance if a["session_id"] == s["id"]]
        return sessions

    def list_pledges(self, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        """Pledges with their maker's name and the latest revisit."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT d.id, d.person_id, COALESCE(p.name, '') AS name, d.organisation, d.citations, "
                "d.made_on, d.revisits, d.last_revisited_on, d.last_outcome FROM dev_pledges d "
                "LEFT JOIN dev_people p ON p.id = d.person_id ORDER BY d.organisation, p.name, d.made_on "
                "LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        for row in rows:
            row["citations"] = row["citations"].split(",")
        return rows

    def summary(self) -> dict[str, int]:
        """Sessions held, attendances, pledges made and how many have been revisited."""
        with self.view.transaction(commit=False) as c:
            row = c.execute(
                "SELECT (SELECT COUNT(*) FROM dev_sessions) AS sessions, "
                "(SELECT COUNT(*) FROM dev_attendance) AS attendances, "
                "(SELECT COUNT(DISTINCT person_id) FROM dev_attendance) AS people_attending, "
                "(SELECT COUNT(*) FROM dev_pledges) AS pledges, "
                "(SELECT COUNT(*) FROM dev_pledges WHERE revisits > 0) AS pledges_revisited"
            ).fetchone()
        return {k: int(v) for k, v in (row or {}).items()}

    def period_summary(self, start: date, end: date) -> dict[str, int]:
        """Sessions held, attendances, pledges made and pledges revisited between start and end."""
        s, e = start.isoformat(), end.isoformat()
        with self.view.transaction(commit=False) as c:
            row = c.execute(
                "SELECT (SELECT COUNT(*) FROM dev_sessions WHERE held_on BETWEEN ? AND ?) AS sessions, "
                "(SELECT COUNT(*) FROM dev_attendance a JOIN dev_sessions x ON x.id = a.session_id "
                "WHERE x.held_on BETWEEN ? AND ?) AS attendances, "
                "(SELECT COUNT(*) FROM dev_pledges WHERE made_on BETWEEN ? AND ?) AS pledges_made, "
                "(SELECT COUNT(*) FROM dev_pledges WHERE last_revisited_on BETWEEN ? AND ?) "
                "AS pledges_revisited",
                (s, e, s, e, s, e, s, e),
            ).fetchone()
        return {k: int(v) for k, v in (row or {}).items()}
