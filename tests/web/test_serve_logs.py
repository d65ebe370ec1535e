"""`pvb serve` as a real process: each request is logged once, as one JSON line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port

BIN = Path(sys.executable).parent


def test_each_request_is_logged_once_as_a_json_line(sqlite_url, tmp_path):
    env = {**os.environ, "PVB_DATABASE_URL": sqlite_url, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "json"}
    assert subprocess.run([str(BIN / "pvb"), "init"], env=env, cwd=tmp_path, capture_output=True).returncode == 0
    port = free_port()
    server = subprocess.Popen([str(BIN / "pvb"), "serve", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5).close()
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "pvb serve did not start"
                time.sleep(0.2)
        urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5).close()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    mentions = [line for line in errors.splitlines() if "/login" in line]
    assert len(mentions) == 1, errors
    logged = json.loads(mentions[0])
    assert (logged["logger"], logged["method"], logged["path"], logged["status"]) == ("pvb.access", "GET", "/login", 200)
