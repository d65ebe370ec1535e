"""A write storm against real processes, killed with SIGKILL at random moments, checked after each restart.

The processes are the production shape on either engine: the web server (``pvb serve`` on SQLite,
gunicorn with two workers on PostgreSQL), ``pvb projections run`` and ``pvb ledger seal --follow``
(``external``); or, on SQLite, ``pvb serve`` alone with views and seal kept inline (``inline``) or by
its follower thread (``background``, the default).
Writer threads post organisations, people and appointments over HTTP, each with an Idempotency-Key,
and record every acknowledged write (201 with its id and log position). At a random moment a random
non-empty set of the processes is killed with SIGKILL (each with its process group); the writers are
then paused, the dead processes restarted, and once the views and the seal have caught up:

- ``pvb verify`` reports the log intact (exit 0);
- every acknowledged write is in the log at the position it was acknowledged with, once;
- every event decodes and every aggregate rebuilds at its last version (nothing half-written);
- SQLite's integrity_check says ok;
- every view equals a rebuild of the log from the first event into a fresh database (SQLite file or
  PostgreSQL schema), and stands at the head: each event applied exactly once.

Full run: ``python -m tests.reliability.crash_storm --engine sqlite --kills 50`` (PostgreSQL:
``--engine postgres --url postgresql://postgres@127.0.0.1:5432/test``), or
``PVB_STORM_KILLS=50 python -m pytest tests/reliability/test_crash_storm.py``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.reliability.crash_checks import log_problems, sqlite_integrity, view_differences

BIN = Path(sys.executable).parent
KINDS = ("acute_trust", "ccg", "council", "community_mental_health_trust")
OFFICES = ("chair", "chief_executive")
LEASE = 1.0  # seconds: PVB_IDEMPOTENCY_LEASE for the storm's servers, so retries after a restart are decided


@dataclass
class Ack:
    """A write the server acknowledged: what, the id it answered, and the log position."""

    op: str
    id: str
    position: int
    detail: str  # the org code or the person's unique name


@dataclass
class Tally:
    """What the writers saw."""

    acked: list[Ack] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    unknown: int = 0  # the connection broke mid-request, or a 5xx: the outcome is not known
    refused: int = 0  # the server was down: nothing was sent
    retried: Counter = field(default_factory=Counter)  # unknown outcomes retried with their key, by answer
    stale_claims: list[str] = field(default_factory=list)  # keys answered 409 "still being processed"
    recovered: int = 0  # retries answered "recorded before the kill" (Idempotent-Replayed: recovered)
    pending: list[tuple[str, str, dict, str, str]] = field(default_factory=list)  # op, path, body, key, detail
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class CycleReport:
    """One kill and restart, and what the checks found."""

    number: int
    victims: list[str]
    events: int
    acked: int
    problems: list[str]
    seconds: float


class Storm:
    """Processes, writers and checks for one database URL."""

    def __init__(self, url: str, workdir: Path, *, mode: str = "external", writers: int = 4,
                 seed: int | None = None, log=print) -> None:  # type: ignore[no-untyped-def]
        self.url, self.workdir, self.mode, self.writers = url, workdir, mode, writers
        self.engine = "postgres" if url.startswith("postgres") else "sqlite"
        self.random = random.Random(seed)
        self.seed = seed
        self.log = log
        self.port = _free_port()
        self.env = {**os.environ, "PVB_DATABASE_URL": url, "PVB_SECRET_KEY": "storm",
                    "PVB_PROJECTIONS": mode, "PVB_LOG_FORMAT": "text", "PVB_READ_YOUR_WRITES_TIMEOUT": "1",
                    "PVB_IDEMPOTENCY_LEASE": str(LEASE),
                    "PVB_NEW_PASSWORD": "crash-test-pass-1"}
        self.processes: dict[str, subprocess.Popen] = {}
        self.tally = Tally()
        self.token = ""
        self.orgs: list[str] = []
        self.people: list[tuple[str, str]] = []  # (person id, org code)
        self._serial = 0
        self.exited_by_themselves: list[str] = []
        self._go = threading.Event()
        self._stop = threading.Event()
        self._busy = threading.Semaphore(writers)
        self._logs = open(workdir / "processes.log", "a")  # noqa: SIM115

    # Processes.
    def pvb(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run one pvb command against the storm's database."""
        done = subprocess.run([str(BIN / "pvb"), *args], env=self.env, cwd=self.workdir,
                              capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            raise RuntimeError(f"pvb {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done

    def set_up(self) -> None:
        """Create the ledger, an administrator and a write token."""
        self.pvb("init")
        self.pvb("users", "add", "storm", "--role", "admin")
        self.token = json.loads(self.pvb("tokens", "create", "storm", "--scope", "write", "--json").stdout)["token"]

    def commands(self) -> dict[str, list[str]]:
        """The command line of each process of the chosen shape."""
        if self.engine == "postgres":
            web = [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{self.port}", "--graceful-timeout", "1",
                   "web:create_app()"]
        else:
            web = [str(BIN / "pvb"), "serve", "--port", str(self.port), "--threads", "8"]
        if self.mode in ("inline", "background"):  # the web process keeps the views and the seal itself
            return {"web": web}
        return {"web": web, "projections": [str(BIN / "pvb"), "projections", "run", "--poll", "0.1"],
                "sealer": [str(BIN / "pvb"), "ledger", "seal", "--follow", "--interval", "0.2"]}

    def start(self, names: list[str] | None = None) -> None:
        """Start the named processes (all by default), each in a process group of its own."""
        for name, command in self.commands().items():
            if names is None or name in names:
                self.processes[name] = subprocess.Popen(
                    command, env=self.env, cwd=self.workdir, stdout=self._logs, stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
        self.wait_healthy()

    def kill(self, names: list[str]) -> None:
        """SIGKILL the named processes and everything in their process groups."""
        for name in names:
            process = self.processes[name]
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait()

    def stop_all(self) -> None:
        """Stop every process the storm started (SIGTERM, then SIGKILL)."""
        for process in self.processes.values():
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self._logs.close()

    def wait_healthy(self, timeout: float = 90) -> None:
        """Until /healthz answers 200 (the web server is up and the database reachable)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            dead = [n for n, p in self.processes.items() if p.poll() is not None]
            if dead or time.monotonic() > deadline:
                self._logs.flush()
                tail = (self.workdir / "processes.log").read_text()[-4000:]
                raise RuntimeError(f"processes {dead or 'alive'} but not healthy; log:\n{tail}")
            time.sleep(0.2)

    # HTTP.
    def request(self, method: str, path: str, body: dict | None = None,
                key: str | None = None) -> tuple[int, dict[str, Any]]:
        """One request; raises OSError when the connection fails."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if key:
            headers["Idempotency-Key"] = key
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        try:
            parsed = json.loads(raw or b"{}")
        except ValueError:
            parsed = {"raw": raw[:200].decode(errors="replace")}
        return response.status, parsed

    # Writers.
    def _next(self) -> int:
        with self.tally.lock:
            self._serial += 1
            return self._serial

    def _one_write(self, rng: random.Random) -> None:
        n = self._next()
        with self.tally.lock:
            orgs, people = list(self.orgs), list(self.people)
        roll = rng.random()
        if not orgs or roll < 0.25:
            op, code = "organisation", f"S{n:06d}"
            path, body, detail = "/api/v1/organisations", {"code": code, "name": f"Storm {n}",
                                                           "kind": rng.choice(KINDS)}, code
        elif not people or roll < 0.75:
            op, detail = "person", f"Storm person {n} {secrets.token_hex(3)}"
            path, body = "/api/v1/people", {"name": detail, "organisation": rng.choice(orgs), "title": "Storm"}
        else:
            op = "appointment"
            person, org = rng.choice(people)
            path, body, detail = (f"/api/v1/organisations/{org}/offices",
                                  {"office": rng.choice(OFFICES), "person_id": person}, org)
        self._send(op, path, body, f"storm-{n}", detail)

    def _send(self, op: str, path: str, body: dict, key: str, detail: str, retry: bool = False) -> None:
        try:
            status, answer = self.request("POST", path, body, key=key)
        except ConnectionRefusedError:
            with self.tally.lock:
                self.tally.refused += 1
            time.sleep(0.05)
            return
        except OSError:
            with self.tally.lock:
                self.tally.unknown += 1
                self.tally.pending.append((op, path, body, key, detail))
            return
        with self.tally.lock:
            if retry:
                self.tally.retried[status] += 1
            self.tally.statuses[status] += 1
            if status == 201 and "id" not in answer:  # recorded before a kill; its answer was lost
                self.tally.recovered += 1
                self.tally.acked.append(Ack(op, "", int(answer["position"]), detail))
            elif status == 201:
                self.tally.acked.append(Ack(op, str(answer["id"]), int(answer["position"]), detail))
                if op == "organisation":
                    self.orgs.append(detail)
                elif op == "person":
                    self.people.append((str(answer["id"]), body["organisation"]))
            elif status >= 500:
                self.tally.unknown += 1
                self.tally.pending.append((op, path, body, key, detail))
            elif status == 409 and "still being processed" in answer.get("message", ""):
                self.tally.stale_claims.append(key)

    def retry_unknown(self) -> None:
        """Send again, with the same Idempotency-Key, every write whose outcome was not known."""
        with self.tally.lock:
            pending, self.tally.pending = self.tally.pending, []
        for op, path, body, key, detail in pending:
            self._send(op, path, body, key, detail, retry=True)

    def _writer(self, number: int) -> None:
        rng = random.Random(self.random.random() + number)
        while not self._stop.is_set():
            if not self._go.wait(0.1):
                continue
            with self._busy:
                if self._go.is_set():
                    self._one_write(rng)

    def pause_writers(self) -> None:
        """Stop issuing writes and wait for those in flight to finish."""
        self._go.clear()
        for _ in range(self.writers):
            self._busy.acquire()
        for _ in range(self.writers):
            self._busy.release()

    # Checks.
    def wait_caught_up(self, services: Any, timeout: float = 120) -> None:
        """Until every view is at the head and the seal covers it."""
        deadline = time.monotonic() + timeout
        while True:
            exited = [n for n, p in self.processes.items() if p.poll() is not None]
            if exited:  # a process died by itself: a finding; restart it so the storm goes on
                self.exited_by_themselves += [f"{n} (exit {self.processes[n].returncode})" for n in exited]
                self.start(exited)
            lagging = [s.name for s in services.projections.status() if s.lag]
            unsealed = services.ledger.seal_status().unsealed
            if not lagging and not unsealed:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"not caught up after {timeout}s: views {lagging}, {unsealed} unsealed")
            time.sleep(0.2)

    def check(self) -> tuple[int, list[str]]:
        """Every property the storm promises; returns (events in the log, problems)."""
        from web.wiring import build_services

        problems: list[str] = []
        seen_exits = len(self.exited_by_themselves)
        services = build_services(self.url, inline=False)
        try:
            self.wait_caught_up(services)
            verify = self.pvb("verify", "--json", check=False)
            report = json.loads(verify.stdout or "{}")
            if verify.returncode != 0 or not report.get("intact") or report.get("unsealed"):
                problems.append(f"pvb verify exit {verify.returncode}: {report.get('summary')} "
                                f"{verify.stderr[-500:]}")
            events, by_position, found = log_problems(services.ledger)
            problems += found
            problems += self._acks_present(services, by_position)
            problems += view_differences(services.ledger, services.projections, self.workdir)
        finally:
            services.close()
        problems += [f"{e} exited by itself after a restart" for e in self.exited_by_themselves[seen_exits:]]
        if self.engine == "sqlite":
            verdict = sqlite_integrity(self.url.removeprefix("sqlite:///"))
            if verdict != "ok":
                problems.append(f"sqlite integrity_check: {verdict}")
        return events, problems

    def _acks_present(self, services: Any, by_position: dict[int, str]) -> list[str]:
        problems = []
        ledger = services.ledger
        with self.tally.lock:
            acked = list(self.tally.acked)
        names = Counter()
        for n in _person_joins(ledger):
            names[n] += 1
        orgs = {}
        for ack in acked:
            originator = by_position.get(ack.position)
            if originator is None:
                problems.append(f"acknowledged {ack.op} {ack.detail} at {ack.position} is not in the log")
                continue
            if ack.op == "person":
                if ack.id and originator != ack.id:
                    problems.append(f"position {ack.position} holds {originator}, not person {ack.id}")
                if names[ack.detail] != 1:
                    problems.append(f"person {ack.detail} joined {names[ack.detail]} times")
            else:
                if ack.detail not in orgs:
                    orgs[ack.detail] = str(ledger._organisation(ack.detail).id)
                if originator != orgs[ack.detail]:
                    problems.append(f"position {ack.position} holds {originator}, not organisation {ack.detail}")
        return problems

    # The storm.
    def run(self, kills: int, min_run: float = 0.5, max_run: float = 3.0) -> list[CycleReport]:
        """Start, then kill and restart kills times, checking after each restart."""
        self.set_up()
        self.start()
        threads = [threading.Thread(target=self._writer, args=(i,), daemon=True) for i in range(self.writers)]
        for thread in threads:
            thread.start()
        reports = []
        try:
            for number in range(1, kills + 1):
                self._go.set()
                time.sleep(self.random.uniform(min_run, max_run))
                names = list(self.commands())
                victims = names if number == 1 else sorted(  # the first kill takes every process down
                    self.random.sample(names, self.random.randint(1, len(names))))
                self.kill(victims)
                time.sleep(self.random.uniform(0, 0.3))  # writers meet the dead server
                self.pause_writers()
                started = time.monotonic()
                self.start(victims)
                time.sleep(LEASE)  # a killed request's claim counts as dead after the lease
                self.retry_unknown()
                events, problems = self.check()
                with self.tally.lock:
                    acked = len(self.tally.acked)
                report = CycleReport(number, victims, events, acked, problems, time.monotonic() - started)
                reports.append(report)
                self.log(f"kill {number}/{kills}: SIGKILL {'+'.join(victims)}; {events} events, {acked} acked, "
                         f"{len(problems)} problem(s), checked in {report.seconds:.1f}s")
                for problem in problems[:10]:
                    self.log(f"  {problem}")
        finally:
            self.pause_writers()
            self._stop.set()
            for thread in threads:
                thread.join(timeout=60)
            self.stop_all()
        return reports

    def summary(self, reports: list[CycleReport]) -> str:
        """One paragraph for docs/reliability.md."""
        victims = Counter(v for r in reports for v in r.victims)
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(self.tally.statuses.items()))
        failed = [r for r in reports if r.problems]
        return (f"{self.engine} ({self.mode}), {self.writers} writers, seed {self.seed}: {len(reports)} kills "
                f"({', '.join(f'{k} {v}' for k, v in sorted(victims.items()))}), "
                f"{reports[-1].events if reports else 0} events, {len(self.tally.acked)} acknowledged writes; "
                f"answers {statuses}; {self.tally.refused} refused while down; {self.tally.unknown} with unknown "
                f"outcome, retried with their key: {dict(self.tally.retried)}, "
                f"{self.tally.recovered} answered as recorded before the kill, "
                f"{len(self.tally.stale_claims)} left claimed by a killed request; "
                f"{len(failed)} restart(s) with problems")


def _person_joins(ledger: Any) -> list[str]:
    from eventsourcing.utils import get_topic

    from domain.person import Person

    topic = get_topic(Person.Joined)
    names = []
    position = 0
    while True:
        found = ledger.recorder.select_notifications(start=position + 1, limit=2000, topics=[topic])
        if not found:
            return names
        for n in found:
            names.append(str(ledger.mapper.to_domain_event(n).name))
        position = found[-1].id


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    """Command line for the full storm."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--url", help="PostgreSQL database URL (a fresh schema is made in it)",
                        default=os.environ.get("PVB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--mode", choices=["external", "inline", "background"], default="external")
    parser.add_argument("--kills", type=int, default=int(os.environ.get("PVB_STORM_KILLS", "20")))
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workdir", type=Path, help="where the SQLite file and logs go (default: a new temp dir)")
    args = parser.parse_args()
    import tempfile

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="pvb-storm-"))
    workdir.mkdir(parents=True, exist_ok=True)
    seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
    schema = None
    if args.engine == "sqlite":
        url = f"sqlite:///{workdir / 'ledger.sqlite'}"
    else:
        import psycopg

        from application import Database

        schema = f"pvb_storm_{secrets.token_hex(4)}"
        db = Database.parse(args.url)
        with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password or None,
                             dbname=db.name, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        url = f"{args.url.split('?')[0]}?schema={schema}"
    storm = Storm(url, workdir, mode=args.mode, writers=args.writers, seed=seed)
    print(f"storm on {url}, workdir {workdir}, seed {seed}")
    try:
        reports = storm.run(args.kills)
    finally:
        if schema is not None:
            with psycopg.connect(host=db.host, port=db.port, user=db.user, password=db.password or None,
                                 dbname=db.name, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    print(storm.summary(reports))
    sys.exit(1 if any(r.problems for r in reports) else 0)


if __name__ == "__main__":
    main()
