"""Directory aggregates kept between commands, checked against the log once per command.

A set of minutes checks its body, its chair and every attendee; a move checks the person and
the organisation. Reading each of them from the log again, in every command, was most of a
command's round trips on PostgreSQL. The keeper holds a copy of each such aggregate as last
read or saved, and at the start of each command (the first load in a unit of work) reads the
log's tail, the events recorded since it last looked, by this process or any other: an
aggregate that has a newer event there is dropped and read again. So a command sees every
event committed before it began, as it did when it read everything afresh.

Bounds: a kept copy holds decrypted personal data, so none is kept longer than the key store
keeps a key (CACHE_SECONDS), an erasure made here drops the person at once (one made by
another process arrives as an event in the tail), and at most MAX_KEPT are kept.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from uuid import UUID

from application.keystore import CACHE_SECONDS

MAX_KEPT = 5000
TAIL_LIMIT = 500  # a longer tail than this: forget everything rather than read it all


class Keeper:
    """Copies of aggregates of the kept types, valid as of a position in the log."""

    def __init__(self, recorder: Any, kept_types: tuple[type, ...], seconds: float = CACHE_SECONDS) -> None:
        self._recorder = recorder
        self._types = kept_types
        self._seconds = seconds
        self._lock = threading.Lock()
        # id -> (the aggregate, never handed out to be changed, or None until a read needs it; its
        # pickle, to copy from; when it was kept; its version)
        self._kept: OrderedDict[UUID, tuple[Any, bytes, float, int]] = OrderedDict()
        self._position: int | None = None  # every event up to here has been checked against the kept
        self._local = threading.local()

    # A unit of work: one command, however many aggregates it reads.
    def begin(self) -> bool:
        """Start a unit of work on this thread; False if one is already open (a nested call)."""
        if getattr(self._local, "open", False):
            return False
        self._local.open, self._local.checked = True, False
        return True

    def end(self) -> None:
        """End this thread's unit of work."""
        self._local.open = False

    def get(self, aggregate_id: UUID, load: Callable[[UUID], Any], *, read_only: bool = False) -> Any:
        """The aggregate, kept or loaded; a copy the caller may change unless read_only."""
        self._check_tail()
        now = time.monotonic()
        with self._lock:
            kept = self._kept.get(aggregate_id)
            if kept is not None and now - kept[2] <= self._seconds:
                self._kept.move_to_end(aggregate_id)
                if not read_only:
                    return pickle.loads(kept[1])  # noqa: S301 - our own bytes
                if kept[0] is None:  # made from its pickle on the first read that needs it
                    kept = self._kept[aggregate_id] = (pickle.loads(kept[1]), *kept[1:])  # noqa: S301
                return kept[0]
            since = self._position
        aggregate = load(aggregate_id)
        if isinstance(aggregate, self._types):
            self._keep(aggregate, since, aggregate if read_only else None)
        return aggregate

    def position(self) -> int | None:
        """Where the last look at the tail reached; pass it to saved() after a save."""
        with self._lock:
            return self._position

    def saved(self, aggregates: list[Any], since: int | None) -> None:
        """Keep aggregates just saved (since: position() read before the save)."""
        for aggregate in aggregates:
            if isinstance(aggregate, self._types):
                self._keep(aggregate, since)

    def forget(self, aggregate_id: UUID | None = None) -> None:
        """Drop one kept aggregate, or all of them."""
        with self._lock:
            if aggregate_id is None:
                self._kept.clear()
            else:
                self._kept.pop(aggregate_id, None)

    def _keep(self, aggregate: Any, since: int | None, held: Any = None) -> None:
        """Keep a copy of aggregate as a pickle; held: the aggregate itself if nobody will change it."""
        blob = pickle.dumps(aggregate, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if since != self._position or since is None:
                # The tail was read while this copy was being read or saved: an event it missed
                # may already lie behind the position, so it cannot be trusted to be current.
                self._kept.pop(aggregate.id, None)
                return
            self._kept[aggregate.id] = (held, blob, time.monotonic(), aggregate.version)
            self._kept.move_to_end(aggregate.id)
            while len(self._kept) > MAX_KEPT:
                self._kept.popitem(last=False)

    def _check_tail(self) -> None:
        """Drop kept aggregates that have newer events; once per unit of work."""
        in_unit = getattr(self._local, "open", False)
        if in_unit and self._local.checked:
            return
        with self._lock:
            since = self._position
        if since is None:
            head = self._recorder.max_notification_id() or 0
            with self._lock:
                if self._position is None:
                    self._position = head
        else:
            tail = self._recorder.tail(since, TAIL_LIMIT)
            with self._lock:
                if len(tail) >= TAIL_LIMIT:
                    self._kept.clear()
                for _, originator_id, version in tail:
                    kept = self._kept.get(originator_id)
                    if kept is not None and kept[3] < version:
                        del self._kept[originator_id]
                if tail and (self._position is None or tail[-1][0] > self._position):
                    self._position = tail[-1][0]
        if in_unit:
            self._local.checked = True
