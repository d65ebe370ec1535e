"""Wire the ledger, its views and their catch-up together, once per process."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from application import Database, Ledger
from application.schema_lock import schema_lock
from projections import ALL_VIEWS, Projections
from web.config import Settings

log = logging.getLogger("pvb")
PROBE_INTERVAL = 1.0


class DatabaseUnavailableError(Exception):
    """The database was unreachable moments ago and still is."""


def probe(database: Database) -> bool:
    """True if a fresh connection to the database succeeds within a second."""
    if database.engine != "postgres":
        return True
    import psycopg

    try:
        psycopg.connect(
            host=database.host, port=database.port, user=database.user,
            password=database.password or None, dbname=database.name, connect_timeout=1,
        ).close()
    except psycopg.Error:
        return False
    return True


class Follower:
    """A thread of this process that brings the views up to date and seals, after each write.

    Each write only wakes it, so a burst of writes is applied to the views and sealed in a
    few batches instead of once each; a page that must show a write waits for it (bounded).
    It also looks for other processes' writes every poll_interval seconds. Woken by a write, it
    lets further writes gather for up to gather seconds, unless a page is waiting: applying
    fifty writes at once costs the views and the seal little more than applying one.
    """

    def __init__(
        self, ledger: Ledger, projections: Projections, poll_interval: float = 0.5, gather: float = 0.2,
        seal_interval: float = 2.0,
    ) -> None:
        self.ledger = ledger
        self.projections = projections
        self.poll_interval = poll_interval
        self.gather = gather
        self.seal_interval = seal_interval  # as 'pvb ledger seal --follow': no event waits much longer
        self._sealed_at = 0.0
        self._urgent = threading.Event()
        self._reached = 0  # every view has applied every event up to here
        self._sealed = 0
        self._changed = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def reached(self) -> int:
        """The position up to which every view is known to be up to date."""
        with self._changed:
            return self._reached

    def start(self) -> None:
        """Catch up and seal once here, then follow in the background."""
        self._step(final=True)
        self._thread = threading.Thread(target=self._run, name="pvb-follower", daemon=True)
        self._thread.start()

    def written(self, _position: int) -> None:
        """A write was made (the ledger's listener): wake the thread."""
        self._wake.set()

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until every view has applied position, or timeout; True if it has."""
        with self._changed:
            if self._reached >= position:
                return True
            self._urgent.set()
            self._wake.set()
            return self._changed.wait_for(lambda: self._reached >= position, timeout)

    def stop(self) -> None:
        """Finish the work in hand, seal what is left, and stop."""
        self._stop.set()
        self._urgent.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
        try:
            self._step(final=True)
        except Exception:  # the database may be gone; the next start seals what is left
            log.exception("background catch-up or sealing at shutdown failed")

    def _run(self) -> None:
        failing = False
        while not self._stop.is_set():
            if self._wake.wait(self.poll_interval):
                self._urgent.wait(self.gather)
            self._wake.clear()
            self._urgent.clear()
            if self._stop.is_set():
                return
            try:
                self._step()
            except Exception:  # a database fault: the writes stand; try again shortly
                if not failing:  # once per spell of failures, not every two seconds of an outage
                    log.exception("background projection catch-up or sealing failed; retrying")
                failing = True
                self._stop.wait(self.poll_interval * 4)
                continue
            if failing:
                log.info("background projection catch-up and sealing work again")
                failing = False

    def _step(self, final: bool = False) -> None:
        head = self.ledger.max_position()
        if head > self._reached:
            self.projections.catch_up()  # every view reaches at least the head read above
            with self._changed:
                self._reached = max(self._reached, head)
                self._changed.notify_all()
        if head > self._sealed and (final or time.monotonic() - self._sealed_at >= self.seal_interval):
            self.ledger.seal_pending()
            self._sealed, self._sealed_at = head, time.monotonic()


@dataclass
class Services:
    """The application and the views a process works with."""

    ledger: Ledger
    projections: Projections
    inline: bool
    follower: Follower | None = None
    _down_since: float | None = None
    _last_probe: float = 0.0
    _watcher: threading.Thread | None = None
    _stop_watching: threading.Event = field(default_factory=threading.Event)

    def after_write(self, position: int, timeout: float) -> bool:
        """Make sure views include a write at position before a page shows them."""
        if self.inline:
            return True
        if self.follower is not None:
            reached = self.follower.wait_for(position, timeout)
        else:
            reached = self.projections.wait_for(position, timeout)
        if not reached:
            log.warning("projections did not reach position %s within %ss", position, timeout)
        return reached

    def check_available(self) -> None:
        """Fail fast while the database is known to be down; probe it at most once a second."""
        if self._down_since is None:
            return
        now = time.monotonic()
        if now - self._last_probe < PROBE_INTERVAL:
            raise DatabaseUnavailableError
        self._last_probe = now
        if not probe(self.ledger.database):
            raise DatabaseUnavailableError
        log.info("database reachable again after %.1fs", now - self._down_since)
        self._down_since = None

    def mark_down(self) -> None:
        """Remember that the database just failed, so the next requests fail fast."""
        if self._down_since is None:
            self._down_since = self._last_probe = time.monotonic()

    def watch_database(self) -> None:
        """Probe PostgreSQL every second in the background so requests fail fast in an outage."""
        if self.ledger.database.engine != "postgres" or self._watcher is not None:
            return
        self._stop_watching = threading.Event()

        def watch() -> None:
            while not self._stop_watching.wait(PROBE_INTERVAL):
                if self._down_since is None and not probe(self.ledger.database):
                    log.warning("database unreachable; answering 503 until it is back")
                    self.mark_down()

        self._watcher = threading.Thread(target=watch, name="pvb-db-watch", daemon=True)
        self._watcher.start()

    def close(self) -> None:
        """Release database connections."""
        if self._watcher is not None:
            self._stop_watching.set()
        if self.follower is not None:
            self.follower.stop()
        self.ledger.close()


def build_services(
    database_url: str, *, inline: bool = True, background: bool = False, encryption_key: str = "",
    signing_key_file: str = "", seal_interval: float = 2.0,
) -> Services:
    """Open the ledger at database_url and its views.

    inline: the views catch up and the log is sealed after each write, in the writing thread;
    background (overrides inline): a thread of this process does both (Follower); neither:
    another process does (`pvb projections run`, `pvb ledger seal --follow`).
    """
    database = Database.parse(database_url, encryption_key)
    with schema_lock(database):  # workers starting together must not create the same tables at once
        ledger = Ledger(database)
        ledger.use_signing_key(signing_key_file or None)
        projections = Projections(
            ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema
        )
    if background:
        follower = Follower(ledger, projections, seal_interval=seal_interval)
        ledger.add_listener(follower.written)
        follower.start()
        return Services(ledger, projections, False, follower)
    if inline:

        def catch_up(_position: int) -> None:
            try:
                projections.catch_up()
            except Exception:  # the write stands; the next request catches up again
                log.exception("inline projection catch-up failed")

        ledger.add_listener(catch_up)
        projections.catch_up()
        ledger.add_listener(_seal_inline(ledger))
        _seal_inline(ledger)(0)
    return Services(ledger, projections, inline)


def services_for(settings: Settings, mode: str) -> Services:
    """build_services with the settings' database, keys and seal interval; mode is a
    PVB_PROJECTIONS value ("background", "inline" or "external") saying who keeps the views."""
    built = build_services(
        settings.database_url,
        inline=mode == "inline",
        background=mode == "background",
        encryption_key=settings.encryption_key,
        signing_key_file=settings.signing_key_file,
        seal_interval=settings.seal_interval,
    )
    built.ledger.escalation_targets = dict(settings.escalation_targets)
    return built


def _seal_inline(ledger: Ledger) -> Callable[[int], None]:
    """A listener sealing new events after each write; a failure leaves them for the next one."""

    def seal(_position: int) -> None:
        try:
            ledger.seal_pending()
        except Exception:  # the write stands; the next write (or 'pvb ledger seal') seals it
            log.exception("inline sealing failed")

    return seal
