"""What must hold of a ledger after a crash: the log decodes whole, every aggregate rebuilds, and
every view equals a rebuild from the first event into a fresh database (each event applied once)."""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from application import Database, Ledger
from projections import ALL_VIEWS, Projections
from projections.base import View

LOG_BATCH = 2000


def notifications(ledger: Ledger) -> Iterator[Any]:
    """Every stored notification, in log order."""
    position = 0
    while True:
        found = ledger.recorder.select_notifications(start=position + 1, limit=LOG_BATCH)
        if not found:
            return
        yield from found
        position = found[-1].id


def log_problems(ledger: Ledger) -> tuple[int, dict[int, str], list[str]]:
    """(events, originator by position, problems): every event decodes, every aggregate rebuilds
    at its last version and no aggregate's versions skip or repeat."""
    problems: list[str] = []
    by_position: dict[int, str] = {}
    versions: dict[UUID, list[int]] = defaultdict(list)
    for n in notifications(ledger):
        by_position[n.id] = str(n.originator_id)
        versions[n.originator_id].append(n.originator_version)
        try:
            ledger.mapper.to_domain_event(n)
        except Exception as e:  # any failure to decode is a half-written or damaged record
            problems.append(f"event at {n.id} ({n.topic}) does not decode: {type(e).__name__}: {e}")
    for originator, seen in versions.items():
        if sorted(seen) != list(range(1, len(seen) + 1)):
            problems.append(f"aggregate {originator}: versions {sorted(seen)} skip or repeat")
            continue
        try:
            aggregate = ledger.repository.get(originator)
        except Exception as e:
            problems.append(f"aggregate {originator} does not rebuild: {type(e).__name__}: {e}")
            continue
        if aggregate.version != max(seen):
            problems.append(f"aggregate {originator} rebuilds at version {aggregate.version}, not {max(seen)}")
    return len(by_position), by_position, problems


def sqlite_integrity(path: str) -> str:
    """SQLite's own verdict on the file ('ok' when sound)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return ", ".join(row[0] for row in conn.execute("PRAGMA integrity_check"))


@contextmanager
def fresh_database(url: str, where: Path) -> Iterator[str]:
    """An empty database on the same engine as url: a new SQLite file, or a new PostgreSQL schema."""
    database = Database.parse(url)
    if database.engine == "sqlite":
        yield f"sqlite:///{where / f'rebuild-{secrets.token_hex(4)}.sqlite'}"
        return
    import psycopg

    schema = f"pvb_rebuild_{secrets.token_hex(6)}"
    conninfo = dict(host=database.host, port=database.port, user=database.user,
                    password=database.password or None, dbname=database.name)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    base = url.split("?")[0]
    try:
        yield f"{base}?schema={schema}"
    finally:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def view_rows(view: View) -> dict[str, list[str]]:
    """Each of a view's tables as sorted, canonical rows."""
    tables: dict[str, list[str]] = {}
    with view.view.transaction(commit=False) as c:
        for table in view.tables:
            rows = c.execute(f"SELECT * FROM {table}").fetchall()
            tables[table] = sorted(json.dumps(row, sort_keys=True, default=_plain) for row in rows)
    return tables


def _plain(value: Any) -> str:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    return str(value)


def view_differences(ledger: Ledger, live: Projections, where: Path) -> list[str]:
    """How each live view differs from a rebuild of the same log into a fresh database ([] if none).

    The live views must have caught up with the head; each must stand exactly at the head.
    """
    head = live.head()
    problems = [f"view {s.name} stands at {s.position}, head {head}" for s in live.status() if s.position != head]
    with fresh_database(ledger.database.url, where) as fresh_url:
        fresh_ledger = Ledger(Database.parse(fresh_url))
        try:
            rebuilt = Projections(ledger.recorder, ledger.mapper, fresh_ledger.datastore, ALL_VIEWS,
                                  fresh_ledger.database.schema)
            rebuilt.catch_up()
            for name, view in live.views.items():
                mine, theirs = view_rows(view), view_rows(rebuilt.views[name])
                for table in view.tables:
                    if mine[table] != theirs[table]:
                        extra = sorted(set(mine[table]) - set(theirs[table]))[:3]
                        missing = sorted(set(theirs[table]) - set(mine[table]))[:3]
                        problems.append(
                            f"view {name} table {table}: {len(mine[table])} live rows, "
                            f"{len(theirs[table])} rebuilt; live only {extra}; rebuilt only {missing}"
                        )
        finally:
            fresh_ledger.close()
    return problems
