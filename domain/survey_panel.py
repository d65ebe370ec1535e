"""The staff survey panel: the people surveyed every three months, by organisation."""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, uuid5

from domain.base import LedgerAggregate
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor

PANEL_ID = uuid5(NAMESPACE_URL, "pvb-ledger:survey-panel")
LEAVING_REASONS = ("left_organisation", "stepped_down", "rotated_off", "other")


class SurveyPanel(LedgerAggregate):
    """The one staff survey panel of the Partnership."""

    class Agreed(LedgerAggregate.Created):
        """The panel was agreed with its first members."""

        members: list[dict[str, str]]

        def apply(self, panel: SurveyPanel) -> None:
            panel.members = {m["person_id"]: m["organisation"] for m in self.members}

    class MemberJoined(LedgerAggregate.Event):
        """Someone joined the panel."""

        person_id: str
        organisation: str

        def apply(self, panel: SurveyPanel) -> None:
            panel.members[self.person_id] = self.organisation

    class MemberLeft(LedgerAggregate.Event):
        """Someone left the panel."""

        person_id: str
        organisation: str
        reason: str

        def apply(self, panel: SurveyPanel) -> None:
            panel.members.pop(self.person_id, None)

    members: dict[str, str]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def agree(cls, members: list[tuple[str, str]], actor: Actor, occurred_on: date) -> SurveyPanel:
        """Agree the panel; members are (person id, organisation) pairs."""
        if not members:
            raise ValidationError("a panel needs at least one member", field="members")
        seen: dict[str, str] = {}
        for person_id, organisation in members:
            if person_id in seen:
                raise ValidationError(f"person {person_id} is listed twice", field="members")
            seen[person_id] = organisation
        return cls._start(
            cls.Agreed, actor, occurred_on, id=PANEL_ID,
            members=[{"person_id": p, "organisation": o} for p, o in seen.items()],
        )

    def add_member(self, person_id: str, organisation: str, actor: Actor, occurred_on: date) -> None:
        """Record someone joining the panel."""
        if person_id in self.members:
            raise RuleViolationError(f"person {person_id} is already on the panel")
        self._record(self.MemberJoined, actor, occurred_on, person_id=person_id, organisation=organisation)

    def remove_member(self, person_id: str, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record someone leaving the panel, with one of the reasons in LEAVING_REASONS."""
        if person_id not in self.members:
            raise RuleViolationError(f"person {person_id} is not on the panel")
        if reason not in LEAVING_REASONS:
            raise ValidationError(f"reason must be one of: {', '.join(LEAVING_REASONS)}", field="reason")
        self._record(
            self.MemberLeft, actor, occurred_on, person_id=person_id,
            organisation=self.members[person_id], reason=reason,
        )
