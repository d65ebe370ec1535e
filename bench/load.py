"""What the HTTP benchmarks share: gunicorn started and stopped, a login, a small load driver
(threads over keep-alive-free HTTP/1.1, a bounded number of requests to 127.0.0.1 only), and the
peak resident memory of processes read from /proc."""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running gunicorn: its base URL and master process."""

    base: str
    process: subprocess.Popen  # type: ignore[type-arg]

    def worker_pids(self) -> list[int]:
        """The pids of the master's children (the workers)."""
        found = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    found.append(int(entry))
        return found


def peak_rss_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM) in MB."""
    match = re.search(r"VmHWM:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) / 1024 if match else 0.0


@contextmanager
def gunicorn(env: dict[str, str], workers: int, cwd: str, log: str) -> Iterator[Server]:
    """gunicorn serving the app on a free loopback port, until the block ends."""
    port = free_port()
    out = open(log, "a")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--timeout", "120",
         "web:create_app()"], env={**os.environ, **env}, cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            try:
                if request(base, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise SystemExit(f"gunicorn did not start; see {log}")
            time.sleep(0.5)
        yield Server(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        out.close()


def request(base: str, method: str, path: str, headers: dict[str, str] | None = None,
            body: bytes | None = None) -> tuple[int, bytes, dict[str, str]]:
    """One HTTP request on a fresh connection; (status, body, headers)."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def login(base: str, username: str, password: str) -> str:
    """Sign in through the login form; returns the Cookie header to send."""
    status, page, headers = request(base, "GET", "/login")
    cookies = _cookies(headers)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
    form = {"username": username, "password": password}
    if token:
        form["csrf_token"] = token.group(1).decode()
    status, _, headers = request(base, "POST", "/login", {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies,
    }, urllib.parse.urlencode(form).encode())
    if status != 302:
        raise SystemExit(f"could not sign in as {username}: HTTP {status}")
    return _cookies(headers) or cookies


def _cookies(headers: dict[str, str]) -> str:
    cookie = headers.get("set-cookie", "")
    return "; ".join(part.split(";")[0] for part in re.split(r",\s*(?=[A-Za-z_]+=)", cookie) if "=" in part)


@dataclass
class Result:
    """Latencies (seconds) of the requests made, and the wall time they took."""

    latencies: list[float]
    seconds: float
    errors: int

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def line(self, label: str) -> str:
        return (f"{label:<34} {self.rate:8.1f} req/s  p50 {1000 * self.quantile(.5):7.1f} ms  "
                f"p95 {1000 * self.quantile(.95):7.1f} ms  p99 {1000 * self.quantile(.99):7.1f} ms  "
                f"({len(self.latencies)} requests, {self.errors} errors)")

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)


def drive(base: str, method: str, paths: Sequence[str], *, headers: dict[str, str], concurrency: int,
          requests: int, body: bytes | None = None, expect: int = 200,
          bodies: Sequence[bytes] | None = None) -> Result:
    """Make `requests` requests from `concurrency` threads, cycling through paths (and bodies)."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    counter = iter(range(requests))

    def work() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            payload = bodies[n % len(bodies)] if bodies else body
            started = time.perf_counter()
            status, _, _ = request(base, method, paths[n % len(paths)], headers, payload)
            elapsed = time.perf_counter() - started
            with lock:
                if status == expect:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(latencies, time.perf_counter() - started, errors[0])
