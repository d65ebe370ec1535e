"""How a replay is built: from a checkpoint (or the first event) and then the log, in batches,
into a private SQLite file; or, for an append-only view, by cutting the live view."""

from __future__ import annotations

import copy
import inspect
import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from hashlib import sha256
from typing import Any

from eventsourcing.utils import get_topic

from projections import checkpoints as ck
from projections.base import View
from projections.private import PrivateDatastore
from projections.store import ViewStore
from projections.timekeeping import is_unanchored_correction, recorded_at, world_date

BATCH = 2000
COPY_SPAN = 20_000
Progress = Callable[[str, int, int], None]


def fingerprint(classes: Sequence[type[View]], form: str = ck.FORMAT) -> str:
    """A digest of the views' tables and code, and of how checkpoints are stored: checkpoints
    made by other code, or stored in another form, are not used."""
    digest = sha256(form.encode())
    for cls in classes:
        digest.update(get_topic(cls).encode())
        digest.update(json.dumps(cls.tables, sort_keys=True).encode())
        digest.update(json.dumps(list(cls.indexes)).encode())
        try:
            digest.update(inspect.getsource(sys.modules[cls.__module__]).encode())
        except (OSError, TypeError, KeyError):
            pass
    return digest.hexdigest()[:32]


@dataclass
class Built:
    """What a build produced: the views (over a private file, or cuts of live ones) and how."""

    views: dict[str, View]
    store: PrivateDatastore | None
    started_from: str
    events_applied: int
    created_at: str = field(default_factory=lambda: recorded_at(datetime.now(UTC)))


