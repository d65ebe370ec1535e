"""What the timeline and replays know about any event: when it was recorded, when it belongs in
the world, and which organisations and people it names. Pure functions of the event."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.values import Personal

ENVELOPE = {"originator_id", "originator_version", "timestamp", "actor_id", "actor_role", "occurred_on"}
NAMES_NOTHING = frozenset({int, float, bool, type(None), date, datetime, UUID, Decimal})  # exact types
_ROLES: dict[str, str] = {}  # attribute name -> "organisation", "person" or ""


def recorded_at(timestamp: datetime) -> str:
    """A fixed-width, sortable UTC text form of a recorded time (microseconds, 'Z')."""
    if timestamp.tzinfo is not UTC:  # the library's timestamps are in UTC already
        if timestamp.tzinfo is None:
            timestamp = timestamp.replace(tzinfo=UTC)
        timestamp = timestamp.astimezone(UTC)
    return timestamp.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def world_date(event: Any) -> date | None:
    """The date an event belongs to in the world, judged from the event alone.

    That is its ``occurred_on``; but a correction belongs with the fact it corrects, so an
    event with ``corrects_occurred_on`` is dated by that instead (corrections included "as of"
    any date on which the corrected fact had happened, as known now). The timeline goes one
    step further for corrections that do not name that date: see ``projections.timeline``.
    """
    corrects = getattr(event, "corrects_occurred_on", None)
    if isinstance(corrects, date):
        return corrects
    occurred = getattr(event, "occurred_on", None)
    return occurred if isinstance(occurred, date) else None


def is_unanchored_correction(event: Any) -> bool:
    """A correction (its class name ends in 'Corrected') that does not name its fact's date."""
    return type(event).__name__.endswith("Corrected") and not isinstance(
        getattr(event, "corrects_occurred_on", None), date
    )


def event_keys(event: Any) -> tuple[list[str], list[str]]:
    """Organisation codes and person ids an event names, found generically, in order.

    Attributes called ``organisation`` or ``*_organisation`` name organisations; attributes
    called ``person_id`` or ``*_person_id``, and every Personal value's subject, name people.
    A Person's own events name that person; an Organisation's registration names its code.
    """
    orgs: list[str] = []
    people: list[str] = []
    aggregate = type(event).__qualname__.split(".")[0]
    if aggregate == "Person":
        people.append(str(event.originator_id))
    if aggregate == "Organisation" and isinstance(getattr(event, "code", None), str):
        orgs.append(event.code)
    for name, value in vars(event).items():
        kind = type(value)
        if kind in NAMES_NOTHING or name in ENVELOPE:
            continue
        if kind is str:  # the commonest case, as _walk would take it
            if value:
                _named(name, value, orgs, people)
            continue
        _walk(name, value, orgs, people, depth=0)
    return list(dict.fromkeys(orgs)), list(dict.fromkeys(people))


def _role(name: str) -> str:
    """What a value held under this attribute name names: "organisation", "person" or ""."""
    role = _ROLES.get(name)
    if role is None:
        if name == "organisation" or name.endswith("_organisation"):
            role = "organisation"
        elif name == "person_id" or name.endswith("_person_id"):
            role = "person"
        role = _ROLES.setdefault(name, role or "")
    return role


def _named(name: str, value: str, orgs: list[str], people: list[str]) -> None:
    """Add a text value to orgs or people by the name it is held under."""
    role = _ROLES.get(name)
    if role is None:
        role = _role(name)
    if role == "organisation":
        orgs.append(value)
    elif role == "person":
        people.append(value)


def _walk(name: str, value: Any, orgs: list[str], people: list[str], depth: int) -> None:
    kind = type(value)
    if kind in NAMES_NOTHING:
        return
    if kind is str:
        if value:
            _named(name, value, orgs, people)
    elif isinstance(value, Personal):
        people.append(value.subject_id)
    elif isinstance(value, str):  # a str subclass, such as an enumeration's member
        if value:
            _named(name, value, orgs, people)
    elif depth < 3 and (kind is list or kind is tuple):
        # Text in a list names what its attribute's name says; under any other name (attendee
        # pairs, catalogue items), nothing: only the items that are not text are walked.
        role = _ROLES.get(name)
        if role is None:
            role = _role(name)
        for item in value:
            if type(item) is str:
                if item and role:
                    (orgs if role == "organisation" else people).append(item)
            else:
                _walk(name, item, orgs, people, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _walk(str(key), item, orgs, people, depth + 1)
    elif depth < 3 and isinstance(value, (list, tuple)):
        for item in value:
            _walk(name, item, orgs, people, depth + 1)
