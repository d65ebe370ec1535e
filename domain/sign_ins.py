"""A day's failed sign-ins, summarised once: the log never grows with each failure.

Failed sign-ins are counted outside the log (the rate limiter's store), for known and unknown
usernames alike; one summary a day is written at a fixed time whether or not anything failed,
so nobody who is not signed in can change the log's size, or tell from it which usernames exist.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate
from domain.errors import ValidationError
from domain.values import Actor


def sign_in_day_id(day: date) -> UUID:
    """The id of a day's summary: one per day, whoever writes it first."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:sign-ins:{day.isoformat()}")


class SignInDay(LedgerAggregate):
    """The failed and refused sign-ins of one day, counted by the rate limiter."""

    class Summarised(LedgerAggregate.Created):
        """The day's failed sign-ins (wrong password, unknown or disabled account) and the
        attempts refused unchecked while an address or account had to wait."""

        day: date
        failed: int
        refused: int

        def apply(self, summary: SignInDay) -> None:
            summary.day, summary.failed, summary.refused = self.day, self.failed, self.refused

    day: date
    failed: int
    refused: int

    def __init__(self) -> None:
        """State is set by the event's apply method."""

    @classmethod
    def summarise(cls, *, day: date, failed: int, refused: int, actor: Actor, occurred_on: date) -> SignInDay:
        """The day's summary."""
        if failed < 0 or refused < 0:
            raise ValidationError("counts must not be negative", field="failed")
        if day >= occurred_on:
            raise ValidationError("a day is summarised only once it is over", field="day")
        return cls._start(cls.Summarised, actor, occurred_on, id=sign_in_day_id(day), day=day,
                          failed=failed, refused=refused)
