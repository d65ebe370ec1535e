"""Commands and questions about each organisation's adoption of the framework."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from application.base import Commands
from application.governance_details import AdoptionDetails, CommitteeDetails
from domain.adoption import Adoption, Committee, adoption_id, committee_id
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.values import Actor, OrganisationKind

PROGRAMME_BOARD = "STP Programme Board"


class AdoptionCommands(Commands):
    """Papers to Boards and their decisions; committees' terms; regulators' roles."""

    def take_paper_to_board(
        self, actor: Actor, *, organisation: str, body: str, occurred_on: date | None = None
    ) -> str:
        """Record that the paper went to the organisation's Board or Governing Body."""
        self._authorise(actor, "adoption.record")
        org = self.get_organisation(organisation)  # type: ignore[attr-defined]
        kind = OrganisationKind(org.kind)
        if kind is OrganisationKind.STP:
            raise ValidationError(
                "the STP Programme Board agreed the framework itself; record its amendments instead",
                field="organisation",
            )
        if self._exists(adoption_id(org.code)):
            raise RuleViolationError(
                f"the paper has already been taken to {org.code}; record its decision instead"
            )
        adoption = Adoption.take_paper(
            org.code, not kind.is_partner, body, actor, self._occurred(occurred_on)
        )
        self.save(adoption)
        return org.code

    def record_adoption_decision(
        self,
        actor: Actor,
        *,
        organisation: str,
        decision: str,
        amendments: str | None = None,
        roles_accepted: Iterable[str] = (),
        note: str = "",
        occurred_on: date | None = None,
    ) -> str:
        """Record the decision of the Board, Governing Body, regulator or HWB."""
        self._authorise(actor, "adoption.record")
        adoption = self._adoption_record(organisation)
        adoption.record_decision(
            decision, amendments, list(roles_accepted), note, actor, self._occurred(occurred_on)
        )
        self.save(adoption)
        return adoption.organisation

    def correct_adoption_decision(
        self,
        actor: Actor,
        *,
        organisation: str,
        decision: str,
        reason: str,
        amendments: str | None = None,
        roles_accepted: Iterable[str] = (),
        occurred_on: date | None = None,
    ) -> str:
        """Put right a wrongly recorded decision."""
        self._authorise(actor, "adoption.record")
        adoption = self._adoption_record(organisation)
        adoption.correct_decision(
            decision, amendments, list(roles_accepted), reason, actor, self._occurred(occurred_on)
        )
        self.save(adoption)
        return adoption.organisation

    def notify_committee(
        self,
        actor: Actor,
        *,
        name: str,
        reports_to: str = PROGRAMME_BOARD,
        occurred_on: date | None = None,
    ) -> str:
        """Record that a committee was sent the paper; returns the committee's id."""
        self._authorise(actor, "adoption.record")
        committee = Committee.notify(name, reports_to, actor, self._occurred(occurred_on))
        if self._exists(committee.id):
            raise RuleViolationError(f"{committee.name} has already been notified")
        self.save(committee)
        return str(committee.id)

    def record_terms_of_reference_updated(
        self, actor: Actor, committee: str, *, summary: str, occurred_on: date | None = None
    ) -> str:
        """Record that a committee's terms of reference now reflect the framework."""
        self._authorise(actor, "adoption.record")
        found = self._adoption_committee(committee)
        found.update_terms_of_reference(summary, actor, self._occurred(occurred_on))
        self.save(found)
        return str(found.id)

    def get_adoption(self, organisation: str) -> AdoptionDetails:
        """An organisation's adoption record."""
        a = self._adoption_record(organisation)
        return AdoptionDetails(
            a.organisation, a.external, a.body, a.taken_on, a.decision, a.decided_on,
            a.amendments, tuple(a.roles_accepted),
        )

    def get_committee(self, committee: str) -> CommitteeDetails:
        """A committee's notification and terms of reference."""
        c = self._adoption_committee(committee)
        return CommitteeDetails(str(c.id), c.name, c.reports_to, c.notified_on, c.terms_updated_on)

    def _adoption_record(self, organisation: str) -> Adoption:
        code = (organisation or "").strip().upper()
        try:
            return self._load(Adoption, adoption_id(code), code)
        except NotFoundError:
            raise NotFoundError(f"no paper has been taken to {code or '?'} yet") from None

    def _adoption_committee(self, committee: str) -> Committee:
        """A committee by id, or by name."""
        try:
            cid = UUID(str(committee))
        except ValueError:
            cid = committee_id(str(committee))
        try:
            return self._load(Committee, cid, f"committee {committee}")
        except NotFoundError:
            raise NotFoundError(f"committee {committee} not found (notify it first)") from None
