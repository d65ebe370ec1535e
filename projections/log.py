"""Reading the ledger's notification log in batches for the views, and decoding its events.

The library reads a batch as Notification objects (a dataclass, a UUID parsed from each
originator id, each column fetched by name) and its mapper looks up the event class, the id
convertor and the class version again for every event. A rebuild reads every event of the log,
so on SQLite the reader asks for plain rows and decodes them as the mapper does (eventsourcing
9.5, Mapper.to_domain_event) with what repeats kept once: each topic's class, id convertor and
class version, and the UUID of each originator of recent events (meetings and people have many
events each). Any other engine or mapper (a cipher or a compressor) takes the library's path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.persistence import MapperDeserialisationError, find_id_convertor
from eventsourcing.sqlite import SQLiteApplicationRecorder
from eventsourcing.utils import resolve_topic

UUID_CACHE = 100_000  # originator ids kept between batches; the cache is emptied when full


class Entry(NamedTuple):
    """One notification of a batch: its position, its topic, and what decode() takes."""

    id: int
    topic: str
    raw: Any


class LogReader:
    """Batches of the notification log, and their events decoded."""

    def __init__(self, recorder: Any, mapper: Any) -> None:
        self.recorder = recorder
        self.mapper = mapper
        lean = (
            isinstance(recorder, SQLiteApplicationRecorder)
            and recorder.datastore.originator_id_type == "uuid"
            and mapper.cipher is None and mapper.compressor is None
        )
        self._statement = (
            f"SELECT rowid, topic, originator_id, originator_version, state FROM {recorder.events_table_name} "
            "WHERE rowid >= ? ORDER BY rowid LIMIT ?"
        ) if lean else None
        self._classes: dict[str, tuple[type, Callable[[Any], Any], int]] = {}
        self._uuids: dict[str, UUID] = {}
        self.decode: Callable[[Any], Any] = self._decode_row if lean else mapper.to_domain_event

    def read(self, start: int, limit: int) -> Sequence[Entry]:
        """Up to limit notifications from position start on, in order."""
        if self._statement is None:
            return [Entry(n.id, n.topic, n) for n in self.recorder.select_notifications(start=start, limit=limit)]
        with self.recorder.datastore.transaction(commit=False) as cursor:
            raw = cursor.sqlite_cursor
            raw.row_factory = None  # plain tuples: (rowid, topic, ...), taken whole by decode
            raw.execute(self._statement, (start, limit))
            return [Entry(row[0], row[1], row) for row in raw.fetchall()]

    def _decode_row(self, row: tuple[int, str, str, int, bytes]) -> Any:
        """A domain event from a row (rowid, topic, originator_id, originator_version, state)."""
        _, topic, originator_id, version, state = row
        kind = self._classes.get(topic)
        if kind is None:
            cls = resolve_topic(topic)
            kind = self._classes[topic] = (cls, find_id_convertor(cls, UUID), getattr(cls, "class_version", 1))
        cls, convert, class_version = kind
        try:
            event_state: dict[str, Any] = self.mapper.transcoder.decode(state)
        except Exception as e:
            raise MapperDeserialisationError(
                f"Failed to deserialise state of stored event with topic '{topic}', originator_id "
                f"'{originator_id}' and originator_version {version}: {e}"
            ) from e
        uuid = self._uuids.get(originator_id)
        if uuid is None:
            if len(self._uuids) >= UUID_CACHE:
                self._uuids.clear()
            uuid = self._uuids[originator_id] = UUID(originator_id)
        event_state["originator_id"] = convert(uuid)
        event_state["originator_version"] = version
        from_version = event_state.pop("class_version", 1)
        while from_version < class_version:
            getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(event_state)
            from_version += 1
        event: Any = object.__new__(cls)
        object.__setattr__(event, "__dict__", event_state)
        return event
