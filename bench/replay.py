"""Replay speed at scale: `python bench/replay.py --events 1000000 [--database-url URL]`.

Fills a fresh ledger with real domain events (people joining and moving, feedback given,
responded to and corrected, spread over three years in the world), brings the live views up to
date, makes replay checkpoints, then replays views to random moments, "known at" and "as of",
and prints how long each step took. Target (issue 6): any replay answers in seconds.
Results are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from uuid import uuid4

from application import Database, Ledger
from domain.feedback import Feedback, OrganisationRef, make_example
from domain.organisation import Organisation
from domain.person import Person
from domain.user import User
from domain.values import SYSTEM, Actor, OrganisationKind, Role
from projections import ALL_VIEWS, Projections
from projections.replay import Replayer

TRUSTS = [f"T{n:02d}" for n in range(12)]
CQC = OrganisationRef("CQC", OrganisationKind.REGULATOR)
INSPECTOR = Actor("cqc", Role.REGULATOR, "CQC")
ICHAIR = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP")
START = date(2023, 4, 1)


def fill(ledger: Ledger, total: int, people: int, feedback_share: float, batch: int = 2000) -> None:
    """Write about `total` events through the domain and the ledger, `batch` at a time.

    Most are sign-ins (as in a real ledger, where logins dominate); `feedback_share` are
    feedback given, responded to or corrected; the rest are people joining and moving.
    """
    rng = random.Random(6)
    ledger.save(*[
        Organisation.register(code, f"Trust {code}", OrganisationKind.ACUTE_TRUST, SYSTEM, START)
        for code in TRUSTS
    ])
    users = [User.add(username=f"user{n}", role=Role.STAFF, organisation=rng.choice(TRUSTS), person_id=None,
                      password_hash="x", actor=SYSTEM, occurred_on=START) for n in range(300)]
    ledger.save(*users)
    persons: list[Person] = []
    written, pending, pending_events = 1 + len(TRUSTS) + len(users), {}, 0
    day = 0
    while written < total:
        day = min(day + (1 if rng.random() < 1095 / max(total, 1) else 0), 3 * 365)
        when = START + timedelta(days=day)
        roll = rng.random()
        events = 1
        if roll < feedback_share:
            item = _feedback(rng, when)
            if rng.random() < 0.6:
                item.respond("acknowledged", "Thank you", None, ICHAIR, when + timedelta(days=3))
                events += 1
            if rng.random() < 0.2 and item.tenor.value != "concerning":
                item.correct(tenor="concerning", summary=None, examples=None, reason="misread",
                             actor=INSPECTOR, occurred_on=when + timedelta(days=20))
                events += 1
        elif roll < 0.4 and len(persons) < people:
            item = Person.join(id=uuid4(), name=f"Person {len(persons)}", organisation=rng.choice(TRUSTS),
                               title="Nurse", senior_leader=False, clinical=True, actor=SYSTEM, occurred_on=when)
            persons.append(item)
        elif roll < 0.4 and persons:
            item = rng.choice(persons)
            item.move(rng.choice(TRUSTS), "Matron", rng.random() < 0.1, SYSTEM, when)
        else:
            item = rng.choice(users)
            item.record_sign_in(True, when)
        pending[item.id] = item
        pending_events += events
        written += events
        if pending_events >= batch:
            ledger.save(*pending.values())
            pending, pending_events = {}, 0
    if pending:
        ledger.save(*pending.values())


def _feedback(rng: random.Random, when: date) -> Feedback:
    example = make_example(when - timedelta(days=5), "Spoke up in the system meeting", given_on=when)
    return Feedback.give(
        id=uuid4(), about=OrganisationRef(rng.choice(TRUSTS), OrganisationKind.ACUTE_TRUST), giver=CQC,
        recipient_person_id=None, tenor=rng.choice(["positive", "mixed", "concerning"]),
        summary="Open in meetings, quieter on the wards", examples=[example], citations=(1, ["V-2"]),
        actor=INSPECTOR, occurred_on=when,
    )


def timed(label: str, action, results: dict) -> object:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    value = action()
    results[label] = time.perf_counter() - started
    print(f"{label:<44} {results[label]:8.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--feedback-share", type=float, default=0.1, help="share of events that are feedback")
    parser.add_argument("--replays", type=int, default=5, help="random moments per view and kind")
    parser.add_argument("--views", default="feedback,directory,timeline")
    parser.add_argument("--checkpoint-every", type=int, default=10_000)
    parser.add_argument("--fresh-checkpoints", action="store_true", help="delete kept checkpoints first")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file; a ledger "
                        "that already holds events is reused as it is")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{os.path.join(tempfile.mkdtemp(), 'bench.sqlite')}"
    ledger = Ledger(Database.parse(url))
    ledger.init_framework(SYSTEM)
    results: dict[str, float] = {}
    if ledger.max_position() > 1:
        print(f"reusing the {ledger.max_position():,} events already in {url}")
    else:
        timed(f"write {args.events:,} events", lambda: fill(ledger, args.events, args.people, args.feedback_share), results)
    projections = Projections(ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema)
    timed("live views catch up from the first event", projections.catch_up, results)
    replayer = Replayer.for_projections(projections, checkpoint_every=args.checkpoint_every, cache_size=1)
    names = args.views.split(",")
    if args.fresh_checkpoints:
        replayer.checkpoints.clear()
    timed("make checkpoints (pvb replay-checkpoints)", lambda: replayer.ensure_checkpoints(names), results)
    head, rng = ledger.max_position(), random.Random(7)
    timeline = projections["timeline"]
    for name in names:
        for kind in ("known at", "as of"):
            times = []
            for _ in range(args.replays):
                position = rng.randint(1, head)
                started = time.perf_counter()
                if kind == "known at":
                    moment = datetime.fromisoformat(timeline.get(position)["recorded_at"])
                    replay = replayer.replay(name, known_at=moment)
                else:
                    replay = replayer.replay(name, as_of=START + timedelta(days=rng.randint(0, 3 * 365)))
                times.append(time.perf_counter() - started)
                del replay
            label = f"replay {name} {kind} (median, p95, max of {args.replays})"
            results[label] = statistics.median(times)
            p95 = sorted(times)[min(len(times) - 1, int(0.95 * len(times)))]
            print(f"{label:<44} {statistics.median(times):8.2f} s  p95 {p95:.2f} s  max {max(times):.2f} s",
                  flush=True)
    print(f"head {head:,}; checkpoints kept: {len(replayer.checkpoints.list())}")
    replayer.close()
    ledger.close()


if __name__ == "__main__":
    main()
