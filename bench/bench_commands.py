"""Commands against the bare library: `python bench/bench_commands.py [--postgres URL] [--http]`.

The same work four ways, each into a fresh database of its own, in the same run:
- the reference: a bare eventsourcing Application (same persistence module, same database
  engine, plain transcodings for dates and personal data, no encryption) saving the very
  events the commands make: a person joins, moves, and a meeting's minutes are recorded (six
  attendees: opening check, six votes, close), one save per command;
- the ledger's commands alone (authorisation, validation, loading aggregates, encryption);
- the ledger's commands with every view caught up and the log sealed after each write
  (PVB_PROJECTIONS=inline);
- the ledger's commands as the web app runs them by default (PVB_PROJECTIONS=background): the
  views and the seal kept by the follower thread, the time running until it has applied and
  sealed the last event.
With `--http`, the same commands through HTTP: gunicorn (2 workers), the production shape
(PVB_PROJECTIONS=external with `pvb projections run`, each write waiting to be read back),
4 client threads: requests per second, p50, p99.
Target (issue 8): the default way at least 0.5 times the bare library's rate, on each engine.
Results are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.persistence import JSONTranscoder, Transcoding  # noqa: E402

from application import Database, Ledger  # noqa: E402
from application.meeting_details import VoteInput  # noqa: E402
from application.transcodings import DateAsISO  # noqa: E402
from domain.meeting import Meeting  # noqa: E402
from domain.meeting_body import MeetingBody  # noqa: E402
from domain.organisation import Organisation  # noqa: E402
from domain.person import Person  # noqa: E402
from domain.values import SYSTEM, OrganisationKind, Personal  # noqa: E402

ORGS = ("NVH", "RFH", "SCC")
DAY = date(2026, 3, 2)


class PlainPersonal(Transcoding):
    """Personal data as plain JSON: the bare library has no per-person encryption."""

    type = Personal
    name = "personal"

    def encode(self, obj: Personal) -> dict[str, Any]:
        return {"s": obj.subject_id, "t": obj.text}

    def decode(self, data: dict[str, Any]) -> Personal:
        return Personal(data["s"], data["t"])


class Bare(Application):
    """A bare eventsourcing Application, taught only how to write dates and personal data."""

    name = "bare"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())
        transcoder.register(PlainPersonal())


def bare_run(database: Database, n: int) -> float:
    """n iterations of: a person joins, moves, and a meeting is recorded; seconds taken."""
    app = Bare(env=database.library_env())
    app.save(*[Organisation.register(code, code, OrganisationKind.ACUTE_TRUST, SYSTEM, DAY) for code in ORGS])
    attendees = [Person.join(id=uuid4(), name=f"Attendee {i}", organisation=ORGS[i % 3], title="Director",
                             senior_leader=True, clinical=False, actor=SYSTEM, occurred_on=DAY) for i in range(6)]
    body = MeetingBody.establish(code="PB", name="Programme Board", kind="programme_board", reports_to=None,
                                 vote_mode="by_attendee", actor=SYSTEM, occurred_on=DAY)
    app.save(*attendees, body)
    pairs = [(str(p.id), p.organisation) for p in attendees]
    started = time.perf_counter()
    for i in range(n):
        person = Person.join(id=uuid4(), name=f"Person {i}", organisation="NVH", title="Manager",
                             senior_leader=False, clinical=True, actor=SYSTEM, occurred_on=DAY)
        app.save(person)
        person.move("RFH", "Director", True, SYSTEM, DAY)
        app.save(person)
        meeting = Meeting.record(id=uuid4(), body="PB", title=f"Board {i}", chair=pairs[0], attendees=pairs[1:],
                                 vote_mode="by_attendee", actor=SYSTEM, held_on=DAY)
        meeting.check_representation(all_views_represented=True, missing_views=[], speaking_up_expected=True,
                                     actor=SYSTEM, occurred_on=DAY)
        for pid, _ in pairs:
            meeting.cast_vote(person_id=pid, verdict="adhered", catalogue_items=[], framework_version=1,
                              comment=None, actor=SYSTEM, occurred_on=DAY)
        meeting.close_voting(SYSTEM, DAY)
        app.save(meeting)
    seconds = time.perf_counter() - started
    app.close()
    return seconds


def ledger_run(database_url: str, n: int, mode: str, key_file: str) -> float:
    """The same through the ledger's commands, with the views and the seal kept by mode.

    alone: not at all; inline: after each write, before the command returns; background: by
    the web app's follower thread, and the time runs until it has caught up and sealed the last.
    """
    from web.wiring import build_services

    services = build_services(database_url, inline=mode == "inline", background=mode == "background",
                              signing_key_file=key_file)
    ledger = services.ledger
    ledger.init_framework(SYSTEM, occurred_on=DAY)
    for code in ORGS:
        ledger.register_organisation(SYSTEM, code=code, name=code, kind="acute_trust", occurred_on=DAY)
    attendees = [ledger.add_person(SYSTEM, name=f"Attendee {i}", organisation=ORGS[i % 3], title="Director",
                                   senior_leader=True, occurred_on=DAY) for i in range(6)]
    ledger.establish_body(SYSTEM, code="PB", name="Programme Board", kind="programme_board", occurred_on=DAY)
    votes = [VoteInput(pid, "adhered", (), None) for pid in attendees]
    started = time.perf_counter()
    for i in range(n):
        pid = ledger.add_person(SYSTEM, name=f"Person {i}", organisation="NVH", title="Manager", clinical=True,
                                occurred_on=DAY)
        ledger.move_person(SYSTEM, pid, organisation="RFH", title="Director", senior_leader=True, occurred_on=DAY)
        ledger.record_minutes(SYSTEM, body="PB", title=f"Board {i}", chair_person_id=attendees[0],
                              attendee_ids=attendees[1:], held_on=DAY, opening_check={"all_views_represented": True},
                              votes=votes, close=True)
    if services.follower is not None:
        if not services.follower.wait_for(ledger.max_position(), 600):
            raise RuntimeError("the follower did not catch up within 10 minutes")
        ledger.seal_pending()  # whatever the follower has not sealed yet
    seconds = time.perf_counter() - started
    services.close()
    return seconds


def databases(engine: str, postgres: str, where: str) -> tuple[list[str], Any]:
    """Four fresh databases (bare, ledger, inline, background) and a function dropping them."""
    names = ("bare", "ledger", "inline", "background")
    if engine == "sqlite":
        return [f"sqlite:///{where}/{name}.sqlite" for name in names], lambda: None
    import psycopg

    db = Database.parse(postgres)
    conninfo = dict(host=db.host, port=db.port, user=db.user, password=db.password or None, dbname=db.name)
    schemas = [f"pvb_bench_{name}_{secrets.token_hex(4)}" for name in names]
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f'CREATE SCHEMA "{schema}"')

    def drop() -> None:
        with psycopg.connect(**conninfo, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    sep = "&" if "?" in postgres else "?"
    return [f"{postgres}{sep}schema={schema}" for schema in schemas], drop


def in_process(engine: str, postgres: str, n: int, rounds: int) -> float:
    """The three in-process measurements on one engine, interleaved in rounds; returns the inline rate.

    Each round runs bare, ledger and inline back to back, each into a fresh database, so that a
    change in the machine's load hits all three alike; the figures are the medians over rounds,
    and the ratio is the median of each round's own ratio.
    """
    events = 11 * n  # 1 join + 1 move + 9 meeting events per iteration
    times: dict[str, list[float]] = {"bare": [], "alone": [], "inline": [], "background": []}
    for round_ in range(rounds):
        where = tempfile.mkdtemp(prefix="pvb-bench-")
        urls, drop = databases(engine, postgres, where)
        try:
            times["bare"].append(bare_run(Database.parse(urls[0]), n))
            for i, mode in enumerate(("alone", "inline", "background"), start=1):
                times[mode].append(ledger_run(urls[i], n, mode, f"{where}/key{i}.pem"))
        finally:
            drop()
        print(f"  {engine} round {round_ + 1}/{rounds}: " + ", ".join(
              f"{key} {3 * n / times[key][-1]:.0f}" for key in times) +
              f" commands/s (load average {os.getloadavg()[0]:.1f})", flush=True)
    print(f"\n{engine}: {n} iterations = {3 * n} commands, {events} events, median of {rounds} rounds")
    for label, key in (("bare eventsourcing Application", "bare"), ("ledger commands", "alone"),
                       ("ledger commands, views + seal inline", "inline"),
                       ("ledger commands, views + seal in thread", "background")):
        seconds = statistics.median(times[key])
        ratio = statistics.median(b / s for b, s in zip(times["bare"], times[key], strict=True))
        print(f"  {label:<38} {3 * n / seconds:8.1f} commands/s  {events / seconds:8.0f} events/s  "
              f"ratio to bare {ratio:5.2f}")
    ratio = statistics.median(b / s for b, s in zip(times["bare"], times["background"], strict=True))
    verdict = "met" if ratio >= 0.5 else "missed"
    print(f"  target >= 0.5x bare (views + seal in the follower thread, as the web app runs by default): "
          f"{verdict}")
    return 3 * n / statistics.median(times["background"])


def over_http(postgres: str, n: int, reference: float) -> None:
    """The same commands through gunicorn in the production shape, on PostgreSQL."""
    from bench.load import BIN, drive, gunicorn, request

    where = tempfile.mkdtemp(prefix="pvb-bench-http-")
    urls, drop = databases("postgres", postgres, where)
    url = urls[0]
    env = {**os.environ, "PVB_DATABASE_URL": url, "PVB_SECRET_KEY": "bench", "PVB_PROJECTIONS": "external",
           "PVB_SIGNING_KEY_FILE": f"{where}/key.pem", "PVB_LOG_FORMAT": "json"}
    log = f"{where}/processes.log"
    follower = None
    try:
        def pvb(*args: str) -> str:
            return subprocess.run([str(BIN / "pvb"), *args], env=env, cwd=where, check=True, capture_output=True,
                                  text=True, timeout=300).stdout

        pvb("init")
        ledger = Ledger(Database.parse(url))
        for code in ORGS:
            ledger.register_organisation(SYSTEM, code=code, name=code, kind="acute_trust", occurred_on=DAY)
        ledger.add_user(SYSTEM, username="benchlead", password="pvb-bench-2026", role="governance_lead",
                        organisation=None, person_id=None)
        ledger.close()
        token = pvb("tokens", "create", "benchlead", "--scope", "write").strip()
        follower = subprocess.Popen([str(BIN / "pvb"), "projections", "run"], env=env, cwd=where,
                                    stdout=open(log, "a"), stderr=subprocess.STDOUT)  # noqa: SIM115
        with gunicorn(env, 2, where, log) as server:
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            bodies = [json.dumps({"name": f"Person {i}", "organisation": ORGS[i % 3], "title": "Manager"}).encode()
                      for i in range(n)]
            assert request(server.base, "GET", "/healthz")[0] == 200
            result = drive(server.base, "POST", ["/api/v1/people"], headers=headers, concurrency=4,
                           requests=n, bodies=bodies, expect=201)
            print("\nPostgreSQL through HTTP (gunicorn -w 2, external projections, read-your-writes):")
            print("  " + result.line("POST /api/v1/people"))
            print(f"  ratio to the in-process commands on PostgreSQL (follower thread): {result.rate / reference:.2f}")
    finally:
        if follower is not None:
            follower.terminate()
            follower.wait(timeout=30)
        drop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--iterations", type=int, default=300, help="each: a join, a move, a meeting (11 events)")
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL to measure on as well (fresh schemas "
                        "are made and dropped)")
    parser.add_argument("--http", action="store_true", help="also through HTTP with gunicorn (needs --postgres)")
    parser.add_argument("--http-requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the three runs, interleaved (medians)")
    args = parser.parse_args()
    in_process("sqlite", "", args.iterations, args.rounds)
    if args.postgres:
        reference = in_process("postgres", args.postgres, args.iterations, args.rounds)
        if args.http:
            over_http(args.postgres, args.http_requests, reference)


if __name__ == "__main__":
    main()
