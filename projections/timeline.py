"""The timeline: one row per event of every aggregate, for investigations and for time travel.

Rows are only ever added, one per event, and never changed, so the timeline as known at
position P is exactly its rows with ``position <= P``, and as of a date D its rows with
``world_on <= D``. Replays therefore cut the live timeline instead of rebuilding it (see
``replay_cut``). The timeline also maps a moment of system time to a log position.

``world_on`` is the date an event belongs to in the world, the date "as of" replays go by:
its ``occurred_on``, except for corrections, which belong with the fact they correct. A
correction is an event whose class name ends in ``Corrected``; it is dated by its
``corrects_occurred_on`` when it has one, and otherwise by the world date of the latest
earlier event of the same aggregate that is not itself a correction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from eventsourcing.utils import get_topic

from domain.organisation import organisation_id
from projections.base import View
from projections.store import SqlCursor
from projections.timekeeping import (
    event_keys,
    is_unanchored_correction,
    recorded_at,
    world_date,
)

COLUMNS = (
    "position, recorded_at, occurred_on, world_on, topic, event_type, aggregate_type, "
    "originator_id, originator_version, actor_id, actor_role, organisation, person_id"
)
INSERT_EVENT = (
    f"INSERT INTO tl_events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (position) DO NOTHING"
)
INSERT_LINK_FIRST = "INSERT INTO tl_links (kind, key, position, world_on) VALUES (?, ?, ?, ?)"
INSERT_LINK = f"{INSERT_LINK_FIRST} ON CONFLICT (kind, key, position) DO NOTHING"


@dataclass(frozen=True)
class Subject:
    """What an investigation is about: an organisation, a person or one aggregate."""

    kind: str  # "organisation", "person" or "aggregate"
    key: str

    @property
    def aggregate_id(self) -> str:
        """The id of the subject's own aggregate."""
        if self.kind == "organisation":
            return str(organisation_id(self.key))
        return self.key


