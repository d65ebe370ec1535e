"""A concern as plain data: its state and whole timeline, with the raiser withheld when they must be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.concern import Concern
from domain.concern_routes import Level, post_label
from domain.values import Personal

WITHHELD = "withheld"  # the role of a withheld raiser's timeline entries


def withheld_raiser(organisation: str) -> str:
    """What a reader who may not know a confidential raiser reads in their place."""
    return f"a member of staff at {organisation}"

EVENT_LABELS = {
    "Raised": "Concern raised",
    "DiscussedByChiefExecutives": "The Chief Executives discussed it",
    "DecidedByAccountableOfficer": "The Accountable Officer decided",
    "ResolvedByIndependentChair": "The Independent Chair resolved it with the two Chairs",
    "HandledByChair": "Their Chair recorded how it was handled",
    "DiscussedWithIndividual": "The Chair discussed it with the individual",
    "ReflectedInPerformanceReview": "Reflected in the next performance review",
    "FollowUpNotApplicable": "The Chair recorded why the follow-up does not apply",
    "Withdrawn": "Withdrawn by the person who raised it",
    "Reopened": "Reopened",
    "NoteAdded": "Note added",
    "StepCorrected": "Step corrected",
}
OUTCOME_LABELS = {
    "resolved": "Resolved",
    "difference_of_view": "A difference of view: escalated to the Accountable Officer",
    "escalated": "Not resolved: escalated to the Independent Chair",
    "reflected": "Also reflected in performance-related pay",
    "not_appropriate": "Performance-related pay: not appropriate",
}


@dataclass(frozen=True)
class PostHolder:
    """Someone in a concern's chain, by the office they held (or 'raiser')."""

    post: str
    label: str
    person_id: str | None
    name: str


@dataclass(frozen=True)
class TimelineEntry:
    """One event of a concern: what, who, in what role, happened when and recorded when."""

    version: int
    what: str
    label: str
    who: str
    role: str
    by: str | None
    occurred_on: date
    recorded_at: datetime
    outcome: str | None
    outcome_label: str | None
    text: str | None
    stage: str | None
    people: tuple[PostHolder, ...]
    corrects: int | None = None
    corrected_occurred_on: date | None = None
    corrected_by: tuple[int, ...] = ()


@dataclass(frozen=True)
class ConcernDetails:
    """A concern as its reader may see it."""

    id: str
    reference: str
    number: int
    route: str
    route_label: str
    stage: str
    stage_label: str
    status: str
    confidential: bool
    raiser: str
    raiser_id: str | None
    raiser_organisation: str
    subject_id: str
    subject_name: str
    subject_organisation: str
    subject_office: str | None
    catalogue_items: tuple[str, ...]
    framework_version: int
    narrative: str
    examples: str
    raised_on: date
    stage_since: date
    closed_on: date | None
    resolution_level: str | None
    resolution_label: str | None
    holder: PostHolder | None
    timeline: tuple[TimelineEntry, ...]
    available_steps: tuple[str, ...] = ()


def concern_details(
    concern: Concern, *, show_raiser: bool, holder: PostHolder | None, steps: list[str]
) -> ConcernDetails:
    """The concern as plain data; with show_raiser false, nothing in it names who raised it."""
    raiser_id = concern.raiser.subject_id
    hide = _Hider(raiser_id, concern.raiser_user, show_raiser, withheld_raiser(concern.raiser_organisation))
    narrative = concern.narrative
    for entry in concern.history:
        if entry["what"] == "StepCorrected" and entry["corrects"] == 1 and entry["text"] is not None:
            narrative = entry["text"]  # the account as corrected; the timeline keeps both
    level = concern.resolution_level
    return ConcernDetails(
        id=str(concern.id),
        reference=concern.reference,
        number=concern.number,
        route=concern.route.value,
        route_label=concern.route.label,
        stage=concern.stage.value,
        stage_label=concern.stage.label,
        status="open" if concern.is_open else concern.stage.value,
        confidential=concern.confidential,
        raiser=str(concern.raiser) if show_raiser else hide.label,
        raiser_id=raiser_id if show_raiser else None,
        raiser_organisation=concern.raiser_organisation,
        subject_id=concern.subject.subject_id,
        subject_name=str(concern.subject),
        subject_organisation=concern.subject_organisation,
        subject_office=concern.subject_office,
        catalogue_items=tuple(concern.catalogue_items),
        framework_version=concern.framework_version,
        narrative=str(narrative),
        examples=str(concern.examples),
        raised_on=concern.raised_on,
        stage_since=concern.stage_since,
        closed_on=concern.closed_on,
        resolution_level=level,
        resolution_label=Level(level).label if level else None,
        holder=hide.holder(holder) if holder else None,
        timeline=tuple(hide.entry(e) for e in concern.history),
        available_steps=tuple(steps),
    )


class _Hider:
    """Replaces the raiser's identity with "a member of staff at ORG" wherever it would appear."""

    def __init__(self, raiser_id: str, raiser_user: str, show: bool, label: str) -> None:
        self.raiser_id, self.raiser_user, self.show, self.label = raiser_id, raiser_user, show, label

    def holder(self, holder: PostHolder) -> PostHolder:
        if self.show or holder.person_id != self.raiser_id:
            return holder
        return PostHolder(holder.post, holder.label, None, self.label)

    def person(self, post: str, person: Personal) -> PostHolder:
        label = "Raised by" if post == "raiser" else post_label(post)
        return self.holder(PostHolder(post, label, person.subject_id, str(person)))

    def entry(self, e: dict[str, Any]) -> TimelineEntry:
        by_raiser = e["actor_id"] == self.raiser_user and not self.show
        return TimelineEntry(
            version=e["version"],
            what=e["what"],
            label=EVENT_LABELS.get(e["what"], e["what"]),
            who=self.label if by_raiser else e["actor_id"],
            role=WITHHELD if by_raiser else e["actor_role"],
            by=post_label(e["by_post"]) if e["by_post"] else None,
            occurred_on=e["occurred_on"],
            recorded_at=e["recorded_at"],
            outcome=e["outcome"],
            outcome_label=OUTCOME_LABELS.get(e["outcome"] or "", None),
            text=None if e["text"] is None else str(e["text"]),
            stage=e["stage"],
            people=tuple(self.person(post, p) for post, p in sorted(e["people"].items())),
            corrects=e["corrects"],
            corrected_occurred_on=e["corrected_occurred_on"],
            corrected_by=tuple(e["corrected_by"]),
        )
