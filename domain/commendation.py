"""Commendations: an individual nominated for living the behaviours, and the decision.

The paper's "Periodic reviews" suggests "a process for nominating individuals for a
commendation". The examples and the decision's reasons are about the nominee, so they are
stored under the nominee's own key.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor, Personal

DECISIONS = ("commended", "not_commended")
MAX_EXAMPLES = 10


class Commendation(LedgerAggregate):
    """One nomination and what became of it."""

    class Nominated(LedgerAggregate.Created):
        """Someone nominated an individual, citing behaviours with examples."""

        nominee_id: str
        nominee_organisation: str
        nominated_by_id: str
        citations: list[str]
        framework_version: int
        examples: list[Personal]

        def apply(self, c: Commendation) -> None:
            c.nominee_id, c.nominee_organisation = self.nominee_id, self.nominee_organisation
            c.nominated_by_id, c.nominated_on = self.nominated_by_id, self.occurred_on
            c.citations, c.framework_version = list(self.citations), self.framework_version
            c.examples = list(self.examples)
            c.decision, c.decided_on, c.reason, c.withdrawn_on = None, None, None, None

    class Decided(LedgerAggregate.Event):
        """The Programme Board (through the Independent Chair) decided on the nomination."""

        decision: str
        reason: Personal

        def apply(self, c: Commendation) -> None:
            c.decision, c.decided_on, c.reason = self.decision, self.occurred_on, self.reason

    class Withdrawn(LedgerAggregate.Event):
        """The nomination was withdrawn before a decision."""

        reason: str

        def apply(self, c: Commendation) -> None:
            c.withdrawn_on = self.occurred_on

    nominee_id: str
    nominee_organisation: str
    nominated_by_id: str
    nominated_on: date
    citations: list[str]
    framework_version: int
    examples: list[Personal]
    decision: str | None
    decided_on: date | None
    reason: Personal | None
    withdrawn_on: date | None

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def nominate(
        cls,
        *,
        id: UUID,  # noqa: A002
        nominee_id: str,
        nominee_organisation: str,
        nominated_by_id: str,
        citations: list[str],
        framework_version: int,
        examples: list[str],
        actor: Actor,
        occurred_on: date,
    ) -> Commendation:
        """Record a nomination."""
        if nominee_id == nominated_by_id:
            raise ValidationError("nobody may nominate themselves", field="nominee_id")
        if not citations:
            raise ValidationError("cite at least one behaviour", field="citations")
        texts = [t for t in (check_text(e, "examples", max_length=2000, required=False) for e in examples) if t]
        if not texts:
            raise ValidationError("give at least one example of the behaviour", field="examples")
        if len(texts) > MAX_EXAMPLES:
            raise ValidationError(f"give at most {MAX_EXAMPLES} examples", field="examples")
        return cls._start(
            cls.Nominated, actor, occurred_on, id=id, nominee_id=nominee_id,
            nominee_organisation=nominee_organisation, nominated_by_id=nominated_by_id,
            citations=list(citations), framework_version=framework_version,
            examples=[Personal(nominee_id, t) for t in texts],
        )

    def decide(self, decision: str, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record the decision on the nomination."""
        self._check_pending()
        if decision not in DECISIONS:
            raise ValidationError(f"decision must be one of: {', '.join(DECISIONS)}", field="decision")
        if occurred_on < self.nominated_on:
            raise ValidationError(
                f"the decision cannot come before the nomination on {self.nominated_on}",
                field="occurred_on",
            )
        text = check_text(reason, "reason", max_length=4000, required=False)
        self._record(
            self.Decided, actor, occurred_on, decision=decision,
            reason=Personal(self.nominee_id, text),
        )

    def withdraw(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Withdraw the nomination before it is decided."""
        self._check_pending()
        self._record(self.Withdrawn, actor, occurred_on, reason=check_text(reason, "reason"))

    def _check_pending(self) -> None:
        if self.withdrawn_on is not None:
            raise RuleViolationError(f"nomination {self.id} was withdrawn on {self.withdrawn_on}")
        if self.decision is not None:
            raise RuleViolationError(
                f"nomination {self.id} was already decided ({self.decision.replace('_', ' ')}) "
                f"on {self.decided_on}"
            )
