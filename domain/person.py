"""People in the directory: staff, senior leaders, office holders."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError
from domain.values import Actor, Personal


class Person(LedgerAggregate):
    """Someone who works for one of the organisations; their name is personal data."""

    class Joined(LedgerAggregate.Created):
        """The person joined an organisation."""

        name: Personal
        organisation: str
        title: str
        senior_leader: bool
        clinical: bool

        def apply(self, person: Person) -> None:
            person.name = self.name
            person.organisation = self.organisation
            person.title = self.title
            person.senior_leader = self.senior_leader
            person.clinical = self.clinical
            person.left_on = None
            person.erased = False
            person.details_version, person.details_on = self.originator_version, self.occurred_on
            person.left_version = None

    class Moved(LedgerAggregate.Event):
        """The person changed organisation or job title."""

        organisation: str
        title: str
        senior_leader: bool

        def apply(self, person: Person) -> None:
            person.organisation = self.organisation
            person.title = self.title
            person.senior_leader = self.senior_leader
            person.details_version, person.details_on = self.originator_version, self.occurred_on

    class Left(LedgerAggregate.Event):
        """The person left the Partnership."""

        def apply(self, person: Person) -> None:
            person.left_on = self.occurred_on
            person.left_version = self.originator_version

    class Erased(LedgerAggregate.Event):
        """The person's personal data was erased by destroying their key."""

        reason: str

        def apply(self, person: Person) -> None:
            person.erased = True

    class DetailsCorrected(LedgerAggregate.Event):
        """The person's details were recorded wrongly; these are the right ones, and why.

        ``corrects`` is the version of the event that last set the details (the joining or a
        move) and ``corrects_occurred_on`` its world date; ``corrected`` names the fields changed.
        """

        corrects: int
        corrected: list[str]
        name: Personal
        title: str
        senior_leader: bool
        clinical: bool
        reason: str
        corrects_occurred_on: date

        def apply(self, person: Person) -> None:
            person.name, person.title = self.name, self.title
            person.senior_leader, person.clinical = self.senior_leader, self.clinical

    class LeavingCorrected(LedgerAggregate.Event):
        """A leaving was recorded by mistake: the person is current again.

        ``corrects`` is the version of the Left event, ``corrects_occurred_on`` its world date.
        """

        corrects: int
        reason: str
        corrects_occurred_on: date

        def apply(self, person: Person) -> None:
            person.left_on, person.left_version = None, None

    name: Personal
    organisation: str
    title: str
    senior_leader: bool
    clinical: bool
    left_on: date | None
    left_version: int | None
    details_version: int
    details_on: date
    erased: bool

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def join(
        cls,
        *,
        id: UUID,  # noqa: A002
        name: str,
        organisation: str,
        title: str,
        senior_leader: bool,
        clinical: bool,
        actor: Actor,
        occurred_on: date,
    ) -> Person:
        """Record a person joining an organisation."""
        name = check_text(name, "name", max_length=200)
        return cls._start(
            cls.Joined,
            actor,
            occurred_on,
            id=id,
            name=Personal(str(id), name),
            organisation=organisation,
            title=check_text(title, "title", max_length=200),
            senior_leader=senior_leader,
            clinical=clinical,
        )

    def move(
        self, organisation: str, title: str, senior_leader: bool, actor: Actor, occurred_on: date
    ) -> None:
        """Record a move to another organisation or job."""
        self._check_current()
        self._record(
            self.Moved,
            actor,
            occurred_on,
            organisation=organisation,
            title=check_text(title, "title", max_length=200),
            senior_leader=senior_leader,
        )

    def leave(self, actor: Actor, occurred_on: date) -> None:
        """Record that the person has left."""
        self._check_current()
        self._record(self.Left, actor, occurred_on)

    def record_erasure(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record that the person's key was destroyed."""
        if self.erased:
            raise RuleViolationError(f"person {self.id} is already erased")
        self._record(self.Erased, actor, occurred_on, reason=check_text(reason, "reason"))

    def correct_details(
        self,
        *,
        name: str,
        title: str,
        senior_leader: bool,
        clinical: bool,
        reason: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Put right a wrongly recorded name, title or senior/clinical flag, naming the reason."""
        self._check_not_erased()
        name = check_text(name, "name", max_length=200)
        title = check_text(title, "title", max_length=200)
        reason = check_text(reason, "reason", max_length=2000)
        was = {"name": str(self.name), "title": self.title,
               "senior_leader": self.senior_leader, "clinical": self.clinical}
        now = {"name": name, "title": title, "senior_leader": bool(senior_leader), "clinical": bool(clinical)}
        changed = [k for k in now if now[k] != was[k]]
        if not changed:
            raise RuleViolationError(f"the correction changes nothing in the record of person {self.id}")
        self._record(
            self.DetailsCorrected, actor, occurred_on, corrects=self.details_version, corrected=changed,
            name=Personal(str(self.id), name), title=title, senior_leader=bool(senior_leader),
            clinical=bool(clinical), reason=reason, corrects_occurred_on=self.details_on,
        )

    def correct_leaving(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Put right a leaving recorded by mistake: the person is current again."""
        self._check_not_erased()
        if self.left_on is None or self.left_version is None:
            raise RuleViolationError(f"person {self.id} has not left; there is no leaving to correct")
        self._record(
            self.LeavingCorrected, actor, occurred_on, corrects=self.left_version,
            reason=check_text(reason, "reason", max_length=2000), corrects_occurred_on=self.left_on,
        )

    @property
    def is_current(self) -> bool:
        """True while the person has not left."""
        return self.left_on is None

    def _check_not_erased(self) -> None:
        if self.erased or self.name.is_erased:
            raise RuleViolationError(f"person {self.id} is erased; their record cannot be corrected")

    def _check_current(self) -> None:
        if not self.is_current:
            raise RuleViolationError(f"person {self.id} left on {self.left_on}")
