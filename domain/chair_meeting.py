"""The Independent Chair's quarterly meetings with the Chairs of the organisations.

The paper's "Independent Chair": every three months the Independent Chair meets the Chairs
of the individual organisations to review progress on adherence, identify successes and
agree any necessary actions. Attendees are kept as the Chairs in office at the time.
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


def chairs_meeting_id(quarter: str) -> UUID:
    """The stable aggregate id of the quarter's meeting (one per quarter)."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:chairs-meeting:{quarter}")


@dataclass(frozen=True)
class AgreedAction:
    """An action agreed at the meeting: what, which organisation owns it, by when."""

    text: str
    owner_organisation: str
    due_on: date


class ChairsMeeting(LedgerAggregate):
    """One quarter's meeting of the Independent Chair with the organisations' Chairs."""

    class Held(LedgerAggregate.Created):
        """The meeting was held: who attended, the progress reviewed, the actions agreed."""

        quarter: str
        attendees: list[dict[str, str]]  # organisation, person_id (the Chair at the time)
        progress_reviewed: str
        successes: str
        actions: list[dict[str, Any]]  # number, text, owner_organisation, due_on

        def apply(self, m: ChairsMeeting) -> None:
            m.quarter, m.held_on = self.quarter, self.occurred_on
            m.attendees = list(self.attendees)
            m.progress_reviewed, m.successes = self.progress_reviewed, self.successes
            m.actions = {a["number"]: dict(a, done_on=None) for a in self.actions}

    class ActionCompleted(LedgerAggregate.Event):
        """An action agreed at the meeting was done."""

        action: int
        note: str

        def apply(self, m: ChairsMeeting) -> None:
            m.actions[self.action]["done_on"] = self.occurred_on.isoformat()

    quarter: str
    held_on: date
    attendees: list[dict[str, str]]
    progress_reviewed: str
    successes: str
    actions: dict[int, dict[str, Any]]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def hold(
        cls,
        *,
        attendees: list[tuple[str, str]],
        progress_reviewed: str,
        successes: str,
        actions: list[AgreedAction],
        actor: Actor,
        occurred_on: date,
    ) -> ChairsMeeting:
        """Record the quarter's meeting; attendees are (organisation, Chair's person id)."""
        if not attendees:
            raise ValidationError("name at least one organisation whose Chair attended", field="attendees")
        quarter = quarter_of(occurred_on).key
        stored = []
        for i, action in enumerate(actions, start=1):
            if action.due_on <= occurred_on:
                raise ValidationError(f"action {i} must be due after the meeting", field="actions")
            stored.append({
                "number": i,
                "text": check_text(action.text, "actions", max_length=1000),
                "owner_organisation": action.owner_organisation,
                "due_on": action.due_on.isoformat(),
            })
        return cls._start(
            cls.Held, actor, occurred_on, id=chairs_meeting_id(quarter), quarter=quarter,
            attendees=[{"organisation": o, "person_id": p} for o, p in attendees],
            progress_reviewed=check_text(progress_reviewed, "progress_reviewed", max_length=8000),
            successes=check_text(successes, "successes", max_length=8000, required=False),
            actions=stored,
        )

    def complete_action(self, number: int, note: str, actor: Actor, occurred_on: date) -> None:
        """Record that an agreed action was done."""
        action = self.actions.get(number)
        if action is None:
            raise NotFoundError(f"action {number} of the {self.quarter} Chairs' meeting not found")
        if action["done_on"] is not None:
            raise RuleViolationError(f"action {number} of the {self.quarter} meeting is already done")
        if occurred_on < self.held_on:
            raise ValidationError("an action cannot be done before the meeting", field="occurred_on")
        self._record(
            self.ActionCompleted, actor, occurred_on, action=number,
            note=check_text(note, "note", required=False),
        )
