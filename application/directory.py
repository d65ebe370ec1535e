"""Commands and questions about organisations, people and who holds which office."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

from application.base import Commands
from application.details import OrganisationDetails, PersonDetails
from application.keystore import KeyStore
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.organisation import Organisation, organisation_id
from domain.person import Person
from domain.values import Actor, Office, OrganisationKind


class DirectoryCommands(Commands):
    """Register organisations, record joiners, movers, leavers and appointments."""

    keys: KeyStore

    def register_organisation(
        self,
        actor: Actor,
        *,
        code: str,
        name: str,
        kind: str,
        occurred_on: date | None = None,
    ) -> str:
        """Enter an organisation in the directory; returns its code."""
        self._authorise(actor, "directory.manage")
        org = Organisation.register(code, name, _kind(kind), actor, self._occurred(occurred_on))
        if self._exists(org.id):
            raise RuleViolationError(f"organisation {org.code} is already registered")
        self.save(org)
        return org.code

    def rename_organisation(
        self, actor: Actor, code: str, *, name: str, reason: str, occurred_on: date | None = None
    ) -> None:
        """Record an organisation's new name."""
        self._authorise(actor, "directory.manage")
        org = self._organisation(code)
        org.rename(name, reason, actor, self._occurred(occurred_on))
        self.save(org)

    def add_person(
        self,
        actor: Actor,
        *,
        name: str,
        organisation: str,
        title: str,
        senior_leader: bool = False,
        clinical: bool = False,
        occurred_on: date | None = None,
    ) -> str:
        """Record someone joining an organisation; returns their person id."""
        self._authorise(actor, "directory.manage")
        org = self._organisation(organisation, read_only=True)
        person_id = uuid4()
        self.keys.new_subject(str(person_id))
        person = Person.join(
            id=person_id,
            name=name,
            organisation=org.code,
            title=title,
            senior_leader=senior_leader,
            clinical=clinical,
            actor=actor,
            occurred_on=self._occurred(occurred_on),
        )
        self.save(person)
        return str(person.id)

    def move_person(
        self,
        actor: Actor,
        person_id: str,
        *,
        organisation: str,
        title: str,
        senior_leader: bool,
        occurred_on: date | None = None,
    ) -> None:
        """Record a person moving organisation or job."""
        self._authorise(actor, "directory.manage")
        person = self._person(person_id)
        org = self._organisation(organisation, read_only=True)
        person.move(org.code, title, senior_leader, actor, self._occurred(occurred_on))
        self.save(person)

    def record_leaver(self, actor: Actor, person_id: str, occurred_on: date | None = None) -> None:
        """Record a person leaving; any office they hold is vacated in the same write."""
        self._authorise(actor, "directory.manage")
        when = self._occurred(occurred_on)
        person = self._person(person_id)
        person.leave(actor, when)
        org = self._organisation(person.organisation)
        for office, holder in list(org.offices.items()):
            if holder == person_id:
                org.vacate(Office(office), actor, when)
        self.save(person, org)

    def appoint(
        self,
        actor: Actor,
        *,
        organisation: str,
        office: str,
        person_id: str,
        occurred_on: date | None = None,
    ) -> None:
        """Record that a person now holds an office of an organisation."""
        self._authorise(actor, "directory.manage")
        the_office = _office(office)
        if the_office is Office.PROGRAMME_BOARD_MEMBER:
            raise ValidationError(
                "Programme Board members are appointed to the Programme Board, which has many, not as "
                "an office of an organisation (one holder each)", field="office")
        org = self._organisation(organisation)
        person = self._person(person_id)
        if not person.is_current:
            raise RuleViolationError(f"person {person_id} has left and cannot hold an office")
        org.appoint(the_office, person_id, actor, self._occurred(occurred_on))
        self.save(org)

    def correct_person(
        self,
        actor: Actor,
        person_id: str,
        *,
        name: str,
        title: str,
        senior_leader: bool,
        clinical: bool,
        reason: str,
        occurred_on: date | None = None,
    ) -> None:
        """Put right a person's wrongly recorded name, title or senior/clinical flags."""
        self._authorise(actor, "directory.manage")
        person = self._person(person_id)
        person.correct_details(
            name=name, title=title, senior_leader=senior_leader, clinical=clinical, reason=reason,
            actor=actor, occurred_on=self._occurred(occurred_on),
        )
        self.save(person)

    def correct_leaving(
        self, actor: Actor, person_id: str, *, reason: str, occurred_on: date | None = None
    ) -> None:
        """Put right a leaving recorded by mistake; offices vacated by it are restored in the same write."""
        self._authorise(actor, "directory.manage")
        when = self._occurred(occurred_on)
        person = self._person(person_id)
        left_on = person.left_on
        person.correct_leaving(reason, actor, when)
        org = self._organisation(person.organisation)
        for office in Office:
            if org.last_vacancy(office) == (person_id, left_on):
                org.correct_vacancy(office, reason, actor, when)
        self.save(person, org)

    def correct_organisation(
        self,
        actor: Actor,
        code: str,
        *,
        name: str,
        kind: str,
        reason: str,
        occurred_on: date | None = None,
    ) -> None:
        """Put right an organisation's wrongly recorded name or kind."""
        self._authorise(actor, "directory.manage")
        org = self._organisation(code)
        org.correct_registration(name, _kind(kind), reason, actor, self._occurred(occurred_on))
        self.save(org)

    def correct_appointment(
        self,
        actor: Actor,
        *,
        organisation: str,
        office: str,
        reason: str,
        occurred_on: date | None = None,
    ) -> None:
        """Put right an appointment recorded by mistake: the office is as it was before it."""
        self._authorise(actor, "directory.manage")
        org = self._organisation(organisation)
        org.correct_appointment(_office(office), reason, actor, self._occurred(occurred_on))
        self.save(org)

    def erase_person(self, actor: Actor, person_id: str, reason: str) -> None:
        """Destroy the person's key (crypto-shredding) and record the erasure as an event."""
        self._authorise(actor, "people.erase")
        person = self._person(person_id)
        when = self._occurred(None)
        person.record_erasure(reason, actor, when)
        self.save(person)  # the decision is recorded first; then the key is destroyed
        self.keys.destroy(str(person.id), self._now().isoformat())

    def get_organisation(self, code: str) -> OrganisationDetails:
        """An organisation with its office holders."""
        org = self._organisation(code, read_only=True)
        return OrganisationDetails(org.code, org.name, org.kind.value, dict(org.offices))

    def get_person(self, person_id: str) -> PersonDetails:
        """A person in the directory."""
        p = self._person(person_id, read_only=True)
        return PersonDetails(
            id=str(p.id),
            name=str(p.name),
            organisation=p.organisation,
            title=p.title,
            senior_leader=p.senior_leader,
            clinical=p.clinical,
            left_on=p.left_on,
            erased=p.erased or p.name.is_erased,
        )

    def office_holder(self, code: str, office: Office) -> str | None:
        """The person id holding an office now, if any."""
        return self._organisation(code, read_only=True).holder(office)

    def _organisation(self, code: str, *, read_only: bool = False) -> Organisation:
        code = (code or "").strip().upper()
        if not code:
            raise ValidationError("organisation code is required", field="organisation")
        return self._load(Organisation, organisation_id(code), f"organisation {code}", read_only=read_only)

    def _person(self, person_id: str, *, read_only: bool = False) -> Person:
        try:
            pid = UUID(str(person_id))
        except ValueError:
            raise NotFoundError(f"person {person_id} not found") from None
        return self._load(Person, pid, f"person {person_id}", read_only=read_only)


def _kind(kind: str) -> OrganisationKind:
    try:
        return OrganisationKind(kind)
    except ValueError:
        kinds = ", ".join(k.value for k in OrganisationKind)
        raise ValidationError(f"kind must be one of: {kinds}", field="kind") from None


def _office(office: str) -> Office:
    try:
        return Office(office)
    except ValueError:
        offices = ", ".join(o.value for o in Office)
        raise ValidationError(f"office must be one of: {offices}", field="office") from None
