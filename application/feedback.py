"""Commands and questions about regulator and Health and Wellbeing Board feedback."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID, uuid4

from application.base import Commands
from domain.errors import NotAllowedError, NotFoundError, ValidationError
from domain.feedback import Example, Feedback, OrganisationRef, make_example
from domain.values import Actor, Office, OrganisationKind

STP_CODE = "STP"  # the Partnership's own entry in the directory, where the Independent Chair sits


@dataclass(frozen=True)
class ExampleDetails:
    """An example cited in feedback."""

    occurred_on: date
    description: str
    person_id: str | None
    positions: tuple[int, ...]


@dataclass(frozen=True)
class FeedbackDetails:
    """One piece of feedback as it stands."""

    id: str
    kind: str
    organisation: str
    from_organisation: str
    tenor: str
    summary: str
    given_on: date
    examples: tuple[ExampleDetails, ...]
    responses: int


class FeedbackCommands(Commands):
    """Give feedback, comment on implementation, respond, correct, and read one item."""

    def give_feedback(
        self,
        actor: Actor,
        *,
        organisation: str,
        tenor: str,
        summary: str,
        examples: list[dict[str, Any]] | None = None,
        citations: list[str] | None = None,
        occurred_on: date | None = None,
        feedback_id: UUID | None = None,
    ) -> str:
        """Give the Independent Chair feedback on an organisation's adherence; returns its id."""
        self._authorise(actor, "feedback.give")
        when = self._occurred(occurred_on)
        feedback = Feedback.give(
            id=feedback_id or uuid4(),
            about=self._org_ref(organisation, "organisation"),
            giver=self._giver_ref(actor),
            recipient_person_id=self._chair(),
            tenor=tenor,
            summary=summary,
            examples=self._examples(examples or [], when),
            citations=self.check_citations(citations or []),  # type: ignore[attr-defined]
            actor=actor,
            occurred_on=when,
        )
        self.save(feedback)
        return str(feedback.id)

    def comment_on_implementation(
        self,
        actor: Actor,
        *,
        assessment_kind: str,
        assessment: str,
        tenor: str,
        summary: str,
        examples: list[dict[str, Any]] | None = None,
        citations: list[str] | None = None,
        occurred_on: date | None = None,
        feedback_id: UUID | None = None,
    ) -> str:
        """Record a regulator's comment on the PVB's implementation in an STP assessment."""
        self._authorise(actor, "feedback.give")
        when = self._occurred(occurred_on)
        feedback = Feedback.comment_on_implementation(
            id=feedback_id or uuid4(),
            stp=self._org_ref(STP_CODE, "organisation"),
            giver=self._giver_ref(actor),
            recipient_person_id=self._chair(),
            assessment_kind=assessment_kind,
            assessment=assessment,
            tenor=tenor,
            summary=summary,
            examples=self._examples(examples or [], when),
            citations=self.check_citations(citations or []),  # type: ignore[attr-defined]
            actor=actor,
            occurred_on=when,
        )
        self.save(feedback)
        return str(feedback.id)

    def respond_to_feedback(
        self,
        actor: Actor,
        feedback_id: str,
        *,
        action: str,
        response: str,
        occurred_on: date | None = None,
    ) -> None:
        """Record the Independent Chair's response to a piece of feedback."""
        self._authorise(actor, "feedback.respond")
        feedback = self._feedback(feedback_id)
        responder = self._chair() or actor.person_id
        feedback.respond(action, response, responder, actor, self._occurred(occurred_on))
        self.save(feedback)

    def correct_feedback(
        self,
        actor: Actor,
        feedback_id: str,
        *,
        reason: str,
        tenor: str | None = None,
        summary: str | None = None,
        examples: list[dict[str, Any]] | None = None,
        occurred_on: date | None = None,
    ) -> None:
        """Correct a mistake in feedback this actor's organisation gave."""
        self._authorise(actor, "feedback.give")
        feedback = self._feedback(feedback_id)
        feedback.correct(
            tenor=tenor,
            summary=summary,
            examples=None if examples is None else self._examples(examples, feedback.given_on),
            reason=reason,
            actor=actor,
            occurred_on=self._occurred(occurred_on),
        )
        self.save(feedback)

    def get_feedback(self, feedback_id: str) -> FeedbackDetails:
        """One piece of feedback as it stands now."""
        fb = self._feedback(feedback_id)
        return FeedbackDetails(
            id=str(fb.id),
            kind=fb.kind.value,
            organisation=fb.organisation,
            from_organisation=fb.from_organisation,
            tenor=fb.tenor.value,
            summary=fb.summary,
            given_on=fb.given_on,
            examples=tuple(
                ExampleDetails(e.occurred_on, str(e.description), e.person_id, e.positions)
                for e in fb.examples
            ),
            responses=fb.responses,
        )

    def _feedback(self, feedback_id: str) -> Feedback:
        try:
            fid = UUID(str(feedback_id))
        except ValueError:
            raise NotFoundError(f"feedback {feedback_id} not found") from None
        return self._load(Feedback, fid, f"feedback {feedback_id}")

    def _org_ref(self, code: str, field: str) -> OrganisationRef:
        try:
            org = self.get_organisation(code)  # type: ignore[attr-defined]
        except NotFoundError as e:
            raise ValidationError(str(e), field=field) from None
        return OrganisationRef(org.code, OrganisationKind(org.kind))

    def _giver_ref(self, actor: Actor) -> OrganisationRef:
        if not actor.organisation:
            raise NotAllowedError(
                f"a {actor.role.value} user gives feedback for their organisation, "
                "and this user has none; ask an administrator to set it"
            )
        return self._org_ref(actor.organisation, "from_organisation")

    def _chair(self) -> str | None:
        """The Independent Chair at the time of the command, if the STP has one."""
        try:
            return self.office_holder(STP_CODE, Office.INDEPENDENT_CHAIR)  # type: ignore[attr-defined,no-any-return]
        except NotFoundError:
            return None

    def _examples(self, raw: list[dict[str, Any]], given_on: date) -> list[Example]:
        head = self.max_position()  # type: ignore[attr-defined]
        examples = []
        for index, item in enumerate(raw):
            positions = [int(p) for p in item.get("positions") or ()]
            beyond = [p for p in positions if p > head]
            if beyond:
                raise ValidationError(
                    f"example {index + 1} links event position {beyond[0]}, but the ledger's "
                    f"newest event is at {head}",
                    field=f"examples.{index}.positions",
                )
            person_id = item.get("person_id")
            if person_id:
                try:
                    person_id = self.get_person(str(person_id)).id  # type: ignore[attr-defined]
                except NotFoundError as e:
                    raise ValidationError(str(e), field=f"examples.{index}.person_id") from None
            examples.append(
                make_example(
                    item.get("occurred_on") or given_on,
                    item.get("description", ""),
                    given_on=given_on,
                    person_id=person_id,
                    positions=positions,
                    index=index,
                )
            )
        return examples
