"""Plain, frozen answers about adoption, objectives, reviews, commendations, meetings and reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class AdoptionDetails:
    """An organisation's adoption of the framework."""

    organisation: str
    external: bool
    body: str
    taken_on: date
    decision: str | None
    decided_on: date | None
    amendments: str | None
    roles_accepted: tuple[str, ...]


@dataclass(frozen=True)
class ProgressNote:
    """A dated note of progress against an objective."""

    noted_on: date
    note: str


@dataclass(frozen=True)
class ObjectiveDetails:
    """A senior leader's PVB objective, with its progress and assessment."""

    id: str
    person_id: str
    organisation: str
    text: str
    citations: tuple[str, ...]
    framework_version: int
    period_start: date
    period_end: date
    set_on: date
    set_by_person_id: str | None
    notes: tuple[ProgressNote, ...]
    outcome: str | None
    assessed_on: date | None
    comment: str | None


@dataclass(frozen=True)
class ActionDetails:
    """An action set by a review decision, and where it stands."""

    ref: str
    number: int
    decision: int
    text: str
    owner_person_id: str
    owner_organisation: str
    due_on: date
    status: str
    closed_on: date | None
    reason: str

    def is_overdue(self, today: date) -> bool:
        """True if still open and past its due date on the given day."""
        return self.status in ("open", "carried_forward") and self.due_on < today


@dataclass(frozen=True)
class ReviewDetails:
    """A quarter's review by the Programme Board."""

    quarter: str
    held_on: date
    summary: str
    decisions: int
    actions: tuple[ActionDetails, ...]


@dataclass(frozen=True)
class CommendationDetails:
    """A nomination for a commendation and the decision on it."""

    id: str
    nominee_id: str
    nominee_organisation: str
    nominated_by_id: str
    nominated_on: date
    citations: tuple[str, ...]
    examples: tuple[str, ...]
    decision: str | None
    decided_on: date | None
    reason: str | None
    withdrawn_on: date | None


@dataclass(frozen=True)
class ChairsMeetingDetails:
    """One quarter's meeting of the Independent Chair with the Chairs."""

    quarter: str
    held_on: date
    attendees: tuple[dict[str, str], ...]
    progress_reviewed: str
    successes: str
    actions: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class LearningSessionDetails:
    """A learning session of the development programme."""

    id: str
    title: str
    facilitator: str
    held_on: date
    citations: tuple[str, ...]
    attendees: tuple[str, ...]


@dataclass(frozen=True)
class PledgeRevisit:
    """A revisit of a pledge."""

    revisited_on: date
    outcome: str
    reflection: str


@dataclass(frozen=True)
class PledgeDetails:
    """A personal pledge and its revisits."""

    id: str
    person_id: str
    organisation: str
    text: str
    citations: tuple[str, ...]
    made_on: date
    revisits: tuple[PledgeRevisit, ...]


@dataclass(frozen=True)
class ReportDetails:
    """A report: its draft figures and narrative, and once published its frozen content."""

    kind: str
    period: str
    period_start: date
    period_end: date
    figures: dict[str, Any]
    narrative: str
    position: int
    published_on: date | None
    content: dict[str, Any] | None
    content_hash: str | None
    checkpoint: dict[str, Any] | None = None  # the signed checkpoint current when the figures were drawn
    edition: int = 1
    supersedes: int | None = None  # the edition this one corrects
    reason: str = ""  # why it corrects it
    superseded_by: int | None = None  # the edition that corrected this one