class TimelineView(View):
    """Every event: when recorded, when it happened, what, by whom, and whom it names."""

    name = "timeline"
    wants_all = True
    # An append-only view: every table has ``position`` and ``world_on`` columns, rows never
    # change once written, and the queries honour ``replay_cut``; so a replay is a cut.
    append_only = True
    replay_cut: tuple[int | None, str | None] = (None, None)  # (up to position, as of date)
    tables: ClassVar[dict[str, str]] = {
        "tl_events": "position BIGINT PRIMARY KEY, recorded_at TEXT NOT NULL, occurred_on TEXT, "
        "world_on TEXT, topic TEXT NOT NULL, event_type TEXT NOT NULL, aggregate_type TEXT NOT NULL, "
        "originator_id TEXT NOT NULL, originator_version BIGINT NOT NULL, actor_id TEXT, "
        "actor_role TEXT, organisation TEXT, person_id TEXT",
        # Unique by tl_links_key, an index and not a primary key so that a rebuild can make it at the end.
        "tl_links": "kind TEXT NOT NULL, key TEXT NOT NULL, position BIGINT NOT NULL, world_on TEXT",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS tl_events_recorded ON tl_events (recorded_at, position)",
        "CREATE INDEX IF NOT EXISTS tl_events_originator ON tl_events (originator_id, position)",
        "CREATE INDEX IF NOT EXISTS tl_events_actor ON tl_events (actor_id, position)",
        "CREATE INDEX IF NOT EXISTS tl_events_type ON tl_events (event_type, position)",
        "CREATE INDEX IF NOT EXISTS tl_links_position ON tl_links (position)",
        "CREATE UNIQUE INDEX IF NOT EXISTS tl_links_key ON tl_links (kind, key, position)",
    )
    # A rebuild applies each position once, in order, into emptied tables: its link rows cannot
    # collide, so they are inserted without ON CONFLICT and their unique index is made at the end.
    rebuild_unique_indexes = frozenset({"tl_links_key"})
    # Outside a rebuild, a correction is dated by reading tl_events through tl_events_originator
    # (_corrected_fact_date). A rebuild from the first event keeps each aggregate's latest fact in
    # memory instead (_facts), so that index too is made once at the end.
    _facts: dict[str, tuple[int, str | None]] | None = None

    def begin_rebuild(self, cursor: SqlCursor) -> None:
        """Start from the first event, with the latest fact of each aggregate kept in memory."""
        super().begin_rebuild(cursor)
        self._facts = {}

    def end_rebuild(self, cursor: SqlCursor) -> None:
        """Forget the facts kept in memory; corrections are dated from tl_events again."""
        self._facts = None
        super().end_rebuild(cursor)

    def on_any_event(self, c: SqlCursor, e: Any, position: int | None) -> None:
        """Index one event at its position (events without a known position are skipped)."""
        self._index(c, [(e, position)])

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """Index a batch of events with a few multi-row statements (without positions: nothing)."""
        if positions is not None:
            self._index(c, list(zip(events, positions, strict=True)))

    def _index(self, c: SqlCursor, items: list[tuple[Any, int | None]]) -> None:
        events: list[tuple[Any, ...]] = []
        links: list[tuple[Any, ...]] = []
        facts = self._facts
        for e, position in items:
            if position is None:
                continue
            topic, qualname, aggregate, correction = _kind(type(e))
            occurred = getattr(e, "occurred_on", None)
            occurred_on = occurred.isoformat() if isinstance(occurred, date) else None
            corrects = getattr(e, "corrects_occurred_on", None)  # as world_date(e)
            world_on = corrects.isoformat() if isinstance(corrects, date) else occurred_on
            originator_id = str(e.originator_id)
            if not correction:
                if facts is not None:
                    facts[originator_id] = (position, world_on)
            elif not isinstance(corrects, date):  # as is_unanchored_correction(e)
                fact = facts.get(originator_id) if facts is not None else None
                if fact is not None and fact[0] < position:
                    world_on = fact[1] or world_on
                else:  # not kept, or kept from a batch that was rolled back and is applied again
                    _flush(c, events, links, facts is not None)  # the fact may be earlier in this batch
                    world_on = _corrected_fact_date(c, originator_id, position) or world_on
            orgs, people = event_keys(e)
            events.append((
                position, recorded_at(e.timestamp), occurred_on, world_on, topic, qualname, aggregate,
                originator_id, int(e.originator_version), getattr(e, "actor_id", None),
                getattr(e, "actor_role", None), orgs[0] if orgs else None, people[0] if people else None,
            ))
            links += [("organisation", k, position, world_on) for k in orgs]
            links += [("person", k, position, world_on) for k in people]
        _flush(c, events, links, facts is not None)

    # Queries: indexed and paged, each within the replay cut (if any).
    def position_at(self, moment: str) -> int:
        """The last position recorded at or before a moment (a recorded_at string); 0 if none."""
        where, params = self._where(None)
        with self.view.transaction(commit=False) as c:
            row = c.execute(
                f"SELECT MAX(position) AS p FROM tl_events WHERE {where} AND recorded_at <= ?",
                [*params, moment],
            ).fetchone()
        return int(row["p"]) if row and row["p"] is not None else 0

    def world_dates(self, positions: list[int]) -> dict[int, str | None]:
        """The world date (``world_on``) of each of some positions the timeline holds."""
        found: dict[int, str | None] = {}
        with self.view.transaction(commit=False) as c:
            for i in range(0, len(positions), 500):
                chunk = positions[i:i + 500]
                marks = ", ".join("?" for _ in chunk)
                for row in c.execute(
                    f"SELECT position, world_on FROM tl_events WHERE position IN ({marks})", chunk
                ).fetchall():
                    found[int(row["position"])] = row["world_on"]
        return found

    def positions_by_world(
        self, after: int, up_to: int, as_of: date, topics: Sequence[str], limit: int
    ) -> list[int]:
        """Positions in (after, up_to] of events with the topics (any, if none) dated by as_of."""
        sql = "SELECT position FROM tl_events WHERE position > ? AND position <= ? AND (world_on IS NULL OR world_on <= ?)"
        params: list[Any] = [after, up_to, as_of.isoformat()]
        if topics:
            sql += f" AND topic IN ({', '.join('?' for _ in topics)})"
            params += list(topics)
        with self.view.transaction(commit=False) as c:
            rows = c.execute(sql + " ORDER BY position LIMIT ?", [*params, limit]).fetchall()
        return [int(r["position"]) for r in rows]

    def latest(self, event_type: str) -> dict[str, Any] | None:
        """The newest event of a type (e.g. 'Person.Erased'), with its position and time."""
        where, params = self._where(None, event_type=event_type)
        with self.view.transaction(commit=False) as c:
            return c.execute(
                f"SELECT position, recorded_at FROM tl_events WHERE {where} "
                "ORDER BY position DESC LIMIT 1",
                params,
            ).fetchone()

    def get(self, position: int) -> dict[str, Any] | None:
        """One event's row."""
        where, params = self._where(None)
        with self.view.transaction(commit=False) as c:
            return c.execute(
                f"SELECT {COLUMNS} FROM tl_events WHERE {where} AND position = ?", [*params, position]
            ).fetchone()

    def events(
        self,
        subject: Subject | None = None,
        *,
        event_type: str | None = None,
        actor_id: str | None = None,
        up_to: int | None = None,
        as_of: date | None = None,
        limit: int = 50,
        offset: int = 0,
        newest_first: bool = True,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of events (filtered) and how many match."""
        where, params = self._where(subject, event_type, actor_id, up_to, as_of)
        order = "DESC" if newest_first else "ASC"
        with self.view.transaction(commit=False) as c:
            total = c.execute(f"SELECT COUNT(*) AS n FROM tl_events WHERE {where}", params).fetchone()
            rows = c.execute(
                f"SELECT {COLUMNS} FROM tl_events WHERE {where} ORDER BY position {order} "
                "LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return rows, int(total["n"]) if total else 0

    def actors(
        self, subject: Subject | None = None, *, up_to: int | None = None, limit: int = 100
    ) -> list[dict[str, Any]]:
        """Who acted on the subject: how often, first and last (position and recorded time)."""
        where, params = self._where(subject, up_to=up_to)
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT actor_id, actor_role, COUNT(*) AS events, MIN(position) AS first_position, "
                "MAX(position) AS last_position, MIN(recorded_at) AS first_recorded_at, "
                f"MAX(recorded_at) AS last_recorded_at FROM tl_events WHERE {where} "
                "GROUP BY actor_id, actor_role ORDER BY MIN(position) LIMIT ?",
                [*params, limit],
            ).fetchall()

    def event_types(self, subject: Subject | None = None, limit: int = 200) -> list[str]:
        """The event types seen for the subject, for a filter."""
        where, params = self._where(subject)
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                f"SELECT DISTINCT event_type FROM tl_events WHERE {where} ORDER BY event_type LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [r["event_type"] for r in rows]

    def _where(
        self,
        subject: Subject | None,
        event_type: str | None = None,
        actor_id: str | None = None,
        up_to: int | None = None,
        as_of: date | None = None,
    ) -> tuple[str, list[Any]]:
        clauses: list[str] = ["1 = 1"]
        params: list[Any] = []
        if subject is not None:
            about = ["originator_id = ?"]
            params.append(subject.aggregate_id)
            if subject.kind in ("organisation", "person"):
                about.append("position IN (SELECT position FROM tl_links WHERE kind = ? AND key = ?)")
                params += [subject.kind, subject.key]
            clauses.append("(" + " OR ".join(about) + ")")
        for column, value in (("event_type", event_type), ("actor_id", actor_id)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        cut_position, cut_as_of = self.replay_cut
        for limit_position in (up_to, cut_position):
            if limit_position is not None:
                clauses.append("position <= ?")
                params.append(limit_position)
        for limit_date in (as_of.isoformat() if as_of else None, cut_as_of):
            if limit_date is not None:
                clauses.append("(world_on IS NULL OR world_on <= ?)")
                params.append(limit_date)
        return " AND ".join(clauses), params


_KINDS: dict[type, tuple[str, str, str, bool]] = {}


def _kind(event_class: type) -> tuple[str, str, str, bool]:
    """An event class's topic, type, aggregate type, and whether it is a correction (kept per class)."""
    kind = _KINDS.get(event_class)
    if kind is None:
        qualname = event_class.__qualname__
        kind = _KINDS.setdefault(event_class, (
            get_topic(event_class), qualname, qualname.split(".")[0], event_class.__name__.endswith("Corrected")))
    return kind


def _flush(c: SqlCursor, events: list[tuple[Any, ...]], links: list[tuple[Any, ...]], rebuilding: bool) -> None:
    """Write the rows gathered so far and empty the lists."""
    if events:
        c.executemany(INSERT_EVENT, events)
        events.clear()
    if links:
        c.executemany(INSERT_LINK_FIRST if rebuilding else INSERT_LINK, links)
        links.clear()


def _corrected_fact_date(c: SqlCursor, originator_id: str, position: int) -> str | None:
    """The world date of the latest earlier fact (not a correction) of the same aggregate."""
    row = c.execute(
        "SELECT world_on FROM tl_events WHERE originator_id = ? AND position < ? "
        "AND event_type NOT LIKE ? ORDER BY position DESC LIMIT 1",
        (originator_id, position, "%Corrected"),
    ).fetchone()
    return None if row is None else row["world_on"]


__all__ = [
    "Subject", "TimelineView", "event_keys", "is_unanchored_correction", "recorded_at", "world_date",
]
