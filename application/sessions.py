"""Server-side sign-in sessions: made at sign-in only, ended at sign-out, idle or too old.

The browser's cookie holds a random session id; the table ``pvb_sessions`` (in the ledger's own
database, beside the keys and idempotency keys) holds only its SHA-256, the user, and when it
started and was last used. A session is valid while it has not been ended, has been used within
the idle timeout, and is younger than the absolute lifetime. Ending a user's sessions (a role
change, a disabled account, a password change) deletes their rows, so a saved cookie no longer
works on any worker. Visitors who are not signed in get no row.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

TOUCH_EVERY = timedelta(seconds=60)  # last use is written at most once a minute per session


@dataclass(frozen=True)
class SessionPolicy:
    """How long a session lasts unused, and at most."""

    idle: timedelta = timedelta(minutes=30)
    lifetime: timedelta = timedelta(hours=10)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    """Sessions by the hash of their id, in table pvb_sessions."""

    def __init__(self, datastore: Any, engine: str, schema: str = "public") -> None:
        self._datastore = datastore
        self._postgres = engine == "postgres"
        self._table = f'"{schema}".pvb_sessions' if self._postgres else "pvb_sessions"

    def _sql(self, sql: str) -> str:
        sql = sql.replace("pvb_sessions", self._table)
        return sql.replace("?", "%s") if self._postgres else sql

    def create_table(self) -> None:
        """Create the table if it is missing."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(self._sql(
                "CREATE TABLE IF NOT EXISTS pvb_sessions (id_hash TEXT PRIMARY KEY, "
                "username TEXT NOT NULL, started_at TEXT NOT NULL, used_at TEXT NOT NULL)"
            ))
            c.execute(f"CREATE INDEX IF NOT EXISTS pvb_sessions_username ON {self._table} (username)")

    def start(self, username: str, now: datetime, policy: SessionPolicy) -> str:
        """A new session for the user; returns its id (only its hash is kept)."""
        session_id = secrets.token_urlsafe(32)
        stamp = now.isoformat()
        oldest = (now - policy.lifetime).isoformat()
        idle = (now - policy.idle).isoformat()
        with self._datastore.transaction(commit=True) as c:
            c.execute(self._sql("DELETE FROM pvb_sessions WHERE started_at < ? OR used_at < ?"), (oldest, idle))
            c.execute(self._sql(
                "INSERT INTO pvb_sessions (id_hash, username, started_at, used_at) VALUES (?, ?, ?, ?)"
            ), (_digest(session_id), username, stamp, stamp))
        return session_id

    def user_of(self, session_id: str, now: datetime, policy: SessionPolicy) -> str | None:
        """The user of a live session (marking it used), or None if it is unknown or over."""
        if not session_id:
            return None
        digest = _digest(session_id)
        with self._datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT username, started_at, used_at FROM pvb_sessions WHERE id_hash = ?"),
                      (digest,))
            row = c.fetchone()
        if row is None:
            return None
        username, started, used = _row(row)
        started_at, used_at = datetime.fromisoformat(started), datetime.fromisoformat(used)
        if now - started_at >= policy.lifetime or now - used_at >= policy.idle:
            self.end(session_id)
            return None
        if now - used_at >= TOUCH_EVERY:
            with self._datastore.transaction(commit=True) as c:
                c.execute(self._sql("UPDATE pvb_sessions SET used_at = ? WHERE id_hash = ?"),
                          (now.isoformat(), digest))
        return username

    def end(self, session_id: str) -> None:
        """End one session."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(self._sql("DELETE FROM pvb_sessions WHERE id_hash = ?"), (_digest(session_id),))

    def end_all(self, username: str, keep: str | None = None) -> int:
        """End every session of the user but keep (the one making the change); returns how many."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(self._sql("DELETE FROM pvb_sessions WHERE username = ? AND id_hash <> ? RETURNING id_hash"),
                      (username, _digest(keep) if keep else ""))
            return len(c.fetchall())

    def count(self, username: str) -> int:
        """How many sessions the user has open (ended and expired ones excluded once swept)."""
        with self._datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT COUNT(*) FROM pvb_sessions WHERE username = ?"), (username,))
            row = c.fetchone()
        return int(_row(row)[0])


def _row(row: Any) -> tuple[Any, ...]:
    """A row as a tuple, whether the driver gives tuples, sqlite3.Row or dicts."""
    if isinstance(row, dict):
        return tuple(row.values())
    return tuple(row)
