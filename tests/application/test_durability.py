"""Work derived from the log (views, seals) may commit without waiting for the disk; events never.

A relaxed transaction must relax only itself: the connection it borrowed goes back to the pool
with the engine's full durability, so the next event written is flushed as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from application.ledger import Ledger
from application.seal_store import SealStore
from projections.store import ViewStore

Opener = Callable[..., AbstractContextManager[Any]]


def _durability(cursor: Any, postgres: bool) -> str:
    if postgres:
        return str(cursor.execute("SHOW synchronous_commit").fetchone()["synchronous_commit"])
    return {0: "off", 1: "normal", 2: "full", 3: "extra"}[int(cursor.execute("PRAGMA synchronous").fetchone()["synchronous"])]


@pytest.fixture(params=["view store", "seal store"])
def opener(request: pytest.FixtureRequest, ledger: Ledger) -> Iterator[Opener]:
    """The transaction of either store that offers relaxed durability."""
    schema = ledger.database.schema
    if request.param == "view store":
        yield ViewStore(ledger.datastore, "durability_probe", schema).transaction
    else:
        yield SealStore(ledger.datastore, ledger.database.engine, schema, ledger.recorder.events_table_name).transaction


def _full(ledger: Ledger) -> str:
    return "on" if ledger.database.engine == "postgres" else "full"


def test_a_relaxed_transaction_relaxes_only_itself(ledger: Ledger, opener: Opener) -> None:
    postgres = ledger.database.engine == "postgres"
    with opener(durable=False) as cursor:
        assert _durability(cursor, postgres) == ("off" if postgres else "normal")
    for _ in range(3):  # whichever pooled connection comes next
        with opener() as cursor:
            assert _durability(cursor, postgres) == _full(ledger)


def test_a_failed_relaxed_transaction_still_gives_back_full_durability(ledger: Ledger, opener: Opener) -> None:
    postgres = ledger.database.engine == "postgres"
    with pytest.raises(RuntimeError), opener(durable=False):
        raise RuntimeError("a view failed")
    with opener() as cursor:
        assert _durability(cursor, postgres) == _full(ledger)

