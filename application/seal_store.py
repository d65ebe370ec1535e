"""The seal's tables, in the ledger's own database, with engine-neutral SQL.

- ``pvb_seal_leaves``: one row per sealed event, in notification order (leaf index = order).
- ``pvb_seal_nodes``: complete subtrees at every fourth level (16, 256, 4096... leaves), so a
  proof reads O(log n) rows whatever the size of the log.
- ``pvb_seal_head``: one row, the newest signed tree head and the tree's right edge; sealers
  move it forward by compare-and-set on its size, in the same transaction as the new leaves.
- ``pvb_seal_checkpoints``: every signed checkpoint that left the ledger (served, exported,
  cited in a report, witnessed) and one every CHECKPOINT_EVERY leaves.
- ``pvb_seal_witnesses``: countersignatures; ``pvb_seal_keys``: the ledger's public keys.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from application.seal_registry import SealRegistry

NODE_STRIDE = 4  # store complete subtrees whose level is a multiple of this

TABLES = {
    "pvb_seal_head": "id INTEGER PRIMARY KEY, size BIGINT NOT NULL, last_position BIGINT NOT NULL, "
    "edge TEXT NOT NULL, root TEXT NOT NULL, time TEXT NOT NULL, key_id TEXT NOT NULL, "
    "signature TEXT NOT NULL",
    "pvb_seal_leaves": "leaf_index BIGINT PRIMARY KEY, position BIGINT NOT NULL UNIQUE, "
    "originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, topic TEXT NOT NULL, "
    "state_sha256 TEXT NOT NULL, leaf_hash TEXT NOT NULL",
    "pvb_seal_nodes": "level INTEGER NOT NULL, idx BIGINT NOT NULL, hash TEXT NOT NULL, "
    "PRIMARY KEY (level, idx)",
    "pvb_seal_checkpoints": "size BIGINT PRIMARY KEY, root TEXT NOT NULL, time TEXT NOT NULL, "
    "key_id TEXT NOT NULL, signature TEXT NOT NULL, reason TEXT NOT NULL, published_at TEXT NOT NULL",
    "pvb_seal_witnesses": "size BIGINT NOT NULL, witness_key_id TEXT NOT NULL, name TEXT NOT NULL, "
    "public_key TEXT NOT NULL, signature TEXT NOT NULL, recorded_at TEXT NOT NULL, "
    "recorded_by TEXT NOT NULL, PRIMARY KEY (size, witness_key_id)",
    "pvb_seal_keys": "seq INTEGER PRIMARY KEY, key_id TEXT NOT NULL UNIQUE, public_key TEXT NOT NULL, "
    "created_at TEXT NOT NULL, retired_at TEXT, endorsement TEXT",
}


class SealConflictError(Exception):
    """Another process sealed the same events first; read the head again and retry."""


class Cursor:
    """A cursor taking '?' placeholders on both engines."""

    def __init__(self, raw: Any, postgres: bool) -> None:
        self._raw = raw
        self._postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Cursor:
        """Run one statement."""
        if self._postgres:
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._raw.execute(sql, tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows."""
        if not rows:
            return
        if self._postgres:
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._raw.executemany(sql, [tuple(r) for r in rows])

    def fetchall(self) -> list[Any]:
        """All rows (mappings by column name)."""
        return list(self._raw.fetchall())

    def tuples(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run a query and return plain tuples: several times cheaper than mappings per row."""
        if self._postgres:
            from psycopg.rows import tuple_row

            cursor = self._raw
            factory, cursor.row_factory = cursor.row_factory, tuple_row
            try:
                # Binary results: bytea arrives as bytes, not as hex text to parse.
                cursor.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params), binary=True)
                return cursor.fetchall()  # type: ignore[no-any-return]
            finally:
                cursor.row_factory = factory
        cursor = getattr(self._raw, "sqlite_cursor", self._raw)
        factory, cursor.row_factory = cursor.row_factory, None
        try:
            cursor.execute(sql, tuple(params))
            return cursor.fetchall()  # type: ignore[no-any-return]
        finally:
            cursor.row_factory = factory

    def fetchone(self) -> Any:
        """One row or None."""
        return self._raw.fetchone()


@dataclass(frozen=True)
class Head:
    """The newest sealed state: size, last sealed position, right edge, signed root."""

    size: int
    last_position: int
    edge: tuple[bytes, ...]
    root: bytes
    time: str
    key_id: str
    signature: bytes


@dataclass(frozen=True)
class StoredEvent:
    """One row of the notification log, exactly as stored."""

    position: int
    originator_id: Any
    originator_version: int
    topic: str
    state: bytes


class SealStore(SealRegistry):
    """SQL for the seal tables and for reading the stored events without decoding them."""

    def __init__(self, datastore: Any, engine: str, schema: str, events_table: str) -> None:
        self.datastore = datastore
        self.postgres = engine == "postgres"
        self.schema = schema
        self.events_table = events_table.split(".")[-1]
        self.position_column = "notification_id" if self.postgres else "rowid"

    @contextmanager
    def transaction(self, *, commit: bool = True, durable: bool = True) -> Iterator[Cursor]:
        """A transaction on the ledger's database.

        ``durable=False`` is for sealing new events: everything it writes is derived from the
        log and made again, identically, from the same events, so its commit does not wait for
        the disk (SQLite: synchronous NORMAL in WAL mode; PostgreSQL: synchronous_commit off).
        A process crash cannot lose it; a power cut may lose the last such commits, never
        corrupt them, and the next seal covers those events again with the same leaves and root.
        """
        if durable or self.postgres:
            with self.datastore.transaction(commit=commit) as raw:
                if self.postgres:
                    raw.execute(f'SET LOCAL search_path TO "{self.schema}"')
                    if not durable:
                        raw.execute("SET LOCAL synchronous_commit TO OFF")
                yield Cursor(raw, self.postgres)
            return
        with self.datastore.get_connection(commit=True) as connection:
            pragma = connection.cursor()
            pragma.execute("PRAGMA synchronous")
            level = int(pragma.fetchone()[0])
            pragma.execute("PRAGMA synchronous = NORMAL")  # not allowed inside a transaction
            try:
                with connection.transaction(commit=commit) as raw:
                    yield Cursor(raw, False)
            finally:
                pragma.execute(f"PRAGMA synchronous = {level}")

    def create_tables(self) -> None:
        """Create the seal tables if missing."""
        with self.transaction() as c:
            for table, columns in TABLES.items():
                c.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")

    # The stored events, read as bytes in notification order.
    def events(self, c: Cursor, after: int, limit: int, upto: int | None = None) -> list[StoredEvent]:
        """Stored events with position > after (and <= upto), oldest first."""
        pos = self.position_column
        sql = (
            f"SELECT {pos} AS position, originator_id, originator_version, topic, state "
            f"FROM {self.events_table} WHERE {pos} > ?"
        )
        params: list[Any] = [after]
        if upto is not None:
            sql += f" AND {pos} <= ?"
            params.append(upto)
        sql += f" ORDER BY {pos} LIMIT ?"
        params.append(limit)
        rows = c.execute(sql, params).fetchall()
        return [
            StoredEvent(
                int(r["position"]), r["originator_id"], int(r["originator_version"]),
                str(r["topic"]), as_bytes(r["state"]),
            )
            for r in rows
        ]

    def event_tuples(self, c: Cursor, after: int, limit: int, upto: int) -> list[tuple[Any, ...]]:
        """(position, originator id, version, topic, state) rows in (after, upto], oldest first."""
        pos = self.position_column
        # On PostgreSQL, the UUID's 16 bytes as they are (building UUID objects costs more).
        oid = "uuid_send(originator_id)" if self.postgres else "originator_id"
        return c.tuples(
            f"SELECT {pos}, {oid}, originator_version, topic, state FROM {self.events_table} "
            f"WHERE {pos} > ? AND {pos} <= ? ORDER BY {pos} LIMIT ?",
            (after, upto, limit),
        )

    def leaf_tuples(self, c: Cursor, start: int, stop: int) -> list[tuple[int, int, str]]:
        """(leaf index, position, leaf hash hex) with start <= leaf index < stop, in order."""
        return c.tuples(
            "SELECT leaf_index, position, leaf_hash FROM pvb_seal_leaves WHERE leaf_index >= ? "
            "AND leaf_index < ? ORDER BY leaf_index",
            (start, stop),
        )

    def count_events_after(self, c: Cursor, after: int) -> int:
        """How many stored events lie beyond a position."""
        pos = self.position_column
        row = c.execute(f"SELECT COUNT(*) AS n FROM {self.events_table} WHERE {pos} > ?", (after,)).fetchone()
        return int(row["n"])

    def max_position(self, c: Cursor) -> int:
        """The newest stored event's position (0 if none)."""
        row = c.execute(f"SELECT MAX({self.position_column}) AS m FROM {self.events_table}").fetchone()
        return int(row["m"] or 0)

    # The head: read, and move forward by compare-and-set.
    def head(self, c: Cursor) -> Head | None:
        """The newest sealed state, or None before the first seal."""
        row = c.execute("SELECT * FROM pvb_seal_head WHERE id = 1").fetchone()
        if row is None:
            return None
        edge = tuple(bytes.fromhex(h) for h in row["edge"].split(",") if h)
        return Head(
            int(row["size"]), int(row["last_position"]), edge, bytes.fromhex(row["root"]),
            row["time"], row["key_id"], _b64(row["signature"]),
        )

    def advance_head(self, c: Cursor, expected: int, head: Head) -> None:
        """Replace the head if its size is still expected, or raise SealConflictError."""
        values = (
            head.size, head.last_position, ",".join(h.hex() for h in head.edge), head.root.hex(),
            head.time, head.key_id, _b64s(head.signature),
        )
        if expected == 0:
            c.execute(
                "INSERT INTO pvb_seal_head (id, size, last_position, edge, root, time, key_id, "
                "signature) VALUES (1, 0, 0, '', '', '', '', '') ON CONFLICT (id) DO NOTHING"
            )
        row = c.execute(
            "UPDATE pvb_seal_head SET size = ?, last_position = ?, edge = ?, root = ?, time = ?, "
            "key_id = ?, signature = ? WHERE id = 1 AND size = ? RETURNING size",
            (*values, expected),
        ).fetchone()
        if row is None:
            raise SealConflictError(f"the seal moved past {expected} in another process")

    def insert_leaves(self, c: Cursor, rows: Sequence[Sequence[Any]]) -> None:
        """Add sealed leaves: (index, position, originator hex, version, topic, state sha, hash)."""
        c.executemany(
            "INSERT INTO pvb_seal_leaves (leaf_index, position, originator_id, originator_version, "
            "topic, state_sha256, leaf_hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )

    def insert_nodes(self, c: Cursor, rows: Sequence[tuple[int, int, str]]) -> None:
        """Add complete subtrees: (level, index, hash hex)."""
        c.executemany("INSERT INTO pvb_seal_nodes (level, idx, hash) VALUES (?, ?, ?)", rows)

    def leaves(self, c: Cursor, start: int, stop: int) -> list[Any]:
        """Sealed leaf rows with start <= leaf_index < stop, in order."""
        return c.execute(
            "SELECT * FROM pvb_seal_leaves WHERE leaf_index >= ? AND leaf_index < ? "
            "ORDER BY leaf_index",
            (start, stop),
        ).fetchall()

    def leaf_by_position(self, c: Cursor, position: int) -> Any:
        """The sealed leaf row of an event position, or None."""
        return c.execute("SELECT * FROM pvb_seal_leaves WHERE position = ?", (position,)).fetchone()

    def leaf_by_originator(self, c: Cursor, originator_hex: str, version: int) -> Any:
        """The sealed leaf row of an originator's version, or None."""
        return c.execute(
            "SELECT * FROM pvb_seal_leaves WHERE originator_id = ? AND originator_version = ?",
            (originator_hex, version),
        ).fetchone()

    def count_leaves(self, c: Cursor) -> int:
        """How many leaves are stored."""
        return int(c.execute("SELECT COUNT(*) AS n FROM pvb_seal_leaves").fetchone()["n"])

    def subtree_rows(self, c: Cursor, level: int, start: int, stop: int) -> list[bytes]:
        """Stored hashes at a level (0: leaves; else a multiple of NODE_STRIDE), [start, stop)."""
        if level == 0:
            rows = c.execute(
                "SELECT leaf_hash AS hash FROM pvb_seal_leaves WHERE leaf_index >= ? AND "
                "leaf_index < ? ORDER BY leaf_index",
                (start, stop),
            ).fetchall()
        else:
            rows = c.execute(
                "SELECT hash FROM pvb_seal_nodes WHERE level = ? AND idx >= ? AND idx < ? ORDER BY idx",
                (level, start, stop),
            ).fetchall()
        return [bytes.fromhex(r["hash"]) for r in rows]


def _b64(text: str) -> bytes:
    return base64.b64decode(text) if text else b""


def _b64s(data: bytes) -> str:
    return base64.b64encode(data).decode()


def as_bytes(value: Any) -> bytes:
    """Stored state as bytes (SQL edits made behind the ledger's back can leave text or NULL)."""
    if isinstance(value, str):
        return value.encode()
    return b"" if value is None else bytes(value)
