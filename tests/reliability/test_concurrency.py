"""Many writers at once on the same concern, meeting and survey: nothing lost, nothing twice, no 500.

Threads share one Ledger; OS processes each open their own Ledger on the same database; HTTP
clients write through a threaded server (SQLite) or gunicorn with several workers (PostgreSQL).
Every writer retries what conflicts, as the 409 tells a client to, and the log is then checked
against what was acknowledged (tests/reliability/world.py). PVB_RELIABILITY_SCALE=N multiplies the
rounds (the default is the bounded CI size).
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from application import Database, Ledger
from tests.conftest import free_port
from tests.reliability.world import (
    ADMIN,
    LEAD,
    RETRIES,
    SURVEY,
    Tally,
    World,
    check_log,
    note_text,
    recount,
    seed,
    write_in_process,
    write_with_retries,
)
from web.errors import CONFLICT_MESSAGE

SCALE = int(os.environ.get("PVB_RELIABILITY_SCALE", "1"))
WRITERS = 6
ROUNDS = 4 * SCALE
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(database_url: str) -> Iterator[tuple[str, World]]:
    """The shared concern, meeting and survey, seeded on each engine."""
    ledger = Ledger(Database.parse(database_url))
    try:
        yield database_url, seed(ledger)
    finally:
        ledger.close()


def run_together(writers: int, work: Callable[[int], Tally]) -> Tally:
    """Start the writers in threads at the same moment and merge their tallies."""
    start = threading.Barrier(writers)
    tallies: list[Tally] = [Tally() for _ in range(writers)]

    def one(w: int) -> None:
        start.wait()
        tallies[w] = work(w)

    threads = [threading.Thread(target=one, args=(w,)) for w in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = Tally()
    for t in tallies:
        total.merge(t)
    return total


def assert_all_written(url: str, world: World, tally: Tally, writers: int) -> dict[str, int]:
    """No failures; every command of every writer acknowledged; the log matches, read afresh."""
    assert tally.failures == []
    expected_votes = min(len(world.voters), writers * ROUNDS)
    assert (len(tally.notes), len(tally.recounts), len(tally.votes)) == (
        writers * ROUNDS, writers * ROUNDS, expected_votes)
    fresh = Ledger(Database.parse(url))
    try:
        counts = check_log(fresh, world, tally)
        assert fresh.verify_log().intact
    finally:
        fresh.close()
    return counts


def test_threads_sharing_one_ledger_lose_and_duplicate_nothing(world):
    url, w = world
    ledger = Ledger(Database.parse(url))
    try:
        tally = run_together(WRITERS, lambda n: write_with_retries(ledger, w, n, WRITERS, ROUNDS))
    finally:
        ledger.close()
    counts = assert_all_written(url, w, tally, WRITERS)
    print(f"threads: {WRITERS} writers, {counts}")


def _process_writer(url: str, world: World, writer: int, writers: int, rounds: int,
                    start: multiprocessing.synchronize.Barrier, out: multiprocessing.Queue) -> None:
    start.wait()
    try:
        out.put((writer, write_in_process(url, world, writer, writers, rounds)))
    except BaseException as e:  # report, never hang the parent
        out.put((writer, Tally(failures=[f"{type(e).__name__}: {e}"])))


def test_processes_each_with_its_own_ledger_lose_and_duplicate_nothing(world):
    url, w = world
    ctx = multiprocessing.get_context("spawn")
    writers = 4
    start, out = ctx.Barrier(writers), ctx.Queue()
    procs = [ctx.Process(target=_process_writer, args=(url, w, n, writers, ROUNDS, start, out))
             for n in range(writers)]
    for p in procs:
        p.start()
    tally = Tally()
    for _ in procs:
        tally.merge(out.get(timeout=600)[1])
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    counts = assert_all_written(url, w, tally, writers)
    print(f"processes: {writers} writers, {counts}")


# HTTP ---------------------------------------------------------------------------------------------


class HttpWriter:
    """One HTTP client: the same rounds as write_with_retries, through the API."""

    def __init__(self, base: str, world: World, headers: dict[str, dict[str, str]]) -> None:
        self.base, self.world, self.headers = base, world, headers
        self.statuses: dict[int, int] = {}

    def post(self, path: str, body: dict, who: str, tally: Tally) -> bool:
        """POST until acknowledged; a conflict must be a 409 with the reload-and-retry message."""
        with requests.Session() as session:
            for _ in range(RETRIES):
                r = session.post(self.base + path, json=body, headers=self.headers[who], timeout=60)
                self.statuses[r.status_code] = self.statuses.get(r.status_code, 0) + 1
                if r.status_code == 201:
                    return True
                if r.status_code == 409 and r.json().get("message") == CONFLICT_MESSAGE:
                    tally.conflicts += 1
                    continue
                tally.failures.append(f"{r.status_code} on {path}: {r.text[:300]}")
                return False
        tally.failures.append(f"gave up after {RETRIES} conflicts on {path}")
        return False

    def run(self, writer: int, writers: int, rounds: int) -> Tally:
        tally, w = Tally(), self.world
        mine = w.voters[writer::writers]
        for n in range(rounds):
            if self.post(f"/api/v1/concerns/{w.reference}/notes", {"text": note_text(writer, n)}, "raiser", tally):
                tally.notes.append(note_text(writer, n))
            body = {"organisation": "NVH", "question": "q1", "reason": f"recount {n}",
                    "counts": {"Agree": recount(writer, n), "Disagree": 1}}
            if self.post(f"/api/v1/surveys/{SURVEY}/results/corrections", body, "lead", tally):
                tally.recounts.append(recount(writer, n))
            if n < len(mine) and self.post(f"/api/v1/meetings/{w.meeting_id}/votes",
                                           {"person_id": mine[n], "verdict": "adhered"}, "lead", tally):
                tally.votes.append(mine[n])
        return tally


def tokens(url: str) -> dict[str, dict[str, str]]:
    """Bearer headers for the raiser and the governance lead."""
    ledger = Ledger(Database.parse(url))
    try:
        return {who: {"Authorization": "Bearer " + ledger.create_token(ADMIN, user, scope="write", days=1).token}
                for who, user in (("raiser", "staff.nvh"), ("lead", LEAD.user_id))}
    finally:
        ledger.close()


def hammer(base: str, url: str, world: World) -> None:
    """WRITERS HTTP clients at once; then the log must match what was acknowledged."""
    headers = tokens(url)
    clients = [HttpWriter(base, world, headers) for _ in range(WRITERS)]
    tally = run_together(WRITERS, lambda n: clients[n].run(n, WRITERS, ROUNDS))
    statuses: dict[int, int] = {}
    for c in clients:
        for status, count in c.statuses.items():
            statuses[status] = statuses.get(status, 0) + count
    assert not [s for s in statuses if s >= 500], statuses
    counts = assert_all_written(url, world, tally, WRITERS)
    print(f"http: {WRITERS} clients, statuses {statuses}, {counts}")


def test_http_clients_on_a_threaded_server_over_sqlite_lose_and_duplicate_nothing(sqlite_url):
    from waitress.server import create_server

    from web import create_app
    from web.wiring import build_services

    ledger = Ledger(Database.parse(sqlite_url))
    world = seed(ledger)
    ledger.close()
    services = build_services(sqlite_url, inline=True)
    app = create_app({"PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=services)
    server = create_server(app, host="127.0.0.1", port=free_port(), threads=WRITERS)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        hammer(f"http://127.0.0.1:{server.effective_port}", sqlite_url, world)
    finally:
        server.close()
        services.close()


def test_http_clients_on_gunicorn_workers_over_postgres_lose_and_duplicate_nothing(postgres_url, tmp_path):
    ledger = Ledger(Database.parse(postgres_url))
    world = seed(ledger)
    ledger.close()
    port = free_port()
    env = {**os.environ, "PVB_DATABASE_URL": postgres_url, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text",
           "PVB_SIGNING_KEY_FILE": str(tmp_path / "signing.pem"), "PYTHONPATH": str(REPO)}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [str(gunicorn), "-w", "3", "--threads", "2", "-b", f"127.0.0.1:{port}", "web:create_app()"],
        cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # until it answers (or exits)
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()[-3000:]
            try:
                if requests.get(base + "/healthz", timeout=10).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.1)
        hammer(base, postgres_url, world)
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert "Traceback" not in (tmp_path / "gunicorn.log").read_text()
