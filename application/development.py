"""Commands and questions about the development programme for Chairs and Chief Executives."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID, uuid4

from application.base import Commands
from application.governance_details import LearningSessionDetails, PledgeDetails, PledgeRevisit
from domain.development import LearningSession, Pledge
from domain.errors import NotAllowedError, NotFoundError, ValidationError
from domain.values import Actor, Office

PROGRAMME_OFFICES = frozenset(
    {Office.CHAIR.value, Office.CHIEF_EXECUTIVE.value, Office.INDEPENDENT_CHAIR.value,
     Office.ACCOUNTABLE_OFFICER.value}
)


class DevelopmentCommands(Commands):
    """Learning sessions and who attended; personal pledges made and revisited."""

    def hold_learning_session(
        self,
        actor: Actor,
        *,
        title: str,
        facilitator: str = "",
        citations: Iterable[str] = (),
        occurred_on: date | None = None,
    ) -> str:
        """Record a learning session; returns its id."""
        self._authorise(actor, "development.record")
        cited = list(citations)
        version = self.get_framework().current_version  # type: ignore[attr-defined]
        if cited:
            version, cited = self.check_citations(cited)  # type: ignore[attr-defined]
        session = LearningSession.hold(
            id=uuid4(), title=title, facilitator=facilitator, citations=cited,
            framework_version=version, actor=actor, occurred_on=self._occurred(occurred_on),
        )
        self.save(session)
        return str(session.id)

    def record_session_attendance(
        self,
        actor: Actor,
        session_id: str,
        *,
        attendees: Iterable[str],
        occurred_on: date | None = None,
    ) -> str:
        """Record who attended; each must be a Chair or Chief Executive (or the STP's officers)."""
        self._authorise(actor, "development.record")
        session = self._load_learning_session(session_id)
        people = [str(a) for a in attendees]
        for person_id in people:
            self._check_development_attendee(person_id)
        session.record_attendance(people, actor, self._occurred(occurred_on))
        self.save(session)
        return str(session.id)

    def make_pledge(
        self,
        actor: Actor,
        *,
        text: str,
        citations: Iterable[str],
        occurred_on: date | None = None,
    ) -> str:
        """Record the actor's own personal pledge; returns its id."""
        self._authorise(actor, "development.pledge")
        person = self._pledger(actor)
        version, cited = self.check_citations(list(citations))  # type: ignore[attr-defined]
        pledge = Pledge.make(
            id=uuid4(), person_id=person.id, organisation=person.organisation, text=text,
            citations=cited, framework_version=version, actor=actor,
            occurred_on=self._occurred(occurred_on),
        )
        self.save(pledge)
        return str(pledge.id)

    def revisit_pledge(
        self,
        actor: Actor,
        pledge_id: str,
        *,
        outcome: str,
        reflection: str,
        occurred_on: date | None = None,
    ) -> str:
        """Record the pledger's revisit of their own pledge."""
        self._authorise(actor, "development.pledge")
        pledge = self._load_pledge(pledge_id)
        if actor.person_id != pledge.person_id:
            raise NotAllowedError("only the person who made a pledge may revisit it")
        pledge.revisit(outcome, reflection, actor, self._occurred(occurred_on))
        self.save(pledge)
        return str(pledge.id)

    def get_learning_session(self, session_id: str) -> LearningSessionDetails:
        """A learning session and its attendees."""
        s = self._load_learning_session(session_id)
        return LearningSessionDetails(
            str(s.id), s.title, s.facilitator, s.held_on, tuple(s.citations), tuple(s.attendees)
        )

    def get_pledge(self, pledge_id: str) -> PledgeDetails:
        """A pledge and its revisits (personal text decrypted, or [erased])."""
        p = self._load_pledge(pledge_id)
        return PledgeDetails(
            str(p.id), p.person_id, p.organisation, str(p.text), tuple(p.citations), p.made_on,
            tuple(PledgeRevisit(d, o, str(r)) for d, o, r in p.revisits),
        )

    def _check_development_attendee(self, person_id: str) -> None:
        try:
            person = self.get_person(person_id)  # type: ignore[attr-defined]
        except NotFoundError:
            raise ValidationError(f"person {person_id} not found", field="attendees") from None
        org = self.get_organisation(person.organisation)  # type: ignore[attr-defined]
        offices = {office for office, holder in org.offices.items() if holder == person.id}
        if not offices & PROGRAMME_OFFICES:
            raise ValidationError(
                f"{person.name} is not a Chair or Chief Executive; the programme is for them",
                field="attendees",
            )

    def _pledger(self, actor: Actor):  # type: ignore[no-untyped-def]
        if not actor.person_id:
            raise ValidationError("your login is not linked to a person in the directory")
        return self.get_person(actor.person_id)  # type: ignore[attr-defined]

    def _load_learning_session(self, session_id: str) -> LearningSession:
        return self._load(LearningSession, _uuid(session_id, "learning session"), f"learning session {session_id}")

    def _load_pledge(self, pledge_id: str) -> Pledge:
        return self._load(Pledge, _uuid(pledge_id, "pledge"), f"pledge {pledge_id}")


def _uuid(value: str, what: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFoundError(f"{what} {value} not found") from None
