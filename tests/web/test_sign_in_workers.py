"""Sign-in limits and sessions hold across gunicorn workers: failures are counted in Redis (our
own redis-server on a free port), sessions in the ledger's database, so whichever worker answers,
an address is throttled, a signed-out cookie is dead and a demoted user loses the old powers."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import free_port, require_or_skip
from tests.web.test_sign_in_and_sessions import Browser

BIN = Path(sys.executable).parent
PASSWORD = "quartz-meadow-lantern"


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A redis-server of our own on a free port, thrown away afterwards."""
    server = shutil.which("redis-server")
    require_or_skip(None if server else "redis-server is not installed (apt-get install redis-server)",
                    "PVB_REQUIRE_REDIS")
    port = free_port()
    workdir = tempfile.mkdtemp()
    process = subprocess.Popen([str(server), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no", "--dir", workdir], stdout=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture
def gunicorn(sqlite_url: str, redis_url: str, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    env = {**os.environ, "PVB_DATABASE_URL": sqlite_url, "PVB_SECRET_KEY": "workers", "PVB_LOG_FORMAT": "text",
           "PVB_RATELIMIT_STORAGE_URL": redis_url, "PVB_NEW_PASSWORD": PASSWORD, "PVB_PROXY_COUNT": "1"}

    def pvb(*args: str) -> None:
        subprocess.run([str(BIN / "pvb"), *args], env=env, cwd=tmp_path, check=True, capture_output=True, timeout=120)

    pvb("init")
    for username, role in (("auditor", "regulator"), ("auditor2", "regulator"), ("root", "admin")):
        pvb("users", "add", username, "--role", role)
    port = free_port()
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    web = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "web:create_app()"],
                           env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(base + "/login", timeout=5).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert time.monotonic() < deadline and web.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
        time.sleep(0.2)
    yield base, env
    web.terminate()
    web.wait(timeout=30)
    log.close()


def test_limits_and_sessions_hold_across_gunicorn_workers(gunicorn):
    base, env = gunicorn
    for n in range(10):  # new connections each time, so both workers answer some
        assert Browser(base, "198.51.100.20").sign_in(f"nobody{n}", "not-it-at-all").status_code == 401
    assert Browser(base, "198.51.100.20").sign_in("auditor", PASSWORD).status_code == 429  # counted in Redis

    user = Browser(base, "198.51.100.21")
    assert user.sign_in("auditor", PASSWORD).status_code == 303
    saved = dict(user.http.cookies)
    assert user.sign_out().status_code == 303
    for _ in range(6):  # whichever worker answers, the signed-out cookie is dead
        stolen = requests.get(base + "/feedback", cookies=saved, allow_redirects=False, timeout=30)
        assert stolen.status_code == 302 and "/login" in stolen.headers["Location"]

    other = Browser(base, "198.51.100.22")
    assert other.sign_in("auditor2", PASSWORD).status_code == 303
    assert all(other.get("/feedback").status_code == 200 for _ in range(4))
    subprocess.run([str(BIN / "pvb"), "users", "role", "auditor2", "--role", "investigator"], env=env,
                   check=True, capture_output=True, timeout=120)  # another process demotes them
    assert all(other.get("/feedback").status_code == 302 for _ in range(4))
