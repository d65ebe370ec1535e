"""SQLite busy or locked: a write waits (SQLite retries the lock) for the URL's ?timeout= seconds, then
fails with a clear 503 or CLI message; nothing is half-written and the file is never corrupted, even
when the process holding the lock is killed mid-transaction."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from domain.values import SYSTEM
from tests.conftest import free_port
from tests.reliability.crash_checks import log_problems, sqlite_integrity

BIN = Path(sys.executable).parent
HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE IF NOT EXISTS junk (x BLOB)")
conn.executemany("INSERT INTO junk VALUES (?)", [(b"x" * 4096,) for _ in range(2000)])
print("locked", flush=True)
sys.stdin.read()
"""


def http(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, dict, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Authorization": f"Bearer {token}"})
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read()), dict(response.headers)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read()), dict(e.headers)


def hold_lock(path: str) -> subprocess.Popen:
    """A second process holding SQLite's write lock with uncommitted writes, until killed."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, path], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def kill(holder: subprocess.Popen) -> None:
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()


@pytest.fixture
def busy_server(sqlite_url):  # type: ignore[no-untyped-def]
    """The app over real HTTP on a SQLite file whose writes wait at most 1s for a lock."""
    from waitress.server import create_server

    from web import create_app
    from web.wiring import build_services

    url = f"{sqlite_url}?timeout=1"
    services = build_services(url, inline=True)
    services.ledger.init_framework(SYSTEM)
    services.ledger.add_user(SYSTEM, username="lead", password="a-long-pass-phrase", role="admin")
    token = services.ledger.create_token(SYSTEM, "lead", scope="write", days=1, label="t").token
    app = create_app({"PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=services)
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    yield f"http://127.0.0.1:{port}", token, services
    server.close()
    services.close()


def test_a_write_blocked_by_another_writer_gets_503_busy_then_succeeds_once_the_lock_is_gone(busy_server):
    base, token, services = busy_server
    path = services.ledger.database.path
    head = services.ledger.max_position()
    holder = hold_lock(path)
    try:
        status, body, headers = http("POST", base + "/api/v1/organisations", token,
                                     {"code": "KGH", "name": "Kettering", "kind": "acute_trust"})
        assert status == 503, body
        assert "busy" in body["message"] and "nothing was recorded" in body["message"]
        assert headers["Retry-After"] == "5"
        read = http("GET", base + "/api/v1/organisations", token)
        assert read[0] == 200, read[1]  # reads go on while a writer holds the lock (WAL)
        assert services.ledger.max_position() == head
    finally:
        kill(holder)  # killed with its transaction open: SQLite rolls it back
    status, body, _ = http("POST", base + "/api/v1/organisations", token,
                           {"code": "KGH", "name": "Kettering", "kind": "acute_trust"})
    assert status == 201, body  # no restart needed
    assert http("GET", base + "/api/v1/organisations/KGH", token)[0] == 200
    assert sqlite_integrity(path) == "ok"
    assert log_problems(services.ledger)[2] == []
    assert services.ledger.verify_log().intact
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'junk'").fetchall() == []


def test_the_cli_waits_then_says_the_database_is_busy_and_exits_1(sqlite_url, tmp_path):
    url = f"{sqlite_url}?timeout=1"
    env = {**os.environ, "PVB_DATABASE_URL": url, "PVB_NEW_PASSWORD": "a-long-pass-phrase"}

    def pvb(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(BIN / "pvb"), *args], env=env, cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    assert pvb("init").returncode == 0
    path = url.removeprefix("sqlite:///").split("?")[0]
    holder = hold_lock(path)
    try:
        added = pvb("users", "add", "alice", "--role", "regulator")
        assert added.returncode == 1, added.stderr
        assert "busy" in added.stderr and "over 1s" in added.stderr and "Traceback" not in added.stderr
        verified = pvb("verify")  # reading needs no lock
        assert verified.returncode == 0 and "intact" in verified.stdout, verified.stderr
    finally:
        kill(holder)
    assert sqlite_integrity(path) == "ok"
    added = pvb("users", "add", "alice", "--role", "regulator")
    assert added.returncode == 0, added.stderr
    verified = pvb("verify")
    assert verified.returncode == 0 and "intact" in verified.stdout, verified.stdout + verified.stderr


def test_a_bad_timeout_in_the_url_is_a_configuration_error():
    from application import ConfigurationError, Database

    assert Database.parse("sqlite:///x.sqlite").lock_timeout == 10
    assert Database.parse("sqlite:///x.sqlite?timeout=3").library_env()["SQLITE_LOCK_TIMEOUT"] == "3"
    assert Database.parse("sqlite:///x.sqlite?timeout=3").path == "x.sqlite"
    for bad in ("0", "abc", "601", "-1"):
        with pytest.raises(ConfigurationError, match="timeout"):
            Database.parse(f"sqlite:///x.sqlite?timeout={bad}")
