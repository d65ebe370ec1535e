"""A private SQLite file shaped like the library's datastore, for building a view off-line."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

CACHE = -65536  # page cache, in KiB (negative): 64 MiB
IMAGE_CACHE = -4096  # while an image is made: its pages would otherwise be cached whole until it is done


def _dispose(connection: sqlite3.Connection, path: str, delete: bool) -> None:
    connection.close()
    if delete:
        with contextlib.suppress(OSError):
            os.unlink(path)


class PrivateDatastore:
    """One SQLite file that only its owner uses; deleted when closed or forgotten.

    Offers ``transaction(commit=...)`` like the eventsourcing datastores, so a ViewStore (and
    so any View, with its own SQL) works over it unchanged.
    """

    def __init__(self, path: str, *, delete: bool = True) -> None:
        self.path = path
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.row_factory = sqlite3.Row
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "temp_store = MEMORY", f"cache_size = {CACHE}"):
            self._connection.execute(f"PRAGMA {pragma}")
        self._lock = threading.RLock()
        self._finalizer = weakref.finalize(self, _dispose, self._connection, path, delete)

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[sqlite3.Cursor]:
        """A transaction, committed (or rolled back when commit is false or on error)."""
        with self._lock:
            cursor = self._connection.cursor()
            cursor.execute("BEGIN")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            else:
                cursor.execute("COMMIT" if commit else "ROLLBACK")
            finally:
                cursor.close()

    @contextmanager
    def image(self) -> Iterator[BinaryIO]:
        """An image of the database to read: a compact copy made from its rows (VACUUM INTO).

        Not the file itself, whose free space and pages may still hold pieces of rows since
        changed or deleted (an erased person's name, say): the copy holds only what is there.
        """
        path = f"{self.path}.image"
        with self._lock:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            self._connection.execute(f"PRAGMA cache_size = {IMAGE_CACHE}")
            try:
                self._connection.execute("VACUUM INTO ?", (path,))
            finally:
                self._connection.execute(f"PRAGMA cache_size = {CACHE}")
        try:
            with open(path, "rb") as file:
                yield file
        finally:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def count(self, table: str) -> int:
        """How many rows a table holds."""
        with self.transaction(commit=False) as c:
            return int(c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def columns(self, table: str) -> list[str]:
        """A table's columns, in order."""
        with self.transaction(commit=False) as c:
            return [row["name"] for row in c.execute(f"PRAGMA table_info({table})").fetchall()]

    def insert(self, table: str, columns: list[str], rows: Iterable[list[Any]]) -> None:
        """Insert rows given as lists in the order of columns."""
        self.insert_all([(table, columns, rows)])

    def insert_all(self, chunks: Iterable[tuple[str, list[str], Iterable[list[Any]]]]) -> int:
        """Insert many chunks of rows, (table, columns, rows), in one transaction; returns how many.

        Secondary indexes are dropped first and made again after, which is much faster.
        """
        count = 0
        with self.transaction(commit=True) as c:
            indexes = c.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            ).fetchall()
            for index in indexes:
                c.execute(f"DROP INDEX {index['name']}")
            for table, columns, rows in chunks:
                names, marks = ", ".join(columns), ", ".join("?" for _ in columns)
                rows = list(rows)
                c.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                count += len(rows)
            for index in indexes:
                c.execute(index["sql"])
        return count

    def close(self) -> None:
        """Close the connection and delete the file."""
        self._finalizer()
