"""What a report is drawn from, read straight from the log: its records, the directory's names, quoted text.

Records are the stored events of the aggregates the figures read (domain/figures/records.py), up
to a position, decrypted at rest if need be and decoded by the figures' own decoder, exactly as an
export bundle's verifier decodes them. Quoted text is read from its event when a report is drawn,
decrypted with its subject's key (None once erased).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from eventsourcing.domain import DomainEvent
from eventsourcing.utils import get_topic

from domain import (
    adoption,
    chair_meeting,
    commendation,
    concern,
    development,
    feedback,
    meeting,
    meeting_body,
    objective,
    organisation,
    person,
    review,
    survey,
    user,
)
from domain.figures import AGGREGATES, Record, make_record
from domain.values import Personal

BATCH = 2000
MODULES = (adoption, chair_meeting, commendation, concern, development, feedback, meeting, meeting_body,
           objective, organisation, person, review, survey)


def _event_topics(names: tuple[str, ...]) -> list[str]:
    """The topics of every event of the aggregates named (nested event classes of domain aggregates)."""
    topics = []
    for module in MODULES:
        for name in names:
            aggregate = getattr(module, name, None)
            if not isinstance(aggregate, type):
                continue
            for value in vars(aggregate).values():
                if isinstance(value, type) and issubclass(value, DomainEvent):
                    topics.append(get_topic(value))
    return sorted(set(topics))


FIGURE_TOPICS = _event_topics(AGGREGATES)
NAME_TOPICS = [get_topic(person.Person.Joined), get_topic(person.Person.DetailsCorrected), get_topic(user.User.Added)]


class ReportLog:
    """Reads a Ledger's log for reports; keeps the last few readings, which only a new write changes."""

    def __init__(self, recorder: Any, mapper: Any) -> None:
        self.recorder = recorder
        self.mapper = mapper
        self._kept: OrderedDict[int, list[Record]] = OrderedDict()
        self._lock = threading.Lock()

    def _stored(self, topics: list[str], upto: int, start: int = 1) -> Iterator[Any]:
        while start <= upto:
            batch = self.recorder.select_notifications(start=start, limit=BATCH, stop=upto, topics=topics)
            if not batch:
                return
            yield from batch
            start = batch[-1].id + 1

    def _plain_state(self, stored: Any) -> bytes:
        state = stored.state
        if self.mapper.cipher is not None:
            state = self.mapper.cipher.decrypt(state)
        if self.mapper.compressor is not None:
            state = self.mapper.compressor.decompress(state)
        return bytes(state)

    def records(self, upto: int) -> list[Record]:
        """The records every report figure is computed from, up to a log position."""
        with self._lock:
            if upto in self._kept:
                self._kept.move_to_end(upto)
                return self._kept[upto]
        found = [make_record(n.id, n.originator_id, n.originator_version, n.topic, self._plain_state(n))
                 for n in self._stored(FIGURE_TOPICS, upto)]
        with self._lock:
            self._kept[upto] = found
            while len(self._kept) > 2:
                self._kept.popitem(last=False)
        return found

    def changes_since(self, position: int, upto: int) -> int:
        """How many events after a position (up to another) are of the kinds any report figure is drawn from."""
        return sum(1 for _ in self._stored(FIGURE_TOPICS, upto, position + 1)) if upto > position else 0

    def directory_names(self, upto: int) -> tuple[set[str], set[str]]:
        """Every name the directory has held (decrypted; erased ones are gone) and every username."""
        names: set[str] = set()
        usernames: set[str] = set()
        for n in self._stored(NAME_TOPICS, upto):
            event = self.mapper.to_domain_event(n)
            if isinstance(event, user.User.Added):
                usernames.add(event.username)
            elif isinstance(getattr(event, "name", None), Personal) and event.name.text:
                names.add(event.name.text)
        return names, usernames

    def quoted(self, position: int, field: str) -> str | None:
        """The text a report quotes (an event's field, e.g. examples.0.description), or None once erased."""
        found = self.recorder.select_notifications(start=position, limit=1, stop=position)
        if not found:
            return None
        value: Any = self.mapper.to_domain_event(found[0])
        for part in field.split("."):
            if isinstance(value, list):
                value = value[int(part)] if part.isdigit() and int(part) < len(value) else None
            elif isinstance(value, dict):
                value = value.get(part)
            else:
                value = getattr(value, part, None)
            if value is None:
                return None
        if isinstance(value, Personal):
            return value.text
        return value if isinstance(value, str) else None
