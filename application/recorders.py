"""The library's event recorders, taught to mark an API write's Idempotency-Key in the same transaction.

A web request that carries an Idempotency-Key claims it before running (application/idempotency.py)
and stores its answer after. A process killed between the two would leave the claim pending for
ever, and a retry could not tell whether the write had been recorded. So the transaction that
inserts the request's events also notes, on its claim, the log position they reached: the events
and the note commit together or not at all.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

_claims = threading.local()


def hold_claim(user_id: str, key: str) -> None:
    """Writes made by this thread from now on belong to this Idempotency-Key claim."""
    _claims.current = (user_id, key)


def drop_claim() -> None:
    """This thread's writes no longer belong to a claim."""
    _claims.current = None


def recorded_note(positions: Sequence[int] | None) -> str:
    """What a claim's body holds once its request's events are in the log."""
    return json.dumps({"recorded_position": max(positions or [0])})


def _mark(cursor: Any, table: str, placeholder: str, positions: Sequence[int] | None) -> None:
    claim = getattr(_claims, "current", None)
    if claim is None:
        return
    p = placeholder
    cursor.execute(
        f"UPDATE {table} SET body = {p} WHERE user_id = {p} AND idem_key = {p} AND status = 0",
        (recorded_note(positions), *claim),
    )


class SQLiteLedgerRecorder(SQLiteApplicationRecorder):
    """SQLite's application recorder, marking the thread's Idempotency-Key claim as it inserts."""

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if stored_events:
            _mark(c, "pvb_idempotency", "?", positions)
        return positions


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    """PostgreSQL's application recorder, marking the thread's Idempotency-Key claim as it inserts."""

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if stored_events:
            _mark(curs, f'"{self.datastore.schema}".pvb_idempotency', "%s", positions)
        return positions
