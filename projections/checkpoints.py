"""Checkpoints for replays: a view's tables as they stood at a log position, kept in the ledger.

A replay to position P starts from the nearest checkpoint at or before P and applies only the
events after it. Checkpoints are a cache: deleting them loses nothing but speed. Each one is
stamped with a fingerprint of its view's code, so a changed view never starts from an old one.

Checkpoints hold view rows, which may include personal data decrypted when they were made.
When a person is erased, every checkpoint made before the erasure (plus a margin for key
caches in other processes) is deleted: by CheckpointGuardView as the erasure is projected, and
again by the replayer before it uses any checkpoint.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from eventsourcing.persistence import IntegrityError

from domain.person import Person
from projections.base import View, handles
from projections.store import SqlCursor, ViewStore
from projections.timekeeping import recorded_at

CHUNK = 500
ERASURE_MARGIN = timedelta(minutes=5)  # longer than any process caches a person's key
TABLES = {
    "pvb_replay_checkpoints": "view TEXT NOT NULL, position BIGINT NOT NULL, fingerprint TEXT NOT NULL, "
    "max_world_on TEXT, columns TEXT NOT NULL, rows_total BIGINT NOT NULL, created_at TEXT NOT NULL, "
    "PRIMARY KEY (view, position)",
    "pvb_replay_checkpoint_rows": "view TEXT NOT NULL, position BIGINT NOT NULL, tbl TEXT NOT NULL, "
    "chunk INTEGER NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (view, position, tbl, chunk)",
}


def stale_before(erased_recorded_at: str) -> str:
    """Checkpoints created before this moment may hold an erased person's data."""
    when = datetime.strptime(erased_recorded_at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    return recorded_at(when + ERASURE_MARGIN)


def create_tables(cursor: SqlCursor) -> None:
    """Create the checkpoint tables if missing."""
    for table, columns in TABLES.items():
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")


def delete_created_before(cursor: SqlCursor, moment: str) -> None:
    """Delete every checkpoint created before a moment."""
    cursor.execute(
        "DELETE FROM pvb_replay_checkpoint_rows WHERE EXISTS (SELECT 1 FROM pvb_replay_checkpoints k "
        "WHERE k.view = pvb_replay_checkpoint_rows.view AND k.position = "
        "pvb_replay_checkpoint_rows.position AND k.created_at < ?)",
        (moment,),
    )
    cursor.execute("DELETE FROM pvb_replay_checkpoints WHERE created_at < ?", (moment,))


@dataclass(frozen=True)
class Checkpoint:
    """Where a checkpoint stands."""

    view: str
    position: int
    max_world_on: str | None
    rows_total: int
    created_at: str


class Checkpoints:
    """The checkpoint store in the ledger's own database."""

    def __init__(self, datastore: Any, schema: str = "public") -> None:
        self.store = ViewStore(datastore, "replay_checkpoints", schema)
        with self.store.transaction() as c:
            create_tables(c)

    def best(
        self, view: str, fingerprint: str, position: int, as_of: str | None
    ) -> Checkpoint | None:
        """The latest usable checkpoint at or before position.

        With an "as of" date it must hold no event dated after that date in the world.
        """
        sql = (
            "SELECT view, position, max_world_on, rows_total, created_at FROM pvb_replay_checkpoints "
            "WHERE view = ? AND fingerprint = ? AND position <= ?"
        )
        params: list[Any] = [view, fingerprint, position]
        if as_of is not None:
            sql += " AND (max_world_on IS NULL OR max_world_on <= ?)"
            params.append(as_of)
        with self.store.transaction(commit=False) as c:
            row = c.execute(sql + " ORDER BY position DESC LIMIT 1", params).fetchone()
        return None if row is None else Checkpoint(**row)

    def rows(self, view: str, position: int) -> Iterable[tuple[str, list[str], list[list[Any]]]]:
        """Each stored chunk of a checkpoint: (table, columns, rows)."""
        with self.store.transaction(commit=False) as c:
            meta = c.execute(
                "SELECT columns FROM pvb_replay_checkpoints WHERE view = ? AND position = ?",
                (view, position),
            ).fetchone()
        columns = json.loads(meta["columns"]) if meta else {}
        chunk = -1
        while True:
            with self.store.transaction(commit=False) as c:
                found = c.execute(
                    "SELECT tbl, chunk, rows FROM pvb_replay_checkpoint_rows WHERE view = ? AND "
                    "position = ? AND chunk > ? ORDER BY chunk LIMIT 20",
                    (view, position, chunk),
                ).fetchall()
            if not found:
                return
            for item in found:
                chunk = int(item["chunk"])
                yield item["tbl"], columns[item["tbl"]], json.loads(item["rows"])

    def save(
        self,
        view: str,
        position: int,
        fingerprint: str,
        max_world_on: str | None,
        tables: Mapping[str, tuple[list[str], Iterable[list[Any]]]],
        created_at: str,
    ) -> None:
        """Store a view's tables at position, all in one transaction."""
        try:
            self._save(view, position, fingerprint, max_world_on, tables, created_at)
        except IntegrityError:
            pass  # another process saved the same checkpoint at the same moment: keep theirs

    def _save(
        self,
        view: str,
        position: int,
        fingerprint: str,
        max_world_on: str | None,
        tables: Mapping[str, tuple[list[str], Iterable[list[Any]]]],
        created_at: str,
    ) -> None:
        columns = {table: cols for table, (cols, _) in tables.items()}
        total, chunk = 0, 0
        with self.store.transaction() as c:
            c.execute(
                "DELETE FROM pvb_replay_checkpoint_rows WHERE view = ? AND position = ?",
                (view, position),
            )
            c.execute(
                "DELETE FROM pvb_replay_checkpoints WHERE view = ? AND position = ?", (view, position)
            )
            for table, (_, rows) in tables.items():
                batch: list[list[Any]] = []
                for row in rows:
                    batch.append(row)
                    if len(batch) == CHUNK:
                        self._chunk(c, view, position, table, chunk, batch)
                        total, chunk, batch = total + len(batch), chunk + 1, []
                if batch:
                    self._chunk(c, view, position, table, chunk, batch)
                    total, chunk = total + len(batch), chunk + 1
            c.execute(
                "INSERT INTO pvb_replay_checkpoints (view, position, fingerprint, max_world_on, "
                "columns, rows_total, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (view, position, fingerprint, max_world_on, json.dumps(columns), total, created_at),
            )

    @staticmethod
    def _chunk(c: SqlCursor, view: str, position: int, table: str, chunk: int, rows: list) -> None:
        c.execute(
            "INSERT INTO pvb_replay_checkpoint_rows (view, position, tbl, chunk, rows) "
            "VALUES (?, ?, ?, ?, ?)",
            (view, position, table, chunk, json.dumps(rows, separators=(",", ":"))),
        )

    def purge_created_before(self, moment: str) -> None:
        """Delete checkpoints created before a moment (after an erasure)."""
        with self.store.transaction() as c:
            delete_created_before(c, moment)

    def clear(self, view: str | None = None) -> None:
        """Delete the checkpoints of one view, or all."""
        with self.store.transaction() as c:
            for table in TABLES:
                if view is None:
                    c.execute(f"DELETE FROM {table}")
                else:
                    c.execute(f"DELETE FROM {table} WHERE view = ?", (view,))

    def list(self, view: str | None = None) -> list[Checkpoint]:
        """The checkpoints kept, by view and position."""
        sql = "SELECT view, position, max_world_on, rows_total, created_at FROM pvb_replay_checkpoints"
        params: tuple[Any, ...] = ()
        if view is not None:
            sql, params = sql + " WHERE view = ?", (view,)
        with self.store.transaction(commit=False) as c:
            rows = c.execute(sql + " ORDER BY view, position", params).fetchall()
        return [Checkpoint(**r) for r in rows]


class CheckpointGuardView(View):
    """Deletes replay checkpoints that may hold a person's data once that person is erased.

    It keeps no tables of its own (so a replay of it is trivially the live view).
    """

    name = "replay_checkpoints"
    tables: ClassVar[dict[str, str]] = {}

    def create_tables(self, cursor: SqlCursor) -> None:
        """Make sure the checkpoint tables exist, so erasures can always be applied."""
        create_tables(cursor)

    @handles(Person.Erased)
    def _erased(self, c: SqlCursor, e: Any) -> None:
        delete_created_before(c, stale_before(recorded_at(e.timestamp)))
