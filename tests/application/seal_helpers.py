"""Helpers for the seal tests: a small ledger with a key of its own, and raw SQL behind its back."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from application import Database, Ledger
from domain.organisation import organisation_id
from domain.values import SYSTEM, Actor, Role

ADMIN = Actor("admin", Role.ADMIN)
ORGS = [("NVH", "Nene Valley Hospitals", "acute_trust"), ("RFH", "Rockingham Forest Hospital", "acute_trust"),
        ("SCC", "Shire County Council", "council")]


def open_ledger(database_url: str, key_file: Path | str) -> Ledger:
    """A Ledger signing with the key in key_file."""
    ledger = Ledger(Database.parse(database_url))
    ledger.use_signing_key(str(key_file))
    return ledger


def add_events(ledger: Ledger, people: int = 4) -> None:
    """The framework, three organisations and some people: a dozen events or so."""
    ledger.init_framework(SYSTEM)
    for code, name, kind in ORGS:
        if not ledger._exists(organisation_id(code)):
            ledger.register_organisation(ADMIN, code=code, name=name, kind=kind)
    for i in range(people):
        ledger.add_person(ADMIN, name=f"Person {i}", organisation=ORGS[i % 3][0], title="Director")


def raw(ledger: Ledger, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Run SQL on the ledger's database directly, as someone with database access could.

    ``EVENTS`` stands for the stored events table and ``POS`` for its position column.
    """
    postgres = ledger.database.engine == "postgres"
    sql = sql.replace("EVENTS", ledger.recorder.events_table_name.split(".")[-1])
    sql = sql.replace("POS", "notification_id" if postgres else "rowid")
    with ledger.datastore.transaction(commit=True) as c:
        if postgres:
            c.execute(f'SET LOCAL search_path TO "{ledger.database.schema}"')
            sql = sql.replace("?", "%s")
        c.execute(sql, tuple(params))
        try:
            return [dict(r) for r in c.fetchall()]
        except Exception:  # statements without rows
            return []


def stored(ledger: Ledger, position: int) -> dict[str, Any]:
    """One stored event row as it is now."""
    rows = raw(ledger, "SELECT originator_id, originator_version, topic, state FROM EVENTS WHERE POS = ?",
               (position,))
    return rows[0]
