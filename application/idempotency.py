"""Remember the answers to API writes by Idempotency-Key, so a retry records nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PENDING = 0


@dataclass(frozen=True)
class Remembered:
    """What is known of an earlier request with the same key."""

    fingerprint: str
    status: int  # 0 while the first request is still running
    body: str


class IdempotencyStore:
    """Keys by user in table pvb_idempotency, in the ledger's own database."""

    def __init__(self, datastore: Any, engine: str, schema: str = "public") -> None:
        self._datastore = datastore
        self._postgres = engine == "postgres"
        self._table = f'"{schema}".pvb_idempotency' if self._postgres else "pvb_idempotency"

    def _sql(self, sql: str) -> str:
        sql = sql.replace("pvb_idempotency", self._table)
        return sql.replace("?", "%s") if self._postgres else sql

    def create_table(self) -> None:
        """Create the table if it is missing."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "CREATE TABLE IF NOT EXISTS pvb_idempotency (user_id TEXT NOT NULL, "
                    "idem_key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL, "
                    "body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user_id, idem_key))"
                )
            )

    def begin(self, user_id: str, key: str, fingerprint: str, now: str) -> Remembered | None:
        """Claim the key for a new request (None), or return what an earlier one left."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "INSERT INTO pvb_idempotency (user_id, idem_key, fingerprint, status, body, "
                    "created_at) VALUES (?, ?, ?, ?, '', ?) ON CONFLICT (user_id, idem_key) DO NOTHING "
                    "RETURNING user_id"
                ),
                (user_id, key, fingerprint, PENDING, now),
            )
            claimed = c.fetchone() is not None
        if claimed:
            return None
        with self._datastore.transaction(commit=False) as c:
            c.execute(
                self._sql(
                    "SELECT fingerprint, status, body FROM pvb_idempotency "
                    "WHERE user_id = ? AND idem_key = ?"
                ),
                (user_id, key),
            )
            row = c.fetchone()
        if row is None:  # released between the two statements: let the caller try again
            return Remembered(fingerprint, PENDING, "")
        return Remembered(row["fingerprint"], int(row["status"]), row["body"])

    def complete(self, user_id: str, key: str, status: int, body: str) -> None:
        """Store the answer given to the first request."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "UPDATE pvb_idempotency SET status = ?, body = ? WHERE user_id = ? AND idem_key = ?"
                ),
                (status, body, user_id, key),
            )

    def release(self, user_id: str, key: str) -> None:
        """Forget a claim whose request failed before recording anything, so it can be retried."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql("DELETE FROM pvb_idempotency WHERE user_id = ? AND idem_key = ? AND status = ?"),
                (user_id, key, PENDING),
            )
