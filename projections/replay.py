"""Replay any view to a past moment, in a private database, never touching the live views.

Two kinds of time:

- "as known at" a moment of system time: only what the ledger held then, that is the events at
  positions up to the last position recorded at or before that moment;
- "as of" a date in the world: only what had happened by then (events whose world date, see
  ``projections.timeline``, is on or before it), as known now, corrections included.

Both may be combined. A replay builds the view, with the same View class and so the same SQL,
into a private SQLite file, from the nearest checkpoint at or before the target position and
then from the log, read in batches (``projections.replay_build``). An append-only view (the
timeline) is instead seen through a cut of the live view, which is the same by construction.
Live views and their tracking are only ever read.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from projections import checkpoints as ck
from projections.base import View
from projections.private import PrivateDatastore
from projections.replay_build import Builder, Progress, fingerprint
from projections.timekeeping import recorded_at

CHECKPOINT_EVERY = 10_000
_CONSTRAINT = re.compile(r"^\s*(PRIMARY|UNIQUE|CHECK|FOREIGN|CONSTRAINT)\b", re.IGNORECASE)


def column_names(columns_sql: str) -> list[str]:
    """The column names declared in a view's column SQL, in order."""
    parts, depth, current = [], 0, ""
    for ch in columns_sql:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return [p.split()[0] for p in parts if p.strip() and not _CONSTRAINT.match(p)]


