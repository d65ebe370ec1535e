"""A view: tables kept up to date from the ledger's events, with their tracking."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import decimal
import enum
import functools
import hashlib
import json
import re
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from typing import Any, ClassVar, TypeVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from eventsourcing.utils import get_topic

from projections.store import SqlCursor, ViewStore

APPLICATION_NAME = "pvb"
MEMO_SIZE = 32  # results kept per view by remember()
INDEX_NAME = re.compile(r"CREATE (UNIQUE )?INDEX IF NOT EXISTS (\w+) ON ")  # groups: unique, name
T = TypeVar("T")
Handler = Callable[[Any, SqlCursor, Any], None]


def handles(*event_classes: type) -> Callable[[Handler], Handler]:
    """Mark a view method as the handler of some event classes."""

    def mark(method: Handler) -> Handler:
        method.__dict__.setdefault("_handles", []).extend(event_classes)
        return method

    return mark


def remembered(method: Callable[..., T]) -> Callable[..., T]:
    """Keep a view query's results until the view next changes (see View.remember)."""

    @functools.wraps(method)
    def query(self: View, *args: Any, **kwargs: Any) -> T:
        key = (method.__name__, _hashable(args), _hashable(sorted(kwargs.items())))
        try:
            hash(key)
        except TypeError:
            return method(self, *args, **kwargs)
        return self.remember(key, lambda: method(self, *args, **kwargs))

    return query


_IMMUTABLE = (str, bytes, int, float, bool, type(None), datetime.date, datetime.time, datetime.timedelta,
              decimal.Decimal, enum.Enum, frozenset)


def _copied(value: Any) -> Any:
    """A deep copy of query results (dicts, lists and tuples of values), cheaper than copy.deepcopy.

    Immutable values (and frozen dataclasses of them) are shared; anything else falls back to
    copy.deepcopy.
    """
    if isinstance(value, _IMMUTABLE):
        return value
    if type(value) is dict:
        return {k: _copied(v) for k, v in value.items()}
    if type(value) is list:
        return [_copied(v) for v in value]
    if type(value) is tuple:
        return tuple(_copied(v) for v in value)
    params = getattr(value, "__dataclass_params__", None)
    if params is not None and params.frozen and not isinstance(value, type) and all(
        isinstance(getattr(value, f.name), _IMMUTABLE) for f in dataclasses.fields(value)
    ):
        return value
    return copy.deepcopy(value)


