"""Pages under load, and memory: `python bench/bench_pages.py --database-url URL --signing-key-file KEY`.

Serves a generated ledger (bench/generate.py; views caught up, e.g. by bench/bench_rebuild.py)
with gunicorn in the production shape (PVB_PROJECTIONS=external, `pvb projections run` beside
it), signs in as the governance lead, then loads each page in turn from a small Python driver
(threads on this machine, one request per connection, a fixed number of requests), with 1 and
then 2 workers and as many client threads as workers (every worker always busy, no request
queued behind another): requests per second, p50, p95 and p99. The reference measured in the same run is
GET /healthz (a database round trip, no view). Then the peak resident memory (VmHWM) of each
web worker and of the projection process. Targets (issue 8): dashboards p95 within 50 ms at a
million events, throughput that grows with workers, a worker under 250 MB.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import BENCH_PASSWORD  # noqa: E402
from bench.load import BIN, drive, gunicorn, login, peak_rss_mb, request  # noqa: E402

PAGES = [  # (label, path or a list of paths); concern pages are found at run time
    ("home", "/"),
    ("adherence dashboard", "/adherence"),
    ("adherence of one organisation", "/adherence/NVH"),
    ("meetings", "/meetings"),
    ("concern statistics", "/concerns/statistics"),
    ("feedback", "/feedback"),
    ("objectives", "/objectives"),
    ("escalation board", "/concerns/board"),
]


def concern_pages(base: str, headers: dict[str, str], rng: random.Random, want: int = 20) -> list[str]:
    """Paths of concern pages the governance lead may read (confidential ones answer 404)."""
    status, body, _ = request(base, "GET", "/concerns/board", headers)
    numbers = sorted({int(n) for n in re.findall(rb"/concerns/C-(\d+)", body)}) if status == 200 else []
    top = max(numbers or [1])
    found: list[str] = []
    for _ in range(want * 5):
        path = f"/concerns/C-{rng.randint(1, max(top, 1000))}"
        if request(base, "GET", path, headers)[0] == 200:
            found.append(path)
        if len(found) >= want:
            break
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a generated ledger with its views caught up")
    parser.add_argument("--signing-key-file", default="")
    parser.add_argument("--requests", type=int, default=200, help="per page and worker count")
    parser.add_argument("--concurrency", type=int, default=0, help="client threads; default: one per worker")
    parser.add_argument("--workers", default="1,2")
    args = parser.parse_args()
    where = tempfile.mkdtemp(prefix="pvb-bench-pages-")
    env = {"PVB_DATABASE_URL": args.database_url, "PVB_SECRET_KEY": "bench", "PVB_PROJECTIONS": "external",
           "PVB_LOG_FORMAT": "json"}
    if args.signing_key_file:
        env["PVB_SIGNING_KEY_FILE"] = args.signing_key_file
    log = os.path.join(where, "processes.log")
    print(f"logs in {log}")
    follower = subprocess.Popen([str(BIN / "pvb"), "projections", "run"], env={**os.environ, **env}, cwd=where,
                                stdout=open(log, "a"), stderr=subprocess.STDOUT)  # noqa: SIM115
    rng = random.Random(5)
    worker_rss: list[float] = []
    try:
        for workers in [int(w) for w in args.workers.split(",")]:
            with gunicorn(env, workers, where, log) as server:
                concurrency = args.concurrency or workers
                headers = {"Cookie": login(server.base, "lead", BENCH_PASSWORD)}
                pages: list[tuple[str, list[str]]] = [(label, [path]) for label, path in PAGES]
                pages.append(("a concern page", concern_pages(server.base, headers, rng)))
                print(f"\n{workers} worker(s), {concurrency} client threads, {args.requests} requests each:")
                reference = drive(server.base, "GET", ["/healthz"], headers={}, concurrency=concurrency,
                                  requests=args.requests)
                print("  " + reference.line("GET /healthz (reference)"))
                for label, paths in pages:
                    if not paths:
                        print(f"  {label}: none found")
                        continue
                    for path in paths[:1]:  # warm each page once (template compile, first query)
                        request(server.base, "GET", path, headers)
                    result = drive(server.base, "GET", paths, headers=headers, concurrency=concurrency,
                                   requests=args.requests)
                    print("  " + result.line(label) + f"  {result.rate / reference.rate:.2f}x /healthz rate")
                for pid in server.worker_pids():
                    worker_rss.append(peak_rss_mb(pid))
                    print(f"  worker {pid}: peak resident memory {worker_rss[-1]:.0f} MB")
        print(f"\nprojection process (pvb projections run, following): peak resident memory "
              f"{peak_rss_mb(follower.pid):.0f} MB")
        print(f"largest web worker: {max(worker_rss):.0f} MB; target < 250 MB: "
              f"{'met' if max(worker_rss) < 250 else 'missed'}")
    finally:
        follower.terminate()
        follower.wait(timeout=30)


if __name__ == "__main__":
    main()
