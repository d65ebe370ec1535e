"""The Ledger application: one event log for all of the Partnership's governance."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder
from eventsourcing.utils import Environment, EnvType

from application.access import AccessCommands
from application.base import with_units_of_work
from application.concerns import ConcernCommands
from application.directory import DirectoryCommands
from application.feedback import FeedbackCommands
from application.framework import FrameworkCommands
from application.governance import GovernanceCommands
from application.identity import IdentityCommands
from application.kept import Keeper
from application.keystore import KeyStore, PersonalAsCiphertext
from application.meetings import MeetingCommands
from application.pool import cache_sqlite_statements, check_unless_recently_alive
from application.schema_lock import schema_lock
from application.sealing import SealingCommands
from application.sessions import SessionStore
from application.settings import Database
from application.surveys import SurveyCommands
from application.transcodings import DateAsISO, LedgerTranscoder
from domain.concern_numbers import ConcernNumbers
from domain.framework import Framework
from domain.meeting_body import MeetingBody
from domain.organisation import Organisation
from domain.person import Person
from domain.user import User

Listener = Callable[[int], None]
# What commands read to check others against, read often and changed rarely (application/kept.py).
KEPT_TYPES = (Person, Organisation, MeetingBody, Framework)


def utc_now() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


@with_units_of_work
class Ledger(GovernanceCommands, MeetingCommands, SurveyCommands, FeedbackCommands, FrameworkCommands, DirectoryCommands, IdentityCommands, SealingCommands, ConcernCommands, AccessCommands, Application):
    """Every act of governance, recorded as an immutable event in one notification log."""

    name = "pvb"
    snapshotting_intervals = {User: 50, ConcernNumbers: 100}  # noqa: RUF012

    def __init__(self, database: Database, clock: Callable[[], datetime] = utc_now) -> None:
        self.database = database
        self.clock = clock
        self._listeners: list[Listener] = []
        self._local = threading.local()
        with schema_lock(database):  # processes starting together must not create tables at once
            super().__init__(env=database.library_env())
            self.keys.create_table()
            self.sessions.create_table()
        if database.engine == "postgres":
            check_unless_recently_alive(self.datastore.pool)
        self.keeper = Keeper(self.recorder, KEPT_TYPES)
        # Any kept aggregate may hold the subject's decrypted data: drop them all (erasures are rare).
        self.keys.on_destroy.append(lambda _subject: self.keeper.forget())

    def save(self, *objs: Any, **kwargs: Any) -> Any:
        """Save, and keep the directory's aggregates just saved for the next commands."""
        since = self.keeper.position()
        try:
            recordings = super().save(*objs, **kwargs)
        except BaseException:
            self.keys.dropped_new_keys()
            for obj in objs:  # a copy that failed to save may be ahead of the log
                if hasattr(obj, "id"):
                    self.keeper.forget(obj.id)
            raise
        self.keys.stored_new_keys()
        self.keeper.saved([obj for obj in objs if obj is not None], since)
        return recordings

    def construct_factory(self, env: Environment) -> Any:
        """The library's factory; on SQLite, its connections keep their prepared statements."""
        factory = super().construct_factory(env)
        cache_sqlite_statements(getattr(getattr(factory, "datastore", None), "pool", None))
        return factory

    def construct_env(self, name: str, env: EnvType | None = None) -> Environment:
        """Use only the settings built from PVB_DATABASE_URL, never stray library variables."""
        return Environment(name, dict(env or {}))

    def construct_transcoder(self) -> LedgerTranscoder:
        """The library's JSON transcoder, with a quicker hook for decoding (LedgerTranscoder)."""
        transcoder = LedgerTranscoder()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        """Teach the transcoder dates and encrypted personal data."""
        super().register_transcodings(transcoder)
        self.keys = KeyStore(self.datastore, self.database.engine, self.database.schema)
        self.sessions = SessionStore(self.datastore, self.database.engine, self.database.schema)
        transcoder.register(DateAsISO())
        transcoder.register(PersonalAsCiphertext(self.keys))

    def add_listener(self, listener: Listener) -> None:
        """Call listener(position) after each write, e.g. to bring projections up to date."""
        self._listeners.append(listener)

    def _notify(self, recordings: list[Any]) -> None:
        super()._notify(recordings)
        if not recordings:
            return
        position = max(r.notification.id for r in recordings)
        self._local.position = position
        if getattr(self._local, "paused", False):
            return
        if self._listeners:
            for listener in self._listeners:
                listener(position)

    @contextmanager
    def listeners_paused(self) -> Iterator[None]:
        """Hold this thread's after-write listeners during a bulk load; call them once at the end.

        Loading many records (the demo, an import) would otherwise bring every view up to date
        after each write; the views are read only after the block.
        """
        if getattr(self._local, "paused", False):
            yield
            return
        self._local.paused = True
        try:
            yield
        finally:
            self._local.paused = False
        position = self.max_position()
        for listener in self._listeners:
            listener(position)

    @property
    def last_write_position(self) -> int:
        """The log position of this thread's most recent write (0 if none)."""
        return getattr(self._local, "position", 0)

    @property
    def datastore(self) -> Any:
        """The library's datastore, shared with views, keys and seals."""
        return self.factory.datastore  # type: ignore[attr-defined]  # every persistence module has one

    def max_position(self) -> int:
        """The notification id of the newest event (0 when empty)."""
        return self.recorder.max_notification_id() or 0
