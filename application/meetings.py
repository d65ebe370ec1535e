"""Commands and questions about meeting bodies, meetings, their opening checks and closing votes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from application.base import Commands
from application.meeting_details import (
    AttendeeDetails,
    BodyDetails,
    MeetingDetails,
    TimelineEntry,
    VoteDetails,
    VoteInput,
)
from application.timelines import summary
from domain.errors import NotAllowedError, NotFoundError, RuleViolationError, ValidationError
from domain.meeting import Meeting
from domain.meeting_body import MeetingBody, body_id
from domain.organisation import organisation_id
from domain.period import Quarter
from domain.values import Actor, Role

if TYPE_CHECKING:
    from application.details import PersonDetails


class MeetingCommands(Commands):
    """Set up bodies; record meetings, the opening check, the closing vote and its corrections."""

    events: Any

    if TYPE_CHECKING:

        def get_person(self, person_id: str) -> PersonDetails: ...
        def check_citations(self, item_ids: list[str]) -> tuple[int, list[str]]: ...
        def check_each_citation(self, cited: list[list[str]]) -> list[tuple[int, list[str]]]: ...

    def establish_body(
        self, actor: Actor, *, code: str, name: str, kind: str, reports_to: str | None = None,
        vote_mode: str = "by_attendee", occurred_on: date | None = None,
    ) -> str:
        """Set up the Programme Board or a committee or sub-committee reporting to a body; returns its code."""
        self._authorise(actor, "meetings.manage")
        if reports_to:
            self._body(reports_to)
        body = MeetingBody.establish(
            code=code, name=name, kind=kind, reports_to=reports_to, vote_mode=vote_mode,
            actor=actor, occurred_on=self._occurred(occurred_on),
        )
        if self._exists(body.id):
            raise RuleViolationError(f"meeting body {body.code} already exists")
        self.save(body)
        return body.code

    def update_terms_of_reference(
        self, actor: Actor, code: str, *, reference: str, summary: str, occurred_on: date | None = None
    ) -> None:
        """Record that a body's terms of reference were updated to reflect the PVB."""
        self._authorise(actor, "meetings.manage")
        body = self._body(code)
        version, _ = self.check_citations([])
        body.update_terms_of_reference(reference, summary, version, actor, self._occurred(occurred_on))
        self.save(body)

    def change_vote_mode(
        self, actor: Actor, code: str, *, vote_mode: str, reason: str, occurred_on: date | None = None
    ) -> None:
        """Record a body's choice between votes by attendee and an anonymous tally by organisation."""
        self._authorise(actor, "meetings.manage")
        body = self._body(code)
        body.change_vote_mode(vote_mode, reason, actor, self._occurred(occurred_on))
        self.save(body)

    def appoint_body_member(
        self, actor: Actor, code: str, *, person_id: str, organisation: str | None = None,
        occurred_on: date | None = None,
    ) -> None:
        """Record a person becoming a member of a body (the Programme Board's members), from an organisation.

        The person must be in the directory, current and not erased; the organisation defaults to theirs.
        """
        self._authorise(actor, "directory.manage")
        body = self._body(code)
        when = self._occurred(occurred_on)
        person = self._member_candidate(person_id)
        org = (organisation or "").strip().upper() or person.organisation
        if org != person.organisation and not self._exists(organisation_id(org)):
            raise ValidationError(f"organisation {org} is not in the directory", field="organisation")
        body.appoint_member(person.id, org, actor, when)
        self.save(body)

    def stand_down_body_member(
        self, actor: Actor, code: str, *, person_id: str, reason: str, occurred_on: date | None = None
    ) -> None:
        """Record a member of a body standing down (a person who left the directory may still be stood down)."""
        self._authorise(actor, "directory.manage")
        body = self._body(code)
        body.stand_down_member(str(person_id), reason, actor, self._occurred(occurred_on))
        self.save(body)

    def correct_body_member_appointment(
        self, actor: Actor, code: str, *, person_id: str, reason: str, since: date | None = None,
        occurred_on: date | None = None,
    ) -> None:
        """Put right an appointment recorded wrongly: another start day, or (no since) never appointed at all."""
        self._authorise(actor, "directory.manage")
        body = self._body(code)
        corrected = None if since is None else self._occurred(since)
        body.correct_member_appointment(str(person_id), corrected, reason, actor, self._occurred(occurred_on))
        self.save(body)

    def appoint_body_secretary(self, actor: Actor, code: str, *, person_id: str, occurred_on: date | None = None) -> None:
        """Make someone the body's secretary: they record its meetings and correct its votes."""
        self._authorise(actor, "meetings.manage")
        body = self._body(code)
        person = self._member_candidate(person_id)
        body.appoint_secretary(person.id, actor, self._occurred(occurred_on))
        self.save(body)

    def stand_down_body_secretary(self, actor: Actor, code: str, *, reason: str, occurred_on: date | None = None) -> None:
        """Record that the body's secretary stood down."""
        self._authorise(actor, "meetings.manage")
        body = self._body(code)
        body.stand_down_secretary(reason, actor, self._occurred(occurred_on))
        self.save(body)

    def body_members(self, code: str) -> dict[str, dict[str, Any]]:
        """A body's members now: person id -> organisation and since."""
        return {pid: {"organisation": m["organisation"], "since": m["since"]} for pid, m in self._body(code, read_only=True).members.items()}

    def record_meeting(
        self, actor: Actor, *, body: str, title: str, chair_person_id: str, attendee_ids: Iterable[str],
        held_on: date | None = None,
    ) -> str:
        """Record a cross-organisational meeting held, its chair and attendees; returns its id."""
        self._authorise(actor, "meetings.record")
        the_body = self._body(body, read_only=True)
        self._check_recorder(actor, the_body)
        when = self._occurred(held_on)
        chair = self._attendee(chair_person_id, when, "chair_person_id")
        attendees = [self._attendee(pid, when, "attendees") for pid in dict.fromkeys(attendee_ids)]
        meeting = Meeting.record(
            id=uuid4(), body=the_body.code, title=title, chair=chair, attendees=attendees,
            vote_mode=the_body.vote_mode, actor=actor, held_on=when,
        )
        self.save(meeting)
        return str(meeting.id)

    def record_minutes(
        self, actor: Actor, *, body: str, title: str, chair_person_id: str, attendee_ids: Iterable[str],
        held_on: date, opening_check: dict[str, Any] | None = None, corrective_steps: Iterable[dict[str, Any]] = (),
        votes: Iterable[VoteInput] = (), tallies: dict[str, tuple[int, int, int]] | None = None, close: bool = False,
    ) -> str:
        """Record a meeting from its minutes in one write (all or nothing): attendance, opening item, votes, close."""
        self._authorise(actor, "meetings.record")
        the_body = self._body(body, read_only=True)
        self._check_recorder(actor, the_body)
        when = self._occurred(held_on)
        chair = self._attendee(chair_person_id, when, "chair_person_id")
        attendees = [self._attendee(pid, when, "attendees") for pid in dict.fromkeys(attendee_ids)]
        meeting = Meeting.record(
            id=uuid4(), body=the_body.code, title=title, chair=chair, attendees=attendees,
            vote_mode=the_body.vote_mode, actor=actor, held_on=when,
        )
        if opening_check is not None:
            meeting.check_representation(
                all_views_represented=bool(opening_check.get("all_views_represented")),
                missing_views=list(opening_check.get("missing_views") or ()),
                speaking_up_expected=bool(opening_check.get("speaking_up_expected", True)), actor=actor, occurred_on=when,
            )
        for step in corrective_steps:
            meeting.agree_corrective_step(
                step=step["step"], missing_view=step.get("missing_view"),
                owner_organisation=step.get("owner_organisation"), actor=actor, occurred_on=when,
            )
        votes = list(votes)
        citations = self.check_each_citation([list(vote.catalogue_items) for vote in votes])
        for vote, (version, items) in zip(votes, citations, strict=True):
            meeting.cast_vote(
                person_id=vote.person_id, verdict=vote.verdict, catalogue_items=items, framework_version=version,
                comment=vote.comment, actor=actor, occurred_on=when,
            )
        for organisation, counts in sorted((tallies or {}).items()):
            meeting.record_tally(organisation=organisation, counts=counts, actor=actor, occurred_on=when)
        if close:
            meeting.close_voting(actor, when)
        self.save(meeting)
        return str(meeting.id)

    def record_opening_check(
        self, actor: Actor, meeting_id: str, *, all_views_represented: bool, missing_views: Iterable[str] = (),
        speaking_up_expected: bool = True, occurred_on: date | None = None,
    ) -> None:
        """Record the opening item: whether all necessary views are represented, and which are missing."""
        self._authorise(actor, "meetings.record")
        meeting = self._meeting(meeting_id)
        self._check_recorder(actor, meeting)
        meeting.check_representation(
            all_views_represented=all_views_represented, missing_views=list(missing_views),
            speaking_up_expected=speaking_up_expected, actor=actor, occurred_on=self._on(meeting, occurred_on),
        )
        self.save(meeting)

    def agree_corrective_step(
        self, actor: Actor, meeting_id: str, *, step: str, missing_view: str | None = None,
        owner_organisation: str | None = None, occurred_on: date | None = None,
    ) -> None:
        """Record a corrective step agreed at the opening item."""
        self._authorise(actor, "meetings.record")
        meeting = self._meeting(meeting_id)
        self._check_recorder(actor, meeting)
        owner = (owner_organisation or "").strip().upper() or None
        if owner and not self._exists(organisation_id(owner)):
            raise NotFoundError(f"organisation {owner} not found")
        meeting.agree_corrective_step(
            step=step, missing_view=missing_view, owner_organisation=owner, actor=actor,
            occurred_on=self._on(meeting, occurred_on),
        )
        self.save(meeting)

    def record_vote(
        self, actor: Actor, meeting_id: str, *, person_id: str, verdict: str,
        catalogue_items: Iterable[str] = (), comment: str | None = None, occurred_on: date | None = None,
    ) -> None:
        """Record one attendee's closing vote (attendees may record their own)."""
        vote = VoteInput(person_id, verdict, tuple(catalogue_items), comment)
        self.record_votes(actor, meeting_id, [vote], occurred_on=occurred_on)

    def record_votes(
        self, actor: Actor, meeting_id: str, votes: list[VoteInput], occurred_on: date | None = None
    ) -> None:
        """Record several attendees' closing votes in one write: all are recorded or none."""
        self._authorise(actor, "meetings.vote")
        meeting = self._meeting(meeting_id)
        when = self._on(meeting, occurred_on)
        for vote in votes:
            self._check_voter(actor, meeting, vote.person_id)
            version, items = self.check_citations(list(vote.catalogue_items))
            meeting.cast_vote(
                person_id=vote.person_id, verdict=vote.verdict, catalogue_items=items,
                framework_version=version, comment=vote.comment, actor=actor, occurred_on=when,
            )
        self.save(meeting)

    def correct_vote(
        self, actor: Actor, meeting_id: str, *, person_id: str, verdict: str, reason: str,
        catalogue_items: Iterable[str] = (), comment: str | None = None, occurred_on: date | None = None,
    ) -> None:
        """Correct a recorded vote, saying why (the voter, or the body's secretary); the original stays."""
        self._authorise(actor, "meetings.vote")
        meeting = self._meeting(meeting_id)
        if actor.person_id != person_id and not self._is_secretary(actor, meeting.body):
            raise NotAllowedError(
                f"only the voter or the secretary of {meeting.body} may correct a vote, with a reason"
            )
        version, items = self.check_citations(list(catalogue_items))
        meeting.correct_vote(
            person_id=person_id, verdict=verdict, catalogue_items=items, framework_version=version,
            comment=comment, reason=reason, actor=actor, occurred_on=self._occurred(occurred_on),
        )
        self.save(meeting)

    def record_tally(
        self, actor: Actor, meeting_id: str, *, organisation: str, adhered: int, partly_adhered: int,
        not_adhered: int, occurred_on: date | None = None,
    ) -> None:
        """Record an organisation's anonymous tally at the closing item."""
        self._authorise(actor, "meetings.record")
        meeting = self._meeting(meeting_id)
        self._check_recorder(actor, meeting)
        meeting.record_tally(
            organisation=organisation.strip().upper(), counts=(adhered, partly_adhered, not_adhered),
            actor=actor, occurred_on=self._on(meeting, occurred_on),
        )
        self.save(meeting)

    def correct_tally(
        self, actor: Actor, meeting_id: str, *, organisation: str, adhered: int, partly_adhered: int,
        not_adhered: int, reason: str, occurred_on: date | None = None,
    ) -> None:
        """Correct an organisation's anonymous tally, saying why."""
        self._authorise(actor, "meetings.record")
        meeting = self._meeting(meeting_id)
        self._check_recorder(actor, meeting)
        meeting.correct_tally(
            organisation=organisation.strip().upper(), counts=(adhered, partly_adhered, not_adhered),
            reason=reason, actor=actor, occurred_on=self._occurred(occurred_on),
        )
        self.save(meeting)

    def close_voting(self, actor: Actor, meeting_id: str, occurred_on: date | None = None) -> None:
        """Close the meeting's vote; attendees who did not vote are recorded as not voting."""
        self._authorise(actor, "meetings.record")
        meeting = self._meeting(meeting_id)
        self._check_recorder(actor, meeting)
        meeting.close_voting(actor, self._on(meeting, occurred_on))
        self.save(meeting)

    def get_body(self, code: str) -> BodyDetails:
        """A meeting body."""
        b = self._body(code, read_only=True)
        return BodyDetails(b.code, b.name, b.kind, b.reports_to, b.vote_mode, b.terms_updated_on, b.terms_reference,
                           b.notified_on)

    def get_meeting(self, meeting_id: str) -> MeetingDetails:
        """A meeting as it now stands, comments included (shown as [erased] once erased)."""
        m = self._meeting(meeting_id)
        votes = tuple(
            VoteDetails(
                pid, v["organisation"], v["verdict"], tuple(v["items"]),
                None if v["comment"] is None else str(v["comment"]), v["corrections"], v["on"],
            )
            for pid, v in m.votes.items()
        )
        return MeetingDetails(
            id=str(m.id), body=m.body, title=m.title, held_on=m.held_on, quarter=Quarter.of(m.held_on).key,
            chair_person_id=m.chair_person_id, vote_mode=m.vote_mode,
            attendees=tuple(AttendeeDetails(p, o) for p, o in m.attendees.items()),
            opening_check=None if m.opening_check is None else dict(m.opening_check),
            corrective_steps=tuple(dict(s) for s in m.corrective_steps), votes=votes,
            tallies=dict(m.tallies), closed_on=m.closed_on,
        )

    def meeting_timeline(self, meeting_id: str) -> list[TimelineEntry]:
        """Every event of a meeting, oldest first: what, who, in what role, happened and recorded when."""
        meeting = self._meeting(meeting_id)
        return [
            TimelineEntry(
                e.originator_version, type(e).__name__, e.occurred_on, e.timestamp, e.actor_id, e.actor_role,
                summary(e),
            )
            for e in self.events.get(meeting.id)
        ]

    def _attendee(self, person_id: str, held_on: date, field: str) -> tuple[str, str]:
        try:
            person = self.get_person(str(person_id))
        except NotFoundError:
            raise ValidationError(f"person {person_id} is not in the directory", field=field) from None
        if person.left_on is not None and person.left_on < held_on:
            raise ValidationError(f"person {person_id} left on {person.left_on} and cannot attend", field=field)
        return person.id, person.organisation

    def _member_candidate(self, person_id: str) -> PersonDetails:
        try:
            person = self.get_person(str(person_id))
        except NotFoundError:
            raise ValidationError(f"person {person_id} is not in the directory", field="person_id") from None
        if person.erased:
            raise RuleViolationError(f"person {person_id} is erased and cannot be appointed")
        if person.left_on is not None:
            raise RuleViolationError(f"person {person_id} left on {person.left_on} and cannot be appointed")
        return person

    def _check_voter(self, actor: Actor, meeting: Meeting, person_id: str) -> None:
        if actor.person_id and actor.person_id == person_id:
            return
        if actor.role is Role.GOVERNANCE_LEAD or self._is_secretary(actor, meeting.body):
            return
        raise NotAllowedError(
            f"you may record only your own vote; the secretary of {meeting.body} or the governance lead "
            f"records the others"
        )

    def may_record_meeting(self, actor: Actor, body: str) -> bool:
        """True if the actor records the body's meetings (its secretary, or the governance lead)."""
        try:
            self._check_recorder(actor, self._body(body, read_only=True))
        except (NotAllowedError, NotFoundError):
            return False
        return True

    def _check_recorder(self, actor: Actor, of: MeetingBody | Meeting) -> None:
        """A meeting is recorded only by its body's secretary or the governance lead."""
        code = of.code if isinstance(of, MeetingBody) else of.body
        if actor.role is Role.GOVERNANCE_LEAD or self._is_secretary(actor, code):
            return
        raise NotAllowedError(f"only the secretary of {code} or the governance lead may record its meetings")

    def _is_secretary(self, actor: Actor, code: str) -> bool:
        if not actor.person_id:
            return False
        return self._body(code, read_only=True).secretary == actor.person_id

    def _on(self, meeting: Meeting, occurred_on: date | None) -> date:
        """Items of the meeting happen on the day it was held unless a date is given."""
        return meeting.held_on if occurred_on is None else self._occurred(occurred_on)

    def _body(self, code: str, *, read_only: bool = False) -> MeetingBody:
        code = (code or "").strip().upper()
        if not code:
            raise ValidationError("meeting body code is required", field="body")
        return self._load(MeetingBody, body_id(code), f"meeting body {code}", read_only=read_only)

    def _meeting(self, meeting_id: str) -> Meeting:
        try:
            mid = UUID(str(meeting_id))
        except ValueError:
            raise NotFoundError(f"meeting {meeting_id} not found") from None
        return self._load(Meeting, mid, f"meeting {meeting_id}")

