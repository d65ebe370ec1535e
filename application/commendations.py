"""Commands and questions about commendations."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from application.base import Commands
from application.governance_details import CommendationDetails
from domain.commendation import Commendation
from domain.errors import NotAllowedError, NotFoundError, ValidationError
from domain.permissions import is_allowed
from domain.values import Actor


class CommendationCommands(Commands):
    """Nominate an individual for living the behaviours; decide; withdraw."""

    def nominate_for_commendation(
        self,
        actor: Actor,
        *,
        nominee_id: str,
        citations: list[str],
        examples: list[str],
        nominated_by_id: str | None = None,
        occurred_on: date | None = None,
    ) -> str:
        """Record a nomination; the nominator is the actor's own person unless recorded on behalf."""
        self._authorise(actor, "commendations.nominate")
        nominator = actor.person_id or nominated_by_id
        if actor.person_id and nominated_by_id and nominated_by_id != actor.person_id:
            if not is_allowed(actor.role, "commendations.decide"):
                raise NotAllowedError("you may only nominate in your own name")
            nominator = nominated_by_id
        if not nominator:
            raise ValidationError(
                "say who made the nomination (your login is not linked to a person)",
                field="nominated_by_id",
            )
        self._commendation_person(nominator, "nominated_by_id")
        nominee = self._commendation_person(nominee_id, "nominee_id")
        if nominee.left_on is not None:
            raise ValidationError(f"{nominee.name} left on {nominee.left_on}", field="nominee_id")
        version, cited = self.check_citations(list(citations))  # type: ignore[attr-defined]
        kinds = {i.id: i.kind for i in self.get_framework(version).items}  # type: ignore[attr-defined]
        not_behaviours = [c for c in cited if kinds.get(c) != "behaviour"]
        if not_behaviours:
            raise ValidationError(
                f"a commendation cites behaviours; {', '.join(not_behaviours)} are not behaviours",
                field="citations",
            )
        commendation = Commendation.nominate(
            id=uuid4(), nominee_id=nominee.id, nominee_organisation=nominee.organisation,
            nominated_by_id=nominator, citations=cited, framework_version=version,
            examples=list(examples), actor=actor, occurred_on=self._occurred(occurred_on),
        )
        self.save(commendation)
        return str(commendation.id)

    def decide_commendation(
        self,
        actor: Actor,
        commendation_id: str,
        *,
        decision: str,
        reason: str = "",
        occurred_on: date | None = None,
    ) -> str:
        """Record the decision on a nomination."""
        self._authorise(actor, "commendations.decide")
        commendation = self._load_commendation(commendation_id)
        if actor.person_id and actor.person_id == commendation.nominee_id:
            raise NotAllowedError("nobody may decide on their own nomination")
        commendation.decide(decision, reason, actor, self._occurred(occurred_on))
        self.save(commendation)
        return str(commendation.id)

    def withdraw_commendation(
        self, actor: Actor, commendation_id: str, *, reason: str, occurred_on: date | None = None
    ) -> str:
        """Withdraw a nomination: the nominator, or those who decide, may."""
        self._authorise(actor, "commendations.nominate")
        commendation = self._load_commendation(commendation_id)
        own = actor.person_id is not None and actor.person_id == commendation.nominated_by_id
        if not own and not is_allowed(actor.role, "commendations.decide"):
            raise NotAllowedError("only the nominator may withdraw a nomination")
        commendation.withdraw(reason, actor, self._occurred(occurred_on))
        self.save(commendation)
        return str(commendation.id)

    def get_commendation(self, commendation_id: str) -> CommendationDetails:
        """A nomination with its examples and decision (personal text decrypted, or [erased])."""
        c = self._load_commendation(commendation_id)
        return CommendationDetails(
            id=str(c.id), nominee_id=c.nominee_id, nominee_organisation=c.nominee_organisation,
            nominated_by_id=c.nominated_by_id, nominated_on=c.nominated_on,
            citations=tuple(c.citations), examples=tuple(str(e) for e in c.examples),
            decision=c.decision, decided_on=c.decided_on,
            reason=None if c.reason is None else str(c.reason), withdrawn_on=c.withdrawn_on,
        )

    def _commendation_person(self, person_id: str, field: str):  # type: ignore[no-untyped-def]
        try:
            return self.get_person(person_id)  # type: ignore[attr-defined]
        except NotFoundError:
            raise ValidationError(f"person {person_id} not found", field=field) from None

    def _load_commendation(self, commendation_id: str) -> Commendation:
        try:
            cid = UUID(str(commendation_id))
        except ValueError:
            raise NotFoundError(f"nomination {commendation_id} not found") from None
        return self._load(Commendation, cid, f"nomination {commendation_id}")
