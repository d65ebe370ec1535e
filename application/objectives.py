"""Commands and questions about senior leaders' PVB objectives."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from application.base import Commands
from application.governance_details import ObjectiveDetails, ProgressNote
from domain.errors import NotAllowedError, NotFoundError, ValidationError
from domain.objective import Objective
from domain.values import Actor, Office, OrganisationKind, Role


class ObjectiveCommands(Commands):
    """A Chair sets, follows and assesses the PVB objectives of their organisation's leaders."""

    def set_objective(
        self,
        actor: Actor,
        *,
        person_id: str,
        text: str,
        citations: list[str],
        period_start: date,
        period_end: date,
        occurred_on: date | None = None,
    ) -> str:
        """Record a PVB objective for a senior leader of the actor's organisation; returns its id."""
        self._authorise(actor, "objectives.set")
        person = self.get_person(person_id)  # type: ignore[attr-defined]
        if person.left_on is not None:
            raise ValidationError(f"{person.name} left on {person.left_on}", field="person_id")
        if not person.senior_leader:
            raise ValidationError(
                f"{person.name} is not recorded as a senior managerial or clinical leader",
                field="person_id",
            )
        chair_id = self._check_objective_chair(actor, person.organisation)
        version, cited = self.check_citations(list(citations))  # type: ignore[attr-defined]
        objective = Objective.set(
            id=uuid4(),
            person_id=person.id,
            organisation=person.organisation,
            text=text,
            citations=cited,
            framework_version=version,
            period_start=period_start,
            period_end=period_end,
            set_by_person_id=chair_id,
            actor=actor,
            occurred_on=self._occurred(occurred_on),
        )
        self.save(objective)
        return str(objective.id)

    def note_objective_progress(
        self, actor: Actor, objective_id: str, *, note: str, occurred_on: date | None = None
    ) -> str:
        """Add a progress note to an objective."""
        self._authorise(actor, "objectives.set")
        objective = self._load_objective(objective_id)
        self._check_objective_chair(actor, objective.organisation)
        objective.note_progress(note, actor, self._occurred(occurred_on))
        self.save(objective)
        return str(objective.id)

    def assess_objective(
        self,
        actor: Actor,
        objective_id: str,
        *,
        outcome: str,
        comment: str = "",
        occurred_on: date | None = None,
    ) -> str:
        """Record the year-end assessment of an objective."""
        self._authorise(actor, "objectives.set")
        objective = self._load_objective(objective_id)
        self._check_objective_chair(actor, objective.organisation)
        objective.assess(outcome, comment, actor, self._occurred(occurred_on))
        self.save(objective)
        return str(objective.id)

    def correct_objective_assessment(
        self,
        actor: Actor,
        objective_id: str,
        *,
        outcome: str,
        reason: str,
        occurred_on: date | None = None,
    ) -> str:
        """Put right a wrongly recorded assessment."""
        self._authorise(actor, "objectives.set")
        objective = self._load_objective(objective_id)
        self._check_objective_chair(actor, objective.organisation)
        objective.correct_assessment(outcome, reason, actor, self._occurred(occurred_on))
        self.save(objective)
        return str(objective.id)

    def get_objective(self, objective_id: str) -> ObjectiveDetails:
        """One objective with its notes and assessment (personal text decrypted, or [erased])."""
        o = self._load_objective(objective_id)
        return ObjectiveDetails(
            id=str(o.id),
            person_id=o.person_id,
            organisation=o.organisation,
            text=str(o.text),
            citations=tuple(o.citations),
            framework_version=o.framework_version,
            period_start=o.period_start,
            period_end=o.period_end,
            set_on=o.set_on,
            set_by_person_id=o.set_by_person_id,
            notes=tuple(ProgressNote(d, str(n)) for d, n in o.notes),
            outcome=o.outcome,
            assessed_on=o.assessed_on,
            comment=None if o.comment is None else str(o.comment),
        )

    def _check_objective_chair(self, actor: Actor, organisation: str) -> str | None:
        """Refuse unless the actor chairs the organisation; return the Chair in office."""
        org = self.get_organisation(organisation)  # type: ignore[attr-defined]
        stp = OrganisationKind(org.kind) is OrganisationKind.STP
        office = Office.INDEPENDENT_CHAIR if stp else Office.CHAIR
        expected = Role.INDEPENDENT_CHAIR if stp else Role.CHAIR
        if actor.role is not expected or (
            actor.role is Role.CHAIR and (actor.organisation or "").upper() != org.code
        ):
            raise NotAllowedError(
                f"only the {office.value.replace('_', ' ')} of {org.code} records the PVB "
                f"objectives of {org.code}'s senior leaders"
            )
        holder = org.offices.get(office.value)
        if actor.person_id and holder and actor.person_id != holder:
            raise NotAllowedError(
                f"you no longer hold the office of {office.value.replace('_', ' ')} of {org.code}"
            )
        return holder

    def _load_objective(self, objective_id: str) -> Objective:
        try:
            oid = UUID(str(objective_id))
        except ValueError:
            raise NotFoundError(f"objective {objective_id} not found") from None
        return self._load(Objective, oid, f"objective {objective_id}")
