"""pvb backup and pvb restore for real: SQLite's online backup taken while a server writes, and
pg_dump / pg_restore into a fresh PostgreSQL database; each copy verifies and holds the same events."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from application import Database, Ledger
from domain.values import SYSTEM
from tests.conftest import free_port
from tests.reliability.crash_checks import notifications, view_differences
from web.config import Settings
from web.wiring import build_services

BIN = Path(sys.executable).parent


def pvb(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "pvb"), *args], env=env, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def events_of(url: str) -> list[tuple]:
    """Every stored event as (position, originator, version, topic, stored bytes)."""
    ledger = Ledger(Database.parse(url))
    try:
        return [(n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
                for n in notifications(ledger)]
    finally:
        ledger.close()


def post(base: str, token: str, body: dict) -> int:
    request = urllib.request.Request(base + "/api/v1/organisations", data=json.dumps(body).encode(),
                                     method="POST", headers={"Authorization": f"Bearer {token}",
                                                             "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_sqlite_backup_while_a_server_writes_is_consistent_and_restores(sqlite_url, tmp_path):
    env = {**os.environ, "PVB_DATABASE_URL": sqlite_url, "PVB_NEW_PASSWORD": "a-long-pass-phrase",
           "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}
    assert pvb(env, tmp_path, "init").returncode == 0
    assert pvb(env, tmp_path, "users", "add", "writer", "--role", "admin").returncode == 0
    token = json.loads(pvb(env, tmp_path, "tokens", "create", "writer", "--scope", "write", "--json").stdout)["token"]
    port = free_port()
    server = subprocess.Popen([str(BIN / "pvb"), "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base, stop, written = f"http://127.0.0.1:{port}", threading.Event(), []

    def write() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            if post(base, token, {"code": f"B{n:05d}", "name": f"Backup {n}", "kind": "ccg"}) == 201:
                written.append(n)

    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "pvb serve did not start"
                time.sleep(0.2)
        writer = threading.Thread(target=write)
        writer.start()
        while len(written) < 5:
            time.sleep(0.1)
        backups = []
        for i in range(2):  # taken while the writer keeps writing
            file = tmp_path / f"backup-{i}.sqlite"
            done = pvb(env, tmp_path, "backup", str(file))
            assert done.returncode == 0 and "intact" in done.stdout, done.stdout + done.stderr
            backups.append(file)
        stop.set()
        writer.join()
    finally:
        stop.set()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    live = events_of(sqlite_url)
    assert len(written) >= 5
    for file in backups:
        restored_url = f"sqlite:///{tmp_path / ('restored-' + file.name)}"
        done = pvb({**env, "PVB_DATABASE_URL": restored_url}, tmp_path, "restore", str(file))
        assert done.returncode == 0 and "intact" in done.stdout, done.stdout + done.stderr
        copy = events_of(restored_url)
        assert 5 < len(copy) <= len(live) and copy == live[: len(copy)]  # a consistent prefix of the log
        services = build_services(restored_url, inline=True)  # views catch up from where the copy stood
        try:
            assert view_differences(services.ledger, services.projections, tmp_path) == []
        finally:
            services.close()
    # A ledger that holds events is never overwritten by mistake; --force replaces it, and verifies.
    refused = pvb(env, tmp_path, "restore", str(backups[0]))
    assert refused.returncode == 2 and "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert events_of(sqlite_url) == live
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"not a database" * 100)
    bad = pvb(env, tmp_path, "restore", "--force", str(junk))
    assert bad.returncode == 1 and "not a SQLite database" in bad.stderr and "Traceback" not in bad.stderr
    assert events_of(sqlite_url) == live
    forced = pvb(env, tmp_path, "restore", "--force", str(backups[0]))
    assert forced.returncode == 0 and "intact" in forced.stdout, forced.stdout + forced.stderr
    assert events_of(sqlite_url) == events_of(f"sqlite:///{tmp_path / 'restored-backup-0.sqlite'}")
    assert pvb(env, tmp_path, "backup", str(backups[0])).returncode == 1  # never overwrites a file


@pytest.fixture
def fresh_postgres_database(postgres_url):  # type: ignore[no-untyped-def]
    """A new, empty PostgreSQL database on the test server; dropped afterwards."""
    import psycopg

    db = Database.parse(Settings.test_postgres_url())
    name = f"pvb_restore_{secrets.token_hex(5)}"
    conninfo = dict(host=db.host, port=db.port, user=db.user, password=db.password or None, dbname=db.name)
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url, name
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_postgres_pg_dump_restores_into_a_fresh_database_intact_with_the_same_events(
    fresh_postgres_database, tmp_path
):
    source_url, target_name = fresh_postgres_database
    services = build_services(source_url, inline=True)
    try:
        services.ledger.init_framework(SYSTEM)
        for n in range(5):
            services.ledger.register_organisation(SYSTEM, code=f"P{n}", name=f"Trust {n}", kind="acute_trust")
        services.ledger.add_person(SYSTEM, name="Ada Lovelace", organisation="P1", title="Chair")
    finally:
        services.close()
    env = {**os.environ, "PVB_DATABASE_URL": source_url}
    dump = tmp_path / "ledger.pgc"
    done = pvb(env, tmp_path, "backup", str(dump))
    assert done.returncode == 0 and "pg_dump" in done.stdout, done.stdout + done.stderr
    schema = Database.parse(source_url).schema
    target_url = f"{source_url.split('?')[0].rsplit('/', 1)[0]}/{target_name}?schema={schema}"
    target = {**env, "PVB_DATABASE_URL": target_url}
    restored = pvb(target, tmp_path, "restore", str(dump))
    assert restored.returncode == 0 and "intact" in restored.stdout, restored.stdout + restored.stderr
    verified = pvb(target, tmp_path, "verify", "--json")
    assert verified.returncode == 0 and json.loads(verified.stdout)["intact"], verified.stdout
    source_events = events_of(source_url)
    assert len(source_events) > 6 and events_of(target_url) == source_events
    services = build_services(target_url, inline=False)  # the views came across with the events
    try:
        assert view_differences(services.ledger, services.projections, tmp_path) == []
        assert services.projections["directory"].get_organisation("P1") is not None
    finally:
        services.close()
    refused = pvb(target, tmp_path, "restore", str(dump))
    assert refused.returncode == 2 and "--force" in refused.stderr
    forced = pvb(target, tmp_path, "restore", "--force", str(dump))
    assert forced.returncode == 0 and "intact" in forced.stdout, forced.stdout + forced.stderr
    assert events_of(target_url) == source_events
    other_schema = pvb({**env, "PVB_DATABASE_URL": f"{target_url}_other"}, tmp_path, "restore", str(dump))
    assert other_schema.returncode == 1 and "set ?schema=" in other_schema.stderr


def test_pvb_backup_says_how_to_get_pg_dump_when_it_is_missing(postgres_url, tmp_path):
    env = {**os.environ, "PVB_DATABASE_URL": postgres_url, "PATH": str(BIN)}
    done = pvb(env, tmp_path, "backup", str(tmp_path / "x.pgc"))
    assert done.returncode == 1 and "pg_dump is not installed" in done.stderr and "Traceback" not in done.stderr
