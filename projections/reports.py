"""The reports view: six-monthly reports as drafted, and once published, exactly as published.

The published content is copied here from the Published event, where it was frozen; nothing
later in the ledger touches it, so the page of a published report shows exactly what the
Programme Board received, and its hash can be checked against the content.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from domain.report import Report
from projections.base import View, handles
from projections.store import SqlCursor

DRAFT, PUBLISHED = "draft", "published"


class ReportsView(View):
    """Every report with its status; the frozen content of the published ones."""

    name = "reports"
    tables: ClassVar[dict[str, str]] = {
        "rep_reports": "id TEXT PRIMARY KEY, kind TEXT NOT NULL, period TEXT NOT NULL, "
        "period_start TEXT NOT NULL, period_end TEXT NOT NULL, status TEXT NOT NULL, "
        "drafted_on TEXT NOT NULL, redrafts INTEGER NOT NULL, narrative_edits INTEGER NOT NULL, "
        "published_on TEXT, published_by TEXT, content_hash TEXT, content TEXT, "
        "UNIQUE (kind, period)",
    }

    @handles(Report.Drafted)
    def _drafted(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO rep_reports (id, kind, period, period_start, period_end, status, drafted_on, "
            "redrafts, narrative_edits) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.kind, e.period, e.period_start.isoformat(),
             e.period_end.isoformat(), DRAFT, e.occurred_on.isoformat()),
        )

    @handles(Report.Redrafted)
    def _redrafted(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE rep_reports SET redrafts = redrafts + 1 WHERE id = ?", (str(e.originator_id),))

    @handles(Report.NarrativeEdited)
    def _edited(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE rep_reports SET narrative_edits = narrative_edits + 1 WHERE id = ?",
            (str(e.originator_id),),
        )

    @handles(Report.Published)
    def _published(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE rep_reports SET status = ?, published_on = ?, published_by = ?, content_hash = ?, "
            "content = ? WHERE id = ?",
            (PUBLISHED, e.occurred_on.isoformat(), e.actor_id, e.content_hash,
             json.dumps(e.content, sort_keys=True), str(e.originator_id)),
        )

    # Queries
    def list_reports(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Reports, newest period first, without their content."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT kind, period, period_start, period_end, status, drafted_on, redrafts, "
                "narrative_edits, published_on, published_by, content_hash FROM rep_reports "
                "ORDER BY period DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()

    def get_report(self, period: str, kind: str = "six_monthly") -> dict[str, Any] | None:
        """One report's row; a published one carries its frozen content."""
        with self.view.transaction(commit=False) as c:
            row = c.execute(
                "SELECT kind, period, period_start, period_end, status, drafted_on, redrafts, "
                "narrative_edits, published_on, published_by, content_hash, content FROM rep_reports "
                "WHERE kind = ? AND period = ?",
                (kind, period),
            ).fetchone()
        if row is not None:
            row["content"] = json.loads(row["content"]) if row["content"] else None
        return row
