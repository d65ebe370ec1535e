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
            org.office_history = {}
            org.name_version, org.name_on = self.originator_version, self.occurred_on

    class Renamed(LedgerAggregate.Event):
        """The organisation's name changed."""

        name: str
        reason: str

        def apply(self, org: Organisation) -> None:
            org.name = self.name
            org.name_version, org.name_on = self.originator_version, self.occurred_on

    class OfficeHolderAppointed(LedgerAggregate.Event):
        """A person took up one of the organisation's offices."""

        office: str
        person_id: str
        previous_person_id: str | None

        def apply(self, org: Organisation) -> None:
            org.offices[self.office] = self.person_id
            org.office_history.setdefault(self.office, []).append(
                (self.originator_version, self.person_id, self.occurred_on)
            )

    class OfficeVacated(LedgerAggregate.Event):
        """An office holder stood down and the office is empty."""

        office: str
        person_id: str

        def apply(self, org: Organisation) -> None:
            org.offices.pop(self.office, None)
            org.office_history.setdefault(self.office, []).append(
                (self.originator_version, None, self.occurred_on)
            )

    class RegistrationCorrected(LedgerAggregate.Event):
        """The organisation's name or kind was recorded wrongly; these are right, and why.

        ``corrects`` is the version of the event that last set the name (the registration or a
        renaming), ``corrects_occurred_on`` its world date; ``corrected`` names the fields changed.
        """

        corrects: int
        corrected: list[str]
        name: str
        kind: str
        reason: str
        corrects_occurred_on: date

        def apply(self, org: Organisation) -> None:
            org.name, org.kind = self.name, OrganisationKind(self.kind)

    class OfficeRecordCorrected(LedgerAggregate.Event):
        """An office's last change was recorded by mistake; the office is as it was before.

        Base of the two corrections below. ``corrects`` is the version of the appointment or
        vacancy corrected, ``corrects_occurred_on`` its world date; ``restored_person_id`` and
        ``restored_since`` say who held the office before it (None: it was vacant).
        """

        office: str
        person_id: str
        corrects: int
        restored_person_id: str | None
        restored_since: date | None
        reason: str
        corrects_occurred_on: date

        def apply(self, org: Organisation) -> None:
            org.office_history[self.office].pop()
            if self.restored_person_id is None:
                org.offices.pop(self.office, None)
            else:
                org.offices[self.office] = self.restored_person_id

    class AppointmentCorrected(OfficeRecordCorrected):
        """An appointment was recorded by mistake; the office shows its previous holder again."""

    class VacancyCorrected(OfficeRecordCorrected):
        """A vacancy was recorded by mistake (say with a leaving that was): the holder is back."""

    code: str
    name: str
    kind: OrganisationKind
    offices: dict[str, str]
    office_history: dict[str, list[tuple[int, str | None, date]]]
    name_version: int
    name_on: date

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

    def correct_registration(
        self, name: str, kind: OrganisationKind, reason: str, actor: Actor, occurred_on: date
    ) -> None:
        """Put right a wrongly recorded name or kind (a real change of name is a renaming)."""
        name = check_text(name, "name", max_length=200)
        reason = check_text(reason, "reason", max_length=2000)
        changed = [f for f, new, old in (("name", name, self.name), ("kind", kind, self.kind)) if new != old]
        if not changed:
            raise RuleViolationError(f"the correction changes nothing in the record of {self.code}")
        if kind is not self.kind:
            for office in self.offices:
                try:
                    self._check_office(Office(office), kind)
                except ValidationError:
                    raise ValidationError(
                        f"{self.code} has a {office.replace('_', ' ')}, which a {kind.value.replace('_', ' ')} "
                        "cannot have; correct that appointment first",
                        field="kind",
                    ) from None
        self._record(
            self.RegistrationCorrected, actor, occurred_on, corrects=self.name_version,
            corrected=changed, name=name, kind=kind.value, reason=reason,
            corrects_occurred_on=self.name_on,
        )

    def correct_appointment(self, office: Office, reason: str, actor: Actor, occurred_on: date) -> None:
        """Put right an appointment recorded by mistake: the office is as it was before it."""
        history = self.office_history.get(office.value) or []
        if not history or history[-1][1] is None:
            raise RuleViolationError(
                f"{office.value} at {self.code} has no current appointment to correct"
            )
        self._correct_office(self.AppointmentCorrected, office, history, reason, actor, occurred_on)

    def correct_vacancy(self, office: Office, reason: str, actor: Actor, occurred_on: date) -> None:
        """Put right a vacancy recorded by mistake: the last holder holds the office again."""
        history = self.office_history.get(office.value) or []
        if not history or history[-1][1] is not None:
            raise RuleViolationError(f"{office.value} at {self.code} is not vacant; there is no vacancy to correct")
        self._correct_office(self.VacancyCorrected, office, history, reason, actor, occurred_on)

    def last_vacancy(self, office: Office) -> tuple[str | None, date] | None:
        """If the office's last change was a vacancy: whose office it was, and when."""
        history = self.office_history.get(office.value) or []
        if not history or history[-1][1] is not None:
            return None
        before = history[-2][1] if len(history) > 1 else None
        return before, history[-1][2]

    def _correct_office(
        self, event_class: type[OfficeRecordCorrected], office: Office,
        history: list[tuple[int, str | None, date]], reason: str, actor: Actor, occurred_on: date,
    ) -> None:
        version, person_id, on = history[-1]
        before = history[-2] if len(history) > 1 else None
        subject = person_id if person_id is not None else (before[1] if before else None)
        self._record(
            event_class, actor, occurred_on, office=office.value, person_id=subject or "",
            corrects=version, restored_person_id=before[1] if before else None,
            restored_since=before[2] if before and before[1] is not None else None,
            reason=check_text(reason, "reason", max_length=2000), corrects_occurred_on=on,
        )

    def holder(self, office: Office) -> str | None:
        """The person id holding an office, if any."""
        return self.offices.get(office.value)

    def _check_office(self, office: Office, kind: OrganisationKind | None = None) -> None:
        kind = kind or self.kind
        stp_offices = {Office.INDEPENDENT_CHAIR, Office.ACCOUNTABLE_OFFICER}
        if office in stp_offices and kind is not OrganisationKind.STP:
            raise ValidationError(f"{office.value} is an office of the STP, not of {self.code}")
        if office in (Office.CHAIR, Office.CHIEF_EXECUTIVE) and not kind.is_partner:
            raise ValidationError(f"{self.code} is not a partner organisation with a {office.value}")
