"""Shared fixtures: a real ledger on SQLite and PostgreSQL, the Flask app, a live server."""

from __future__ import annotations

import os
import secrets
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from application import Database, Ledger
from application.identity import use_password_hasher
from domain.values import SYSTEM, Actor, Role
from web.config import Settings
from web.wiring import Services, build_services

ENGINES = ["sqlite", "postgres"]

# Real argon2id, with cheap parameters so that each test's demo users hash quickly.
use_password_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
DEMO_PASSWORD = "pvb-demo-2026"


def _postgres_reason() -> str | None:
    url = Settings.test_postgres_url()
    db = Database.parse(url)
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (pip install -e '.[test]')"
    try:
        psycopg.connect(
            host=db.host, port=db.port, user=db.user, password=db.password or None,
            dbname=db.name, connect_timeout=3,
        ).close()
    except Exception as e:  # any failure to connect means no PostgreSQL here
        return f"PostgreSQL is not reachable at {url} ({type(e).__name__}); set PVB_TEST_POSTGRES_URL"
    return None


_PG_REASON: list[str | None] = []


def postgres_unavailable() -> str | None:
    """Why PostgreSQL tests cannot run here, or None if they can."""
    if not _PG_REASON:
        _PG_REASON.append(_postgres_reason())
    return _PG_REASON[0]


def require_or_skip(reason: str | None, variable: str) -> None:
    """Skip with the reason, or fail when the environment demands the dependency."""
    if reason is None:
        return
    if os.environ.get(variable) == "1":
        pytest.fail(f"{variable}=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL with a fresh schema of its own, dropped afterwards."""
    require_or_skip(postgres_unavailable(), "PVB_REQUIRE_POSTGRES")
    import psycopg

    base = Settings.test_postgres_url()
    db = Database.parse(base)
    schema = f"pvb_test_{secrets.token_hex(6)}"
    conninfo = dict(host=db.host, port=db.port, user=db.user, password=db.password or None, dbname=db.name)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}schema={schema}"
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty ledger database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite ledger file."""
    return f"sqlite:///{tmp_path / 'ledger.sqlite'}"


@pytest.fixture
def ledger(database_url: str) -> Iterator[Ledger]:
    """A Ledger with the framework adopted, on each engine."""
    app = Ledger(Database.parse(database_url))
    app.init_framework(SYSTEM)
    yield app
    app.close()


@pytest.fixture
def services(database_url: str) -> Iterator[Services]:
    """The ledger and its views, catching up inline, with the framework adopted."""
    built = build_services(database_url, inline=True)
    built.ledger.init_framework(SYSTEM)
    yield built
    built.close()


ADMIN = Actor("admin", Role.ADMIN)
LEAD = Actor("lead", Role.GOVERNANCE_LEAD)


@pytest.fixture
def demo(services: Services) -> Services:
    """Services holding the demo directory and one login per role."""
    from datetime import date

    from application.demo import run_demo

    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    return services


@pytest.fixture
def app(demo: Services, tmp_path: Path):  # type: ignore[no-untyped-def]
    """The Flask app over the demo ledger, CSRF off for the test client."""
    from web import create_app

    return create_app(
        {"TESTING": True, "WTF_CSRF_ENABLED": False, "PVB_SECRET_KEY": "test-key", "PVB_LOG_FORMAT": "text"},
        services=demo,
    )


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    """Flask's test client."""
    return app.test_client()


@pytest.fixture
def runner(app):  # type: ignore[no-untyped-def]
    """Flask's CLI runner."""
    return app.test_cli_runner()


class AuthActions:
    """Sign in and out through the real login form, and make API tokens."""

    def __init__(self, client, app) -> None:  # type: ignore[no-untyped-def]
        self._client = client
        self._app = app

    def login(self, username: str = "lead", password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):  # type: ignore[no-untyped-def]
        return self._client.post("/logout")

    def token(self, username: str, scope: str = "write") -> dict[str, str]:
        """Authorization headers with a fresh token for username."""
        ledger = self._app.extensions["pvb"].ledger
        new = ledger.create_token(ADMIN, username, scope=scope, days=30, label="test")
        return {"Authorization": f"Bearer {new.token}"}


@pytest.fixture
def auth(client, app) -> AuthActions:  # type: ignore[no-untyped-def]
    """Sign-in helpers."""
    return AuthActions(client, app)


def free_port() -> int:
    """A TCP port nobody is listening on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The app served over real HTTP by waitress in a thread; yields its base URL."""
    from waitress.server import create_server

    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server: str):  # type: ignore[no-untyped-def]
    """A Playwright page in Debian's headless Chromium, pointed at the live server."""
    reason = None if Path(CHROMIUM).exists() else f"Debian's chromium is not installed at {CHROMIUM}"
    if reason is None:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            reason = "playwright is not installed (pip install -e '.[test]')"
    require_or_skip(reason, "PVB_REQUIRE_BROWSER")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page(base_url=live_server)
        yield page
        browser.close()
