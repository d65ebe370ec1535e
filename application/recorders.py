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
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

_claims = threading.local()
_keys = threading.local()  # per-person keys made by this thread, stored with its next events


def hold_new_key(subject_id: str, key_b64: str, entry: Any) -> None:
    """Store a new person's key in the same transaction as this thread's next events.

    A key stored on its own, in a transaction before the events it encrypts, cost a commit
    (an fsync on SQLite) for every person who joined; stored with them, the events and the
    key they need commit together or not at all.
    """
    new_keys()[subject_id] = (key_b64, entry)


def new_keys() -> dict[str, tuple[str, Any]]:
    """This thread's keys not yet stored: subject id -> (the key in base64, the key store's entry)."""
    keys = getattr(_keys, "pending", None)
    if keys is None:
        keys = _keys.pending = {}
    return keys


def take_new_keys() -> dict[str, tuple[str, Any]]:
    """This thread's keys not yet stored, forgotten here."""
    keys = new_keys()
    _keys.pending = {}
    return keys


def _store_keys(cursor: Any, table: str, p: str) -> None:
    """Insert this thread's new keys; fail (rolling back the events) if a subject already had one."""
    keys = new_keys()
    if not keys:
        return
    rows = [(subject_id, key) for subject_id, (key, _) in keys.items()]
    cursor.execute(
        f"INSERT INTO {table} (subject_id, key_b64) VALUES {', '.join(f'({p}, {p})' for _ in rows)} "
        "ON CONFLICT (subject_id) DO NOTHING RETURNING subject_id",
        [value for row in rows for value in row],
    )
    stored = {row["subject_id"] for row in cursor.fetchall()}
    if len(stored) != len(rows):  # another process made a key for the same subject at the same moment
        take_new_keys()
        missing = sorted(subject_id for subject_id, _ in rows if subject_id not in stored)
        raise IntegrityError(f"a key for {', '.join(missing)} was made elsewhere at the same moment; "
                             "nothing was recorded, try again")


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

    def tail(self, after: int, limit: int) -> list[tuple[int, UUID, int]]:
        """(position, originator id, version) of the events after a position, oldest first.

        What the kept aggregates are checked against before each command: a bare read, without
        the transaction, payloads and objects of select_notifications.
        """
        with self.datastore.get_connection(commit=False) as connection:
            cursor = connection.cursor()
            cursor.execute(
                f"SELECT rowid, originator_id, originator_version FROM {self.events_table_name} "
                "WHERE rowid > ? ORDER BY rowid LIMIT ?", (after, limit),
            )
            rows = cursor.fetchall()
        return [(int(r[0]), UUID(r[1]), int(r[2])) for r in rows]

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        positions = super()._insert_events(c, stored_events, **kwargs)
        if stored_events:
            _store_keys(c, "pvb_person_keys", "?")
            _mark(c, "pvb_idempotency", "?", positions)
        return positions


class PostgresLedgerRecorder(PostgresApplicationRecorder):
    """PostgreSQL's application recorder, marking the thread's Idempotency-Key claim as it inserts."""

    def tail(self, after: int, limit: int) -> list[tuple[int, UUID, int]]:
        """(position, originator id, version) of the events after a position, oldest first."""
        with self.datastore.get_connection() as connection, connection.cursor() as cursor:
            cursor.execute(
                f'SELECT notification_id, originator_id, originator_version FROM "{self.datastore.schema}".'
                f'"{self.events_table_name}" WHERE notification_id > %s ORDER BY notification_id LIMIT %s',
                (after, limit),
            )
            rows = cursor.fetchall()
        return [(int(r["notification_id"]), r["originator_id"], int(r["originator_version"])) for r in rows]

    def _fetch_ids_after_insert_events(
        self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        positions = super()._fetch_ids_after_insert_events(curs, stored_events, **kwargs)
        if stored_events:
            _mark(curs, f'"{self.datastore.schema}".pvb_idempotency', "%s", positions)
        return positions

    def _insert_events(self, curs: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        # Before the events, in their transaction: an error raised here rolls it back, where one
        # raised after the insert (in _fetch_ids_after_insert_events) is re-raised only once the
        # library's transaction has committed.
        super()._insert_events(curs, stored_events, **kwargs)
        if stored_events:
            _store_keys(curs, f'"{self.datastore.schema}".pvb_person_keys', "%s")
