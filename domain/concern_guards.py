"""Guards on a concern's steps: the stage must be right, then the actor must be the one who may act."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from domain.concern_routes import Route, Stage, holder_post, parse_post_key, post_key, stage_posts
from domain.concern_rules import OfficeHolders, check_not_before, require_office
from domain.errors import DomainError, NotAllowedError, RuleViolationError, ValidationError
from domain.values import Actor, Office, Personal

Acting = tuple[str, Personal]  # the post taking a step ('chair@RFH') and its holder


class ConcernGuardsMixin:
    """Who may take which step of a concern now, and the checks every command shares."""

    if TYPE_CHECKING:
        reference: str
        route: Route
        stage: Stage
        raiser: Personal
        raiser_organisation: str
        confidential: bool
        subject: Personal
        subject_organisation: str
        subject_office: str | None
        stp: str
        raised_on: date
        stage_since: date
        closed_on: date | None
        closed_from: Stage | None
        people_ids: set[str]
        posts: set[str]
        steps: list[tuple[int, date]]
        history: list[dict[str, Any]]
        Raised: Any
        DiscussedByChiefExecutives: Any
        DecidedByAccountableOfficer: Any
        ResolvedByIndependentChair: Any
        HandledByChair: Any
        DiscussedWithIndividual: Any
        ReflectedInPerformanceReview: Any
        FollowUpNotApplicable: Any
        Withdrawn: Any
        Reopened: Any
        NoteAdded: Any
        StepCorrected: Any

        def _record(self, event_class: Any, actor: Actor, occurred_on: date, **fields: Any) -> None: ...
        def reached_posts(self) -> list[tuple[Office, str]]: ...

    def available_steps(self, actor: Actor, holders: OfficeHolders) -> list[str]:
        """The steps this actor may take now (their input is checked only when taken)."""
        allowed = []
        for name, guard in self._guards().items():
            try:
                guard(actor, holders)
            except DomainError:
                continue
            allowed.append(name)
        return allowed

    def is_in_chain(self, actor: Actor, holders: OfficeHolders) -> bool:
        """True for the raiser and the people the concern has reached (never its subject)."""
        person = actor.person_id
        if not person or person == self.subject.subject_id:
            return False
        if person == self.raiser.subject_id or person in self.people_ids:
            return True
        return any(
            (held := holders.holder(office, org)) is not None and held.subject_id == person
            for office, org in self.reached_posts()
        )

    def sees_raiser(self, actor: Actor, holders: OfficeHolders) -> bool:
        """True if this reader may know who raised it: anyone, unless it is confidential; then
        only the raiser and the raiser's own Chief Executive (investigators need a grant, which
        the application checks)."""
        if not self.confidential:
            return True
        person = actor.person_id
        if not person:
            return False
        if person == self.raiser.subject_id:
            return True
        own_ceo = holders.holder(Office.CHIEF_EXECUTIVE, self.raiser_organisation)
        return own_ceo is not None and own_ceo.subject_id == person

    # Guards: the stage first (409), then who may act (403).
    def _guards(self) -> dict[str, Callable[[Actor, OfficeHolders], Any]]:
        return {
            "chief_executives_discussion": self._guard_chief_executives,
            "accountable_officer_decision": self._guard_accountable_officer,
            "independent_chair_resolution": self._guard_independent_chair,
            "chair_handling": self._guard_chair,
            "discussion_with_individual": self._guard_discussion,
            "performance_review": self._guard_performance_review,
            "not_applicable": self._guard_not_applicable,
            "withdraw": lambda actor, _holders: self._guard_withdraw(actor),
            "reopen": self._guard_reopen,
            "note": self._guard_note,
            "correct": self._guard_any_correction,
        }

    def _guard_chief_executives(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.CROSS_ORGANISATION, (Stage.CHIEF_EXECUTIVES,),
                          "the Chief Executives' discussion")
        return self._acting(actor, holders, Office.CHIEF_EXECUTIVE, self.raiser_organisation,
                            "record the Chief Executives' discussion")

    def _guard_accountable_officer(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.CROSS_ORGANISATION, (Stage.ACCOUNTABLE_OFFICER,),
                          "the Accountable Officer's decision")
        return self._acting(actor, holders, Office.ACCOUNTABLE_OFFICER, self.stp,
                            "record the Accountable Officer's decision")

    def _guard_independent_chair(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.CROSS_ORGANISATION, (Stage.INDEPENDENT_CHAIR,),
                          "the Independent Chair's resolution")
        return self._acting(actor, holders, Office.INDEPENDENT_CHAIR, self.stp,
                            "record the Independent Chair's resolution")

    def _guard_chair(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.ABOUT_LEADER, (Stage.CHAIR,), "the Chair's handling")
        office, org = self._holder_post()
        return self._acting(actor, holders, office, org, "record how it was handled")

    def _guard_discussion(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.INDEPENDENT_CHAIR, (Stage.DISCUSSION,), "the discussion with the individual")
        return self._acting(actor, holders, Office.CHAIR, self.subject_organisation,
                            "record the discussion with the individual")

    def _guard_performance_review(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.INDEPENDENT_CHAIR, (Stage.PERFORMANCE_REVIEW,),
                          "the performance review")
        return self._acting(actor, holders, Office.CHAIR, self.subject_organisation,
                            "record the performance review")

    def _guard_not_applicable(self, actor: Actor, holders: OfficeHolders) -> Acting:
        self._check_stage(Route.INDEPENDENT_CHAIR, (Stage.DISCUSSION, Stage.PERFORMANCE_REVIEW),
                          "recording why the follow-up does not apply")
        return self._acting(actor, holders, Office.CHAIR, self.subject_organisation,
                            "record why the follow-up does not apply")

    def _guard_withdraw(self, actor: Actor) -> None:
        if not self.stage.is_open:
            raise RuleViolationError(f"{self.reference} is already {self.stage.value}; it cannot be withdrawn")
        if not actor.person_id or actor.person_id != self.raiser.subject_id:
            raise NotAllowedError(f"only the person who raised {self.reference} may withdraw it")

    def _guard_reopen(self, actor: Actor, holders: OfficeHolders) -> Stage:
        if self.stage.is_open or self.closed_from is None:
            raise RuleViolationError(
                f"{self.reference} is open; only a resolved or withdrawn concern can be reopened"
            )
        if actor.person_id and actor.person_id == self.raiser.subject_id:
            return self.closed_from
        office, org = self._holder_post(self.closed_from)
        require_office(actor, holders, office, org, "reopen it", self.reference)
        return self.closed_from

    def _guard_note(self, actor: Actor, holders: OfficeHolders) -> None:
        if not self.is_in_chain(actor, holders):
            raise NotAllowedError(f"only the people in {self.reference}'s chain may add notes")

    def _guard_any_correction(self, actor: Actor, holders: OfficeHolders) -> None:
        for entry in self.history:
            if entry["by_post"] or entry["version"] == 1:
                try:
                    self._guard_correction(actor, holders, entry)
                except DomainError:
                    continue
                return
        raise NotAllowedError(f"you took no step of {self.reference} that you could correct")

    def _guard_correction(self, actor: Actor, holders: OfficeHolders, entry: dict[str, Any]) -> str | None:
        if entry["version"] == 1:
            if not actor.person_id or actor.person_id != self.raiser.subject_id:
                raise NotAllowedError(f"only the person who raised {self.reference} may correct how it was raised")
            return None
        office, org = parse_post_key(entry["by_post"])
        require_office(actor, holders, office, org, f"correct the step '{entry['what']}'", self.reference)
        return str(entry["by_post"])

    # Helpers.
    def _check_stage(self, route: Route, stages: tuple[Stage, ...], step: str) -> None:
        if self.stage is Stage.RESOLVED:
            raise RuleViolationError(
                f"{self.reference} is already resolved; it cannot be resolved or escalated again "
                "unless it is reopened with a reason"
            )
        if self.stage is Stage.WITHDRAWN:
            raise RuleViolationError(f"{self.reference} was withdrawn; reopen it with a reason first")
        if self.route is not route:
            raise RuleViolationError(f"{step} is not a step of {self.reference}'s route ({self.route.label})")
        if self.stage not in stages:
            expected = " or ".join(f"'{s.label}'" for s in stages)
            raise RuleViolationError(
                f"{self.reference} is at the stage '{self.stage.label}'; {step} comes only at "
                f"{expected}, and no step may be skipped"
            )

    def _acting(
        self, actor: Actor, holders: OfficeHolders, office: Office, org: str, doing: str
    ) -> Acting:
        return post_key(office, org), require_office(actor, holders, office, org, doing, self.reference)

    def _holder_post(self, stage: Stage | None = None) -> tuple[Office, str]:
        post = holder_post(self.route, stage or self.stage, self.raiser_organisation,
                           self.subject_organisation, self.subject_office, self.stp)
        assert post is not None
        return post

    def _posts_for(self, stage: Stage) -> list[tuple[Office, str]]:
        return stage_posts(self.route, stage, self.raiser_organisation, self.subject_organisation,
                           self.subject_office, self.stp)

    def _correctable(self, version: int) -> dict[str, Any]:
        if not 1 <= version <= len(self.history):
            raise ValidationError(f"{self.reference} has no event number {version}", field="corrects")
        entry = self.history[version - 1]
        if entry["version"] != 1 and not entry["by_post"]:
            raise ValidationError(
                f"event {version} of {self.reference} ({entry['what']}) is not a step of the route; "
                "only the raising and the route's steps can be corrected", field="corrects",
            )
        return entry

    def _check_redate(self, version: int, new_date: date) -> None:
        dates = [d for _, d in self.steps]
        index = next(i for i, (v, _) in enumerate(self.steps) if v == version)
        if index > 0 and new_date < dates[index - 1]:
            check_not_before(new_date, dates[index - 1], "the step before it")
        if index + 1 < len(dates) and new_date > dates[index + 1]:
            raise ValidationError(
                f"corrected_occurred_on {new_date.isoformat()} is after the next step on "
                f"{dates[index + 1].isoformat()}", field="corrected_occurred_on",
            )
