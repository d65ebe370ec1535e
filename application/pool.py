"""Checking pooled PostgreSQL connections before use, but not one that answered moments ago.

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

import time
import weakref
from typing import Any

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
