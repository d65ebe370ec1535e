"""The reviews view: the Programme Board's quarterly reviews, their decisions and actions.

An action is overdue when it is still open (or carried forward) and its due date is before the
day asked about; that day is passed in, so the flag is worked out when asked, never stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from domain.review import CARRIED_FORWARD, DONE, DROPPED, OPEN, Review
from projections.base import View, handles
from projections.store import SqlCursor
from projections.tracked import PEOPLE_COLUMNS, TracksPeople

STILL_OPEN = f"a.status IN ('{OPEN}', '{CARRIED_FORWARD}')"


class ReviewsView(TracksPeople, View):
    """Quarterly reviews, each decision's learning, good practice and successes, and actions."""

    name = "reviews"
    people_table = "rev_people"
    tables: ClassVar[dict[str, str]] = {
        "rev_people": PEOPLE_COLUMNS,
        "rev_reviews": "quarter TEXT PRIMARY KEY, id TEXT NOT NULL UNIQUE, held_on TEXT NOT NULL, "
        "summary TEXT NOT NULL, decisions INTEGER NOT NULL",
        "rev_decisions": "quarter TEXT NOT NULL, number INTEGER NOT NULL, decided TEXT NOT NULL, "
        "learning TEXT NOT NULL, good_practice TEXT NOT NULL, successes TEXT NOT NULL, "
        "issues_resolved TEXT NOT NULL, decided_on TEXT NOT NULL, PRIMARY KEY (quarter, number)",
        "rev_actions": "ref TEXT PRIMARY KEY, review_id TEXT NOT NULL, quarter TEXT NOT NULL, "
        "number INTEGER NOT NULL, decision INTEGER NOT NULL, text TEXT NOT NULL, "
        "owner_person_id TEXT NOT NULL, owner_organisation TEXT NOT NULL, set_on TEXT NOT NULL, "
        "due_on TEXT NOT NULL, status TEXT NOT NULL, closed_on TEXT, reason TEXT NOT NULL, "
        "times_carried INTEGER NOT NULL",
    }
    indexes = ("CREATE INDEX IF NOT EXISTS rev_actions_due ON rev_actions (status, due_on)",)

    @handles(Review.Held)
    def _held(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO rev_reviews (quarter, id, held_on, summary, decisions) VALUES (?, ?, ?, ?, 0) "
            "ON CONFLICT (quarter) DO NOTHING",
            (e.quarter, str(e.originator_id), e.occurred_on.isoformat(), e.summary),
        )

    @handles(Review.DecisionRecorded)
    def _decision(self, c: SqlCursor, e: Any) -> None:
        quarter = _quarter(c, e)
        c.execute(
            "INSERT INTO rev_decisions (quarter, number, decided, learning, good_practice, successes, "
            "issues_resolved, decided_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (quarter, number) DO NOTHING",
            (quarter, e.number, e.decided, e.learning, e.good_practice, e.successes,
             e.issues_resolved, e.occurred_on.isoformat()),
        )
        c.execute("UPDATE rev_reviews SET decisions = decisions + 1 WHERE quarter = ?", (quarter,))
        for a in e.actions:
            c.execute(
                "INSERT INTO rev_actions (ref, review_id, quarter, number, decision, text, "
                "owner_person_id, owner_organisation, set_on, due_on, status, reason, times_carried) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 0) ON CONFLICT (ref) DO NOTHING",
                (f"{quarter}-A{a['number']}", str(e.originator_id), quarter, a["number"], e.number,
                 a["text"], a["owner_person_id"], a["owner_organisation"], e.occurred_on.isoformat(),
                 a["due_on"], OPEN),
            )

    @handles(Review.ActionCompleted)
    def _done(self, c: SqlCursor, e: Any) -> None:
        self._close(c, e, DONE, e.note)

    @handles(Review.ActionDropped)
    def _dropped(self, c: SqlCursor, e: Any) -> None:
        self._close(c, e, DROPPED, e.reason)

    @handles(Review.ActionCarriedForward)
    def _carried(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE rev_actions SET status = ?, due_on = ?, reason = ?, "
            "times_carried = times_carried + 1 WHERE review_id = ? AND number = ?",
            (CARRIED_FORWARD, e.due_on.isoformat(), e.reason, str(e.originator_id), e.action),
        )

    def _close(self, c: SqlCursor, e: Any, status: str, reason: str) -> None:
        c.execute(
            "UPDATE rev_actions SET status = ?, closed_on = ?, reason = ? WHERE review_id = ? "
            "AND number = ?",
            (status, e.occurred_on.isoformat(), reason, str(e.originator_id), e.action),
        )

    # Queries
    def list_reviews(self, limit: int = 20, offset: int = 0) -> list[dict[str, Any]]:
        """Reviews, newest first, with counts of their actions by state."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT r.quarter, r.held_on, r.summary, r.decisions, "
                "(SELECT COUNT(*) FROM rev_actions a WHERE a.quarter = r.quarter) AS actions, "
                f"(SELECT COUNT(*) FROM rev_actions a WHERE a.quarter = r.quarter AND {STILL_OPEN}) "
                "AS open_actions FROM rev_reviews r ORDER BY r.quarter DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()

    def get_review(self, quarter: str) -> dict[str, Any] | None:
        """One review with its decisions."""
        with self.view.transaction(commit=False) as c:
            review = c.execute(
                "SELECT quarter, held_on, summary, decisions FROM rev_reviews WHERE quarter = ?",
                (quarter,),
            ).fetchone()
            if review is None:
                return None
            review["decision_list"] = c.execute(
                "SELECT number, decided, learning, good_practice, successes, issues_resolved, "
                "decided_on FROM rev_decisions WHERE quarter = ? ORDER BY number",
                (quarter,),
            ).fetchall()
        return review

    def list_actions(
        self,
        today: date,
        *,
        quarter: str | None = None,
        status: str | None = None,
        overdue_only: bool = False,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of actions with their owners and an overdue flag as of today, and the total."""
        iso = today.isoformat()
        where, params = ["1 = 1"], []
        if quarter:
            where.append("a.quarter = ?")
            params.append(quarter)
        if status:
            where.append("a.status = ?")
            params.append(status)
        if overdue_only:
            where.append(f"{STILL_OPEN} AND a.due_on < ?")
            params.append(iso)
        clause = " AND ".join(where)
        with self.view.transaction(commit=False) as c:
            total = c.execute(f"SELECT COUNT(*) AS n FROM rev_actions a WHERE {clause}", params).fetchone()
            rows = c.execute(
                "SELECT a.ref, a.quarter, a.number, a.decision, a.text, a.owner_person_id, "
                "a.owner_organisation, COALESCE(p.name, '') AS owner_name, a.set_on, a.due_on, "
                "a.status, a.closed_on, a.reason, a.times_carried, "
                f"CASE WHEN {STILL_OPEN} AND a.due_on < ? THEN 1 ELSE 0 END AS overdue "
                "FROM rev_actions a LEFT JOIN rev_people p ON p.id = a.owner_person_id "
                f"WHERE {clause} ORDER BY a.due_on, a.ref LIMIT ? OFFSET ?",
                [iso, *params, limit, offset],
            ).fetchall()
        for row in rows:
            row["overdue"] = bool(row["overdue"])
        return rows, int(total["n"]) if total else 0

    def action_counts(self, today: date) -> dict[str, int]:
        """Actions by state, with how many open ones are overdue as of today."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT status, COUNT(*) AS n, SUM(CASE WHEN status IN (?, ?) AND due_on < ? "
                "THEN 1 ELSE 0 END) AS overdue FROM rev_actions GROUP BY status",
                (OPEN, CARRIED_FORWARD, today.isoformat()),
            ).fetchall()
        counts = {s: 0 for s in (OPEN, CARRIED_FORWARD, DONE, DROPPED)}
        overdue = 0
        for r in rows:
            counts[r["status"]] = int(r["n"])
            overdue += int(r["overdue"] or 0)
        return {**counts, "overdue": overdue, "total": sum(counts.values())}

    def period_summary(self, start: date, end: date, as_of: date) -> dict[str, Any]:
        """Reviews held and actions set between start and end, with their state as of as_of."""
        s, e, iso = start.isoformat(), end.isoformat(), as_of.isoformat()
        with self.view.transaction(commit=False) as c:
            reviews = c.execute(
                "SELECT quarter, held_on, decisions FROM rev_reviews WHERE held_on BETWEEN ? AND ? "
                "ORDER BY quarter",
                (s, e),
            ).fetchall()
            decisions = c.execute(
                "SELECT quarter, number, decided, learning, good_practice, successes, issues_resolved "
                "FROM rev_decisions WHERE decided_on BETWEEN ? AND ? ORDER BY quarter, number",
                (s, e),
            ).fetchall()
            actions = c.execute(
                "SELECT a.status, COUNT(*) AS n, "
                f"SUM(CASE WHEN {STILL_OPEN} AND a.due_on < ? THEN 1 ELSE 0 END) AS overdue "
                "FROM rev_actions a WHERE a.set_on BETWEEN ? AND ? GROUP BY a.status",
                (iso, s, e),
            ).fetchall()
        counts = {st: 0 for st in (OPEN, CARRIED_FORWARD, DONE, DROPPED)}
        overdue = 0
        for r in actions:
            counts[r["status"]] = int(r["n"])
            overdue += int(r["overdue"] or 0)
        return {
            "reviews": [dict(r, decisions=int(r["decisions"])) for r in reviews],
            "decisions": decisions,
            "actions": {**counts, "overdue": overdue, "total": sum(counts.values())},
        }


def _quarter(c: SqlCursor, e: Any) -> str:
    row = c.execute("SELECT quarter FROM rev_reviews WHERE id = ?", (str(e.originator_id),)).fetchone()
    return "" if row is None else str(row["quarter"])
