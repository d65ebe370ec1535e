"""The Programme Board and the committees and sub-committees that report to it.

One concept serves both the paper's "Membership and conduct of meetings" (bodies whose
cross-organisational meetings open with the representation check and close with the adherence
vote) and its "Publishing and publicising" section (every committee and sub-committee reporting
to the Programme Board is sent the paper and must update its terms of reference to reflect the
PVB): a body is notified once, and each update of its terms of reference is an event.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor

BODY_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,15}$")
BODY_KINDS = ("programme_board", "committee", "sub_committee")
VOTE_MODES = ("by_attendee", "anonymous_tally")


def body_id(code: str) -> UUID:
    """The stable aggregate id of the meeting body with this code."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:meeting-body:{code}")


class MeetingBody(LedgerAggregate):
    """A body whose meetings are cross-organisational and close with the adherence vote."""

    class Established(LedgerAggregate.Created):
        """The body was entered in the ledger."""

        code: str
        name: str
        kind: str
        reports_to: str | None
        vote_mode: str

        def apply(self, body: MeetingBody) -> None:
            body.code, body.name, body.kind = self.code, self.name, self.kind
            body.reports_to, body.vote_mode = self.reports_to, self.vote_mode
            body.terms_updated_on = None
            body.terms_reference = None
            body.terms_framework_version = None
            body.notified_on = None
            body.established_on = self.occurred_on
            body.members = {}

    class Notified(LedgerAggregate.Event):
        """The body was sent the paper, and asked to update its terms of reference to reflect the PVB."""

        note: str

        def apply(self, body: MeetingBody) -> None:
            body.notified_on = self.occurred_on

    class TermsOfReferenceUpdated(LedgerAggregate.Event):
        """The body updated its terms of reference to reflect the PVB, as the paper requires."""

        reference: str
        summary: str
        framework_version: int

        def apply(self, body: MeetingBody) -> None:
            body.terms_updated_on = self.occurred_on
            body.terms_reference = self.reference
            body.terms_framework_version = self.framework_version

    class VoteModeChanged(LedgerAggregate.Event):
        """The body chose to vote by attendee or to record an anonymous tally by organisation."""

        vote_mode: str
        reason: str

        def apply(self, body: MeetingBody) -> None:
            body.vote_mode = self.vote_mode

    class MemberAppointed(LedgerAggregate.Event):
        """Someone became a member of the body, from an organisation (the Programme Board's members, say)."""

        body: str
        person_id: str
        organisation: str

        def apply(self, body: MeetingBody) -> None:
            body.members[self.person_id] = {
                "organisation": self.organisation, "since": self.occurred_on, "appointed_by": self.originator_version,
            }

    class MemberStoodDown(LedgerAggregate.Event):
        """A member stood down from the body (or was stood down); the membership ends on that day."""

        body: str
        person_id: str
        organisation: str
        reason: str

        def apply(self, body: MeetingBody) -> None:
            body.members.pop(self.person_id, None)

    class MemberAppointmentCorrected(LedgerAggregate.Event):
        """An appointment was recorded wrongly: it began on another day, or (since None) never happened."""

        body: str
        person_id: str
        corrects: int  # the version of the MemberAppointed event put right
        since: date | None
        reason: str

        def apply(self, body: MeetingBody) -> None:
            if self.since is None:
                body.members.pop(self.person_id, None)
            else:
                body.members[self.person_id]["since"] = self.since

    class SecretaryAppointed(LedgerAggregate.Event):
        """Someone became the body's secretary: they record its meetings and correct its votes."""

        body: str
        person_id: str

        def apply(self, body: MeetingBody) -> None:
            body.secretary_id = self.person_id

    class SecretaryStoodDown(LedgerAggregate.Event):
        """The body's secretary stood down; until another is appointed, only the governance lead records."""

        body: str
        person_id: str
        reason: str

        def apply(self, body: MeetingBody) -> None:
            body.secretary_id = None

    code: str
    name: str
    kind: str
    reports_to: str | None
    vote_mode: str
    terms_updated_on: date | None
    terms_reference: str | None
    terms_framework_version: int | None
    notified_on: date | None
    established_on: date
    members: dict[str, dict[str, Any]]  # person id -> organisation, since, appointed_by (event version)
    secretary_id: str | None  # bodies set up before issue 31 have none until one is appointed

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def establish(
        cls,
        *,
        code: str,
        name: str,
        kind: str,
        reports_to: str | None,
        vote_mode: str,
        actor: Actor,
        occurred_on: date,
    ) -> MeetingBody:
        """Enter a body; every body but the Programme Board reports to another body."""
        code = (code or "").strip().upper()
        if not BODY_CODE.match(code):
            raise ValidationError(
                "code must be 2-16 capital letters, digits or dashes, starting with a letter",
                field="code",
            )
        if kind not in BODY_KINDS:
            raise ValidationError(f"kind must be one of: {', '.join(BODY_KINDS)}", field="kind")
        check_vote_mode(vote_mode)
        if kind == "programme_board" and reports_to:
            raise ValidationError("the Programme Board reports to no other body", field="reports_to")
        if kind != "programme_board" and not reports_to:
            raise ValidationError(
                f"a {kind.replace('_', '-')} must report to a body (the Programme Board or a committee)",
                field="reports_to",
            )
        return cls._start(
            cls.Established,
            actor,
            occurred_on,
            id=body_id(code),
            code=code,
            name=check_text(name, "name", max_length=200),
            kind=kind,
            reports_to=reports_to.strip().upper() if reports_to else None,
            vote_mode=vote_mode,
        )

    def notify(self, note: str, actor: Actor, occurred_on: date) -> None:
        """Record that the body was sent the paper; the Programme Board itself agreed it, so is not notified."""
        if self.kind == "programme_board":
            raise RuleViolationError(
                "the Programme Board agreed the framework itself; the paper goes to the committees reporting to it"
            )
        if self.notified_on is not None:
            raise RuleViolationError(f"{self.name} was already sent the paper on {self.notified_on}")
        self._record(self.Notified, actor, occurred_on, note=check_text(note, "note", required=False))

    def update_terms_of_reference(
        self, reference: str, summary: str, framework_version: int, actor: Actor, occurred_on: date
    ) -> None:
        """Record that the terms of reference now reflect the PVB (once per version of the framework)."""
        if self.notified_on is not None and occurred_on < self.notified_on:
            raise ValidationError(
                f"the update cannot come before {self.name} was sent the paper on {self.notified_on}",
                field="occurred_on",
            )
        if self.terms_framework_version == framework_version:
            raise RuleViolationError(
                f"{self.name} already updated its terms of reference on {self.terms_updated_on} to reflect "
                f"version {framework_version} of the framework"
            )
        self._record(
            self.TermsOfReferenceUpdated,
            actor,
            occurred_on,
            reference=check_text(reference, "reference", max_length=300),
            summary=check_text(summary, "summary", max_length=4000),
            framework_version=framework_version,
        )

    def change_vote_mode(self, vote_mode: str, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record the body's choice of how its closing vote is taken."""
        check_vote_mode(vote_mode)
        if vote_mode == self.vote_mode:
            raise RuleViolationError(f"body {self.code} already votes {vote_mode.replace('_', ' ')}")
        self._record(
            self.VoteModeChanged, actor, occurred_on, vote_mode=vote_mode, reason=check_text(reason, "reason")
        )

    def appoint_member(self, person_id: str, organisation: str, actor: Actor, occurred_on: date) -> None:
        """Record someone becoming a member of the body, from an organisation; members come from any organisation."""
        person_id = check_text(person_id, "person_id", max_length=100)
        organisation = check_text(organisation, "organisation", max_length=16).upper()
        current = self.members.get(person_id)
        if current is not None:
            raise RuleViolationError(
                f"person {person_id} is already a member of {self.name} (since {current['since']})"
            )
        if occurred_on < self.established_on:
            raise ValidationError(
                f"the appointment cannot come before {self.name} was established on {self.established_on}",
                field="occurred_on",
            )
        self._record(
            self.MemberAppointed, actor, occurred_on, body=self.code, person_id=person_id, organisation=organisation
        )

    def stand_down_member(self, person_id: str, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record a member standing down; the membership ends, and stays in the history."""
        member = self._member(person_id)
        if occurred_on < member["since"]:
            raise ValidationError(
                f"person {person_id} cannot stand down before being appointed on {member['since']}",
                field="occurred_on",
            )
        self._record(
            self.MemberStoodDown, actor, occurred_on, body=self.code, person_id=person_id,
            organisation=member["organisation"], reason=check_text(reason, "reason", max_length=1000),
        )

    def correct_member_appointment(
        self, person_id: str, since: date | None, reason: str, actor: Actor, occurred_on: date
    ) -> None:
        """Put right an appointment recorded wrongly: a different start day, or (since None) never appointed."""
        member = self._member(person_id)
        if since is not None and since == member["since"]:
            raise RuleViolationError("the correction changes nothing that was recorded")
        if since is not None and since < self.established_on:
            raise ValidationError(
                f"the appointment cannot come before {self.name} was established on {self.established_on}",
                field="since",
            )
        self._record(
            self.MemberAppointmentCorrected, actor, occurred_on, body=self.code, person_id=person_id,
            corrects=member["appointed_by"], since=since, reason=check_text(reason, "reason", max_length=1000),
        )

    @property
    def secretary(self) -> str | None:
        """The person id of the body's secretary, if it has one."""
        return self.__dict__.get("secretary_id")

    def appoint_secretary(self, person_id: str, actor: Actor, occurred_on: date) -> None:
        """Record someone becoming the body's secretary (in place of any before them)."""
        person_id = check_text(person_id, "person_id", max_length=100)
        if person_id == self.secretary:
            raise RuleViolationError(f"person {person_id} is already the secretary of {self.name}")
        self._record(self.SecretaryAppointed, actor, occurred_on, body=self.code, person_id=person_id)

    def stand_down_secretary(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record the secretary standing down."""
        if self.secretary is None:
            raise RuleViolationError(f"{self.name} has no secretary")
        self._record(self.SecretaryStoodDown, actor, occurred_on, body=self.code, person_id=self.secretary,
                     reason=check_text(reason, "reason", max_length=1000))

    def _member(self, person_id: str) -> dict[str, Any]:
        member = self.members.get(person_id)
        if member is None:
            raise RuleViolationError(f"person {person_id} is not a member of {self.name}")
        return member


def check_vote_mode(vote_mode: str) -> None:
    """Refuse an unknown way of taking the closing vote."""
    if vote_mode not in VOTE_MODES:
        raise ValidationError(f"vote_mode must be one of: {', '.join(VOTE_MODES)}", field="vote_mode")
