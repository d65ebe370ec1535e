"""Commands and questions about the Independent Chair's quarterly meetings with the Chairs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from application.base import Commands
from application.governance_details import ChairsMeetingDetails
from domain.chair_meeting import AgreedAction, ChairsMeeting, chairs_meeting_id
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.periods import parse_period, quarter_of
from domain.values import Actor, Office, OrganisationKind


class ChairsMeetingCommands(Commands):
    """The Independent Chair records each quarter's meeting with the Chairs."""

    def hold_chairs_meeting(
        self,
        actor: Actor,
        *,
        attended: Iterable[str],
        progress_reviewed: str,
        successes: str = "",
        actions: Iterable[Mapping[str, Any]] = (),
        occurred_on: date | None = None,
    ) -> str:
        """Record the quarter's meeting; attended names the organisations whose Chair came."""
        self._authorise(actor, "chairs_meetings.record")
        when = self._occurred(occurred_on)
        quarter = quarter_of(when)
        if self._exists(chairs_meeting_id(quarter.key)):
            raise RuleViolationError(f"the Chairs' meeting for {quarter.label} is already recorded")
        codes = [c.strip().upper() for c in attended]
        if len(set(codes)) != len(codes):
            raise ValidationError("an organisation is named twice", field="attended")
        attendees = [(code, self._chairs_meeting_chair_of(code)) for code in codes]
        agreed = []
        for i, action in enumerate(actions, start=1):
            owner = str(action.get("owner_organisation", "")).strip().upper()
            try:
                self.get_organisation(owner)  # type: ignore[attr-defined]
            except (NotFoundError, ValidationError):
                raise ValidationError(f"action {i}: organisation {owner or '?'} not found", field="actions") from None
            agreed.append(AgreedAction(str(action.get("text", "")), owner, action["due_on"]))
        meeting = ChairsMeeting.hold(
            attendees=attendees, progress_reviewed=progress_reviewed, successes=successes,
            actions=agreed, actor=actor, occurred_on=when,
        )
        self.save(meeting)
        return meeting.quarter

    def complete_chairs_meeting_action(
        self, actor: Actor, quarter: str, number: int, *, note: str = "", occurred_on: date | None = None
    ) -> str:
        """Record that an action agreed at a Chairs' meeting was done."""
        self._authorise(actor, "chairs_meetings.record")
        meeting = self._load_chairs_meeting(quarter)
        meeting.complete_action(number, note, actor, self._occurred(occurred_on))
        self.save(meeting)
        return meeting.quarter

    def get_chairs_meeting(self, quarter: str) -> ChairsMeetingDetails:
        """A quarter's meeting with its attendees and actions."""
        m = self._load_chairs_meeting(quarter)
        return ChairsMeetingDetails(
            m.quarter, m.held_on, tuple(m.attendees), m.progress_reviewed, m.successes,
            tuple(m.actions[n] for n in sorted(m.actions)),
        )

    def _chairs_meeting_chair_of(self, code: str) -> str:
        try:
            org = self.get_organisation(code)  # type: ignore[attr-defined]
        except (NotFoundError, ValidationError):
            raise ValidationError(f"organisation {code or '?'} not found", field="attended") from None
        if not OrganisationKind(org.kind).is_partner:
            raise ValidationError(f"{code} is not a partner organisation with a Chair", field="attended")
        holder = org.offices.get(Office.CHAIR.value)
        if holder is None:
            raise ValidationError(f"{code} has no Chair in office", field="attended")
        return str(holder)

    def _load_chairs_meeting(self, quarter: str) -> ChairsMeeting:
        period = parse_period(quarter, "quarter", field="quarter")
        try:
            return self._load(ChairsMeeting, chairs_meeting_id(period.key), period.key)
        except NotFoundError:
            raise NotFoundError(f"no Chairs' meeting is recorded for {period.label}") from None
