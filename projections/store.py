"""Engine-neutral SQL over the library's datastore, and the views' tracking records."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import IntegrityError, Tracking, TrackingRecorder


class SqlCursor:
    """A cursor that takes '?' placeholders on SQLite and PostgreSQL alike."""

    def __init__(self, cursor: Any, postgres: bool) -> None:
        self._cursor = cursor
        self._postgres = postgres

    def execute(self, sql: str, params: Sequence[Any] = ()) -> SqlCursor:
        """Run one statement."""
        if self._postgres:
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._cursor.execute(sql, tuple(params))
        return self

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """Run one statement for many rows."""
        if self._postgres:
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._cursor.executemany(sql, [tuple(r) for r in rows])

    def fetchall(self) -> list[dict[str, Any]]:
        """All rows as dicts."""
        return [dict(row) for row in self._cursor.fetchall()]

    def fetchone(self) -> dict[str, Any] | None:
        """One row as a dict, or None."""
        row = self._cursor.fetchone()
        return None if row is None else dict(row)


RELAXED_CHECKPOINT_PAGES = 16000  # pages of 4 KB: 64 MB


class ViewStore(TrackingRecorder):
    """Where one view keeps its tables and its position in the ledger's log.

    Tracking lives in ``pvb_tracking``, one row per view, moved forward only by a
    compare-and-set in the same transaction as the view's changes: two processes
    applying the same events cannot both succeed, so each event is applied once.
    """

    def __init__(self, datastore: Any, view_name: str, schema: str = "public") -> None:
        self.datastore = datastore
        self.view_name = view_name
        self.schema = schema
        self.postgres = type(datastore).__name__.startswith("Postgres")

    @contextmanager
    def transaction(self, *, commit: bool = True, durable: bool = True) -> Iterator[SqlCursor]:
        """A transaction on the ledger's database.

        ``durable=False`` is for work derived from the log (a view's rows with its tracking):
        its commit does not wait for the disk (SQLite: synchronous NORMAL in WAL mode;
        PostgreSQL: synchronous_commit off). A crash of the process cannot lose it; a power
        cut may lose the last such commits, never corrupt them, and the view then applies those
        events again from its tracking. The next durable commit (the next event) flushes it.
        """
        if durable or self.postgres:
            with self.datastore.transaction(commit=commit) as raw:
                cursor = SqlCursor(raw, self.postgres)
                if self.postgres:
                    raw.execute(f'SET LOCAL search_path TO "{self.schema}"')
                    if not durable:
                        raw.execute("SET LOCAL synchronous_commit TO OFF")
                yield cursor
            return
        with self.datastore.get_connection(commit=True) as connection:
            pragma = connection.cursor()
            pragma.execute("PRAGMA synchronous")
            level = int(pragma.fetchone()[0])
            pragma.execute("PRAGMA wal_autocheckpoint")
            pages = int(pragma.fetchone()[0])
            pragma.execute("PRAGMA synchronous = NORMAL")  # not allowed inside a transaction
            # Copy the write-ahead log into the database file every 64 MB of it, not every 4 MB:
            # a catch-up's commits each write megabytes, and each copy ends with two fsyncs.
            pragma.execute(f"PRAGMA wal_autocheckpoint = {RELAXED_CHECKPOINT_PAGES}")
            try:
                with connection.transaction(commit=commit) as raw:
                    yield SqlCursor(raw, False)
            finally:
                pragma.execute(f"PRAGMA synchronous = {level}")
                pragma.execute(f"PRAGMA wal_autocheckpoint = {pages}")

    def relations(self, cursor: SqlCursor) -> set[str]:
        """The names of the tables and indexes the ledger's database (its schema) holds now."""
        if self.postgres:
            rows = cursor.execute(
                "SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'p', 'I')"
            ).fetchall()
        else:
            rows = cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").fetchall()
        return {str(row["name"]) for row in rows}

    def create_tracking_table(self, cursor: SqlCursor, existing: set[str] | None = None) -> None:
        """Create the tracking tables if missing (those in ``existing``, when given, are not asked for)."""
        tables = {
            "pvb_tracking": "view TEXT NOT NULL, application_name TEXT NOT NULL, notification_id BIGINT NOT NULL, "
                            "PRIMARY KEY (view, application_name)",
            "pvb_view_changes": "view TEXT PRIMARY KEY, changes BIGINT NOT NULL",
            "pvb_view_shapes": "view TEXT PRIMARY KEY, shape TEXT NOT NULL",
        }
        for table, columns in tables.items():
            if existing is None or table not in existing:
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")

    def shape(self, cursor: SqlCursor) -> str | None:
        """The shape (View.shape) of the view's tables as they were made, if recorded."""
        row = cursor.execute("SELECT shape FROM pvb_view_shapes WHERE view = ?", (self.view_name,)).fetchone()
        return None if row is None else str(row["shape"])

    def set_shape(self, cursor: SqlCursor, shape: str) -> None:
        """Record the shape the view's tables are now made in."""
        cursor.execute(
            "INSERT INTO pvb_view_shapes (view, shape) VALUES (?, ?) "
            "ON CONFLICT (view) DO UPDATE SET shape = excluded.shape",
            (self.view_name, shape),
        )

    def mark_changed(self, cursor: SqlCursor) -> None:
        """Count one more change of the view's rows (in the transaction that makes it)."""
        cursor.execute(
            "INSERT INTO pvb_view_changes (view, changes) VALUES (?, 1) "
            "ON CONFLICT (view) DO UPDATE SET changes = pvb_view_changes.changes + 1",
            (self.view_name,),
        )

    def changes(self) -> int:
        """How many times the view's rows have changed: a version for results kept in memory."""
        with self.transaction(commit=False) as cursor:
            row = cursor.execute(
                "SELECT changes FROM pvb_view_changes WHERE view = ?", (self.view_name,)
            ).fetchone()
        return 0 if row is None else int(row["changes"])

    def _position(self, cursor: SqlCursor, application_name: str) -> int | None:
        row = cursor.execute(
            "SELECT notification_id FROM pvb_tracking WHERE view = ? AND application_name = ?",
            (self.view_name, application_name),
        ).fetchone()
        return None if row is None else int(row["notification_id"])

    def advance(self, cursor: SqlCursor, application_name: str, expected: int, new: int) -> None:
        """Move the position from expected to new, or raise IntegrityError if it moved."""
        if expected == 0 and self._position(cursor, application_name) is None:
            cursor.execute(
                "INSERT INTO pvb_tracking (view, application_name, notification_id) "
                "VALUES (?, ?, ?) ON CONFLICT (view, application_name) DO NOTHING",
                (self.view_name, application_name, 0),
            )
        row = cursor.execute(
            "UPDATE pvb_tracking SET notification_id = ? WHERE view = ? AND application_name = ? "
            "AND notification_id = ? RETURNING notification_id",
            (new, self.view_name, application_name, expected),
        ).fetchone()
        if row is None:
            msg = f"view {self.view_name} moved past {expected} in another process"
            raise IntegrityError(msg)

    @staticmethod
    def advance_together(
        cursor: SqlCursor, application_name: str, views: Sequence[tuple[str, int]], new: int
    ) -> None:
        """Move several views, each from its expected position, to new, in as few statements as
        there are distinct expected positions (usually one); raise IntegrityError if any moved."""
        by_expected: dict[int, list[str]] = {}
        for name, expected in views:
            by_expected.setdefault(expected, []).append(name)
        for expected, names in by_expected.items():
            marks = ", ".join("?" for _ in names)
            if expected == 0:
                cursor.executemany(
                    "INSERT INTO pvb_tracking (view, application_name, notification_id) VALUES (?, ?, 0) "
                    "ON CONFLICT (view, application_name) DO NOTHING",
                    [(name, application_name) for name in names],
                )
            moved = cursor.execute(
                f"UPDATE pvb_tracking SET notification_id = ? WHERE application_name = ? AND "
                f"notification_id = ? AND view IN ({marks}) RETURNING view",
                (new, application_name, expected, *names),
            ).fetchall()
            if len(moved) != len(names):
                stale = sorted(set(names) - {row["view"] for row in moved})
                raise IntegrityError(f"view(s) {', '.join(stale)} moved past {expected} in another process")

    def reset(self, cursor: SqlCursor, application_name: str) -> None:
        """Put the view back to before the first event."""
        cursor.execute(
            "DELETE FROM pvb_tracking WHERE view = ? AND application_name = ?",
            (self.view_name, application_name),
        )

    # TrackingRecorder interface, so the library's runners can drive a view.
    def insert_tracking(self, tracking: Tracking) -> None:
        """Record a tracking object on its own."""
        with self.transaction() as cursor:
            current = self._position(cursor, tracking.application_name) or 0
            self.advance(cursor, tracking.application_name, current, tracking.notification_id)

    def max_tracking_id(self, application_name: str) -> int | None:
        """The view's position in the named application's log."""
        with self.transaction(commit=False) as cursor:
            return self._position(cursor, application_name)
