"""Plumbing shared by every group of commands: the clock, authorisation and loading."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from domain.base import check_occurred_on
from domain.errors import NotFoundError
from domain.permissions import authorise
from domain.values import Actor

A = TypeVar("A")


class Commands:
    """Mixed into the Ledger application; gives commands their common helpers."""

    clock: Callable[[], datetime]
    repository: Any

    if TYPE_CHECKING:  # provided by eventsourcing's Application

        def save(self, *objs: Any, **kwargs: Any) -> Any: ...

    def _now(self) -> datetime:
        return self.clock()

    def _occurred(self, occurred_on: date | None) -> date:
        today = self._now().date()
        return today if occurred_on is None else check_occurred_on(occurred_on, today)

    @staticmethod
    def _authorise(actor: Actor, permission: str) -> None:
        authorise(actor, permission)

    def _load(self, cls: type[A], aggregate_id: UUID, what: str) -> A:
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{what} not found")
        return aggregate

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True
