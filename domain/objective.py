"""Personal objectives on the PVB for each senior managerial and clinical leader.

The paper's "Personal objective setting": the Chair of each organisation ensures that the
personal objectives of all its senior leaders include at least one on system leadership
principles, values and behaviours. An objective's wording, its progress notes and its
assessment comments are about one person, so they are stored under that person's key.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor, Personal

OUTCOMES = ("met", "partly_met", "not_met")
MAX_PERIOD_DAYS = 400  # an annual objective, with a little slack for the appraisal date


class Objective(LedgerAggregate):
    """One PVB objective of one senior leader, for one period."""

    class Set(LedgerAggregate.Created):
        """The Chair recorded a PVB objective for a senior leader of their organisation."""

        person_id: str
        organisation: str
        text: Personal
        citations: list[str]
        framework_version: int
        period_start: date
        period_end: date
        set_by_person_id: str | None  # the Chair holding office when it was set

        def apply(self, o: Objective) -> None:
            o.person_id, o.organisation, o.text = self.person_id, self.organisation, self.text
            o.citations, o.framework_version = list(self.citations), self.framework_version
            o.period_start, o.period_end = self.period_start, self.period_end
            o.set_by_person_id, o.set_on = self.set_by_person_id, self.occurred_on
            o.notes, o.outcome, o.assessed_on, o.comment = [], None, None, None

    class ProgressNoted(LedgerAggregate.Event):
        """A note of progress against the objective during its period."""

        note: Personal

        def apply(self, o: Objective) -> None:
            o.notes.append((self.occurred_on, self.note))

    class Assessed(LedgerAggregate.Event):
        """The year-end assessment: met, partly met or not met."""

        outcome: str
        comment: Personal

        def apply(self, o: Objective) -> None:
            o.outcome, o.assessed_on, o.comment = self.outcome, self.occurred_on, self.comment

    class AssessmentCorrected(LedgerAggregate.Event):
        """A recorded assessment was wrong; this is the right outcome, and why."""

        corrects: str
        outcome: str
        reason: str

        def apply(self, o: Objective) -> None:
            o.outcome = self.outcome

    person_id: str
    organisation: str
    text: Personal
    citations: list[str]
    framework_version: int
    period_start: date
    period_end: date
    set_by_person_id: str | None
    set_on: date
    notes: list[tuple[date, Personal]]
    outcome: str | None
    assessed_on: date | None
    comment: Personal | None

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def set(
        cls,
        *,
        id: UUID,  # noqa: A002
        person_id: str,
        organisation: str,
        text: str,
        citations: list[str],
        framework_version: int,
        period_start: date,
        period_end: date,
        set_by_person_id: str | None,
        actor: Actor,
        occurred_on: date,
    ) -> Objective:
        """Record a PVB objective for one person and period."""
        if period_end <= period_start:
            raise ValidationError("the period must end after it starts", field="period_end")
        if (period_end - period_start).days > MAX_PERIOD_DAYS:
            raise ValidationError(
                "an objective covers a year at most: set a new one for the next year",
                field="period_end",
            )
        if not citations:
            raise ValidationError(
                "cite at least one principle, value or behaviour the objective is about",
                field="citations",
            )
        return cls._start(
            cls.Set,
            actor,
            occurred_on,
            id=id,
            person_id=person_id,
            organisation=organisation,
            text=Personal(person_id, check_text(text, "text", max_length=2000)),
            citations=list(citations),
            framework_version=framework_version,
            period_start=period_start,
            period_end=period_end,
            set_by_person_id=set_by_person_id,
        )

    def note_progress(self, note: str, actor: Actor, occurred_on: date) -> None:
        """Add a progress note while the objective is open."""
        self._check_open()
        if occurred_on < self.set_on:
            raise ValidationError(
                f"a progress note cannot come before the objective was set on {self.set_on}",
                field="occurred_on",
            )
        text = check_text(note, "note", max_length=4000)
        self._record(self.ProgressNoted, actor, occurred_on, note=Personal(self.person_id, text))

    def assess(self, outcome: str, comment: str, actor: Actor, occurred_on: date) -> None:
        """Record the year-end assessment."""
        self._check_open()
        self._check_outcome(outcome)
        if occurred_on < self.period_start:
            raise ValidationError(
                f"the assessment cannot come before the period starts on {self.period_start}",
                field="occurred_on",
            )
        text = check_text(comment, "comment", max_length=4000, required=False)
        self._record(
            self.Assessed, actor, occurred_on, outcome=outcome,
            comment=Personal(self.person_id, text),
        )

    def correct_assessment(self, outcome: str, reason: str, actor: Actor, occurred_on: date) -> None:
        """Put right a wrongly recorded outcome, naming the reason."""
        if self.outcome is None:
            raise RuleViolationError(f"objective {self.id} has not been assessed yet")
        self._check_outcome(outcome)
        if outcome == self.outcome:
            raise RuleViolationError(f"objective {self.id} is already assessed as {outcome}")
        self._record(
            self.AssessmentCorrected, actor, occurred_on, corrects=self.outcome, outcome=outcome,
            reason=check_text(reason, "reason"),
        )

    def is_current(self, today: date) -> bool:
        """True if today falls within the objective's period."""
        return self.period_start <= today <= self.period_end

    def _check_open(self) -> None:
        if self.outcome is not None:
            raise RuleViolationError(
                f"objective {self.id} was assessed ({self.outcome.replace('_', ' ')}) on "
                f"{self.assessed_on}; it is closed"
            )

    @staticmethod
    def _check_outcome(outcome: str) -> None:
        if outcome not in OUTCOMES:
            raise ValidationError(f"outcome must be one of: {', '.join(OUTCOMES)}", field="outcome")
