"""The Programme Board's quarterly review of performance against the PVB, and its actions.

The paper's "Periodic reviews": every three months the Board reviews the STP's performance,
highlights learning and good practice, celebrates successes jointly and resolves issues.
Each decision may set actions with an owner and a due date, tracked until done, carried
forward to a new date, or dropped with a reason. Whether an action is overdue depends on
the day it is asked, so it is worked out when asked, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.periods import quarter_of
from domain.values import Actor

OPEN, DONE, CARRIED_FORWARD, DROPPED = "open", "done", "carried_forward", "dropped"
ACTION_STATUSES = (OPEN, DONE, CARRIED_FORWARD, DROPPED)
DECISION_PARTS = ("learning", "good_practice", "successes", "issues_resolved")


def review_id(quarter: str) -> UUID:
    """The stable aggregate id of the review held in a quarter (one per quarter)."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:review:{quarter}")


@dataclass(frozen=True)
class NewAction:
    """An action a decision sets: what, who owns it (person and organisation), by when."""

    text: str
    owner_person_id: str
    owner_organisation: str
    due_on: date


@dataclass
class ActionState:
    """Where an action stands."""

    number: int
    decision: int
    text: str
    owner_person_id: str
    owner_organisation: str
    due_on: date
    status: str = OPEN
    closed_on: date | None = None
    reason: str = ""

    @property
    def is_open(self) -> bool:
        """True until the action is done or dropped (carried forward is still open)."""
        return self.status in (OPEN, CARRIED_FORWARD)


class Review(LedgerAggregate):
    """One quarter's review by the Programme Board."""

    class Held(LedgerAggregate.Created):
        """The Programme Board held its quarterly review of performance against the PVB."""

        quarter: str
        summary: str

        def apply(self, r: Review) -> None:
            r.quarter, r.held_on, r.summary = self.quarter, self.occurred_on, self.summary
            r.decisions, r.actions = [], {}

    class DecisionRecorded(LedgerAggregate.Event):
        """A decision of the review, with its learning, good practice, successes and actions."""

        number: int
        decided: str
        learning: str
        good_practice: str
        successes: str
        issues_resolved: str
        actions: list[dict[str, Any]]  # number, text, owner_person_id, owner_organisation, due_on

        def apply(self, r: Review) -> None:
            r.decisions.append(self.number)
            for a in self.actions:
                r.actions[a["number"]] = ActionState(
                    a["number"], self.number, a["text"], a["owner_person_id"],
                    a["owner_organisation"], date.fromisoformat(a["due_on"]),
                )

    class ActionCompleted(LedgerAggregate.Event):
        """An action was done."""

        action: int
        note: str

        def apply(self, r: Review) -> None:
            a = r.actions[self.action]
            a.status, a.closed_on, a.reason = DONE, self.occurred_on, self.note

    class ActionCarriedForward(LedgerAggregate.Event):
        """An action was carried forward to a new due date."""

        action: int
        due_on: date
        reason: str

        def apply(self, r: Review) -> None:
            a = r.actions[self.action]
            a.status, a.due_on, a.reason = CARRIED_FORWARD, self.due_on, self.reason

    class ActionDropped(LedgerAggregate.Event):
        """An action was dropped, with the reason."""

        action: int
        reason: str

        def apply(self, r: Review) -> None:
            a = r.actions[self.action]
            a.status, a.closed_on, a.reason = DROPPED, self.occurred_on, self.reason

    quarter: str
    held_on: date
    summary: str
    decisions: list[int]
    actions: dict[int, ActionState]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def hold(cls, summary: str, actor: Actor, occurred_on: date) -> Review:
        """Record that the quarter's review was held on occurred_on."""
        quarter = quarter_of(occurred_on).key
        return cls._start(
            cls.Held, actor, occurred_on, id=review_id(quarter), quarter=quarter,
            summary=check_text(summary, "summary", max_length=8000),
        )

    def record_decision(
        self,
        decided: str,
        parts: dict[str, str],
        actions: list[NewAction],
        actor: Actor,
        occurred_on: date,
    ) -> int:
        """Record one decision of the review and its actions; returns the decision's number."""
        if occurred_on < self.held_on:
            raise ValidationError(
                f"a decision cannot come before the review was held on {self.held_on}",
                field="occurred_on",
            )
        unknown = sorted(set(parts) - set(DECISION_PARTS))
        if unknown:
            raise ValidationError(f"unknown part(s) of a decision: {', '.join(unknown)}")
        texts = {p: check_text(parts.get(p, ""), p, required=False) for p in DECISION_PARTS}
        number, first_action = len(self.decisions) + 1, len(self.actions) + 1
        stored = []
        for i, action in enumerate(actions):
            if action.due_on <= self.held_on:
                raise ValidationError(
                    f"action {i + 1} is due on {action.due_on}, not after the review", field="actions"
                )
            stored.append({
                "number": first_action + i,
                "text": check_text(action.text, "actions", max_length=1000),
                "owner_person_id": action.owner_person_id,
                "owner_organisation": action.owner_organisation,
                "due_on": action.due_on.isoformat(),
            })
        self._record(
            self.DecisionRecorded, actor, occurred_on, number=number,
            decided=check_text(decided, "decided", max_length=4000), actions=stored, **texts,
        )
        return number

    def complete_action(self, number: int, note: str, actor: Actor, occurred_on: date) -> None:
        """Record that an action was done."""
        self._open_action(number, occurred_on)
        self._record(
            self.ActionCompleted, actor, occurred_on, action=number,
            note=check_text(note, "note", required=False),
        )

    def carry_forward(
        self, number: int, due_on: date, reason: str, actor: Actor, occurred_on: date
    ) -> None:
        """Give an open action a later due date, with the reason."""
        action = self._open_action(number, occurred_on)
        if due_on <= action.due_on:
            raise ValidationError(
                f"carry the action forward past its current due date {action.due_on}", field="due_on"
            )
        self._record(
            self.ActionCarriedForward, actor, occurred_on, action=number, due_on=due_on,
            reason=check_text(reason, "reason"),
        )

    def drop_action(self, number: int, reason: str, actor: Actor, occurred_on: date) -> None:
        """Drop an open action; the reason is required."""
        self._open_action(number, occurred_on)
        self._record(
            self.ActionDropped, actor, occurred_on, action=number,
            reason=check_text(reason, "reason"),
        )

    def action_ref(self, number: int) -> str:
        """The action's reference, e.g. 2026-27-Q1-A3."""
        return f"{self.quarter}-A{number}"

    def _open_action(self, number: int, occurred_on: date) -> ActionState:
        action = self.actions.get(number)
        if action is None:
            raise NotFoundError(f"action {self.action_ref(number)} not found")
        if not action.is_open:
            raise RuleViolationError(
                f"action {self.action_ref(number)} is already {action.status} (on {action.closed_on})"
            )
        if occurred_on < self.held_on:
            raise ValidationError(
                f"an update cannot come before the review was held on {self.held_on}",
                field="occurred_on",
            )
        return action