@dataclass
class Replay:
    """A view as it stood at a position: call the view's own query methods on ``view``."""

    name: str
    position: int
    known_at: datetime | None
    as_of: date | None
    views: dict[str, View]
    started_from: str
    events_applied: int
    store: PrivateDatastore | None = None  # None: a cut of an append-only live view
    created_at: str = field(default_factory=lambda: recorded_at(datetime.now(UTC)))

    @property
    def view(self) -> View:
        """The replayed view: the same class as the live one, with the same query methods."""
        return self.views[self.name]

    @property
    def path(self) -> str | None:
        """The private SQLite file holding the replayed tables (None for a cut)."""
        return None if self.store is None else self.store.path

    def tables(self) -> list[str]:
        """The replayed tables, the view's own last."""
        return [t for v in self.views.values() for t in v.tables]

    def columns(self, table: str) -> list[str]:
        """A replayed table's columns, in order."""
        self._check(table)
        if self.store is not None:
            return self.store.columns(table)
        return column_names(type(self.view).tables[table])

    def cut(self) -> tuple[str, list[Any]]:
        """For a cut: the SQL condition selecting the rows it holds, with its parameters."""
        if self.as_of is None:
            return "position <= ?", [self.position]
        return "position <= ? AND (world_on IS NULL OR world_on <= ?)", [self.position, self.as_of.isoformat()]

    def rows(self, table: str, limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """A page of a replayed table's rows, in a stable order, and how many there are."""
        columns = self.columns(table)
        transaction: Any
        if self.store is None:
            where, params = self.cut()
            order = ", ".join(["position", *[c for c in columns if c != "position"]])
            transaction = self.view.view.transaction
        else:
            where, params, order = "1 = 1", [], ", ".join(columns)
            transaction = self.store.transaction
        with transaction(commit=False) as c:
            total = (c.execute(f"SELECT COUNT(*) AS n FROM {table} WHERE {where}", params).fetchone() or {"n": 0})["n"]
            rows = c.execute(
                f"SELECT * FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [dict(r) for r in rows], int(total)

    def _check(self, table: str) -> None:
        if table not in self.tables():
            raise KeyError(f"view {self.name} has no table {table!r}; it has {', '.join(self.tables())}")


class Replayer:
    """Builds replays of the ledger's views, caches a few, and keeps checkpoints."""

    def __init__(
        self,
        recorder: Any,
        mapper: Any,
        datastore: Any,
        view_classes: Iterable[type[View]],
        *,
        schema: str = "public",
        live: dict[str, View] | None = None,
        cache_size: int = 6,
        checkpoint_every: int = CHECKPOINT_EVERY,
        directory: str | None = None,
    ) -> None:
        self.recorder = recorder
        self.classes = {cls.name: cls for cls in view_classes}
        self.live = dict(live or {})
        self.checkpoints = ck.Checkpoints(datastore, schema)
        self.directory = tempfile.mkdtemp(prefix="pvb-replay-", dir=directory)
        self._finalizer = weakref.finalize(self, shutil.rmtree, self.directory, True)
        self.builder = Builder(recorder, mapper, self.checkpoints, self.live, checkpoint_every, self.directory)
        self._cache: OrderedDict[tuple[str, int, str | None], Replay] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.RLock()
        self._purged_for: str | None = None

    @classmethod
    def for_projections(cls, projections: Any, **options: Any) -> Replayer:
        """A replayer over the same log and database as a Projections runner."""
        views: dict[str, View] = projections.views
        store = next(iter(views.values())).view
        return cls(
            projections.recorder, projections.mapper, store.datastore,
            [type(v) for v in views.values()], schema=store.schema, live=views, **options,
        )

    @property
    def names(self) -> list[str]:
        """The views that can be replayed (those with tables)."""
        return [name for name, cls in self.classes.items() if cls.tables]

    def head(self) -> int:
        """The newest position in the log."""
        return self.recorder.max_notification_id() or 0

    def position_at(self, moment: datetime) -> int:
        """The last position recorded at or before a moment of system time (0 if none)."""
        mark, head = recorded_at(moment), self.head()
        timeline = self.live.get("timeline")
        known, found = 0, 0
        if timeline is not None:
            known = timeline.position()
            found = timeline.position_at(mark)  # type: ignore[attr-defined]
        position = known
        while position < head:  # events the timeline has not indexed yet: look at them
            batch = self.recorder.select_notifications(start=position + 1, limit=2000, stop=head)
            if not batch:
                break
            for n in batch:
                if recorded_at(self.builder.mapper.to_domain_event(n).timestamp) <= mark:
                    found = n.id
            position = batch[-1].id
        return int(found)

    def replay(
        self,
        name: str,
        *,
        known_at: datetime | None = None,
        as_of: date | None = None,
        position: int | None = None,
    ) -> Replay:
        """The view as known at a moment (or position) and as of a date; cached."""
        classes = self._group(name)
        if position is None:
            position = self.position_at(known_at) if known_at is not None else self.head()
        position = max(0, min(int(position), self.head()))
        key = (name, position, as_of.isoformat() if as_of else None)
        with self._lock:
            stale = self._purge_if_erased()
            cached = self._cache.get(key)
            if cached is None or (stale is not None and cached.created_at < stale):
                built = self.builder.build(classes, position, as_of)
                cached = Replay(name, position, None, as_of, built.views, built.started_from,
                                built.events_applied, built.store, built.created_at)
                self._cache[key] = cached
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)  # its file goes when the last user lets go
            self._cache.move_to_end(key)
            return cached if cached.known_at == known_at else Replay(**{**cached.__dict__, "known_at": known_at})

    def ensure_checkpoints(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> dict[str, int]:
        """Make checkpoints every ``checkpoint_every`` positions up to the head; returns how many."""
        made: dict[str, int] = {}
        head = self.head()
        with self._lock:
            self._purge_if_erased()
            for name in names or self.names:
                classes = self._group(name)
                if not any(c.tables for c in classes) or getattr(classes[-1], "append_only", False):
                    made[name] = 0
                    continue
                before = len(self.checkpoints.list(name))
                target = head // self.builder.every * self.builder.every
                if target:
                    self.builder.build_checkpoints(classes, target, progress)
                made[name] = len(self.checkpoints.list(name)) - before
        return made

    def _purge_if_erased(self) -> str | None:
        """Delete checkpoints that may hold erased data; returns the stale-before moment."""
        timeline = self.live.get("timeline")
        latest = timeline.latest("Person.Erased") if timeline is not None else None  # type: ignore[attr-defined]
        if not latest:
            return None
        moment = ck.stale_before(latest["recorded_at"])
        if self._purged_for != moment:
            self.checkpoints.purge_created_before(moment)
            self._purged_for = moment
        return moment

    def _group(self, name: str) -> list[type[View]]:
        """The view and the views it replays with (``replay_with``: names), the view last."""
        try:
            cls = self.classes[name]
        except KeyError:
            raise KeyError(f"no such view {name!r}; views: {', '.join(self.names)}") from None
        extra = [self.classes[n] for n in getattr(cls, "replay_with", ()) if n != name]
        return [*extra, cls]

    def close(self) -> None:
        """Forget cached replays and delete their files."""
        with self._lock:
            self._cache.clear()
        self._finalizer()


__all__ = ["Replay", "Replayer", "column_names", "fingerprint"]
