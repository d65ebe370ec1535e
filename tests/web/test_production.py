"""The production shape, run for real: PostgreSQL, gunicorn with two workers, and a separate
projection process following the log; writes through HTTP are visible at once in the views."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

BIN = Path(sys.executable).parent


def http(method: str, url: str, token: str | None = None, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


@pytest.fixture
def production(postgres_url, tmp_path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "PVB_DATABASE_URL": postgres_url, "PVB_SECRET_KEY": "prod-test",
           "PVB_PROJECTIONS": "external", "PVB_LOG_FORMAT": "json"}
    def pvb(*args: str) -> str:
        return subprocess.run([str(BIN / "pvb"), *args], env=env, cwd=tmp_path, check=True,
                              capture_output=True, text=True, timeout=120).stdout
    pvb("init")
    pvb("demo")
    port = free_port()
    logs = open(tmp_path / "processes.log", "w")
    web = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "web:create_app()"],
                           env=env, cwd=tmp_path, stdout=logs, stderr=subprocess.STDOUT)
    follower = subprocess.Popen([str(BIN / "pvb"), "projections", "run"], env=env, cwd=tmp_path,
                                stdout=logs, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if http("GET", base + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if time.monotonic() > deadline or web.poll() is not None:
            logs.flush()
            raise AssertionError((tmp_path / "processes.log").read_text()[-3000:])
        time.sleep(0.3)
    token = pvb("tokens", "create", "lead", "--scope", "write").strip()
    yield base, token
    for process in (web, follower):
        process.terminate()
    for process in (web, follower):
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
    logs.close()


def test_gunicorn_workers_and_the_projection_process_show_every_write_at_once(production):
    base, token = production
    for i in range(12):
        code = f"ORG{i:02d}"
        status, body = http("POST", base + "/api/v1/organisations", token,
                            {"code": code, "name": f"Organisation {i}", "kind": "ccg"})
        assert status == 201, body
        status, org = http("GET", f"{base}/api/v1/organisations/{code}", token)
        assert status == 200 and org["name"] == f"Organisation {i}"
        person = http("POST", base + "/api/v1/people", token,
                      {"name": f"Person {i}", "organisation": code, "title": "Director"})
        assert person[0] == 201
        page = http("GET", f"{base}/api/v1/people?organisation={code}", token)[1]
        assert [p["name"] for p in page["items"]] == [f"Person {i}"]
    health = http("GET", base + "/healthz")[1]
    assert health["status"] == "ok" and health["max_lag"] == 0
