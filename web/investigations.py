"""Investigations: a subject's full timeline, what was known when, and views compared over time.

Investigators read everything. Each read is passed to every function in READ_HOOKS as
``hook(actor, what)`` (``what`` says which subject, filters and moments were read), so that the
security work can record investigators' reads in the ledger; until then the list is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from flask import abort, current_app

from domain.values import Actor
from projections.replay_diff import diff_replays
from projections.timeline import Subject
from web.replay import replayer

READ_HOOKS: list[Callable[[Actor, dict[str, Any]], None]] = []


def note_read(actor: Actor, what: dict[str, Any]) -> None:
    """Tell every read hook that an investigator read something."""
    for hook in READ_HOOKS:
        hook(actor, what)


def subject_of(args: dict[str, Any]) -> Subject | None:
    """The subject named by organisation=, person= or aggregate= (None: the whole log)."""
    if args.get("organisation"):
        return Subject("organisation", str(args["organisation"]).upper())
    if args.get("person"):
        return Subject("person", str(args["person"]))
    if args.get("aggregate"):
        return Subject("aggregate", str(args["aggregate"]))
    return None


def mentions(subject: Subject | None) -> list[str]:
    """Values that mark a view's row as being about the subject."""
    if subject is None:
        return []
    return list(dict.fromkeys([subject.key, subject.aggregate_id]))


def timeline(
    subject: Subject | None,
    *,
    event_type: str | None = None,
    actor: str | None = None,
    known_at: datetime | None = None,
    as_of: date | None = None,
    page: int = 1,
    per_page: int = 50,
    oldest_first: bool = False,
) -> dict[str, Any]:
    """A page of the subject's timeline, cut at a moment if asked, with who acted on it."""
    view = current_app.extensions["pvb"].projections["timeline"]
    up_to = replayer().position_at(known_at) if known_at is not None else None
    items, total = view.events(
        subject, event_type=event_type, actor_id=actor, up_to=up_to, as_of=as_of,
        limit=per_page, offset=(page - 1) * per_page, newest_first=not oldest_first,
    )
    return {
        "items": items,
        "total": total,
        "page": page,
        "per_page": per_page,
        "known_at_position": up_to,
        "actors": view.actors(subject, up_to=up_to),
    }


def compare(
    name: str,
    subject: Subject | None,
    before: datetime,
    after: datetime | None,
    as_of: date | None = None,
    limit: int = 100,
) -> dict[str, Any]:
    """A view replayed at two moments (the second defaults to now), and what changed between."""
    r = replayer()
    if name not in r.names:
        abort(404, description=f"no such view {name!r}; views: {', '.join(r.names)}")
    first = r.replay(name, known_at=before, as_of=as_of)
    second = r.replay(name, known_at=after, as_of=as_of)
    try:
        tables = diff_replays(first, second, mentions=mentions(subject), limit=limit)
    except ValueError as e:
        abort(409, description=str(e))
    return {
        "view": name,
        "before_position": first.position,
        "after_position": second.position,
        "tables": [asdict(t) for t in tables],
    }
