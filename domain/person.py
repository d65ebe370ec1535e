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

    class Moved(LedgerAggregate.Event):
        """The person changed organisation or job title."""

        organisation: str
        title: str
        senior_leader: bool

        def apply(self, person: Person) -> None:
            person.organisation = self.organisation
            person.title = self.title
            person.senior_leader = self.senior_leader

    class Left(LedgerAggregate.Event):
        """The person left the Partnership."""

        def apply(self, person: Person) -> None:
            person.left_on = self.occurred_on

    class Erased(LedgerAggregate.Event):
        """The person's personal data was erased by destroying their key."""

        reason: str

        def apply(self, person: Person) -> None:
            person.erased = True

    name: Personal
    organisation: str
    title: str
    senior_leader: bool
    clinical: bool
    left_on: date | None
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

    @property
    def is_current(self) -> bool:
        """True while the person has not left."""
        return self.left_on is None

    def _check_current(self) -> None:
        if not self.is_current:
            raise RuleViolationError(f"person {self.id} left on {self.left_on}")
