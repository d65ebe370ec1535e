"""Adoption of the framework: each Board's decision, each committee's terms, each regulator's role.

The paper's "Publishing and publicising" section: a paper to the Board or Governing Body of
each organisation seeking its support, and the regulators' and the Health and Wellbeing Board's
approval of the role they accept. The paper to every committee and sub-committee reporting to the
Programme Board, and the update of its terms of reference, are events of that body
(domain/meeting_body.py: ``MeetingBody.Notified``, ``MeetingBody.TermsOfReferenceUpdated``).
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor

DECISIONS = ("supported", "supported_with_amendments", "deferred", "declined")
SUPPORTED = ("supported", "supported_with_amendments")
# The roles the paper asks regulators and the Health and Wellbeing Board to accept.
EXTERNAL_ROLES = (
    "supporting_an_enabling_environment",
    "providing_feedback",
    "receiving_feedback",
)


def adoption_id(code: str) -> UUID:
    """The stable aggregate id of an organisation's adoption record."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:adoption:{code}")


class Adoption(LedgerAggregate):
    """One organisation's consideration of the framework and the decision it reached."""

    class PaperTaken(LedgerAggregate.Created):
        """The paper was taken to the organisation's Board or Governing Body."""

        organisation: str
        external: bool
        body: str

        def apply(self, a: Adoption) -> None:
            a.organisation, a.external, a.body = self.organisation, self.external, self.body
            a.taken_on = self.occurred_on
            a.decision, a.decided_on, a.amendments, a.roles_accepted = None, None, None, []

    class DecisionRecorded(LedgerAggregate.Event):
        """The Board, Governing Body, regulator or Health and Wellbeing Board decided."""

        decision: str
        amendments: str | None
        roles_accepted: list[str]
        note: str

        def apply(self, a: Adoption) -> None:
            a.decision, a.decided_on = self.decision, self.occurred_on
            a.amendments, a.roles_accepted = self.amendments, list(self.roles_accepted)

    class DecisionCorrected(LedgerAggregate.Event):
        """A recorded decision was wrong; this is what was in fact decided, and why it changed."""

        corrects: str  # the decision as it was recorded
        decision: str
        amendments: str | None
        roles_accepted: list[str]
        reason: str

        def apply(self, a: Adoption) -> None:
            a.decision = self.decision
            a.amendments, a.roles_accepted = self.amendments, list(self.roles_accepted)

    organisation: str
    external: bool
    body: str
    taken_on: date
    decision: str | None
    decided_on: date | None
    amendments: str | None
    roles_accepted: list[str]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def take_paper(
        cls, organisation: str, external: bool, body: str, actor: Actor, occurred_on: date
    ) -> Adoption:
        """Record that the paper went to the organisation's Board or Governing Body."""
        return cls._start(
            cls.PaperTaken,
            actor,
            occurred_on,
            id=adoption_id(organisation),
            organisation=organisation,
            external=external,
            body=check_text(body, "body", max_length=200),
        )

    def record_decision(
        self,
        decision: str,
        amendments: str | None,
        roles_accepted: list[str],
        note: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Record what the body decided; a deferral or refusal may be followed by a new decision."""
        if self.decision in SUPPORTED:
            raise RuleViolationError(
                f"{self.organisation} already {self.decision.replace('_', ' ')} the framework on "
                f"{self.decided_on}; record a correction if that was wrong"
            )
        if occurred_on < self.taken_on:
            raise ValidationError(
                f"the decision cannot come before the paper was taken on {self.taken_on}",
                field="occurred_on",
            )
        amendments, roles = self._check_decision(decision, amendments, roles_accepted)
        self._record(
            self.DecisionRecorded, actor, occurred_on, decision=decision, amendments=amendments,
            roles_accepted=roles, note=check_text(note, "note", required=False),
        )

    def correct_decision(
        self,
        decision: str,
        amendments: str | None,
        roles_accepted: list[str],
        reason: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Put right a wrongly recorded decision, naming the reason."""
        if self.decision is None:
            raise RuleViolationError(f"{self.organisation} has no decision recorded to correct")
        amendments, roles = self._check_decision(decision, amendments, roles_accepted)
        if (decision, amendments, roles) == (self.decision, self.amendments, self.roles_accepted):
            raise RuleViolationError("the correction changes nothing that was recorded")
        self._record(
            self.DecisionCorrected, actor, occurred_on, corrects=self.decision, decision=decision,
            amendments=amendments, roles_accepted=roles, reason=check_text(reason, "reason"),
        )

    def _check_decision(
        self, decision: str, amendments: str | None, roles_accepted: list[str]
    ) -> tuple[str | None, list[str]]:
        if decision not in DECISIONS:
            raise ValidationError(f"decision must be one of: {', '.join(DECISIONS)}", field="decision")
        text = check_text(amendments or "", "amendments", required=False) or None
        if decision == "supported_with_amendments" and text is None:
            raise ValidationError("say which amendments the body asked for", field="amendments")
        if decision != "supported_with_amendments" and text is not None:
            raise ValidationError(
                "amendments belong only to a decision 'supported with amendments'", field="amendments"
            )
        roles = sorted(set(roles_accepted or []))
        unknown = [r for r in roles if r not in EXTERNAL_ROLES]
        if unknown:
            raise ValidationError(
                f"unknown role(s) {', '.join(unknown)}; choose from: {', '.join(EXTERNAL_ROLES)}",
                field="roles_accepted",
            )
        if roles and not self.external:
            raise ValidationError(
                f"{self.organisation} is a partner organisation: roles accepted are for regulators "
                "and the Health and Wellbeing Board",
                field="roles_accepted",
            )
        if self.external and decision in SUPPORTED and not roles:
            raise ValidationError(
                f"say which role {self.organisation} accepts in supporting the framework",
                field="roles_accepted",
            )
        return text, roles

