"""Plain, frozen answers about meeting bodies, meetings, surveys and the survey panel."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class VoteInput:
    """One attendee's closing vote, as asked for."""

    person_id: str
    verdict: str
    catalogue_items: tuple[str, ...] = ()
    comment: str | None = None


@dataclass(frozen=True)
class BodyDetails:
    """A meeting body."""

    code: str
    name: str
    kind: str
    reports_to: str | None
    vote_mode: str
    terms_updated_on: date | None
    terms_reference: str | None
    notified_on: date | None = None


@dataclass(frozen=True)
class VoteDetails:
    """An attendee's vote as it now stands (after any corrections)."""

    person_id: str
    organisation: str
    verdict: str
    catalogue_items: tuple[str, ...]
    comment: str | None
    corrections: int
    voted_on: date


@dataclass(frozen=True)
class AttendeeDetails:
    """Someone at the meeting, by organisation."""

    person_id: str
    organisation: str


@dataclass(frozen=True)
class MeetingDetails:
    """A meeting: attendees, opening check and steps, votes or tallies, and whether the vote closed."""

    id: str
    body: str
    title: str
    held_on: date
    quarter: str
    chair_person_id: str
    vote_mode: str
    attendees: tuple[AttendeeDetails, ...]
    opening_check: dict[str, Any] | None
    corrective_steps: tuple[dict[str, Any], ...]
    votes: tuple[VoteDetails, ...]
    tallies: dict[str, tuple[int, int, int]]
    closed_on: date | None


@dataclass(frozen=True)
class TimelineEntry:
    """One event in an aggregate's history: what, who in what role, happened when, recorded when."""

    version: int
    event: str
    occurred_on: date
    recorded_at: datetime
    actor_id: str
    actor_role: str
    summary: str


@dataclass(frozen=True)
class PanelDetails:
    """The staff survey panel's current members (person id, organisation)."""

    agreed: bool
    members: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SurveyDetails:
    """A survey: its questions (or mapping), how many responses it holds, all-staff results."""

    code: str
    kind: str
    title: str
    period: str
    mapping: dict[str, Any] | None
    questions: tuple[dict[str, Any], ...]
    responses: int
    results: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)


@dataclass(frozen=True)
class ImportResult:
    """What an import recorded: how many new, how many already held, how many in the file."""

    survey: str
    added: int
    already_held: int
    in_file: int


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, without recording anything."""

    survey: SurveyDetails
    export: Any  # the parsed SurveyExport (columns, rows), or None for an all-staff CSV
    responses: int
    new: int
    already_held: int
    problems: tuple[Any, ...] = ()  # FileProblem(row, column, message) when the mapping does not fit
    all_staff: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)
