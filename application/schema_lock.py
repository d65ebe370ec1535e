"""Serialise creating tables if missing across processes starting at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from application.settings import Database


@contextmanager
def schema_lock(database: Database) -> Iterator[None]:
    """Hold PostgreSQL's advisory lock for this schema while tables are created if missing.

    PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against another session doing the same
    at the same moment (it fails on a duplicate catalogue row), which is what several gunicorn
    workers or CLI processes starting together on a new database do. SQLite serialises itself.
    """
    key = f"pvb-schema:{database.schema}"
    if database.engine != "postgres" or key in _held.__dict__:  # SQLite, or this thread holds it already
        yield
        return
    _held.__dict__[key] = True
    try:
        with _advisory_lock(database, key):
            yield
    finally:
        del _held.__dict__[key]


_held = threading.local()  # the schema locks this thread holds (so that nesting does not deadlock)


@contextmanager
def _advisory_lock(database: Database, key: str) -> Iterator[None]:
    import psycopg
    from eventsourcing.persistence import OperationalError

    try:
        conn = psycopg.connect(
            host=database.host, port=database.port, user=database.user,
            password=database.password or None, dbname=database.name, autocommit=True, connect_timeout=2,
        )
    except psycopg.OperationalError as e:  # the same failure the library reports for an unreachable server
        raise OperationalError(str(e)) from e
    with conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (key,))
        try:
            yield
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (key,))
