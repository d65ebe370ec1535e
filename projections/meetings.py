"""The meetings view: bodies, meetings with their attendance by organisation, surveys and the panel."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from domain.meeting import Meeting
from domain.meeting_body import MeetingBody
from domain.period import Quarter
from domain.survey import Survey
from domain.survey_panel import SurveyPanel
from projections.base import View, handles
from projections.store import SqlCursor


class MeetingsView(View):
    """Lists for the meeting and survey pages: what exists, its state, paged and filtered in SQL."""

    name = "meetings"
    tables: ClassVar[dict[str, str]] = {
        "mtg_bodies": "code TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, "
        "reports_to TEXT, vote_mode TEXT NOT NULL, established_on TEXT NOT NULL, terms_updated_on TEXT, "
        "terms_reference TEXT, notified_on TEXT",
        "mtg_meetings": "id TEXT PRIMARY KEY, body TEXT NOT NULL, title TEXT NOT NULL, held_on TEXT NOT NULL, "
        "quarter TEXT NOT NULL, chair_person_id TEXT NOT NULL, vote_mode TEXT NOT NULL, attendees INTEGER NOT NULL, "
        "opening_check TEXT NOT NULL, corrective_steps INTEGER NOT NULL, votes INTEGER NOT NULL, closed_on TEXT",
        "mtg_attendance": "meeting_id TEXT NOT NULL, organisation TEXT NOT NULL, attendees INTEGER NOT NULL, "
        "PRIMARY KEY (meeting_id, organisation)",
        "svy_surveys": "code TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, title TEXT NOT NULL, "
        "period TEXT NOT NULL, opened_on TEXT NOT NULL, mapped INTEGER NOT NULL, responses INTEGER NOT NULL, "
        "results INTEGER NOT NULL",
        "svy_panel": "person_id TEXT PRIMARY KEY, organisation TEXT NOT NULL, joined_on TEXT NOT NULL, "
        "left_on TEXT, reason TEXT",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS mtg_meetings_held ON mtg_meetings (held_on, id)",
        "CREATE INDEX IF NOT EXISTS mtg_meetings_body ON mtg_meetings (body, held_on)",
        "CREATE INDEX IF NOT EXISTS mtg_attendance_org ON mtg_attendance (organisation, meeting_id)",
        "CREATE INDEX IF NOT EXISTS svy_surveys_period ON svy_surveys (period, code)",
    )

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """As one by one, with each meeting's changes in the batch made by one UPDATE.

        New meetings are inserted before the changes gathered after them; a change gathered
        for a meeting before its Recorded event is made first, as one by one. Every other
        handler writes other tables, so it runs in place.
        """
        new: list[Any] = []
        changes: dict[str, list[Any]] = {}  # id -> [opening_check, corrective steps, votes, closed_on]
        for e in events:
            kind = type(e)
            if kind not in GATHERED:
                self.apply(c, e)
                continue
            mid = str(e.originator_id)
            if kind is Meeting.Recorded:
                if mid in changes:
                    _insert(c, new)
                    _change(c, [(*changes.pop(mid), mid)])
                new.append(e)
                continue
            change = changes.setdefault(mid, [None, 0, 0, None])
            if kind is Meeting.VoteCast:
                change[2] += 1
            elif kind is Meeting.TallyRecorded:
                change[2] += e.adhered + e.partly_adhered + e.not_adhered
            elif kind is Meeting.TallyCorrected:
                change[2] += e.adhered + e.partly_adhered + e.not_adhered - sum(e.corrects)
            elif kind is Meeting.RepresentationChecked:
                change[0] = _opening_check(e)
            elif kind is Meeting.CorrectiveStepAgreed:
                change[1] += 1
            else:  # VotingClosed
                change[3] = e.occurred_on.isoformat()
        _insert(c, new)
        _change(c, [(*change, mid) for mid, change in changes.items()])

    @handles(MeetingBody.Established)
    def _established(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO mtg_bodies (code, id, name, kind, reports_to, vote_mode, established_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
            (e.code, str(e.originator_id), e.name, e.kind, e.reports_to, e.vote_mode, e.occurred_on.isoformat()),
        )

    @handles(MeetingBody.Notified)
    def _notified(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE mtg_bodies SET notified_on = ? WHERE id = ?", (e.occurred_on.isoformat(), str(e.originator_id)))

    @handles(MeetingBody.TermsOfReferenceUpdated)
    def _terms(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE mtg_bodies SET terms_updated_on = ?, terms_reference = ? WHERE id = ?",
            (e.occurred_on.isoformat(), e.reference, str(e.originator_id)),
        )

    @handles(MeetingBody.VoteModeChanged)
    def _vote_mode(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE mtg_bodies SET vote_mode = ? WHERE id = ?", (e.vote_mode, str(e.originator_id)))

    @handles(Meeting.Recorded)
    def _recorded(self, c: SqlCursor, e: Any) -> None:
        _insert(c, [e])

    @handles(Meeting.RepresentationChecked)
    def _checked(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE mtg_meetings SET opening_check = ? WHERE id = ?", (_opening_check(e), str(e.originator_id)))

    @handles(Meeting.CorrectiveStepAgreed)
    def _step(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE mtg_meetings SET corrective_steps = corrective_steps + 1 WHERE id = ?", (str(e.originator_id),)
        )

    @handles(Meeting.VoteCast)
    def _vote(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE mtg_meetings SET votes = votes + 1 WHERE id = ?", (str(e.originator_id),))

    @handles(Meeting.TallyRecorded)
    def _tally(self, c: SqlCursor, e: Any) -> None:
        n = e.adhered + e.partly_adhered + e.not_adhered
        c.execute("UPDATE mtg_meetings SET votes = votes + ? WHERE id = ?", (n, str(e.originator_id)))

    @handles(Meeting.TallyCorrected)
    def _tally_corrected(self, c: SqlCursor, e: Any) -> None:
        change = e.adhered + e.partly_adhered + e.not_adhered - sum(e.corrects)
        c.execute("UPDATE mtg_meetings SET votes = votes + ? WHERE id = ?", (change, str(e.originator_id)))

    @handles(Meeting.VotingClosed)
    def _closed(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE mtg_meetings SET closed_on = ? WHERE id = ?", (e.occurred_on.isoformat(), str(e.originator_id)))

    @handles(Survey.Opened)
    def _opened(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO svy_surveys (code, id, kind, title, period, opened_on, mapped, responses, results) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0) ON CONFLICT (code) DO NOTHING",
            (e.code, str(e.originator_id), e.kind, e.title, e.period, e.occurred_on.isoformat(),
             int(e.kind == "all_staff")),
        )

    @handles(Survey.MappingSaved)
    def _mapped(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE svy_surveys SET mapped = 1 WHERE id = ?", (str(e.originator_id),))

    @handles(Survey.ResponsesImported)
    def _imported(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE svy_surveys SET responses = responses + ? WHERE id = ?", (len(e.responses), str(e.originator_id))
        )

    @handles(Survey.AllStaffResultsRecorded)
    def _results(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE svy_surveys SET results = results + 1 WHERE id = ?", (str(e.originator_id),))

    @handles(SurveyPanel.Agreed)
    def _panel_agreed(self, c: SqlCursor, e: Any) -> None:
        for m in e.members:
            self._joined(c, m["person_id"], m["organisation"], e.occurred_on.isoformat())

    @handles(SurveyPanel.MemberJoined)
    def _panel_joined(self, c: SqlCursor, e: Any) -> None:
        self._joined(c, e.person_id, e.organisation, e.occurred_on.isoformat())

    @handles(SurveyPanel.MemberLeft)
    def _panel_left(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE svy_panel SET left_on = ?, reason = ? WHERE person_id = ?",
            (e.occurred_on.isoformat(), e.reason, e.person_id),
        )

    @staticmethod
    def _joined(c: SqlCursor, person_id: str, organisation: str, on: str) -> None:
        c.execute(
            "INSERT INTO svy_panel (person_id, organisation, joined_on) VALUES (?, ?, ?) ON CONFLICT (person_id) "
            "DO UPDATE SET organisation = excluded.organisation, joined_on = excluded.joined_on, left_on = NULL, "
            "reason = NULL",
            (person_id, organisation, on),
        )

    # Queries: filtered and paged in SQL.
    def list_bodies(self) -> list[dict[str, Any]]:
        """Every meeting body with its meeting count, the Programme Board first."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT b.code, b.name, b.kind, b.reports_to, b.vote_mode, b.established_on, b.terms_updated_on, "
                "b.terms_reference, b.notified_on, (SELECT COUNT(*) FROM mtg_meetings m WHERE m.body = b.code) AS meetings "
                "FROM mtg_bodies b ORDER BY CASE b.kind WHEN 'programme_board' THEN 0 WHEN 'committee' THEN 1 "
                "ELSE 2 END, b.name"
            ).fetchall()

    def list_meetings(
        self, *, body: str | None = None, organisation: str | None = None, quarter: str | None = None,
        limit: int = 50, offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of meetings, newest first, and how many match."""
        where, params = ["1 = 1"], []
        if body:
            where.append("m.body = ?")
            params.append(body)
        if quarter:
            where.append("m.quarter = ?")
            params.append(quarter)
        if organisation:
            where.append("EXISTS (SELECT 1 FROM mtg_attendance a WHERE a.meeting_id = m.id AND a.organisation = ?)")
            params.append(organisation)
        clause = " AND ".join(where)
        with self.view.transaction(commit=False) as c:
            total = int(c.execute(f"SELECT COUNT(*) AS n FROM mtg_meetings m WHERE {clause}", params).fetchone()["n"])  # type: ignore[index]
            rows = c.execute(
                "SELECT m.id, m.body, m.title, m.held_on, m.quarter, m.chair_person_id, m.vote_mode, m.attendees, "
                "m.opening_check, m.corrective_steps, m.votes, m.closed_on FROM mtg_meetings m "
                f"WHERE {clause} ORDER BY m.held_on DESC, m.id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
            ids = [r["id"] for r in rows]
            attendance: dict[str, list[str]] = {}
            if ids:
                marks = ", ".join("?" for _ in ids)
                for a in c.execute(
                    f"SELECT meeting_id, organisation, attendees FROM mtg_attendance WHERE meeting_id IN ({marks}) "
                    "ORDER BY organisation", ids,
                ).fetchall():
                    attendance.setdefault(a["meeting_id"], []).append(a["organisation"])
        for r in rows:
            r["organisations"] = attendance.get(r["id"], [])
        return rows, total

    def list_surveys(self, kind: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A page of surveys, newest period first."""
        where, params = ("WHERE kind = ?", [kind]) if kind else ("", [])
        with self.view.transaction(commit=False) as c:
            total = int(c.execute(f"SELECT COUNT(*) AS n FROM svy_surveys {where}", params).fetchone()["n"])  # type: ignore[index]
            rows = c.execute(
                "SELECT code, kind, title, period, opened_on, mapped, responses, results FROM svy_surveys "
                f"{where} ORDER BY period DESC, code LIMIT ? OFFSET ?", [*params, limit, offset],
            ).fetchall()
        for r in rows:
            r["mapped"] = bool(r["mapped"])
        return rows, total

    def panel_by_organisation(self) -> list[dict[str, Any]]:
        """How many current panel members each organisation has."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT organisation, COUNT(*) AS members FROM svy_panel WHERE left_on IS NULL "
                "GROUP BY organisation ORDER BY organisation"
            ).fetchall()

    def list_panel(self, limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A page of current panel members (person ids) by organisation."""
        with self.view.transaction(commit=False) as c:
            total = int(c.execute("SELECT COUNT(*) AS n FROM svy_panel WHERE left_on IS NULL").fetchone()["n"])  # type: ignore[index]
            rows = c.execute(
                "SELECT person_id, organisation, joined_on FROM svy_panel WHERE left_on IS NULL "
                "ORDER BY organisation, joined_on, person_id LIMIT ? OFFSET ?", (limit, offset),
            ).fetchall()
        return rows, total


GATHERED = frozenset({
    Meeting.Recorded, Meeting.RepresentationChecked, Meeting.CorrectiveStepAgreed, Meeting.VoteCast,
    Meeting.TallyRecorded, Meeting.TallyCorrected, Meeting.VotingClosed,
})


def _opening_check(e: Any) -> str:
    return "all represented" if e.all_views_represented else f"{len(e.missing_views)} view(s) missing"


def _insert(c: SqlCursor, recorded: list[Any]) -> None:
    """Insert meetings and their attendance by organisation, from their Recorded events (then forget them)."""
    meetings, attendance = [], []
    for e in recorded:
        mid = str(e.originator_id)
        meetings.append((mid, e.body, e.title, e.occurred_on.isoformat(), Quarter.of(e.occurred_on).key,
                         e.chair_person_id, e.vote_mode, len(e.attendees)))
        counts: dict[str, int] = {}
        for a in e.attendees:
            counts[a["organisation"]] = counts.get(a["organisation"], 0) + 1
        attendance += [(mid, org, n) for org, n in sorted(counts.items())]
    recorded.clear()
    if meetings:
        c.executemany(
            "INSERT INTO mtg_meetings (id, body, title, held_on, quarter, chair_person_id, vote_mode, attendees, "
            "opening_check, corrective_steps, votes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'not recorded', 0, 0) "
            "ON CONFLICT (id) DO NOTHING",
            meetings,
        )
    if attendance:
        c.executemany(
            "INSERT INTO mtg_attendance (meeting_id, organisation, attendees) VALUES (?, ?, ?) "
            "ON CONFLICT (meeting_id, organisation) DO NOTHING",
            attendance,
        )


def _change(c: SqlCursor, rows: list[tuple[Any, ...]]) -> None:
    """Make the gathered changes: (opening_check or None, steps added, votes added, closed_on or None, id)."""
    if rows:
        c.executemany(
            "UPDATE mtg_meetings SET opening_check = COALESCE(?, opening_check), "
            "corrective_steps = corrective_steps + ?, votes = votes + ?, closed_on = COALESCE(?, closed_on) "
            "WHERE id = ?",
            rows,
        )
