"""The reports view: each edition of the six-monthly reports as drafted, and once published, exactly as published.

The published content is copied here from the Published event, where it was frozen; nothing
later in the ledger touches it, so the page of a published edition shows exactly what the
Programme Board received, and its hash can be checked against the content. A corrected edition
names the edition it supersedes; that edition is marked superseded when the correction is published.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from domain.report import Report
from projections.base import View, handles
from projections.store import SqlCursor

DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
COLUMNS = ("kind, period, edition, period_start, period_end, status, drafted_on, drawn_at, redrafts, "
           "narrative_edits, published_on, published_by, content_hash, supersedes, reason, superseded_by, "
           "superseded_on")


class ReportsView(View):
    """Every edition of every report with its status; the frozen content of the published ones."""

    name = "reports"
    tables: ClassVar[dict[str, str]] = {
        "rep_reports": "id TEXT PRIMARY KEY, kind TEXT NOT NULL, period TEXT NOT NULL, edition INTEGER NOT NULL, "
        "period_start TEXT NOT NULL, period_end TEXT NOT NULL, status TEXT NOT NULL, "
        "drafted_on TEXT NOT NULL, drawn_at INTEGER NOT NULL, redrafts INTEGER NOT NULL, "
        "narrative_edits INTEGER NOT NULL, published_on TEXT, published_by TEXT, content_hash TEXT, content TEXT, "
        "supersedes INTEGER, reason TEXT NOT NULL, superseded_by INTEGER, superseded_on TEXT, "
        "UNIQUE (kind, period, edition)",
    }

    @handles(Report.Drafted, Report.EditionDrafted)
    def _drafted(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO rep_reports (id, kind, period, edition, period_start, period_end, status, drafted_on, "
            "drawn_at, redrafts, narrative_edits, supersedes, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?) "
            "ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.kind, e.period, getattr(e, "edition", 1), e.period_start.isoformat(),
             e.period_end.isoformat(), DRAFT, e.occurred_on.isoformat(), e.position,
             getattr(e, "supersedes", None), getattr(e, "reason", "")),
        )

    @handles(Report.Redrafted)
    def _redrafted(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE rep_reports SET redrafts = redrafts + 1, drawn_at = ? WHERE id = ?",
                  (e.position, str(e.originator_id)))

    @handles(Report.NarrativeEdited)
    def _edited(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE rep_reports SET narrative_edits = narrative_edits + 1 WHERE id = ?", (str(e.originator_id),))

    @handles(Report.Published)
    def _published(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE rep_reports SET status = ?, published_on = ?, published_by = ?, content_hash = ?, "
            "content = ? WHERE id = ?",
            (PUBLISHED, e.occurred_on.isoformat(), e.actor_id, e.content_hash,
             json.dumps(e.content), str(e.originator_id)),  # in the order it was written: sections read in order
        )

    @handles(Report.Superseded)
    def _superseded(self, c: SqlCursor, e: Any) -> None:
        c.execute("UPDATE rep_reports SET status = ?, superseded_by = ?, superseded_on = ? WHERE id = ?",
                  (SUPERSEDED, e.by_edition, e.occurred_on.isoformat(), str(e.originator_id)))

    # Queries
    def list_reports(self, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Every edition, newest period first, then newest edition first, without their content."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                f"SELECT {COLUMNS} FROM rep_reports ORDER BY period DESC, edition DESC LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()

    def get_report(self, period: str, kind: str = "six_monthly", edition: int | None = None) -> dict[str, Any] | None:
        """An edition's row (the current one if none is named: the latest published, else the latest);
        a published one carries its frozen content."""
        with self.view.transaction(commit=False) as c:
            if edition is None:
                row = c.execute(
                    f"SELECT {COLUMNS}, content FROM rep_reports WHERE kind = ? AND period = ? "
                    "ORDER BY CASE WHEN status = 'published' THEN 0 ELSE 1 END, edition DESC LIMIT 1",
                    (kind, period),
                ).fetchone()
            else:
                row = c.execute(
                    f"SELECT {COLUMNS}, content FROM rep_reports WHERE kind = ? AND period = ? AND edition = ?",
                    (kind, period, edition),
                ).fetchone()
        if row is not None:
            row["content"] = json.loads(row["content"]) if row["content"] else None
        return row

    def editions(self, period: str, kind: str = "six_monthly") -> list[dict[str, Any]]:
        """Every edition of a period's report, oldest first, without content."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                f"SELECT {COLUMNS} FROM rep_reports WHERE kind = ? AND period = ? ORDER BY edition",
                (kind, period),
            ).fetchall()

    def published(self, kind: str = "six_monthly") -> list[dict[str, Any]]:
        """Every published or superseded edition, with content, newest period first (the public site's list)."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                f"SELECT {COLUMNS}, content FROM rep_reports WHERE kind = ? AND status IN ('published', 'superseded') "
                "ORDER BY period DESC, edition DESC",
                (kind,),
            ).fetchall()
        for row in rows:
            row["content"] = json.loads(row["content"]) if row["content"] else None
        return rows
