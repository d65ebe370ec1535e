"""The sequence of concern numbers, so that each reference ('C-14') is given exactly once."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, uuid5

from domain.base import LedgerAggregate
from domain.values import Actor

CONCERN_NUMBERS_ID = uuid5(NAMESPACE_URL, "pvb-ledger:concern-numbers")


class ConcernNumbers(LedgerAggregate):
    """One per ledger; saved with each new concern, so two raises can never share a number."""

    class Started(LedgerAggregate.Created):
        """The ledger began numbering concerns."""

        def apply(self, numbers: ConcernNumbers) -> None:
            numbers.last = 0

    class Issued(LedgerAggregate.Event):
        """The next concern number was given to a concern being raised."""

        number: int

        def apply(self, numbers: ConcernNumbers) -> None:
            numbers.last = self.number

    last: int

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def start(cls, actor: Actor, occurred_on: date) -> ConcernNumbers:
        """Begin numbering concerns."""
        return cls._start(cls.Started, actor, occurred_on, id=CONCERN_NUMBERS_ID)

    def issue(self, actor: Actor, occurred_on: date) -> int:
        """Give out the next number."""
        self._record(self.Issued, actor, occurred_on, number=self.last + 1)
        return self.last
