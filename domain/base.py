"""The event envelope every governance fact carries, and the aggregate base that records it."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.errors import ValidationError
from domain.values import Actor

T = TypeVar("T", bound="LedgerAggregate")


class LedgerEvent(Aggregate.Event):
    """Envelope: who did it, in what role, and when it happened in the world.

    The recorded (system) time is the library's ``timestamp``.
    """

    actor_id: str
    actor_role: str
    occurred_on: date


class LedgerAggregate(Aggregate):
    """An aggregate whose every event carries the ledger envelope."""

    class Event(LedgerEvent):
        """Base of this aggregate's events."""

    class Created(Aggregate.Created, LedgerEvent):
        """Base of this aggregate's first event."""

    @classmethod
    def _start(
        cls: type[T],
        event_class: type[Aggregate.Created],
        actor: Actor,
        occurred_on: date,
        id: UUID | None = None,  # noqa: A002
        **fields: Any,
    ) -> T:
        return cls._create(
            event_class,
            id=id,
            actor_id=actor.user_id,
            actor_role=actor.role.value,
            occurred_on=occurred_on,
            **fields,
        )

    def _record(
        self, event_class: type[Aggregate.Event], actor: Actor, occurred_on: date, **fields: Any
    ) -> None:
        self.trigger_event(
            event_class,
            actor_id=actor.user_id,
            actor_role=actor.role.value,
            occurred_on=occurred_on,
            **fields,
        )


def check_text(value: str, field: str, *, max_length: int = 10_000, required: bool = True) -> str:
    """Return value stripped, or raise ValidationError naming the field."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError(f"{field} must not be blank", field=field)
    if len(value) > max_length:
        raise ValidationError(f"{field} is longer than {max_length} characters", field=field)
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        raise ValidationError(f"{field} contains control characters", field=field)
    return value


def check_occurred_on(occurred_on: date, today: date) -> date:
    """Refuse dates in the future or implausibly far in the past."""
    if occurred_on > today:
        raise ValidationError(
            f"occurred_on {occurred_on.isoformat()} is in the future", field="occurred_on"
        )
    if occurred_on.year < 2000:
        raise ValidationError(
            f"occurred_on {occurred_on.isoformat()} is before 2000", field="occurred_on"
        )
    return occurred_on
