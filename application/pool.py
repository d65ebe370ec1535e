"""How the ledger tunes the library's connection pools.

Checking pooled PostgreSQL connections before use, but not one that answered moments ago.

The library's pre-ping (POSTGRES_PRE_PING) sends an empty query each time a connection leaves
the pool, so that a connection broken by a database restart is replaced before a request uses
it. A command takes a connection two or three times, so that was a quarter of its round trips.
Like HikariCP's "alive bypass window", a connection that passed its check within the last
ALIVE_WINDOW seconds is handed out without another: the connections a busy process uses are
still checked every half second, and every idle one before its first use. A connection that
breaks inside the window fails that one use; the pool then discards it, as it discards any
connection left broken, and the library retries its reads.
"""

from __future__ import annotations

import sqlite3
import time
import weakref
from typing import Any

from eventsourcing.persistence import InterfaceError
from eventsourcing.sqlite import (
    SQLITE3_DEFAULT_LOCK_TIMEOUT,
    SQLiteConnection,
    SQLiteConnectionPool,
)

ALIVE_WINDOW = 0.5


def check_unless_recently_alive(pool: Any) -> None:
    """Make the pool skip the pre-ping of connections checked within ALIVE_WINDOW seconds."""
    check = getattr(pool, "_check", None)
    if check is None:  # the pool does not check connections: nothing to relax
        return
    checked: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def check_connection(conn: Any) -> None:
        now = time.monotonic()
        last = checked.get(conn)
        if last is not None and now - last < ALIVE_WINDOW:
            return
        check(conn)
        checked[conn] = now

    pool._check = check_connection


# SQLite: the library opens its connections with ``cached_statements=True``, which sqlite3 takes
# as a cache of one prepared statement; every statement that differs from the one before it is
# parsed and planned again. The views alternate between many statements (a rebuild ran about ten
# an event), so the ledger opens its own connections with the sqlite3 module's default of 128.
STATEMENT_CACHE = 128


def cache_sqlite_statements(pool: Any, size: int = STATEMENT_CACHE) -> None:
    """Make an unused library SQLite pool (any other pool is left as it is) open its connections with a statement cache of size.

    Connections are made as the library makes them (eventsourcing 9.5, SQLiteConnectionPool.
    _create_connection): WAL mode for files, sqlite3.Row rows, autocommit with explicit BEGIN.
    A pool that already holds connections (an in-memory database lives in them) is left alone.
    """
    if not isinstance(pool, SQLiteConnectionPool) or pool.num_in_pool or pool.num_in_use:
        return

    def create_connection() -> SQLiteConnection:
        try:
            c = sqlite3.connect(
                database=pool.db_name, uri=True, check_same_thread=False, isolation_level=None,
                cached_statements=size, timeout=pool.lock_timeout or SQLITE3_DEFAULT_LOCK_TIMEOUT,
            )
        except (sqlite3.Error, TypeError) as e:
            raise InterfaceError(e) from e
        if not pool.is_sqlite_memory_mode and not pool.is_journal_mode_wal:
            cursor = c.cursor()
            cursor.execute("PRAGMA journal_mode;")
            if cursor.fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL;")
                pool.journal_mode_was_changed_to_wal = True
            pool.is_journal_mode_wal = True
        c.row_factory = sqlite3.Row
        return SQLiteConnection(sqlite_conn=c, max_age=pool.max_age)

    pool._create_connection = create_connection  # type: ignore[method-assign]
