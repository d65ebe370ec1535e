"""Organisations of the Partnership and the bodies around it, with their office holders."""

from __future__ import annotations

import re
from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor, Office, OrganisationKind

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9-]{1,15}$")


def organisation_id(code: str) -> UUID:
    """The stable aggregate id of the organisation with this code."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:organisation:{code}")


class Organisation(LedgerAggregate):
    """A statutory organisation, the STP itself, a regulator or the Health and Wellbeing Board."""

    class Registered(LedgerAggregate.Created):
        """The organisation was entered in the directory."""

        code: str
        name: str
        kind: str

        def apply(self, org: Organisation) -> None:
            org.code, org.name, org.kind = self.code, self.name, OrganisationKind(self.kind)
            org.offices = {}

    class Renamed(LedgerAggregate.Event):
        """The organisation's name changed."""

        name: str
        reason: str

        def apply(self, org: Organisation) -> None:
            org.name = self.name

    class OfficeHolderAppointed(LedgerAggregate.Event):
        """A person took up one of the organisation's offices."""

        office: str
        person_id: str
        previous_person_id: str | None

        def apply(self, org: Organisation) -> None:
            org.offices[self.office] = self.person_id

    class OfficeVacated(LedgerAggregate.Event):
        """An office holder stood down and the office is empty."""

        office: str
        person_id: str

        def apply(self, org: Organisation) -> None:
            org.offices.pop(self.office, None)

    code: str
    name: str
    kind: OrganisationKind
    offices: dict[str, str]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def register(
        cls, code: str, name: str, kind: OrganisationKind, actor: Actor, occurred_on: date
    ) -> Organisation:
        """Enter an organisation in the directory."""
        code = (code or "").strip().upper()
        if not CODE_PATTERN.match(code):
            raise ValidationError(
                "code must be 2-16 capital letters, digits or dashes, starting with a letter",
                field="code",
            )
        name = check_text(name, "name", max_length=200)
        return cls._start(
            cls.Registered,
            actor,
            occurred_on,
            id=organisation_id(code),
            code=code,
            name=name,
            kind=kind.value,
        )

    def rename(self, name: str, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record a change of name."""
        name = check_text(name, "name", max_length=200)
        if name == self.name:
            raise RuleViolationError(f"organisation {self.code} is already called {name!r}")
        self._record(self.Renamed, actor, occurred_on, name=name, reason=check_text(reason, "reason"))

    def appoint(self, office: Office, person_id: str, actor: Actor, occurred_on: date) -> None:
        """Record that a person holds an office from now on."""
        self._check_office(office)
        previous = self.offices.get(office.value)
        if previous == person_id:
            raise RuleViolationError(f"that person already holds {office.value} at {self.code}")
        self._record(
            self.OfficeHolderAppointed,
            actor,
            occurred_on,
            office=office.value,
            person_id=person_id,
            previous_person_id=previous,
        )

    def vacate(self, office: Office, actor: Actor, occurred_on: date) -> None:
        """Record that an office is now empty."""
        holder = self.offices.get(office.value)
        if holder is None:
            raise RuleViolationError(f"{office.value} at {self.code} is already vacant")
        self._record(self.OfficeVacated, actor, occurred_on, office=office.value, person_id=holder)

    def holder(self, office: Office) -> str | None:
        """The person id holding an office, if any."""
        return self.offices.get(office.value)

    def _check_office(self, office: Office) -> None:
        stp_offices = {Office.INDEPENDENT_CHAIR, Office.ACCOUNTABLE_OFFICER}
        if office in stp_offices and self.kind is not OrganisationKind.STP:
            raise ValidationError(f"{office.value} is an office of the STP, not of {self.code}")
        if office in (Office.CHAIR, Office.CHIEF_EXECUTIVE) and not self.kind.is_partner:
            raise ValidationError(f"{self.code} is not a partner organisation with a {office.value}")
