"""Commands and questions about each organisation's adoption of the framework."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from application.base import Commands
from application.governance_details import AdoptionDetails
from domain.adoption import Adoption, adoption_id
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.meeting_body import MeetingBody, body_id
from domain.values import Actor, OrganisationKind


class AdoptionCommands(Commands):
    """Papers to Boards and their decisions; papers to committees; regulators' roles."""

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

    def notify_body(
        self, actor: Actor, code: str, *, note: str = "", occurred_on: date | None = None
    ) -> str:
        """Record that a committee or sub-committee was sent the paper; returns its code.

        The body is the meeting body (domain/meeting_body.py): set it up first, on the meetings pages
        or with ``establish_body``. Its terms of reference being updated is ``update_terms_of_reference``.
        """
        self._authorise(actor, "adoption.record")
        code = (code or "").strip().upper()
        if not code:
            raise ValidationError("say which committee or sub-committee was sent the paper", field="body")
        try:
            body = self._load(MeetingBody, body_id(code), f"meeting body {code}")
        except NotFoundError:
            raise NotFoundError(f"meeting body {code} not found (set it up on the meeting bodies page first)") from None
        body.notify(note, actor, self._occurred(occurred_on))
        self.save(body)
        return body.code

    def get_adoption(self, organisation: str) -> AdoptionDetails:
        """An organisation's adoption record."""
        a = self._adoption_record(organisation)
        return AdoptionDetails(
            a.organisation, a.external, a.body, a.taken_on, a.decision, a.decided_on,
            a.amendments, tuple(a.roles_accepted),
        )

    def _adoption_record(self, organisation: str) -> Adoption:
        code = (organisation or "").strip().upper()
        try:
            return self._load(Adoption, adoption_id(code), code)
        except NotFoundError:
            raise NotFoundError(f"no paper has been taken to {code or '?'} yet") from None
