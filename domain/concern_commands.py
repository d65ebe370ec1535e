"""The commands on a concern, each enforcing who may take which step, and in what order."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from domain.concern_guards import Acting, ConcernGuardsMixin
from domain.concern_routes import ROUTE_STAGES, Level, Stage, concern_id, reference_of, stage_posts
from domain.concern_rules import (
    OfficeHolders,
    check_not_before,
    choose,
    concern_text,
    people_for,
    route_for,
)
from domain.errors import NotAllowedError, ValidationError
from domain.values import Actor, Office, OrganisationKind, Personal

if TYPE_CHECKING:
    from domain.concern import Concern

CEO_OUTCOMES = ("resolved", "difference_of_view")
AO_OUTCOMES = ("resolved", "escalated")
PAY_OUTCOMES = ("reflected", "not_appropriate")


class ConcernCommandsMixin(ConcernGuardsMixin):
    """The paper's rules for a concern, as the commands of the Concern aggregate."""

    @classmethod
    def raise_concern(
        cls,
        *,
        number: int,
        raiser: Personal,
        raiser_organisation: tuple[str, OrganisationKind],
        subject: Personal,
        subject_organisation: tuple[str, OrganisationKind],
        subject_office: Office | None,
        stp: str,
        citations: tuple[int, list[str]],
        narrative: str,
        examples: str,
        confidential: bool,
        holders: OfficeHolders,
        actor: Actor,
        occurred_on: date,
    ) -> Concern:
        """Raise a concern; the route follows from who raises it and about whom."""
        reference = reference_of(number)
        (raiser_org, raiser_kind), (subject_org, subject_kind) = raiser_organisation, subject_organisation
        if not actor.person_id or actor.person_id != raiser.subject_id:
            raise NotAllowedError(
                "only someone recorded in the directory may raise a concern; "
                "your login is not linked to a person"
            )
        if subject.subject_id == raiser.subject_id:
            raise ValidationError("a concern cannot be about the person raising it", field="subject_id")
        route = route_for(actor, holders, raiser_org, raiser_kind, subject_org, subject_kind,
                           subject_office, stp, reference)
        framework_version, items = citations
        if not items:
            raise ValidationError(
                "cite at least one principle, value or behaviour", field="catalogue_items"
            )
        office = subject_office.value if subject_office else None
        stage = ROUTE_STAGES[route][0]
        about = subject.subject_id
        return cls._start(  # type: ignore[attr-defined,no-any-return]
            cls.Raised,
            actor,
            occurred_on,
            id=concern_id(number),
            number=number,
            reference=reference,
            route=route.value,
            raiser=raiser,
            raiser_organisation=raiser_org,
            subject=subject,
            subject_organisation=subject_org,
            subject_office=office,
            stp=stp,
            catalogue_items=items,
            framework_version=framework_version,
            narrative=Personal(about, concern_text(narrative, "narrative")),
            examples=Personal(about, concern_text(examples, "examples")),
            confidential=bool(confidential),
            stage=stage.value,
            people=people_for(holders, stage_posts(route, stage, raiser_org, subject_org, office, stp),
                           reference, required=1),
        )

    # The route's steps. Each guard checks the stage, then that the actor is the one who may act.
    def record_chief_executives_discussion(
        self, actor: Actor, holders: OfficeHolders, outcome: str, account: str, occurred_on: date
    ) -> None:
        """The raiser's Chief Executive records the discussion with the other Chief Executive."""
        acting = self._guard_chief_executives(actor, holders)
        outcome = choose(outcome, CEO_OUTCOMES, "outcome")
        resolved = outcome == "resolved"
        self._step(
            self.DiscussedByChiefExecutives, actor, acting, holders,
            Stage.RESOLVED if resolved else Stage.ACCOUNTABLE_OFFICER,
            Level.CHIEF_EXECUTIVES if resolved else None, account, occurred_on,
            required=((Office.CHIEF_EXECUTIVE, self.subject_organisation),), outcome=outcome,
        )

    def record_accountable_officer_decision(
        self, actor: Actor, holders: OfficeHolders, outcome: str, account: str, occurred_on: date
    ) -> None:
        """The Accountable Officer records a resolution, or escalates to the Independent Chair."""
        acting = self._guard_accountable_officer(actor, holders)
        outcome = choose(outcome, AO_OUTCOMES, "outcome")
        resolved = outcome == "resolved"
        optional = [(Office.CHIEF_EXECUTIVE, self.raiser_organisation),
                    (Office.CHIEF_EXECUTIVE, self.subject_organisation)]
        if not resolved:
            optional += [(Office.CHAIR, self.raiser_organisation), (Office.CHAIR, self.subject_organisation)]
        self._step(
            self.DecidedByAccountableOfficer, actor, acting, holders,
            Stage.RESOLVED if resolved else Stage.INDEPENDENT_CHAIR,
            Level.ACCOUNTABLE_OFFICER if resolved else None, account, occurred_on,
            optional=tuple(optional), outcome=outcome,
        )

    def record_independent_chair_resolution(
        self, actor: Actor, holders: OfficeHolders, account: str, occurred_on: date
    ) -> None:
        """The Independent Chair records the resolution reached with the two Chairs."""
        acting = self._guard_independent_chair(actor, holders)
        chairs = ((Office.CHAIR, self.raiser_organisation), (Office.CHAIR, self.subject_organisation))
        self._step(self.ResolvedByIndependentChair, actor, acting, holders, Stage.RESOLVED,
                   Level.INDEPENDENT_CHAIR, account, occurred_on, required=chairs)

    def record_chair_handling(
        self, actor: Actor, holders: OfficeHolders, account: str, occurred_on: date
    ) -> None:
        """The Chief Executive's Chair (the Independent Chair, for the Accountable Officer)
        records how the concern was handled and its outcome."""
        acting = self._guard_chair(actor, holders)
        about_ao = self.subject_office == Office.ACCOUNTABLE_OFFICER.value
        level = Level.INDEPENDENT_CHAIR if about_ao else Level.CHAIR
        self._step(self.HandledByChair, actor, acting, holders, Stage.RESOLVED, level,
                   account, occurred_on)

    def record_discussion_with_individual(
        self, actor: Actor, holders: OfficeHolders, account: str, occurred_on: date
    ) -> None:
        """The individual's Chair records that the concern was discussed with them."""
        acting = self._guard_discussion(actor, holders)
        self._step(self.DiscussedWithIndividual, actor, acting, holders,
                   Stage.PERFORMANCE_REVIEW, None, account, occurred_on)

    def record_performance_review(
        self, actor: Actor, holders: OfficeHolders, account: str, performance_related_pay: str,
        occurred_on: date,
    ) -> None:
        """The Chair records it was reflected in the next performance review (and pay, if apt)."""
        acting = self._guard_performance_review(actor, holders)
        pay = choose(performance_related_pay, PAY_OUTCOMES, "performance_related_pay")
        self._step(self.ReflectedInPerformanceReview, actor, acting, holders, Stage.RESOLVED,
                   Level.CHAIR, account, occurred_on, performance_related_pay=pay)

    def record_follow_up_not_applicable(
        self, actor: Actor, holders: OfficeHolders, account: str, occurred_on: date
    ) -> None:
        """The Chair records why the remaining follow-up steps do not apply."""
        acting = self._guard_not_applicable(actor, holders)
        self._step(self.FollowUpNotApplicable, actor, acting, holders, Stage.RESOLVED,
                   Level.CHAIR, account, occurred_on)

    # Any route.
    def withdraw(self, actor: Actor, reason: str | None, occurred_on: date) -> None:
        """The raiser withdraws the concern."""
        self._guard_withdraw(actor)
        check_not_before(occurred_on, self.stage_since, f"{self.reference} reached its stage")
        text = concern_text(reason or "", "reason", required=False)
        self._record(self.Withdrawn, actor, occurred_on, stage=Stage.WITHDRAWN.value,
                     reason=Personal(self.subject.subject_id, text) if text else None)

    def reopen(self, actor: Actor, holders: OfficeHolders, reason: str, occurred_on: date) -> None:
        """Reopen a closed concern with a reason; it returns to the stage where it closed."""
        returning = self._guard_reopen(actor, holders)
        assert self.closed_on is not None
        check_not_before(occurred_on, self.closed_on, f"{self.reference} was closed")
        posts = self._posts_for(returning)[:1]
        self._record(
            self.Reopened, actor, occurred_on, stage=returning.value,
            reason=self._personal(reason, "reason"), people=people_for(holders, posts, self.reference, 1),
        )

    def add_note(self, actor: Actor, holders: OfficeHolders, text: str, occurred_on: date) -> None:
        """Someone in the concern's chain adds a note."""
        self._guard_note(actor, holders)
        check_not_before(occurred_on, self.raised_on, f"{self.reference} was raised")
        self._record(self.NoteAdded, actor, occurred_on, text=self._personal(text, "text"))

    def correct_step(
        self, actor: Actor, holders: OfficeHolders, *, corrects: int, reason: str,
        account: str | None, corrected_occurred_on: date | None, occurred_on: date,
    ) -> None:
        """Correct an earlier step by a new event naming it and saying why; nothing is edited."""
        entry = self._correctable(corrects)
        by_post = self._guard_correction(actor, holders, entry)
        account = concern_text(account or "", "account", required=False)
        if not account and corrected_occurred_on is None:
            raise ValidationError("a correction must give a corrected account or a corrected date")
        if corrected_occurred_on is not None:
            self._check_redate(corrects, corrected_occurred_on)
        self._record(
            self.StepCorrected, actor, occurred_on, corrects=corrects, corrects_what=entry["what"],
            by_post=by_post, reason=self._personal(reason, "reason"),
            account=Personal(self.subject.subject_id, account) if account else None,
            corrected_occurred_on=corrected_occurred_on,
        )

    def _step(
        self, event_class: Any, actor: Actor, acting: Acting, holders: OfficeHolders,
        stage: Stage, level: Level | None, account: str, occurred_on: date, *,
        required: tuple[tuple[Office, str], ...] = (), optional: tuple[tuple[Office, str], ...] = (),
        **fields: Any,
    ) -> None:
        """Record a step with the people of the route, by office, as the directory has them now."""
        check_not_before(occurred_on, self.stage_since, f"{self.reference} reached this stage")
        by_post, by = acting
        next_holder = self._posts_for(stage)[:1] if stage.is_open else []
        people = {by_post: by}
        people.update(people_for(holders, [*next_holder, *required], self.reference, required=99))
        people.update(people_for(holders, list(optional), self.reference, required=0))
        self._record(
            event_class, actor, occurred_on, by_post=by_post,
            account=self._personal(account, "account"), people=people, stage=stage.value,
            resolution_level=level.value if level else None, **fields,
        )

    def _personal(self, text: str, field: str) -> Personal:
        return Personal(self.subject.subject_id, concern_text(text, field))

