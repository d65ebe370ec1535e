"""Keep every view up to date from the ledger's notification log, exactly once per event."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from eventsourcing.persistence import IntegrityError

from projections.base import APPLICATION_NAME, View
from projections.log import LogReader
from projections.store import ViewStore

log = logging.getLogger("pvb.projections")
BATCH = 5000  # events read and decoded once per batch for all views behind
Progress = Callable[[str, int, int], None]  # view name, position, head


@dataclass(frozen=True)
class ViewStatus:
    """Where a view stands against the head of the log."""

    name: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        """How many positions the view is behind."""
        return max(self.head - self.position, 0)


class Projections:
    """The set of views over one ledger, and the ways to bring them up to date."""

    def __init__(
        self,
        recorder: Any,
        mapper: Any,
        datastore: Any,
        view_classes: Iterable[type[View]],
        schema: str = "public",
    ) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self.log = LogReader(recorder, mapper)
        self.views: dict[str, View] = {}
        for cls in view_classes:
            view = self.views[cls.name] = cls(ViewStore(datastore, cls.name, schema))
            with view.view.transaction() as cursor:
                if view.renew_if_reshaped(cursor):
                    log.warning("view %s: its tables changed with this release; emptied, it is rebuilt "
                                "from the first event as it catches up", cls.name)
        self._lock = threading.Lock()
        self._seen = 0

    def __getitem__(self, name: str) -> View:
        return self.views[name]

    def head(self) -> int:
        """The position of the newest event in the log."""
        return self.recorder.max_notification_id() or 0

    def catch_up(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Apply all events the named views (all by default) have not seen; returns how many.

        The views share one read of each batch of the log and one decoding of each event (an
        event is decoded only if a view behind it handles its topic), and apply the batch and
        move their tracking in one transaction: one commit per batch, not one per view.
        """
        with self._lock:
            views = [self.views[name] for name in names or list(self.views)]
            return self._catch_up(views, progress) if views else 0

    def _positions(self, views: list[View]) -> dict[str, int]:
        """Every view's position, read in one query."""
        with views[0].view.transaction(commit=False) as cursor:
            rows = cursor.execute(
                "SELECT view, notification_id FROM pvb_tracking WHERE application_name = ?", (APPLICATION_NAME,)
            ).fetchall()
        found = {row["view"]: int(row["notification_id"]) for row in rows}
        return {view.name: found.get(view.view.view_name, 0) for view in views}

    def _catch_up(self, views: list[View], progress: Progress | None) -> int:
        positions = self._positions(views)
        applied, head = 0, None
        while True:
            notifications = self.log.read(min(positions.values()) + 1, BATCH)
            if not notifications:
                return applied
            last = notifications[-1].id
            decoded: dict[int, Any] = {}
            decode = self.log.decode
            by_topic: dict[str, list[Any]] = {}  # so that each view picks its topics, not every notification
            for n in notifications:
                by_topic.setdefault(n.topic, []).append(n)
            work = []
            for view in views:
                position = positions[view.name]
                if position >= last:
                    continue
                wanted = notifications if view.wants_all else _in_order(
                    [by_topic[topic] for topic in by_topic.keys() & view._handlers.keys()])
                if position >= notifications[0].id:
                    wanted = [n for n in wanted if n.id > position]
                events = [decoded.get(n.id) or decoded.setdefault(n.id, decode(n.raw)) for n in wanted]
                work.append((view, position, events, [n.id for n in wanted]))
            try:
                with views[0].view.transaction(durable=False) as cursor:
                    for view, position, events, ids in work:
                        view.apply_within(cursor, events, position, last, ids, advance=False)
                    ViewStore.advance_together(
                        cursor, APPLICATION_NAME, [(view.view.view_name, position) for view, position, _, _ in work],
                        last,
                    )
            except IntegrityError:
                moved = self._positions(views)  # another process got there first: go on from where each is
                if moved == positions:
                    raise
                positions = moved
                continue
            except Exception:
                log.warning("a batch of views failed together; applying each view on its own", exc_info=True)
                self._apply_each(work, last)  # every sound view moves on; raises the first failure
                positions = self._positions(views)
                continue
            for view, position, _, _ in work:
                applied += len(notifications) if position < notifications[0].id else sum(
                    1 for n in notifications if n.id > position)
                positions[view.name] = last
                if progress is not None:
                    head = head or self.head()
                    progress(view.name, last, max(head, last))
            if len(notifications) < BATCH:
                return applied  # that was the head when we read it: no need to ask again

    @staticmethod
    def _apply_each(work: list[tuple[View, int, list[Any], list[int]]], last: int) -> None:
        """Apply each view's part of a batch in a transaction of its own; raise the first failure."""
        failure: Exception | None = None
        for view, position, events, ids in work:
            try:
                view.apply_batch(events, position, last, ids)
            except IntegrityError:
                continue  # another process moved this view on
            except Exception as e:  # noqa: BLE001 - re-raised below, after the other views
                failure = failure or e
        if failure is not None:
            raise failure

    def catch_up_if_behind(self) -> None:
        """Catch up only when the log has grown past what every view has seen."""
        head = self.head()
        if head > self._seen:
            self.catch_up()
            self._seen = min(view.position() for view in self.views.values())

    def rebuild(self, names: Iterable[str] | None = None, progress: Progress | None = None) -> int:
        """Empty the named views and apply every event again from the first.

        Indexes that only queries read by are dropped while the views fill, and made once at
        the end (View.deferred_indexes); if the rebuild stops half way, they are made again
        when the views are next opened.
        """
        names = list(names or self.views)
        unknown = sorted(set(names) - set(self.views))
        if unknown:
            raise KeyError(f"no such projection(s): {', '.join(unknown)}")
        with self._lock:
            for name in names:
                view = self.views[name]
                with view.view.transaction() as cursor:
                    view.begin_rebuild(cursor)
        try:
            return self.catch_up(names, progress)
        finally:
            with self._lock:
                for name in names:
                    view = self.views[name]
                    with view.view.transaction() as cursor:
                        view.end_rebuild(cursor)

    def status(self) -> list[ViewStatus]:
        """Each view's position and lag."""
        head = self.head()
        return [ViewStatus(name, view.position(), head) for name, view in self.views.items()]

    def wait_for(self, position: int, timeout: float = 5.0) -> bool:
        """Block until every view has reached position, or timeout; True if reached."""
        deadline = time.monotonic() + timeout
        delay = 0.01
        while True:
            if all(view.position() >= position for view in self.views.values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(delay)
            delay = min(delay * 2, 0.2)

    def follow(self, stop: threading.Event, poll_interval: float = 0.5) -> None:
        """Follow the log until stop is set, catching up whenever new events arrive."""
        while not stop.is_set():
            try:
                self.catch_up()
            except Exception:  # a database fault: wait and try again, never exit
                if stop.wait(poll_interval * 4):
                    return
                continue
            stop.wait(poll_interval)


def _in_order(runs: list[list[Any]]) -> list[Any]:
    """Notifications of several topics, each list in log order, merged in log order."""
    if len(runs) == 1:
        return runs[0]
    return sorted((n for run in runs for n in run), key=attrgetter("id"))


__all__ = ["APPLICATION_NAME", "Projections", "ViewStatus"]
