"""The commendations view: nominations, who made them, the behaviours cited, and decisions.

The nominations' examples and reasons are personal data about the nominee: they stay in the
events (under the nominee's key) and are read through the application, never copied here.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from domain.commendation import Commendation
from projections.base import View, handles
from projections.store import SqlCursor
from projections.tracked import PEOPLE_COLUMNS, TracksPeople

PENDING, WITHDRAWN = "pending", "withdrawn"


class CommendationsView(TracksPeople, View):
    """Every nomination with its status, and counts by behaviour and organisation."""

    name = "commendations"
    people_table = "com_people"
    tables: ClassVar[dict[str, str]] = {
        "com_people": PEOPLE_COLUMNS,
        "com_nominations": "id TEXT PRIMARY KEY, nominee_id TEXT NOT NULL, "
        "nominee_organisation TEXT NOT NULL, nominated_by_id TEXT NOT NULL, "
        "nominated_on TEXT NOT NULL, citations TEXT NOT NULL, status TEXT NOT NULL, "
        "decided_on TEXT",
        "com_citations": "nomination_id TEXT NOT NULL, item TEXT NOT NULL, "
        "PRIMARY KEY (nomination_id, item)",
    }
    indexes = ("CREATE INDEX IF NOT EXISTS com_nominations_status ON com_nominations (status, nominated_on)",)

    @handles(Commendation.Nominated)
    def _nominated(self, c: SqlCursor, e: Any) -> None:
        nid = str(e.originator_id)
        c.execute(
            "INSERT INTO com_nominations (id, nominee_id, nominee_organisation, nominated_by_id, "
            "nominated_on, citations, status) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (nid, e.nominee_id, e.nominee_organisation, e.nominated_by_id, e.occurred_on.isoformat(),
             ",".join(e.citations), PENDING),
        )
        for item in e.citations:
            c.execute(
                "INSERT INTO com_citations (nomination_id, item) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (nid, item),
            )

    @handles(Commendation.Decided)
    def _decided(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE com_nominations SET status = ?, decided_on = ? WHERE id = ?",
            (e.decision, e.occurred_on.isoformat(), str(e.originator_id)),
        )

    @handles(Commendation.Withdrawn)
    def _withdrawn(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE com_nominations SET status = ?, decided_on = ? WHERE id = ?",
            (WITHDRAWN, e.occurred_on.isoformat(), str(e.originator_id)),
        )

    # Queries
    def list_nominations(
        self, status: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of nominations, newest first, with nominee and nominator names, and the total."""
        where, params = ("WHERE n.status = ?", [status]) if status else ("", [])
        with self.view.transaction(commit=False) as c:
            total = c.execute(f"SELECT COUNT(*) AS n FROM com_nominations n {where}", params).fetchone()
            rows = c.execute(
                "SELECT n.id, n.nominee_id, COALESCE(e.name, '') AS nominee_name, "
                "n.nominee_organisation, n.nominated_by_id, COALESCE(b.name, '') AS nominated_by_name, "
                "n.nominated_on, n.citations, n.status, n.decided_on FROM com_nominations n "
                "LEFT JOIN com_people e ON e.id = n.nominee_id "
                f"LEFT JOIN com_people b ON b.id = n.nominated_by_id {where} "
                "ORDER BY n.nominated_on DESC, n.id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        for row in rows:
            row["citations"] = row["citations"].split(",")
        return rows, int(total["n"]) if total else 0

    def summary(self) -> dict[str, Any]:
        """Nominations by status, by organisation, and how often each behaviour is cited."""
        with self.view.transaction(commit=False) as c:
            by_status = c.execute(
                "SELECT status, COUNT(*) AS n FROM com_nominations GROUP BY status ORDER BY status"
            ).fetchall()
            by_org = c.execute(
                "SELECT nominee_organisation AS organisation, COUNT(*) AS n, "
                "SUM(CASE WHEN status = 'commended' THEN 1 ELSE 0 END) AS commended "
                "FROM com_nominations GROUP BY nominee_organisation ORDER BY nominee_organisation"
            ).fetchall()
            by_item = c.execute(
                "SELECT item, COUNT(*) AS n FROM com_citations GROUP BY item ORDER BY item"
            ).fetchall()
        return {
            "by_status": {r["status"]: int(r["n"]) for r in by_status},
            "by_organisation": [
                {"organisation": r["organisation"], "nominations": int(r["n"]),
                 "commended": int(r["commended"] or 0)} for r in by_org
            ],
            "by_behaviour": {r["item"]: int(r["n"]) for r in by_item},
        }

    def period_summary(self, start: date, end: date) -> dict[str, int]:
        """Nominations made between start and end, by what became of them."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT status, COUNT(*) AS n FROM com_nominations WHERE nominated_on BETWEEN ? AND ? "
                "GROUP BY status",
                (start.isoformat(), end.isoformat()),
            ).fetchall()
        counts = {s: 0 for s in (PENDING, "commended", "not_commended", WITHDRAWN)}
        for r in rows:
            counts[r["status"]] = int(r["n"])
        return {**counts, "nominations": sum(counts.values())}
