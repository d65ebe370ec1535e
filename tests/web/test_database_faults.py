"""PostgreSQL stopped and started under a running app: 503 while down, recovery without a restart."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ADMIN, free_port, require_or_skip

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def private_postgres() -> Iterator[tuple[str, Path, int]]:
    """A PostgreSQL server of this test's own, so stopping it disturbs nothing else."""
    reason = None
    if not (PG_BIN / "initdb").exists() or shutil.which("runuser") is None or os.geteuid() != 0:
        reason = "needs root, runuser and PostgreSQL 15's initdb to start a private server"
    require_or_skip(reason, "PVB_REQUIRE_POSTGRES")
    data = Path(tempfile.mkdtemp(prefix="pvb-pg-"))
    shutil.chown(data, "postgres", "postgres")
    port = free_port()
    _as_postgres(str(PG_BIN / "initdb"), "-D", str(data / "db"), "-A", "trust", "-U", "postgres")
    def start() -> None:
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data / "db"), "-w", "-l", str(data / "log"),
                     "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1", "start")
    start()
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres", data, port
    finally:
        subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D",
                        str(data / "db"), "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)


def pg_ctl(data: Path, port: int, action: str) -> None:
    args = [str(PG_BIN / "pg_ctl"), "-D", str(data / "db"), "-w", "-l", str(data / "log")]
    if action == "start":
        args += ["-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1"]
    else:
        args += ["-m", "fast"]
    _as_postgres(*args, action)


def test_requests_fail_fast_with_503_while_postgres_is_down_and_recover_by_themselves(private_postgres):
    from datetime import date

    from application.demo import run_demo
    from domain.values import SYSTEM
    from web import create_app
    from web.wiring import build_services

    url, data, port = private_postgres
    services = build_services(url, inline=True)
    services.ledger.init_framework(SYSTEM)
    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    app = create_app({"TESTING": True, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=services)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {services.ledger.create_token(ADMIN, 'lead', scope='write').token}"}
    assert client.get("/api/v1/organisations", headers=headers).status_code == 200

    pg_ctl(data, port, "stop")
    time.sleep(1.5)  # the app's watcher probes once a second
    for path in ("/api/v1/organisations", "/healthz", "/api/v1/organisations"):
        started = time.monotonic()
        response = client.get(path, headers=headers)
        print(f"{path} answered {response.status_code} in {time.monotonic() - started:.2f}s while down")
        assert response.status_code == 503, response.get_data(as_text=True)
        assert response.headers["Retry-After"] == "5"
    body = client.post("/api/v1/organisations", json={"code": "KGH", "name": "K", "kind": "ccg"},
                       headers=headers).get_json()
    assert body["code"] == 503 and "not reachable" in body["message"]

    pg_ctl(data, port, "start")
    deadline = time.monotonic() + 30
    while client.get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "the app did not recover after PostgreSQL came back"
        time.sleep(0.5)
    created = client.post("/api/v1/organisations", json={"code": "KGH", "name": "K", "kind": "ccg"},
                          headers=headers)
    assert created.status_code == 201
    assert client.get("/api/v1/organisations/KGH", headers=headers).status_code == 200
    services.close()
