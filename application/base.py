"""Plumbing shared by every group of commands: the clock, authorisation and loading."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from application.kept import Keeper
from domain.base import check_occurred_on
from domain.errors import NotFoundError
from domain.permissions import authorise
from domain.values import Actor

A = TypeVar("A")
R = TypeVar("R")
T = TypeVar("T")


class Commands:
    """Mixed into the Ledger application; gives commands their common helpers."""

    clock: Callable[[], datetime]
    repository: Any
    keeper: Keeper

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

    def _load(self, cls: type[A], aggregate_id: UUID, what: str, *, read_only: bool = False) -> A:
        """The aggregate (kept between commands if of a kept type); NotFoundError if not a cls.

        read_only: the caller will not change it, so a kept one is handed over without a copy.
        """
        try:
            aggregate = self.keeper.get(aggregate_id, self.repository.get, read_only=read_only)
        except AggregateNotFoundError:
            raise NotFoundError(f"{what} not found") from None
        if not isinstance(aggregate, cls):
            raise NotFoundError(f"{what} not found")
        return aggregate

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self.keeper.get(aggregate_id, self.repository.get, read_only=True)
        except AggregateNotFoundError:
            return False
        return True


def unit_of_work(method: Callable[..., R]) -> Callable[..., R]:
    """Run a command as one unit of work: the aggregates it reads are checked against the log once."""

    @functools.wraps(method)
    def run(self: Any, *args: Any, **kwargs: Any) -> R:
        keeper: Keeper = self.keeper
        if not keeper.begin():
            return method(self, *args, **kwargs)  # called by another command: its unit goes on
        try:
            return method(self, *args, **kwargs)
        finally:
            keeper.end()

    return run


def with_units_of_work(cls: type[T]) -> type[T]:
    """Make every public method that a command mixin of cls defines a unit of work."""
    for klass in cls.__mro__:
        if not issubclass(klass, Commands) or klass is Commands:
            continue
        for name, attr in vars(klass).items():
            if name.startswith("_") or not inspect.isfunction(attr) or name in vars(cls):
                continue
            setattr(cls, name, unit_of_work(attr))
    return cls
