"""Seal and verify rates against reading the raw log: `python bench/bench_verify.py --events 200000`.

Fills a fresh ledger with synthetic stored events (about the size of real ones), then measures
sealing them, `verify` over them, and reading the same rows without hashing (the reference).
With `--database-url URL --signing-key-file KEY` it measures a ledger that already holds events
instead (e.g. one made by bench/generate.py, which seals it): the raw read and verify only.
Target (issue 8): verify at least 100,000 events per second.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid

from eventsourcing.persistence import StoredEvent

from application import Database, Ledger


def fill(ledger: Ledger, n: int) -> None:
    """Insert n stored events directly, in batches (no decoding, no projections)."""
    state = json.dumps({
        "timestamp": {"_type_": "datetime_iso", "_data_": "2026-03-31T17:00:00.000000+00:00"},
        "originator_topic": "domain.meeting:Meeting", "actor_id": "lead", "actor_role": "governance_lead",
        "occurred_on": {"_type_": "date_iso", "_data_": "2026-03-31"}, "person_id": str(uuid.uuid4()),
        "organisation": "NVH", "verdict": "adhered", "catalogue_items": ["B-1", "V-2"], "framework_version": 1,
        "comment": {"_type_": "personal", "_data_": {"s": "x", "n": "y" * 16, "c": "z" * 120}},
    }).encode()
    for start in range(0, n, 2000):
        ledger.recorder.insert_events([
            StoredEvent(uuid.uuid4(), 1, "domain.meeting:Meeting.VoteCast", state)
            for _ in range(min(2000, n - start))
        ])


def read_raw(ledger: Ledger) -> int:
    """Read every row of the log in batches as plain tuples, without hashing (the reference)."""
    count, after = 0, 0
    store = ledger._sealing.store
    while True:
        with store.transaction(commit=False) as c:
            rows = store.event_tuples(c, after, 5000, 2**62)
        if not rows:
            return count
        count += len(rows)
        after = rows[-1][0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file; a ledger that "
                        "already holds events is measured as it is (its seal made beforehand)")
    parser.add_argument("--signing-key-file", default="", help="the key that sealed an existing ledger")
    args = parser.parse_args()
    where = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{os.path.join(where, 'bench.sqlite')}"
    ledger = Ledger(Database.parse(url))
    ledger.use_signing_key(args.signing_key_file or os.path.join(where, "key.pem"))
    steps = [("seal", ledger.seal_pending), ("read raw log", lambda: read_raw(ledger)),
             ("verify", ledger.verify_log)]
    if ledger.max_position() > 0:
        args.events = ledger.max_position()
        ledger.seal_pending()  # anything written since the generator sealed
        steps = steps[1:]
        print(f"measuring the {args.events:,} events already in {url}")
    else:
        fill(ledger, args.events)
    timings, cpu = {}, {}
    for name, run in steps:
        started, cpu_started = time.perf_counter(), time.process_time()
        result = run()
        timings[name] = time.perf_counter() - started
        cpu[name] = time.process_time() - cpu_started
        if name == "verify":
            assert result.intact, result.problems  # type: ignore[union-attr]
    for name, seconds in timings.items():
        print(f"{name:<14} {args.events / seconds:>12,.0f} events/s  ({seconds:.2f}s; "
              f"{args.events / cpu[name]:,.0f} events per CPU second)")
    print(f"verify takes {timings['verify'] / timings['read raw log']:.1f}x as long as reading the raw log "
          f"({cpu['verify'] / cpu['read raw log']:.1f}x its CPU time); load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    ledger.close()


if __name__ == "__main__":
    main()
