"""Regulator and Health and Wellbeing Board feedback to the Independent Chair.

The paper's external review: regulators and the Health and Wellbeing Board give the Independent
Chair feedback on each organisation's adherence to the PVB, citing specific examples; and when a
regulator assesses the STP's performance or a sign-off, it comments on how the PVB were
implemented. The Independent Chair's responses are recorded on the same aggregate.

Feedback about an organisation is not personal data. An example that names a person carries
that person's id, and its description is then a Personal value (erasable with the person).
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate, check_text
from domain.errors import NotAllowedError, RuleViolationError, ValidationError
from domain.feedback_rules import (
    MAX_EXAMPLES,
    MAX_LINKS,
    AssessmentKind,
    Example,
    FeedbackKind,
    OrganisationRef,
    ResponseAction,
    Tenor,
    check_examples,
    check_giver,
    check_tenor,
    make_example,
    same_examples,
)
from domain.values import Actor, OrganisationKind, Role

__all__ = [
    "MAX_EXAMPLES", "MAX_LINKS", "AssessmentKind", "Example", "Feedback", "FeedbackKind",
    "OrganisationRef", "ResponseAction", "Tenor", "make_example",
]


class Feedback(LedgerAggregate):
    """Feedback from a regulator or the Health and Wellbeing Board, and the Chair's responses."""

    class Given(LedgerAggregate.Created):
        """A regulator or the HWB gave the Independent Chair feedback on an organisation."""

        organisation: str
        from_organisation: str
        from_kind: str
        recipient_person_id: str | None
        tenor: str
        summary: str
        examples: list[dict[str, Any]]
        citations: list[str]
        framework_version: int

        def apply(self, fb: Feedback) -> None:
            fb._start_state(self, FeedbackKind.ADHERENCE)

    class ImplementationCommented(LedgerAggregate.Created):
        """A regulator, assessing the STP's performance or a sign-off, commented on the PVB."""

        organisation: str
        from_organisation: str
        from_kind: str
        recipient_person_id: str | None
        assessment_kind: str
        assessment: str
        tenor: str
        summary: str
        examples: list[dict[str, Any]]
        citations: list[str]
        framework_version: int

        def apply(self, fb: Feedback) -> None:
            fb._start_state(self, FeedbackKind.IMPLEMENTATION)

    class Responded(LedgerAggregate.Event):
        """The Independent Chair responded to the feedback."""

        action: str
        response: str
        responder_person_id: str | None

        def apply(self, fb: Feedback) -> None:
            fb.responses += 1

    class Corrected(LedgerAggregate.Event):
        """Whoever gave the feedback corrected it; ``corrects_occurred_on`` is its world date.

        A correction is dated in the world (``occurred_on``) when it was made, and names the date
        of the fact it corrects, so that "as of" replays include it with that fact.
        """

        corrected: list[str]
        tenor: str
        summary: str
        examples: list[dict[str, Any]]
        reason: str
        corrects_occurred_on: date

        def apply(self, fb: Feedback) -> None:
            fb.tenor, fb.summary = Tenor(self.tenor), self.summary
            fb.examples = tuple(Example.from_event_data(d) for d in self.examples)

    kind: FeedbackKind
    organisation: str
    from_organisation: str
    tenor: Tenor
    summary: str
    examples: tuple[Example, ...]
    given_on: date
    responses: int

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    def _start_state(self, e: Any, kind: FeedbackKind) -> None:
        self.kind, self.organisation, self.from_organisation = kind, e.organisation, e.from_organisation
        self.tenor, self.summary, self.given_on = Tenor(e.tenor), e.summary, e.occurred_on
        self.examples = tuple(Example.from_event_data(d) for d in e.examples)
        self.responses = 0

    @classmethod
    def give(
        cls,
        *,
        id: UUID,  # noqa: A002
        about: OrganisationRef,
        giver: OrganisationRef,
        recipient_person_id: str | None,
        tenor: str,
        summary: str,
        examples: list[Example],
        citations: tuple[int, list[str]],
        actor: Actor,
        occurred_on: date,
    ) -> Feedback:
        """Record feedback on an organisation's adherence to the PVB."""
        check_giver(actor, giver, regulators_only=False)
        if not (about.kind.is_partner or about.kind is OrganisationKind.STP):
            raise ValidationError(
                f"feedback is about a partner organisation or the STP, not {about.code} "
                f"({about.kind.value})",
                field="organisation",
            )
        version, ids = citations
        return cls._start(
            cls.Given,
            actor,
            occurred_on,
            id=id,
            organisation=about.code,
            from_organisation=giver.code,
            from_kind=giver.kind.value,
            recipient_person_id=recipient_person_id,
            tenor=check_tenor(tenor),
            summary=check_text(summary, "summary", max_length=8000),
            examples=check_examples(examples),
            citations=list(ids),
            framework_version=version,
        )

    @classmethod
    def comment_on_implementation(
        cls,
        *,
        id: UUID,  # noqa: A002
        stp: OrganisationRef,
        giver: OrganisationRef,
        recipient_person_id: str | None,
        assessment_kind: str,
        assessment: str,
        tenor: str,
        summary: str,
        examples: list[Example],
        citations: tuple[int, list[str]],
        actor: Actor,
        occurred_on: date,
    ) -> Feedback:
        """Record a regulator's comment on the PVB's implementation, made in an assessment."""
        check_giver(actor, giver, regulators_only=True)
        if stp.kind is not OrganisationKind.STP:
            raise ValidationError(
                f"a comment on implementation is about the STP, not {stp.code}", field="organisation"
            )
        try:
            kind = AssessmentKind(assessment_kind).value
        except ValueError:
            choices = ", ".join(k.value for k in AssessmentKind)
            raise ValidationError(
                f"assessment_kind must be one of: {choices}", field="assessment_kind"
            ) from None
        version, ids = citations
        return cls._start(
            cls.ImplementationCommented,
            actor,
            occurred_on,
            id=id,
            organisation=stp.code,
            from_organisation=giver.code,
            from_kind=giver.kind.value,
            recipient_person_id=recipient_person_id,
            assessment_kind=kind,
            assessment=check_text(assessment, "assessment", max_length=300),
            tenor=check_tenor(tenor),
            summary=check_text(summary, "summary", max_length=8000),
            examples=check_examples(examples),
            citations=list(ids),
            framework_version=version,
        )

    def respond(
        self,
        action: str,
        response: str,
        responder_person_id: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Record the Independent Chair's response (further responses follow it up)."""
        if actor.role is not Role.INDEPENDENT_CHAIR:
            raise NotAllowedError(
                f"only the Independent Chair responds to feedback, not a user acting as "
                f"{actor.role.value}"
            )
        try:
            the_action = ResponseAction(action).value
        except ValueError:
            choices = ", ".join(a.value for a in ResponseAction)
            raise ValidationError(f"action must be one of: {choices}", field="action") from None
        if occurred_on < self.given_on:
            raise ValidationError(
                f"the response is dated {occurred_on.isoformat()}, before the feedback was given "
                f"({self.given_on.isoformat()})",
                field="occurred_on",
            )
        self._record(
            self.Responded,
            actor,
            occurred_on,
            action=the_action,
            response=check_text(response, "response", max_length=8000),
            responder_person_id=responder_person_id,
        )

    def correct(
        self,
        *,
        tenor: str | None,
        summary: str | None,
        examples: list[Example] | None,
        reason: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Correct a mistake in the feedback; only its giver may, and something must change."""
        if actor.organisation != self.from_organisation or actor.role not in (Role.REGULATOR, Role.HWB):
            raise NotAllowedError(
                f"only {self.from_organisation}, who gave this feedback, may correct it"
            )
        new_tenor = self.tenor.value if tenor is None else check_tenor(tenor)
        new_summary = self.summary if summary is None else check_text(summary, "summary", max_length=8000)
        new_examples = self.examples if examples is None else tuple(examples)
        changed = [
            name
            for name, same in (
                ("tenor", new_tenor == self.tenor.value),
                ("summary", new_summary == self.summary),
                ("examples", same_examples(new_examples, self.examples)),
            )
            if not same
        ]
        if not changed:
            raise RuleViolationError(f"the correction changes nothing in feedback {self.id}")
        if occurred_on < self.given_on:
            raise ValidationError(
                "a correction cannot be dated before the feedback it corrects", field="occurred_on"
            )
        self._record(
            self.Corrected,
            actor,
            occurred_on,
            corrected=changed,
            tenor=new_tenor,
            summary=new_summary,
            examples=check_examples(list(new_examples)),
            reason=check_text(reason, "reason", max_length=2000),
            corrects_occurred_on=self.given_on,
        )
