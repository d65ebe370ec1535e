"""Remember the answers to API writes by Idempotency-Key, so a retry records nothing twice."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

PENDING = 0


@dataclass(frozen=True)
class Remembered:
    """What is known of an earlier request with the same key."""

    fingerprint: str
    status: int  # 0 while the first request is still running
    body: str  # the first answer; while pending, a note of the position its events reached, if any
    created_at: str = ""

    @property
    def recorded_position(self) -> int | None:
        """While pending: the log position the first request's events reached (None: none recorded)."""
        if self.status != PENDING or not self.body:
            return None
        return int(json.loads(self.body)["recorded_position"])


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
        seen = self.peek(user_id, key)
        if seen is None:  # released between the two statements: let the caller try again
            return Remembered(fingerprint, PENDING, "")
        return seen

    def take_over(self, user_id: str, key: str, seen: Remembered, now: str) -> bool:
        """Claim anew a key whose first request died before recording anything (False: someone else did)."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "UPDATE pvb_idempotency SET created_at = ? WHERE user_id = ? AND idem_key = ? "
                    "AND status = ? AND body = '' AND created_at = ? RETURNING user_id"
                ),
                (now, user_id, key, PENDING, seen.created_at),
            )
            return c.fetchone() is not None

    def peek(self, user_id: str, key: str) -> Remembered | None:
        """What is kept of a key now (None if nothing)."""
        with self._datastore.transaction(commit=False) as c:
            c.execute(
                self._sql(
                    "SELECT fingerprint, status, body, created_at FROM pvb_idempotency "
                    "WHERE user_id = ? AND idem_key = ?"
                ),
                (user_id, key),
            )
            row = c.fetchone()
        return None if row is None else Remembered(row["fingerprint"], int(row["status"]), row["body"], row["created_at"])

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
        """Forget a claim whose request failed before recording anything, so it can be retried.

        A claim whose events were recorded (its body notes their position) is kept: a retry must not
        record them again.
        """
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "DELETE FROM pvb_idempotency WHERE user_id = ? AND idem_key = ? AND status = ? AND body = ''"
                ),
                (user_id, key, PENDING),
            )
