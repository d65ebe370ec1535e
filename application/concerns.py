"""Commands and questions about concerns and their escalation along the paper's routes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from application.base import A, Commands
from application.concern_details import ConcernDetails, PostHolder, concern_details
from domain.access import CaseAccess, case_access_id, concern_record
from domain.concern import Concern
from domain.concern_numbers import CONCERN_NUMBERS_ID, ConcernNumbers
from domain.concern_routes import concern_id, holder_post, parse_reference, post_key, post_label
from domain.errors import NotAllowedError, NotFoundError, RuleViolationError
from domain.permissions import is_allowed
from domain.values import Actor, Office, Personal, Role

if TYPE_CHECKING:
    from domain.organisation import Organisation
    from domain.person import Person

STP_CODE = "STP"  # the Partnership itself, whose offices are the Accountable Officer and Independent Chair
RAISE_ATTEMPTS = 5
OVERSIGHT_ROLES = (Role.GOVERNANCE_LEAD, Role.INDEPENDENT_CHAIR)
OWN_ORGANISATION_ROLES = (Role.CHIEF_EXECUTIVE, Role.CHAIR)  # see their organisation's concerns
GRANTEE_ROLES = (Role.REGULATOR, Role.HWB)  # see a concern only when an investigator grants it


class LedgerHolders:
    """The directory's office holders as the ledger records them now, looked up once each."""

    def __init__(self, ledger: Any) -> None:
        self._ledger = ledger
        self._cache: dict[tuple[Office, str], Personal | None] = {}

    def holder(self, office: Office, organisation: str) -> Personal | None:
        """The person holding an office, with their name as a Personal value."""
        key = (office, organisation)
        if key not in self._cache:
            try:
                person_id = self._ledger._organisation(organisation, read_only=True).holder(office)
            except NotFoundError:
                person_id = None
            self._cache[key] = (
                None if person_id is None else self._ledger._person(person_id, read_only=True).name
            )
        return self._cache[key]


