"""The access view: cases granted to regulators and the HWB, and who read which confidential record.

Holds user ids, roles, dates and record keys (``concern:C-3``, ``investigation:person:<id>``),
never what was read.
"""

from __future__ import annotations

from typing import Any, ClassVar

from domain.access import CaseAccess, RecordReads
from projections.base import View, handles
from projections.store import SqlCursor
from projections.timekeeping import recorded_at

READS_SHOWN = 100


class AccessView(View):
    """Grants by concern and user, and reads by record, reader and day."""

    name = "access"
    tables: ClassVar[dict[str, str]] = {
        "acc_grants": "concern_id TEXT NOT NULL, reference TEXT NOT NULL, user_id TEXT NOT NULL, "
        "user_role TEXT NOT NULL, granted_on TEXT NOT NULL, granted_by TEXT NOT NULL, reason TEXT NOT NULL, "
        "PRIMARY KEY (concern_id, user_id)",
        "acc_reads": "record TEXT NOT NULL, reader TEXT NOT NULL, role TEXT NOT NULL, day TEXT NOT NULL, "
        "what TEXT NOT NULL, first_at TEXT NOT NULL, PRIMARY KEY (record, reader, day)",
        "acc_cases": "id TEXT PRIMARY KEY, concern_id TEXT NOT NULL, reference TEXT NOT NULL",
        "acc_records": "id TEXT PRIMARY KEY, record TEXT NOT NULL",
    }
    indexes = ("CREATE INDEX IF NOT EXISTS acc_grants_user ON acc_grants (user_id)",)

    @handles(CaseAccess.Opened)
    def _opened(self, c: SqlCursor, e: Any) -> None:
        c.execute("INSERT INTO acc_cases (id, concern_id, reference) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                  (str(e.originator_id), e.concern_id, e.reference))

    @handles(CaseAccess.Granted)
    def _granted(self, c: SqlCursor, e: Any) -> None:
        case = c.execute("SELECT concern_id, reference FROM acc_cases WHERE id = ?", (str(e.originator_id),)).fetchone()
        if case is None:
            return
        c.execute(
            "INSERT INTO acc_grants (concern_id, reference, user_id, user_role, granted_on, granted_by, reason) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (concern_id, user_id) DO NOTHING",
            (case["concern_id"], case["reference"], e.user_id, e.user_role, e.occurred_on.isoformat(),
             e.actor_id, e.reason),
        )

    @handles(CaseAccess.Revoked)
    def _revoked(self, c: SqlCursor, e: Any) -> None:
        case = c.execute("SELECT concern_id FROM acc_cases WHERE id = ?", (str(e.originator_id),)).fetchone()
        if case is not None:
            c.execute("DELETE FROM acc_grants WHERE concern_id = ? AND user_id = ?", (case["concern_id"], e.user_id))

    @handles(RecordReads.FirstRead)
    def _first_read(self, c: SqlCursor, e: Any) -> None:
        c.execute("INSERT INTO acc_records (id, record) VALUES (?, ?) ON CONFLICT (id) DO NOTHING",
                  (str(e.originator_id), e.record))
        self._read(c, e, e.record)

    @handles(RecordReads.Read)
    def _next_read(self, c: SqlCursor, e: Any) -> None:
        row = c.execute("SELECT record FROM acc_records WHERE id = ?", (str(e.originator_id),)).fetchone()
        if row is not None:
            self._read(c, e, row["record"])

    def _read(self, c: SqlCursor, e: Any, record: str) -> None:
        key = (record, e.actor_id, e.occurred_on.isoformat())
        row = c.execute("SELECT what FROM acc_reads WHERE record = ? AND reader = ? AND day = ?", key).fetchone()
        if row is None:
            c.execute(
                "INSERT INTO acc_reads (record, reader, role, day, what, first_at) VALUES (?, ?, ?, ?, ?, ?)",
                (*key[:2], e.actor_role, key[2], ",".join(sorted(e.what)), recorded_at(e.timestamp)),
            )
        else:
            what = sorted(set(row["what"].split(",")) | set(e.what))
            c.execute("UPDATE acc_reads SET what = ? WHERE record = ? AND reader = ? AND day = ?",
                      (",".join(what), *key))

    # Queries
    def reads(self, record: str, limit: int = READS_SHOWN) -> tuple[list[dict[str, Any]], int]:
        """Who read a record, by day (newest first), and how many reader-days in all."""
        with self.view.transaction(commit=False) as c:
            counted = c.execute("SELECT COUNT(*) AS n FROM acc_reads WHERE record = ?", (record,)).fetchone()
            total = int(counted["n"]) if counted else 0
            rows = c.execute(
                "SELECT reader, role, day, what, first_at FROM acc_reads WHERE record = ? "
                "ORDER BY day DESC, first_at DESC LIMIT ?", (record, limit),
            ).fetchall()
        return [{**dict(r), "what": r["what"].split(",")} for r in rows], total

    def grants(self, concern_id: str) -> list[dict[str, Any]]:
        """The users a concern is granted to now."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT user_id, user_role, granted_on, granted_by, reason FROM acc_grants WHERE concern_id = ? "
                "ORDER BY granted_on, user_id", (concern_id,),
            ).fetchall()
        return [dict(r) for r in rows]

    def granted_to(self, user_id: str) -> list[dict[str, Any]]:
        """The concerns granted to a user now."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT concern_id, reference, granted_on FROM acc_grants WHERE user_id = ? ORDER BY granted_on DESC",
                (user_id,),
            ).fetchall()
        return [dict(r) for r in rows]
