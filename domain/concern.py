"""A concern about someone's behaviour against the framework, and its escalation.

The events are the record; the commands that enforce the paper's rules live in
domain/concern_commands.py and are inherited here, so they are this aggregate's methods.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.base import LedgerAggregate
from domain.concern_commands import ConcernCommandsMixin
from domain.concern_routes import Level, Route, Stage, parse_post_key, post_key
from domain.values import Personal

STEP_EVENTS = (
    "Raised",
    "DiscussedByChiefExecutives",
    "DecidedByAccountableOfficer",
    "ResolvedByIndependentChair",
    "HandledByChair",
    "DiscussedWithIndividual",
    "ReflectedInPerformanceReview",
    "FollowUpNotApplicable",
)


class Concern(ConcernCommandsMixin, LedgerAggregate):
    """A concern raised under the framework, travelling one of the paper's escalation routes."""

    class Raised(LedgerAggregate.Created):
        """Someone raised a concern, citing catalogue items with specific examples."""

        number: int
        reference: str
        route: str
        raiser: Personal
        raiser_organisation: str
        subject: Personal
        subject_organisation: str
        subject_office: str | None
        stp: str
        catalogue_items: list[str]
        framework_version: int
        narrative: Personal
        examples: Personal
        confidential: bool
        stage: str
        people: dict[str, Personal]

        def apply(self, concern: Concern) -> None:
            concern.number, concern.reference = self.number, self.reference
            concern.route = Route(self.route)
            concern.raiser, concern.raiser_organisation = self.raiser, self.raiser_organisation
            concern.subject, concern.subject_organisation = self.subject, self.subject_organisation
            concern.subject_office, concern.stp = self.subject_office, self.stp
            concern.catalogue_items = list(self.catalogue_items)
            concern.framework_version = self.framework_version
            concern.narrative, concern.examples = self.narrative, self.examples
            concern.confidential = self.confidential
            concern.raiser_user = self.actor_id
            concern.raised_on = self.occurred_on
            concern.history, concern.steps, concern.people_ids, concern.posts = [], [], set(), set()
            concern.closed_on = concern.closed_from = concern.resolution_level = None
            concern.closing_version = None
            concern.log(self, by_post=None)
            concern.move_to(Stage(self.stage), self.originator_version, self.occurred_on, None)

    class Event(LedgerAggregate.Event):
        """Base of a concern's later events: each goes into the timeline, then changes state."""

        def apply(self, concern: Concern) -> None:
            concern.log(self, by_post=getattr(self, "by_post", None))
            self.change(concern)

        def change(self, concern: Concern) -> None:
            """Change the concern's state (most events only add to the timeline)."""

    class Step(Event):
        """Base of the route's steps: someone in an office records what happened."""

        by_post: str
        account: Personal
        people: dict[str, Personal]
        stage: str
        resolution_level: str | None

        def change(self, concern: Concern) -> None:
            concern.move_to(
                Stage(self.stage), self.originator_version, self.occurred_on, self.resolution_level
            )

    class DiscussedByChiefExecutives(Step):
        """The raiser's Chief Executive discussed it with the other organisation's Chief Executive."""

        outcome: str  # resolved or difference_of_view

    class DecidedByAccountableOfficer(Step):
        """The STP's Accountable Officer worked it with the two Chief Executives."""

        outcome: str  # resolved or escalated

    class ResolvedByIndependentChair(Step):
        """The Independent Chair resolved it with the two organisations' Chairs."""

    class HandledByChair(Step):
        """The Chair of a Chief Executive (or the Independent Chair, for the Accountable Officer)
        recorded how the concern was handled and its outcome."""

    class DiscussedWithIndividual(Step):
        """The Chair of the individual's organisation discussed the concern with them."""

    class ReflectedInPerformanceReview(Step):
        """The Chair recorded that it was reflected in the next performance review."""

        performance_related_pay: str  # reflected or not_appropriate

    class FollowUpNotApplicable(Step):
        """The Chair recorded why the remaining follow-up steps do not apply."""

    class Withdrawn(Event):
        """The raiser withdrew the concern."""

        reason: Personal | None
        stage: str

        def change(self, concern: Concern) -> None:
            concern.move_to(Stage(self.stage), self.originator_version, self.occurred_on, None)

    class Reopened(Event):
        """A closed concern was reopened, with a reason; it returns to where it was closed."""

        reason: Personal
        stage: str
        people: dict[str, Personal]

        def change(self, concern: Concern) -> None:
            concern.move_to(Stage(self.stage), self.originator_version, self.occurred_on, None)

    class NoteAdded(Event):
        """Someone in the concern's chain added a note."""

        text: Personal

    class StepCorrected(Event):
        """A mistake in an earlier step was corrected; the step itself is never edited."""

        corrects: int
        corrects_what: str
        by_post: str | None
        reason: Personal
        account: Personal | None
        corrected_occurred_on: date | None

        def change(self, concern: Concern) -> None:
            concern.history[self.corrects - 1]["corrected_by"].append(self.originator_version)
            if self.corrected_occurred_on is not None:
                concern.redate(self.corrects, self.corrected_occurred_on)

    number: int
    reference: str
    route: Route
    raiser: Personal
    raiser_organisation: str
    raiser_user: str
    subject: Personal
    subject_organisation: str
    subject_office: str | None
    stp: str
    catalogue_items: list[str]
    framework_version: int
    narrative: Personal
    examples: Personal
    confidential: bool
    stage: Stage
    raised_on: date
    stage_since: date
    stage_version: int
    closed_on: date | None
    closed_from: Stage | None
    closing_version: int | None
    resolution_level: str | None
    steps: list[tuple[int, date]]  # (version, effective date) of each stage-changing event
    people_ids: set[str]
    posts: set[str]
    history: list[dict[str, Any]]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    def log(self, event: Any, by_post: str | None) -> None:
        """Add an event to the timeline, as recorded (corrections are later entries)."""
        people = dict(getattr(event, "people", None) or {})
        self.people_ids.update(p.subject_id for p in people.values())
        text = next(
            (getattr(event, n) for n in ("narrative", "account", "reason", "text") if hasattr(event, n)),
            None,
        )
        self.history.append(
            {
                "version": event.originator_version,
                "what": type(event).__name__,
                "actor_id": event.actor_id,
                "actor_role": event.actor_role,
                "by_post": by_post,
                "occurred_on": event.occurred_on,
                "recorded_at": event.timestamp,
                "outcome": getattr(event, "outcome", None)
                or getattr(event, "performance_related_pay", None),
                "text": text,
                "people": people,
                "stage": getattr(event, "stage", None),
                "corrects": getattr(event, "corrects", None),
                "corrected_occurred_on": getattr(event, "corrected_occurred_on", None),
                "corrected_by": [],
            }
        )

    def move_to(self, stage: Stage, version: int, occurred_on: date, level: str | None) -> None:
        """Put the concern at a stage (or close it) from an event's version and date."""
        previous = getattr(self, "stage", None)  # None while the concern is being raised
        if stage.is_open and stage is not previous:
            self.posts.update(post_key(o, org) for o, org in self._posts_for(stage))
        self.steps.append((version, occurred_on))
        if stage.is_open:
            self.stage_since, self.stage_version = occurred_on, version
            self.closed_on = self.closed_from = self.closing_version = None
            self.resolution_level = None
        else:
            self.closed_on, self.closing_version = occurred_on, version
            self.closed_from = previous
            self.resolution_level = Level(level).value if level else None
        self.stage = stage

    def redate(self, version: int, occurred_on: date) -> None:
        """Use a corrected date for a stage-changing step wherever timing depends on it."""
        self.steps = [(v, occurred_on if v == version else d) for v, d in self.steps]
        if version == 1:
            self.raised_on = occurred_on
        if version == self.stage_version and self.stage.is_open:
            self.stage_since = occurred_on
        if version == self.closing_version:
            self.closed_on = occurred_on

    @property
    def is_open(self) -> bool:
        """True while a step remains to be taken."""
        return self.stage.is_open

    def reached_posts(self) -> list[tuple[Any, str]]:
        """Every office the concern has reached so far, as (office, organisation)."""
        return [parse_post_key(key) for key in sorted(self.posts)]


# The events that move a concern from one stage to another (every step, withdrawal and reopening).
MOVES = (
    Concern.DiscussedByChiefExecutives,
    Concern.DecidedByAccountableOfficer,
    Concern.ResolvedByIndependentChair,
    Concern.HandledByChair,
    Concern.DiscussedWithIndividual,
    Concern.ReflectedInPerformanceReview,
    Concern.FollowUpNotApplicable,
    Concern.Withdrawn,
    Concern.Reopened,
)