class Builder:
    """Builds views as they stood at a position, optionally as of a date in the world."""

    def __init__(
        self, recorder: Any, mapper: Any, checkpoints: ck.Checkpoints, live: dict[str, View],
        checkpoint_every: int, directory: str,
    ) -> None:
        self.recorder, self.mapper, self.checkpoints = recorder, mapper, checkpoints
        self.live, self.every, self.directory = live, checkpoint_every, directory

    def build(self, classes: list[type[View]], position: int, as_of: date | None) -> Built:
        """The group of views (the replayed one last) at position, as of a date."""
        main = classes[-1]
        live = self.live.get(main.name)
        as_of_text = as_of.isoformat() if as_of else None
        if getattr(main, "append_only", False) and len(classes) == 1 and live is not None:
            if live.position() >= position:
                cut = copy.copy(live)
                cut.replay_cut = (position, as_of_text)  # type: ignore[attr-defined]
                return Built({main.name: cut}, None, f"a cut of the live {main.name} view", 0)
        start, origin, max_world = 0, "the first event", None
        copy_live = getattr(main, "append_only", False) and live is not None
        store, views, loaded = self._from_checkpoint(classes, main.name, position, as_of_text, not copy_live)
        if loaded is not None:
            start, max_world = loaded.position, loaded.max_world_on
            origin = f"the checkpoint at {loaded.position}"
        elif copy_live and live is not None:
            start = live.position()  # the live view lags: copy what it has, then read the log
            self._copy_live(live, store, start, as_of_text)
            origin = f"the live {main.name} rows up to {start}"
            if start:
                for view in views.values():
                    view.apply_batch([], 0, start)
        save = as_of is None and not getattr(main, "append_only", False) and any(c.tables for c in classes)
        applied = self.apply(classes, views, store, start, position, as_of, save=save, max_world=max_world)
        return Built(views, store, origin, applied)

    def build_checkpoints(self, classes: list[type[View]], target: int, progress: Progress | None) -> None:
        """Replay from the latest checkpoint to target, keeping a checkpoint at each boundary."""
        store, views, loaded = self._from_checkpoint(classes, classes[-1].name + "-ck", target, None)
        try:
            start = 0 if loaded is None else loaded.position
            max_world = None if loaded is None else loaded.max_world_on
            self.apply(classes, views, store, start, target, None, save=True, max_world=max_world,
                       progress=progress)
        finally:
            store.close()

    def apply(
        self, classes: list[type[View]], views: dict[str, View], store: PrivateDatastore, start: int,
        target: int, as_of: date | None, *, save: bool, max_world: str | None,
        progress: Progress | None = None,
    ) -> int:
        """Apply the log's events in (start, target] to the views, batch by batch.

        With ``save``, a checkpoint is kept at every multiple of ``checkpoint_every`` passed
        (when the views changed since the last one).
        """
        topics = () if any(c.wants_all for c in classes) else sorted({t for c in classes for t in c.topics})
        applied, since, current = 0, 0, start
        while current < target:
            boundary = (current // self.every + 1) * self.every if save else target
            end = min(target, boundary)
            position = current
            for batch in self._notifications(current, end, topics, as_of):
                decoded = [(n.id, n.topic, self.mapper.to_domain_event(n)) for n in batch]
                worlds = self._world_dates(decoded)
                for when in worlds.values():
                    if when is not None and (max_world is None or when > max_world):
                        max_world = when
                if as_of is not None:
                    decoded = [d for d in decoded if _happened_by(worlds[d[0]], as_of.isoformat())]
                for view in views.values():
                    mine = [(p, e) for p, t, e in decoded if view.wants(t)]
                    view.apply_batch([e for _, e in mine], position, batch[-1].id, [p for p, _ in mine])
                applied, since, position = applied + len(decoded), since + len(batch), batch[-1].id
                if progress is not None:
                    progress(classes[-1].name, position, target)
            if position < end:
                for view in views.values():
                    view.apply_batch([], position, end)
            current = end
            if save and end == boundary and since:
                self._save_checkpoint(classes, store, end, max_world)
                since = 0
        return applied

    def _notifications(
        self, start: int, end: int, topics: Sequence[str], as_of: date | None
    ) -> Iterator[list[Any]]:
        """The log's notifications in (start, end] with the topics, in batches.

        As of a date, when the live timeline covers the range, only the events it dates on or
        before that day are read: the rest of the log is skipped, not decoded.
        """
        timeline = self.live.get("timeline")
        if as_of is not None and timeline is not None and timeline.position() >= end:
            after = start
            while True:
                wanted = timeline.positions_by_world(after, end, as_of, topics, BATCH)  # type: ignore[attr-defined]
                if not wanted:
                    return
                batch: list[Any] = []
                for low, high in _runs(wanted):
                    batch += self.recorder.select_notifications(
                        start=low, limit=high - low + 1, stop=high, topics=topics
                    )
                if batch:
                    yield batch
                after = wanted[-1]
        position = start
        while True:
            found = self.recorder.select_notifications(start=position + 1, limit=BATCH, stop=end, topics=topics)
            if not found:
                return
            yield list(found)
            position = found[-1].id

    def _world_dates(self, decoded: list[tuple[int, str, Any]]) -> dict[int, str | None]:
        """Each event's world date; corrections that do not name theirs ask the timeline."""
        dates = {}
        for position, _, event in decoded:
            when = world_date(event)
            dates[position] = when.isoformat() if when else None
        timeline = self.live.get("timeline")
        if timeline is not None:
            known = timeline.position()
            wanted = [p for p, _, e in decoded if p <= known and is_unanchored_correction(e)]
            if wanted:
                found = timeline.world_dates(wanted)  # type: ignore[attr-defined]
                dates.update({p: w for p, w in found.items() if w is not None})
        return dates

    def _save_checkpoint(
        self, classes: list[type[View]], store: PrivateDatastore, position: int, max_world: str | None
    ) -> None:
        rows = sum(store.count(t) for cls in classes for t in cls.tables)
        with store.image() as image:
            self.checkpoints.save(classes[-1].name, position, fingerprint(classes), max_world, image, rows,
                                  recorded_at(datetime.now(UTC)), self.directory)

    def _from_checkpoint(
        self, classes: list[type[View]], prefix: str, position: int, as_of: str | None, use: bool = True
    ) -> tuple[PrivateDatastore, dict[str, View], ck.Checkpoint | None]:
        """A private file holding the best checkpoint at or before position (as of a date), with
        the views over it; or, if there is none or it is not whole, an empty one (and None).
        """
        found = None
        if use and any(cls.tables for cls in classes):
            found = self.checkpoints.best(classes[-1].name, fingerprint(classes), position, as_of)
        path = self._new_path(prefix)
        if found is not None:
            with open(path, "wb") as out:
                whole = self.checkpoints.load(found, out)
            if whole:
                store = PrivateDatastore(path)
                views = self._views(classes, store)
                if all(view.position() == found.position for view in views.values()):
                    return store, views, found
                store.close()  # not the views' tracking at its position: not to be trusted
                path = self._new_path(prefix)
            else:  # deleted or replaced as we read it (an erasure): start from scratch
                os.truncate(path, 0)
        store = PrivateDatastore(path)
        return store, self._views(classes, store), None

    @staticmethod
    def _views(classes: list[type[View]], store: PrivateDatastore) -> dict[str, View]:
        return {cls.name: cls(ViewStore(store, cls.name)) for cls in classes}

    def _copy_live(self, live: View, store: PrivateDatastore, upto: int, as_of: str | None) -> None:
        """Copy an append-only view's rows up to a position (and world date) from the live view."""
        for table in type(live).tables:
            low = 0
            while low < upto:
                high = min(upto, low + COPY_SPAN)
                sql = f"SELECT * FROM {table} WHERE position > ? AND position <= ?"
                params: list[Any] = [low, high]
                if as_of is not None:
                    sql, params = sql + " AND (world_on IS NULL OR world_on <= ?)", [*params, as_of]
                with live.view.transaction(commit=False) as c:
                    rows = c.execute(sql, params).fetchall()
                if rows:
                    columns = list(rows[0])
                    store.insert(table, columns, [[r[k] for k in columns] for r in rows])
                low = high

    def _new_path(self, prefix: str) -> str:
        """A new empty file for a private SQLite database in the replayer's directory."""
        fd, path = tempfile.mkstemp(prefix=f"{prefix}-", suffix=".sqlite", dir=self.directory)
        os.close(fd)
        return path


def _happened_by(world_on: str | None, as_of: str) -> bool:
    """True if an event dated world_on (None: undated) had happened by as_of."""
    return world_on is None or world_on <= as_of


def _runs(positions: list[int]) -> Iterator[tuple[int, int]]:
    """Consecutive runs in ascending positions, as (first, last)."""
    first = last = positions[0]
    for position in positions[1:]:
        if position != last + 1:
            yield first, last
            first = position
        last = position
    yield first, last