def _hashable(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        return tuple(_hashable(v) for v in value)
    return value


class View(Projection[ViewStore]):
    """Base of every view; subclasses declare ``name``, ``tables`` and handlers."""

    name: str = ""
    tables: ClassVar[dict[str, str]] = {}  # table name -> column definitions
    indexes: ClassVar[tuple[str, ...]] = ()
    # Indexes this view's handlers read by, kept while the view is rebuilt (see deferred_indexes).
    handler_indexes: ClassVar[frozenset[str]] = frozenset()
    # Unique indexes a rebuild may drop too: the view's handlers write without relying on them
    # (no ON CONFLICT on them) between begin_rebuild and end_rebuild.
    rebuild_unique_indexes: ClassVar[frozenset[str]] = frozenset()
    # Raise it when a change to the handlers changes what the rows hold: the view is then rebuilt.
    revision: ClassVar[int] = 1
    # True: the view receives every event, handled by on_any_event (e.g. the timeline).
    wants_all: ClassVar[bool] = False
    _handlers: ClassVar[dict[str, Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        handlers: dict[str, Handler] = {}
        for klass in reversed(cls.__mro__):
            for attr in vars(klass).values():
                for event_class in getattr(attr, "_handles", ()):
                    handlers[get_topic(event_class)] = attr
        cls._handlers = handlers
        cls.topics = () if cls.wants_all else tuple(handlers)

    def __init__(self, view: ViewStore) -> None:
        super().__init__(view)
        with view.transaction() as cursor:
            existing = view.relations(cursor)
            view.create_tracking_table(cursor, existing)
            self.create_tables(cursor, existing)

    def create_tables(self, cursor: SqlCursor, existing: set[str] | None = None) -> None:
        """Create this view's tables and indexes if missing.

        Given the relations that exist (ViewStore.relations), it runs no statement for them: on
        PostgreSQL even CREATE INDEX IF NOT EXISTS takes a share lock on its table first, and a
        process starting beside another that is applying events to two of these tables could
        deadlock with it.
        """
        existing = existing or set()
        for table, columns in self.tables.items():
            if table not in existing:
                cursor.execute(f"CREATE TABLE IF NOT EXISTS {table} ({columns})")
        for index in self.indexes:
            named = INDEX_NAME.match(index)
            if named is None or named.group(2) not in existing:
                cursor.execute(index)

    @classmethod
    def shape(cls) -> str:
        """A digest of the view's tables and revision: when it changes, rows made before do not fit."""
        made = json.dumps({"revision": cls.revision, "tables": cls.tables}, sort_keys=True)
        return hashlib.sha256(made.encode()).hexdigest()[:16]

    def renew_if_reshaped(self, cursor: SqlCursor) -> bool:
        """Make the tables again, empty, if they were made in another shape; True if they were.

        CREATE TABLE IF NOT EXISTS keeps a table made by an older release, with its old columns
        and the rows its older handlers wrote. So a live view records its shape, and a view whose
        shape has changed (or was never recorded, from before shapes were) drops its tables and its
        tracking in one transaction, to be rebuilt from the first event by the next catch-up.
        """
        stored, shape = self.view.shape(cursor), self.shape()
        if stored == shape:
            return False
        had_rows = self.view._position(cursor, APPLICATION_NAME) not in (None, 0)
        for table in self.tables:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.create_tables(cursor)
        self.view.reset(cursor, APPLICATION_NAME)
        self.view.mark_changed(cursor)
        self.view.set_shape(cursor, shape)
        return had_rows

    def deferred_indexes(self) -> list[str]:
        """The indexes a rebuild from the first event drops first and makes again at the end.

        Those of ``indexes`` that only queries read by (not unique, not in ``handler_indexes``):
        one CREATE INDEX over the full table costs much less than keeping the index up to date
        row by row. A rebuild that stops half way loses nothing: create_tables makes any
        missing index again when the view is next opened.
        """
        found = (INDEX_NAME.match(statement) for statement in self.indexes)
        return [
            m.group(2) for m in found if m is not None and m.group(2) not in self.handler_indexes
            and (not m.group(1) or m.group(2) in self.rebuild_unique_indexes)
        ]

    def drop_deferred_indexes(self, cursor: SqlCursor) -> None:
        """Drop the indexes of deferred_indexes (create_tables makes them again)."""
        for index in self.deferred_indexes():
            cursor.execute(f"DROP INDEX IF EXISTS {index}")

    def begin_rebuild(self, cursor: SqlCursor) -> None:
        """Ready the view to be filled again from the first event: drop deferred indexes, empty it."""
        self.drop_deferred_indexes(cursor)
        self.clear(cursor)

    def end_rebuild(self, cursor: SqlCursor) -> None:
        """The rebuild is over (done or stopped): make the deferred indexes again."""
        self.create_tables(cursor, self.view.relations(cursor))

    def clear(self, cursor: SqlCursor) -> None:
        """Empty the view and its tracking, ready to rebuild from the first event."""
        for table in self.tables:
            cursor.execute(f"DELETE FROM {table}")
        self.view.reset(cursor, APPLICATION_NAME)
        self.view.mark_changed(cursor)

    def wants(self, topic: str) -> bool:
        """True if this view handles events with this topic."""
        return self.wants_all or topic in self._handlers

    def apply(self, cursor: SqlCursor, event: Any, position: int | None = None) -> None:
        """Apply one event (at its log position, when known) to the view's tables (no tracking)."""
        if self.wants_all:
            self.on_any_event(cursor, event, position)
        handler = self._handlers.get(get_topic(type(event)))
        if handler is not None:
            handler(self, cursor, event)

    def on_any_event(self, cursor: SqlCursor, event: Any, position: int | None) -> None:
        """Views with ``wants_all`` receive every event here, with its log position."""

    def apply_batch(
        self,
        events: Iterable[Any],
        expected: int,
        position: int,
        positions: Sequence[int] | None = None,
    ) -> None:
        """Apply events and move tracking from expected to position, in one transaction.

        ``positions``, when given, are the events' log positions, in the same order.
        """
        with self.view.transaction() as cursor:
            self.apply_within(cursor, events, expected, position, positions)

    def apply_within(
        self,
        cursor: SqlCursor,
        events: Iterable[Any],
        expected: int,
        position: int,
        positions: Sequence[int] | None = None,
        *,
        advance: bool = True,
    ) -> None:
        """As apply_batch, inside the caller's transaction (the runner applies every view in one).

        ``advance=False`` leaves moving the tracking to the caller (the runner moves every view's
        in one statement, ViewStore.advance_together).
        """
        events = list(events)
        self.apply_events(cursor, events, positions)
        if events:
            self.view.mark_changed(cursor)
        if advance:
            self.view.advance(cursor, APPLICATION_NAME, expected, position)

    def apply_events(self, cursor: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """Apply events in order (at their log positions, when known), no tracking.

        One by one here; a view may override it to apply a batch with fewer statements, with
        the same result as applying its events one by one.
        """
        if positions is None:
            for event in events:
                self.apply(cursor, event)
        else:
            for event, at in zip(events, positions, strict=True):
                self.apply(cursor, event, at)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Library entry point: apply one event with its tracking record."""
        with self.view.transaction() as cursor:
            current = self.view._position(cursor, tracking.application_name) or 0
            if tracking.notification_id <= current:
                return  # already applied, e.g. by a batch catch-up
            self.apply(cursor, domain_event, tracking.notification_id)
            self.view.mark_changed(cursor)
            self.view.advance(cursor, tracking.application_name, current, tracking.notification_id)

    def remember(self, key: Hashable, compute: Callable[[], T]) -> T:
        """compute()'s result, kept in this process until the view's rows next change.

        For aggregates over whole tables (dashboards, statistics): one indexed read of the
        view's change count instead of the aggregate, until an event changes the view. The
        caller gets a copy, so it may change what it gets.
        """
        version = self.view.changes()
        memo: OrderedDict[Hashable, tuple[int, Any]] = self.__dict__.setdefault("_memo", OrderedDict())
        kept = memo.get(key)
        if kept is None or kept[0] != version:
            kept = (version, compute())
            memo[key] = kept
            while len(memo) > MEMO_SIZE:
                memo.popitem(last=False)
        return _copied(kept[1])  # type: ignore[no-any-return]

    def position(self) -> int:
        """The last event position this view has applied (0 if none)."""
        return self.view.max_tracking_id(APPLICATION_NAME) or 0
