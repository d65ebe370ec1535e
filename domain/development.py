"""Organisational development for the Chairs and Chief Executives: learning sessions and pledges.

The paper's "Organisational development": a programme for the Chairs and Chief Executives,
including a learning session on holding challenging conversations and a set of personal
pledges. A pledge's wording and its reflections are about one person, so they are stored
under that person's key.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor, Personal

PLEDGE_OUTCOMES = ("kept", "partly_kept", "not_kept")


class LearningSession(LedgerAggregate):
    """A learning session of the development programme, and who attended it."""

    class Held(LedgerAggregate.Created):
        """The session was held."""

        title: str
        facilitator: str
        citations: list[str]
        framework_version: int

        def apply(self, s: LearningSession) -> None:
            s.title, s.facilitator, s.held_on = self.title, self.facilitator, self.occurred_on
            s.citations, s.attendees = list(self.citations), []

    class AttendanceRecorded(LedgerAggregate.Event):
        """These people attended the session."""

        attendees: list[str]  # person ids

        def apply(self, s: LearningSession) -> None:
            s.attendees.extend(self.attendees)

    title: str
    facilitator: str
    held_on: date
    citations: list[str]
    attendees: list[str]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def hold(
        cls,
        *,
        id: UUID,  # noqa: A002
        title: str,
        facilitator: str,
        citations: list[str],
        framework_version: int,
        actor: Actor,
        occurred_on: date,
    ) -> LearningSession:
        """Record that a learning session was held."""
        return cls._start(
            cls.Held, actor, occurred_on, id=id, title=check_text(title, "title", max_length=200),
            facilitator=check_text(facilitator, "facilitator", max_length=200, required=False),
            citations=list(citations), framework_version=framework_version,
        )

    def record_attendance(self, attendees: list[str], actor: Actor, occurred_on: date) -> None:
        """Record who attended; nobody is recorded twice."""
        if not attendees:
            raise ValidationError("name at least one attendee", field="attendees")
        already = sorted(set(attendees) & set(self.attendees))
        if already:
            raise RuleViolationError(
                f"already recorded as attending {self.title!r}: {', '.join(already)}"
            )
        if len(set(attendees)) != len(attendees):
            raise ValidationError("an attendee is named twice", field="attendees")
        if occurred_on < self.held_on:
            raise ValidationError("attendance cannot be recorded before the session", field="occurred_on")
        self._record(self.AttendanceRecorded, actor, occurred_on, attendees=list(attendees))


class Pledge(LedgerAggregate):
    """A personal pledge by a Chair or Chief Executive, and its revisits."""

    class Made(LedgerAggregate.Created):
        """The person made a pledge."""

        person_id: str
        organisation: str
        text: Personal
        citations: list[str]
        framework_version: int

        def apply(self, p: Pledge) -> None:
            p.person_id, p.organisation, p.text = self.person_id, self.organisation, self.text
            p.citations, p.made_on, p.revisits = list(self.citations), self.occurred_on, []

    class Revisited(LedgerAggregate.Event):
        """The person revisited the pledge: kept, partly kept or not kept, with a reflection."""

        outcome: str
        reflection: Personal

        def apply(self, p: Pledge) -> None:
            p.revisits.append((self.occurred_on, self.outcome, self.reflection))

    person_id: str
    organisation: str
    text: Personal
    citations: list[str]
    made_on: date
    revisits: list[tuple[date, str, Personal]]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def make(
        cls,
        *,
        id: UUID,  # noqa: A002
        person_id: str,
        organisation: str,
        text: str,
        citations: list[str],
        framework_version: int,
        actor: Actor,
        occurred_on: date,
    ) -> Pledge:
        """Record a personal pledge."""
        if not citations:
            raise ValidationError("cite at least one principle, value or behaviour", field="citations")
        return cls._start(
            cls.Made, actor, occurred_on, id=id, person_id=person_id, organisation=organisation,
            text=Personal(person_id, check_text(text, "text", max_length=2000)),
            citations=list(citations), framework_version=framework_version,
        )

    def revisit(self, outcome: str, reflection: str, actor: Actor, occurred_on: date) -> None:
        """Record a revisit of the pledge."""
        if outcome not in PLEDGE_OUTCOMES:
            raise ValidationError(
                f"outcome must be one of: {', '.join(PLEDGE_OUTCOMES)}", field="outcome"
            )
        last = self.revisits[-1][0] if self.revisits else self.made_on
        if occurred_on < last:
            raise ValidationError(
                f"a revisit cannot come before {last}, the pledge's last entry", field="occurred_on"
            )
        text = check_text(reflection, "reflection", max_length=4000)
        self._record(
            self.Revisited, actor, occurred_on, outcome=outcome,
            reflection=Personal(self.person_id, text),
        )