class ConcernCommands(Commands):
    """Raise concerns, take each step of their route, and read them with their timeline."""

    if TYPE_CHECKING:

        def _organisation(self, code: str, *, read_only: bool = False) -> Organisation: ...
        def _person(self, person_id: str, *, read_only: bool = False) -> Person: ...
        def check_citations(self, item_ids: list[str]) -> tuple[int, list[str]]: ...
        def _maybe(self, cls: type[A], aggregate_id: UUID) -> A | None: ...

    def raise_concern(
        self,
        actor: Actor,
        *,
        subject_id: str,
        catalogue_items: list[str],
        narrative: str,
        examples: str,
        confidential: bool = False,
        occurred_on: date | None = None,
    ) -> str:
        """Raise a concern about someone's behaviour; returns its reference, e.g. 'C-14'."""
        self._authorise(actor, "concerns.raise")
        when = self._occurred(occurred_on)
        if not actor.person_id:
            raise NotAllowedError(
                "only someone recorded in the directory may raise a concern; "
                "your login is not linked to a person"
            )
        raiser, subject = self._current(actor.person_id), self._current(str(subject_id))
        raiser_org, subject_org = self._organisation(raiser.organisation), self._organisation(subject.organisation)
        citations = self.check_citations(list(catalogue_items))
        holders = LedgerHolders(self)
        for attempt in range(RAISE_ATTEMPTS):
            numbers = self._numbers(actor, when)
            concern = Concern.raise_concern(
                number=numbers.issue(actor, when),
                raiser=raiser.name,
                raiser_organisation=(raiser_org.code, raiser_org.kind),
                subject=subject.name,
                subject_organisation=(subject_org.code, subject_org.kind),
                subject_office=self._office_of(str(subject.id), subject_org),
                stp=STP_CODE,
                citations=citations,
                narrative=narrative,
                examples=examples,
                confidential=confidential,
                holders=holders,
                actor=actor,
                occurred_on=when,
            )
            try:
                self.save(numbers, concern)  # the number and the concern, atomically
            except IntegrityError:
                if attempt + 1 == RAISE_ATTEMPTS:
                    raise
                continue  # another raise took this number at the same moment: take the next
            return concern.reference
        raise AssertionError("unreachable")  # pragma: no cover

    def record_chief_executives_discussion(
        self, actor: Actor, reference: str, *, outcome: str, account: str, occurred_on: date | None = None
    ) -> str:
        """The raiser's Chief Executive records the discussion with the other Chief Executive."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_chief_executives_discussion(actor, h, outcome, account, d)))

    def record_accountable_officer_decision(
        self, actor: Actor, reference: str, *, outcome: str, account: str, occurred_on: date | None = None
    ) -> str:
        """The Accountable Officer resolves the concern or escalates it to the Independent Chair."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_accountable_officer_decision(actor, h, outcome, account, d)))

    def record_independent_chair_resolution(
        self, actor: Actor, reference: str, *, account: str, occurred_on: date | None = None
    ) -> str:
        """The Independent Chair records the resolution reached with the two Chairs."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_independent_chair_resolution(actor, h, account, d)))

    def record_chair_handling(
        self, actor: Actor, reference: str, *, account: str, occurred_on: date | None = None
    ) -> str:
        """The Chair of a Chief Executive (or the Independent Chair) records how it was handled."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_chair_handling(actor, h, account, d)))

    def record_discussion_with_individual(
        self, actor: Actor, reference: str, *, account: str, occurred_on: date | None = None
    ) -> str:
        """The individual's Chair records that the concern was discussed with them."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_discussion_with_individual(actor, h, account, d)))

    def record_performance_review(
        self, actor: Actor, reference: str, *, account: str, performance_related_pay: str,
        occurred_on: date | None = None,
    ) -> str:
        """The Chair records that it was reflected in the next performance review (and pay)."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_performance_review(actor, h, account, performance_related_pay, d)))

    def record_follow_up_not_applicable(
        self, actor: Actor, reference: str, *, account: str, occurred_on: date | None = None
    ) -> str:
        """The Chair records why the performance review and pay steps do not apply."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: (
            c.record_follow_up_not_applicable(actor, h, account, d)))

    def withdraw_concern(
        self, actor: Actor, reference: str, *, reason: str | None = None, occurred_on: date | None = None
    ) -> str:
        """The raiser withdraws their concern."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: c.withdraw(actor, reason, d))

    def reopen_concern(
        self, actor: Actor, reference: str, *, reason: str, occurred_on: date | None = None
    ) -> str:
        """Reopen a resolved or withdrawn concern, with a reason."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: c.reopen(actor, h, reason, d))

    def add_concern_note(
        self, actor: Actor, reference: str, *, text: str, occurred_on: date | None = None
    ) -> str:
        """Someone in the concern's chain adds a note."""
        return self._act(actor, reference, occurred_on, lambda c, h, d: c.add_note(actor, h, text, d))

    def correct_concern_step(
        self, actor: Actor, reference: str, *, corrects: int, reason: str, account: str | None = None,
        corrected_occurred_on: date | None = None, occurred_on: date | None = None,
    ) -> str:
        """Correct an earlier step by a new event that names it and says why."""
        if corrected_occurred_on is not None:
            self._occurred(corrected_occurred_on)  # no corrected date in the future either
        return self._act(actor, reference, occurred_on, lambda c, h, d: c.correct_step(
            actor, h, corrects=corrects, reason=reason, account=account,
            corrected_occurred_on=corrected_occurred_on, occurred_on=d))

    def get_concern(self, actor: Actor, reference: str) -> ConcernDetails:
        """A concern with its whole timeline, as this reader may see it (404 if they may not);
        the read is recorded (once per reader per day)."""
        self._authorise(actor, "concerns.read")
        concern = self._concern(reference)
        holders = LedgerHolders(self)
        show_raiser = self._readable(actor, concern, holders)
        post = holder_post(concern.route, concern.stage, concern.raiser_organisation,
                           concern.subject_organisation, concern.subject_office, concern.stp)
        holder = None
        if post is not None:
            person, key = holders.holder(*post), post_key(*post)
            holder = PostHolder(key, post_label(key), person.subject_id if person else None,
                                str(person) if person else "vacant")
        steps = concern.available_steps(actor, holders)
        details = concern_details(concern, show_raiser=show_raiser, holder=holder, steps=steps)
        self._record_concern_read(actor, details)
        return details

    def _record_concern_read(self, actor: Actor, details: ConcernDetails) -> None:
        """Every rendering of a concern is a read, recorded here so that no page can forget it.

        The raiser reading their own concern is not recorded: it is theirs, and listing their
        reads would name a confidential raiser to everyone else who may read it.
        """
        if details.raiser_id is not None and details.raiser_id == actor.person_id:
            return
        what = ["narrative"]
        if details.confidential and details.raiser_id is not None:
            what.append("raiser")
        self.record_read(actor, concern_record(details.reference), what)  # type: ignore[attr-defined]

    def readable_concerns(self, actor: Actor, references: Iterable[str]) -> dict[str, bool]:
        """Of these references, those the actor may read (by ``_readable``), each with True if
        they also see who raised it. Pages and answers outside the concern's own page use this to
        show a concern as a link only to its readers, and otherwise only as a count."""
        if not is_allowed(actor.role, "concerns.read"):
            return {}
        holders, readable = LedgerHolders(self), {}
        for reference in dict.fromkeys(r.strip().upper() for r in references):
            try:
                readable[reference] = self._readable(actor, self._concern(reference), holders)
            except (NotFoundError, NotAllowedError):
                continue
        return readable

    def concern_exists(self, reference: str) -> bool:
        """True if a concern has this reference."""
        try:
            return self._exists(concern_id(parse_reference(reference)))
        except NotFoundError:
            return False

    def _act(
        self, actor: Actor, reference: str, occurred_on: date | None,
        step: Callable[[Concern, LedgerHolders, date], None],
    ) -> str:
        self._authorise(actor, "concerns.step")
        concern = self._concern(reference)
        holders = LedgerHolders(self)
        self._readable(actor, concern, holders)  # those who may not read it learn nothing of it
        step(concern, holders, self._occurred(occurred_on))
        self.save(concern)
        return concern.reference

    def _readable(self, actor: Actor, concern: Concern, holders: LedgerHolders) -> bool:
        """Raise unless the actor may read the concern; True if they see who raised it.

        Investigators and the chain read it. The governance lead and the Independent
        Chair oversee every concern, and a Chief Executive or Chair sees those raised in or about
        their own organisation, with a confidential raiser withheld. A regulator or the HWB reads
        a concern only when an investigator has granted it to them (403 otherwise: they see the
        statistics, so existence is no secret to them). Anyone else, and the concern's subject,
        learns nothing of it (404).
        """
        if actor.role is Role.INVESTIGATOR or concern.is_in_chain(actor, holders):
            return self._sees_raiser(actor, concern, holders)
        missing = NotFoundError(f"concern {concern.reference} not found")
        if actor.person_id and actor.person_id == concern.subject.subject_id:
            raise missing
        if actor.role in OVERSIGHT_ROLES:
            return self._sees_raiser(actor, concern, holders)
        own = (concern.raiser_organisation, concern.subject_organisation)
        if actor.role in OWN_ORGANISATION_ROLES and actor.organisation and actor.organisation.upper() in own:
            return self._sees_raiser(actor, concern, holders)
        if actor.role in GRANTEE_ROLES:
            if actor.user_id in self._grants_of(str(concern.id)):
                return self._sees_raiser(actor, concern, holders)
            raise NotAllowedError(
                f"a user acting as {actor.role.value} sees concerns only as anonymised statistics "
                f"(/concerns/statistics) unless an investigator grants them the case; "
                f"{concern.reference} has not been granted to you"
            )
        raise missing

    def _sees_raiser(self, actor: Actor, concern: Concern, holders: LedgerHolders) -> bool:
        """A confidential raiser is named only to themselves, their own Chief Executive, and
        investigators granted the case; everyone else reads "a member of staff at ORG"."""
        if concern.sees_raiser(actor, holders):
            return True
        return actor.role is Role.INVESTIGATOR and actor.user_id in self._grants_of(str(concern.id))

    def _grants_of(self, cid: str) -> dict[str, Any]:
        access = self._maybe(CaseAccess, case_access_id(cid))
        return dict(access.grants) if access is not None else {}

    def _concern(self, reference: str) -> Concern:
        number = parse_reference(reference)
        return self._load(Concern, concern_id(number), f"concern {reference.strip().upper()}")

    def _numbers(self, actor: Actor, when: date) -> ConcernNumbers:
        if self._exists(CONCERN_NUMBERS_ID):
            return self._load(ConcernNumbers, CONCERN_NUMBERS_ID, "concern numbers")
        return ConcernNumbers.start(actor, when)

    def _current(self, person_id: str) -> Person:
        person = self._person(person_id)
        if not person.is_current:
            raise RuleViolationError(f"person {person_id} left on {person.left_on}")
        return person

    def _office_of(self, person_id: str, org: Organisation) -> Office | None:
        """The office that routes a concern about this person straight to their Chair, if any."""
        if org.holder(Office.CHIEF_EXECUTIVE) == person_id:
            return Office.CHIEF_EXECUTIVE
        if org.code == STP_CODE and org.holder(Office.ACCOUNTABLE_OFFICER) == person_id:
            return Office.ACCOUNTABLE_OFFICER
        return None
