"""One demo ledger and app for this folder's tests, per engine; its tests only add to it.

The demo takes many seconds to load on PostgreSQL, so the feedback, replay and investigation
web tests here share one per engine; each test only adds records and asserts on what it adds.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import date

import pytest

from application import Database
from application.demo import run_demo
from domain.values import SYSTEM
from tests.conftest import ENGINES, AuthActions, postgres_unavailable, require_or_skip
from web.config import Settings
from web.wiring import build_services


@pytest.fixture(scope="package", params=ENGINES)
def shared_app(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The Flask app over a demo ledger shared by this folder's tests, on each engine."""
    from web import create_app

    drop = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'ledger.sqlite'}"
    else:
        require_or_skip(postgres_unavailable(), "PVB_REQUIRE_POSTGRES")
        import psycopg

        base = Settings.test_postgres_url()
        db = Database.parse(base)
        schema = f"pvb_test_{secrets.token_hex(6)}"
        conninfo = dict(host=db.host, port=db.port, user=db.user, password=db.password or None, dbname=db.name)
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{base}{'&' if '?' in base else '?'}schema={schema}"

        def drop() -> None:
            with psycopg.connect(**conninfo, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    services = build_services(url, inline=True)
    services.ledger.init_framework(SYSTEM)
    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    app = create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "PVB_SECRET_KEY": "test-key", "PVB_LOG_FORMAT": "text"},
        services=services,
    )
    yield app
    services.close()
    if drop is not None:
        drop()


@pytest.fixture
def app(shared_app):  # type: ignore[no-untyped-def]
    """The shared app (overrides the per-test one)."""
    return shared_app


@pytest.fixture
def client(shared_app):  # type: ignore[no-untyped-def]
    """A fresh test client (and so a fresh session) over the shared app."""
    return shared_app.test_client()


@pytest.fixture
def auth(client, shared_app) -> AuthActions:  # type: ignore[no-untyped-def]
    """Sign-in helpers for the shared app."""
    return AuthActions(client, shared_app)
