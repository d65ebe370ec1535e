"""A cross-organisational meeting: its opening check on representation and its closing vote."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.meeting_votes import check_tally, check_verdict, vote_comment
from domain.values import Actor, Personal

MAX_ATTENDEES = 200


class Meeting(LedgerAggregate):
    """A meeting of a body, with attendees by organisation; it closes with the adherence vote."""

    class Recorded(LedgerAggregate.Created):
        """The meeting was held (occurred_on) with these attendees and this chair."""

        body: str
        title: str
        chair_person_id: str
        chair_organisation: str
        attendees: list[dict[str, str]]
        vote_mode: str

        def apply(self, meeting: Meeting) -> None:
            meeting.body, meeting.title, meeting.held_on = self.body, self.title, self.occurred_on
            meeting.chair_person_id = self.chair_person_id
            meeting.attendees = {a["person_id"]: a["organisation"] for a in self.attendees}
            meeting.vote_mode = self.vote_mode
            meeting.opening_check = None
            meeting.corrective_steps = []
            meeting.votes, meeting.tallies = {}, {}
            meeting.closed_on = None

    class RepresentationChecked(LedgerAggregate.Event):
        """Opening item: were all necessary views represented, and which were missing."""

        all_views_represented: bool
        missing_views: list[str]
        speaking_up_expected: bool

        def apply(self, meeting: Meeting) -> None:
            meeting.opening_check = {
                "all": self.all_views_represented, "missing": list(self.missing_views),
                "speaking_up_expected": self.speaking_up_expected, "on": self.occurred_on,
            }

    class CorrectiveStepAgreed(LedgerAggregate.Event):
        """Opening item: a step agreed to bring a missing view into the body's meetings."""

        step: str
        missing_view: str | None
        owner_organisation: str | None

        def apply(self, meeting: Meeting) -> None:
            meeting.corrective_steps.append(
                {"step": self.step, "missing_view": self.missing_view, "owner": self.owner_organisation,
                 "on": self.occurred_on}
            )

    class VoteCast(LedgerAggregate.Event):
        """Closing item: an attendee's view of whether the PVB were adhered to."""

        person_id: str
        organisation: str
        verdict: str
        catalogue_items: list[str]
        framework_version: int
        comment: Personal | None

        def apply(self, meeting: Meeting) -> None:
            meeting.votes[self.person_id] = {
                "verdict": self.verdict, "items": list(self.catalogue_items), "comment": self.comment,
                "organisation": self.organisation, "corrections": 0, "on": self.occurred_on,
            }

    class VoteCorrected(LedgerAggregate.Event):
        """A vote recorded wrongly, put right; the original stays in the log."""

        person_id: str
        organisation: str
        verdict: str
        catalogue_items: list[str]
        framework_version: int
        comment: Personal | None
        corrects_verdict: str
        reason: str

        def apply(self, meeting: Meeting) -> None:
            vote = meeting.votes[self.person_id]
            vote.update(verdict=self.verdict, items=list(self.catalogue_items), comment=self.comment)
            vote["corrections"] += 1

    class TallyRecorded(LedgerAggregate.Event):
        """Closing item, anonymously: how one organisation's attendees voted, as counts."""

        organisation: str
        adhered: int
        partly_adhered: int
        not_adhered: int

        def apply(self, meeting: Meeting) -> None:
            meeting.tallies[self.organisation] = (self.adhered, self.partly_adhered, self.not_adhered)

    class TallyCorrected(LedgerAggregate.Event):
        """A tally recorded wrongly, put right; the original stays in the log."""

        organisation: str
        adhered: int
        partly_adhered: int
        not_adhered: int
        corrects: list[int]
        reason: str

        def apply(self, meeting: Meeting) -> None:
            meeting.tallies[self.organisation] = (self.adhered, self.partly_adhered, self.not_adhered)

    class VotingClosed(LedgerAggregate.Event):
        """The closing vote ended; attendees who had not voted are named as not voting."""

        not_voting: list[str]

        def apply(self, meeting: Meeting) -> None:
            meeting.closed_on = self.occurred_on

    body: str
    title: str
    held_on: date
    chair_person_id: str
    attendees: dict[str, str]
    vote_mode: str
    opening_check: dict[str, Any] | None
    corrective_steps: list[dict[str, Any]]
    votes: dict[str, dict[str, Any]]
    tallies: dict[str, tuple[int, int, int]]
    closed_on: date | None

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def record(
        cls,
        *,
        id: UUID,  # noqa: A002
        body: str,
        title: str,
        chair: tuple[str, str],
        attendees: list[tuple[str, str]],
        vote_mode: str,
        actor: Actor,
        held_on: date,
    ) -> Meeting:
        """Record a meeting held; chair and attendees are (person id, organisation) pairs."""
        people: dict[str, str] = {}
        for person_id, organisation in [chair, *attendees]:
            if people.get(person_id, organisation) != organisation:
                raise ValidationError(f"attendee {person_id} is listed for two organisations", field="attendees")
            people[person_id] = organisation
        if len(people) > MAX_ATTENDEES:
            raise ValidationError(f"a meeting has at most {MAX_ATTENDEES} attendees", field="attendees")
        organisations = sorted(set(people.values()))
        if len(organisations) < 2:
            raise ValidationError(
                "a cross-organisational meeting needs attendees from at least two organisations; "
                f"only {', '.join(organisations)} attended",
                field="attendees",
            )
        return cls._start(
            cls.Recorded,
            actor,
            held_on,
            id=id,
            body=body,
            title=check_text(title, "title", max_length=200),
            chair_person_id=chair[0],
            chair_organisation=chair[1],
            attendees=[{"person_id": p, "organisation": o} for p, o in people.items()],
            vote_mode=vote_mode,
        )

    def check_representation(
        self, *, all_views_represented: bool, missing_views: list[str], speaking_up_expected: bool,
        actor: Actor, occurred_on: date,
    ) -> None:
        """Record the opening item: whether all necessary views are represented."""
        if self.opening_check is not None:
            raise RuleViolationError(f"the opening check of {self.title} is already recorded")
        self._check_on_or_after_meeting(occurred_on)
        missing = [check_text(v, "missing_views", max_length=200) for v in missing_views if (v or "").strip()]
        if all_views_represented and missing:
            raise ValidationError(
                "missing views were named, yet all views are said to be represented", field="missing_views"
            )
        if not all_views_represented and not missing:
            raise ValidationError("name the views that were missing", field="missing_views")
        self._record(
            self.RepresentationChecked, actor, occurred_on, all_views_represented=all_views_represented,
            missing_views=list(dict.fromkeys(missing)), speaking_up_expected=speaking_up_expected,
        )

    def agree_corrective_step(
        self, *, step: str, missing_view: str | None, owner_organisation: str | None,
        actor: Actor, occurred_on: date,
    ) -> None:
        """Record a corrective step agreed at the opening item."""
        if self.opening_check is None:
            raise RuleViolationError("record the opening check before the corrective steps it led to")
        if self.opening_check["all"]:
            raise RuleViolationError(
                f"the opening check of {self.title} found all views represented; there is nothing to correct"
            )
        if missing_view and missing_view not in self.opening_check["missing"]:
            missing = "; ".join(self.opening_check["missing"])
            raise ValidationError(f"{missing_view!r} is not one of the missing views: {missing}", field="missing_view")
        self._check_on_or_after_meeting(occurred_on)
        self._record(
            self.CorrectiveStepAgreed, actor, occurred_on, step=check_text(step, "step", max_length=2000),
            missing_view=missing_view or None, owner_organisation=owner_organisation or None,
        )

    def cast_vote(
        self, *, person_id: str, verdict: str, catalogue_items: list[str], framework_version: int,
        comment: str | None, actor: Actor, occurred_on: date,
    ) -> None:
        """Record one attendee's vote at the closing item."""
        self._check_open("vote", "by_attendee")
        organisation = self._attendee(person_id)
        if person_id in self.votes:
            raise RuleViolationError(
                f"attendee {person_id} has already voted at {self.title}; record a correction instead"
            )
        self._check_on_or_after_meeting(occurred_on)
        self._record(
            self.VoteCast, actor, occurred_on, person_id=person_id, organisation=organisation,
            verdict=check_verdict(verdict), catalogue_items=list(catalogue_items),
            framework_version=framework_version, comment=vote_comment(person_id, comment),
        )

    def correct_vote(
        self, *, person_id: str, verdict: str, catalogue_items: list[str], framework_version: int,
        comment: str | None, reason: str, actor: Actor, occurred_on: date,
    ) -> None:
        """Correct a recorded vote, saying why; the vote as first recorded stays in the log."""
        organisation = self._attendee(person_id)
        current = self.votes.get(person_id)
        if current is None:
            raise RuleViolationError(f"attendee {person_id} has no vote at {self.title} to correct")
        if (verdict, list(catalogue_items)) == (current["verdict"], current["items"]) and not comment:
            raise ValidationError("the correction changes nothing: give another verdict, items or a comment")
        self._check_on_or_after_meeting(occurred_on)
        self._record(
            self.VoteCorrected, actor, occurred_on, person_id=person_id, organisation=organisation,
            verdict=check_verdict(verdict), catalogue_items=list(catalogue_items),
            framework_version=framework_version, comment=vote_comment(person_id, comment),
            corrects_verdict=current["verdict"], reason=check_text(reason, "reason", max_length=2000),
        )

    def record_tally(self, *, organisation: str, counts: tuple[int, int, int], actor: Actor, occurred_on: date) -> None:
        """Record how one organisation's attendees voted, anonymously, as counts."""
        self._check_open("record a tally", "anonymous_tally")
        if organisation in self.tallies:
            raise RuleViolationError(
                f"the tally for {organisation} at {self.title} is already recorded; record a correction instead"
            )
        self._check_tally(organisation, counts)
        self._check_on_or_after_meeting(occurred_on)
        adhered, partly, not_adhered = counts
        self._record(
            self.TallyRecorded, actor, occurred_on, organisation=organisation,
            adhered=adhered, partly_adhered=partly, not_adhered=not_adhered,
        )

    def correct_tally(
        self, *, organisation: str, counts: tuple[int, int, int], reason: str, actor: Actor, occurred_on: date
    ) -> None:
        """Correct an organisation's tally, saying why."""
        if organisation not in self.tallies:
            raise RuleViolationError(f"there is no tally for {organisation} at {self.title} to correct")
        self._check_tally(organisation, counts)
        self._check_on_or_after_meeting(occurred_on)
        adhered, partly, not_adhered = counts
        self._record(
            self.TallyCorrected, actor, occurred_on, organisation=organisation, adhered=adhered,
            partly_adhered=partly, not_adhered=not_adhered, corrects=list(self.tallies[organisation]),
            reason=check_text(reason, "reason", max_length=2000),
        )

    def close_voting(self, actor: Actor, occurred_on: date) -> None:
        """Close the vote; later votes are refused, corrections are still possible."""
        if self.closed_on is not None:
            raise RuleViolationError(f"the vote at {self.title} closed on {self.closed_on.isoformat()}")
        if not self.votes and not self.tallies:
            raise RuleViolationError(f"no vote has been recorded at {self.title}; record the votes, then close")
        self._check_on_or_after_meeting(occurred_on)
        not_voting = [] if self.vote_mode != "by_attendee" else [p for p in self.attendees if p not in self.votes]
        self._record(self.VotingClosed, actor, occurred_on, not_voting=not_voting)

    def _attendee(self, person_id: str) -> str:
        organisation = self.attendees.get(person_id)
        if organisation is None:
            raise RuleViolationError(f"person {person_id} did not attend {self.title}; only attendees vote")
        return organisation

    def _check_open(self, doing: str, mode: str) -> None:
        if self.closed_on is not None:
            raise RuleViolationError(
                f"the vote at {self.title} closed on {self.closed_on.isoformat()}; cannot {doing} now"
            )
        if self.vote_mode != mode:
            other = "records an anonymous tally by organisation" if mode == "by_attendee" else "votes by attendee"
            raise RuleViolationError(f"this meeting {other}; cannot {doing}")

    def _check_tally(self, organisation: str, counts: tuple[int, int, int]) -> None:
        present = sum(1 for o in self.attendees.values() if o == organisation)
        if present == 0:
            raise RuleViolationError(f"no one from {organisation} attended {self.title}")
        check_tally(organisation, counts, present)

    def _check_on_or_after_meeting(self, occurred_on: date) -> None:
        if occurred_on < self.held_on:
            raise ValidationError(
                f"{occurred_on.isoformat()} is before the meeting was held ({self.held_on.isoformat()})",
                field="occurred_on",
            )

