"""Commands and questions about the Programme Board's quarterly reviews and their actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from application.base import Commands
from application.governance_details import ActionDetails, ReviewDetails
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.periods import parse_period, quarter_of
from domain.review import CARRIED_FORWARD, DONE, DROPPED, NewAction, Review, review_id
from domain.values import Actor


class ReviewCommands(Commands):
    """Hold the quarter's review, record its decisions, and track its actions to completion."""

    def hold_review(self, actor: Actor, *, summary: str, occurred_on: date | None = None) -> str:
        """Record the Programme Board's review held on occurred_on; returns its quarter key."""
        self._authorise(actor, "reviews.record")
        when = self._occurred(occurred_on)
        quarter = quarter_of(when)
        if self._exists(review_id(quarter.key)):
            raise RuleViolationError(f"the Programme Board's review for {quarter.label} is already recorded")
        review = Review.hold(summary, actor, when)
        self.save(review)
        return review.quarter

    def record_review_decision(
        self,
        actor: Actor,
        quarter: str,
        *,
        decided: str,
        learning: str = "",
        good_practice: str = "",
        successes: str = "",
        issues_resolved: str = "",
        actions: Iterable[Mapping[str, Any]] = (),
        occurred_on: date | None = None,
    ) -> int:
        """Record a decision of the review with its actions; returns the decision's number.

        Each action is a mapping with text, owner_person_id and due_on; the owner's
        organisation is taken from the directory as it stands now.
        """
        self._authorise(actor, "reviews.record")
        review = self._load_review(quarter)
        new_actions = []
        for i, action in enumerate(actions, start=1):
            owner = self._review_action_owner(str(action.get("owner_person_id", "")), i)
            new_actions.append(
                NewAction(str(action.get("text", "")), owner.id, owner.organisation, action["due_on"])
            )
        parts = {
            "learning": learning, "good_practice": good_practice,
            "successes": successes, "issues_resolved": issues_resolved,
        }
        number = review.record_decision(decided, parts, new_actions, actor, self._occurred(occurred_on))
        self.save(review)
        return number

    def update_review_action(
        self,
        actor: Actor,
        quarter: str,
        number: int,
        *,
        status: str,
        note: str = "",
        due_on: date | None = None,
        occurred_on: date | None = None,
    ) -> str:
        """Mark an action done, carried forward to due_on, or dropped; returns its reference."""
        self._authorise(actor, "reviews.record")
        review = self._load_review(quarter)
        when = self._occurred(occurred_on)
        if status == DONE:
            review.complete_action(number, note, actor, when)
        elif status == CARRIED_FORWARD:
            if due_on is None:
                raise ValidationError("give the new due date", field="due_on")
            review.carry_forward(number, due_on, note, actor, when)
        elif status == DROPPED:
            review.drop_action(number, note, actor, when)
        else:
            raise ValidationError(
                f"status must be one of: {DONE}, {CARRIED_FORWARD}, {DROPPED}", field="status"
            )
        self.save(review)
        return review.action_ref(number)

    def get_review(self, quarter: str) -> ReviewDetails:
        """A quarter's review with its actions."""
        r = self._load_review(quarter)
        actions = tuple(
            ActionDetails(
                r.action_ref(a.number), a.number, a.decision, a.text, a.owner_person_id,
                a.owner_organisation, a.due_on, a.status, a.closed_on, a.reason,
            )
            for a in sorted(r.actions.values(), key=lambda a: a.number)
        )
        return ReviewDetails(r.quarter, r.held_on, r.summary, len(r.decisions), actions)

    def _load_review(self, quarter: str) -> Review:
        period = parse_period(quarter, "quarter", field="quarter")
        try:
            return self._load(Review, review_id(period.key), period.key)
        except NotFoundError:
            raise NotFoundError(f"no Programme Board review is recorded for {period.label}") from None

    def _review_action_owner(self, person_id: str, index: int) -> Any:
        try:
            owner = self.get_person(person_id)  # type: ignore[attr-defined]
        except NotFoundError:
            raise ValidationError(f"action {index}: owner {person_id or '?'} not found", field="actions") from None
        if owner.left_on is not None:
            raise ValidationError(f"action {index}: {owner.name} has left", field="actions")
        return owner
