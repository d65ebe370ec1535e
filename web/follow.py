"""Follow the ledger's log in a long-running process: `pvb projections run`.

On PostgreSQL each view is driven by the eventsourcing library's projection runner over a
LISTEN/NOTIFY subscription; on SQLite, which has no subscriptions, views poll and catch up
in batches. Either way a database outage is waited out, never fatal.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from eventsourcing.projection import BaseProjectionRunner

from application import Database, Ledger
from web.wiring import Services

log = logging.getLogger("pvb.follow")


def _ledger_class(database: Database) -> type[Ledger]:
    """A Ledger class the library's runner can construct with only an env argument."""

    class RunnerLedger(Ledger):
        name = Ledger.name  # tracking records are kept under the ledger's own name

        def __init__(self, env: Any = None) -> None:
            super().__init__(database)

    return RunnerLedger


def follow(services: Services, stop: threading.Event, poll_interval: float = 0.5) -> None:
    """Keep every view up to date until stop is set."""
    if services.ledger.database.engine != "postgres":
        services.projections.follow(stop, poll_interval=poll_interval)
        return
    while not stop.is_set():
        try:
            services.projections.catch_up()  # batches first, then follow one by one
            _run_subscriptions(services, stop)
        except Exception:  # an outage or a dropped connection: wait, then start again
            log.exception("projection runner stopped; retrying")
            stop.wait(poll_interval * 4)


def _run_subscriptions(services: Services, stop: threading.Event) -> None:
    ledger_class = _ledger_class(services.ledger.database)
    runners = [
        BaseProjectionRunner(
            projection=view,
            application_class=ledger_class,
            tracking_recorder=view.view,
            topics=(),  # every event, so each view's position keeps up with the head
        )
        for view in services.projections.views.values()
    ]
    try:
        while not stop.is_set():
            for runner in runners:
                runner.run_forever(timeout=0.01)  # re-raises a runner's error
            stop.wait(0.5)
    finally:
        for runner in runners:
            runner.stop()
            runner.__exit__(None, None, None)
