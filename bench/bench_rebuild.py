"""Projection rebuild against reading the log: `python bench/bench_rebuild.py --database-url URL`.

Takes a ledger made by bench/generate.py (or makes one of `--events` in a temporary SQLite file),
then measures, in the same run:
- the reference: reading every notification of the log in batches and decoding each into its
  domain event (the library's mapper: decryption and JSON included), nothing applied;
- the rebuild: every view emptied and caught up from the first event (`pvb projections rebuild`).
Prints events per second of each and their ratio. Target (issue 8): rebuild at least 30,000
events per second on SQLite. Results are recorded in docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application import Database, Ledger  # noqa: E402
from projections import ALL_VIEWS, Projections  # noqa: E402


def read_and_decode(ledger: Ledger, batch: int = 1000) -> int:
    """Read the whole notification log in batches and decode every event (the reference)."""
    count, start = 0, 1
    while True:
        notifications = ledger.recorder.select_notifications(start=start, limit=batch)
        if not notifications:
            return count
        for n in notifications:
            ledger.mapper.to_domain_event(n)
        count += len(notifications)
        start = notifications[-1].id + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="", help="a generated ledger; default: generate one")
    parser.add_argument("--events", type=int, default=100_000, help="events to generate when no URL is given")
    parser.add_argument("--views", default="", help="comma-separated view names; default: all")
    args = parser.parse_args()
    url = args.database_url
    if not url:
        from bench.generate import generate

        url = f"sqlite:///{os.path.join(tempfile.mkdtemp(prefix='pvb-bench-'), 'ledger.sqlite')}"
        generate(Ledger(Database.parse(url)), args.events)
    ledger = Ledger(Database.parse(url))
    head = ledger.max_position()
    projections = Projections(ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema)
    names = args.views.split(",") if args.views else list(projections.views)
    print(f"{head:,} events in {url}; {len(names)} views")
    started, cpu = time.perf_counter(), time.process_time()
    read_and_decode(ledger)
    reference, reference_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"read and decode the log      {head / reference:>10,.0f} events/s  ({reference:.1f} s; "
          f"{head / reference_cpu:,.0f} events per CPU second)", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    projections.rebuild(names)
    rebuild, rebuild_cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"rebuild {len(names)} views from event 1 {head / rebuild:>10,.0f} events/s  ({rebuild:.1f} s; "
          f"{head / rebuild_cpu:,.0f} events per CPU second)")
    print(f"rebuild takes {rebuild / reference:.2f}x as long as reading and decoding the log "
          f"(ratio of rates {reference / rebuild:.2f}; of CPU time {rebuild_cpu / reference_cpu:.2f}x)")
    print(f"load average while it ran: {os.getloadavg()[0]:.1f} (the machine has {os.cpu_count()} CPUs)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of this process: {rss:,.0f} MB")
    print(f"target >= 30,000 events/s: {'met' if head / rebuild >= 30_000 else 'missed'}")
    ledger.close()


if __name__ == "__main__":
    main()
