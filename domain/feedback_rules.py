"""The values and checks of regulator and HWB feedback: tenors, examples, who may give it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any

from domain.base import check_text
from domain.errors import NotAllowedError, ValidationError
from domain.values import Actor, OrganisationKind, Personal, Role

MAX_EXAMPLES = 20
MAX_LINKS = 20


class Tenor(str, Enum):
    """The overall tenor of a piece of feedback, chosen by whoever gives it."""

    POSITIVE = "positive"
    MIXED = "mixed"
    CONCERNING = "concerning"


class FeedbackKind(str, Enum):
    """Adherence feedback on an organisation, or a comment on how the PVB were implemented."""

    ADHERENCE = "adherence"
    IMPLEMENTATION = "implementation"


class AssessmentKind(str, Enum):
    """What a regulator was assessing when it commented on the PVB's implementation."""

    PERFORMANCE_REVIEW = "performance_review"
    SIGN_OFF = "sign_off"


class ResponseAction(str, Enum):
    """How the Independent Chair responded."""

    ACKNOWLEDGED = "acknowledged"
    RAISED_WITH_CHAIR = "raised_with_chair"
    ACTION_AGREED = "action_agreed"
    REFERRED_TO_PROGRAMME_BOARD = "referred_to_programme_board"
    DISPUTED = "disputed"


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation as the directory knows it at the time of the command."""

    code: str
    kind: OrganisationKind


@dataclass(frozen=True)
class Example:
    """A specific example cited in feedback: when it happened, what happened, and links."""

    occurred_on: date
    description: str | Personal
    person_id: str | None = None
    positions: tuple[int, ...] = ()

    def as_event_data(self) -> dict[str, Any]:
        """The example as stored inside an event."""
        return {
            "occurred_on": self.occurred_on,
            "description": self.description,
            "person_id": self.person_id,
            "positions": list(self.positions),
        }

    @classmethod
    def from_event_data(cls, data: dict[str, Any]) -> Example:
        """The example from its stored form."""
        return cls(
            occurred_on=data["occurred_on"],
            description=data["description"],
            person_id=data.get("person_id"),
            positions=tuple(int(p) for p in data.get("positions") or ()),
        )


def make_example(
    occurred_on: date,
    description: str,
    *,
    given_on: date,
    person_id: str | None = None,
    positions: tuple[int, ...] | list[int] = (),
    index: int = 0,
) -> Example:
    """Check one example; its description is Personal when it names a person."""
    field = f"examples.{index}"
    text = check_text(description, f"{field}.description", max_length=4000)
    if occurred_on > given_on:
        raise ValidationError(
            f"example {index + 1} is dated {occurred_on.isoformat()}, after the feedback "
            f"({given_on.isoformat()})",
            field=f"{field}.occurred_on",
        )
    if occurred_on.year < 2000:
        raise ValidationError(f"example {index + 1} is dated before 2000", field=f"{field}.occurred_on")
    links = tuple(dict.fromkeys(int(p) for p in positions))
    if len(links) > MAX_LINKS:
        raise ValidationError(
            f"example {index + 1} links more than {MAX_LINKS} events", field=f"{field}.positions"
        )
    if any(p < 1 for p in links):
        raise ValidationError(
            f"example {index + 1}: event positions start at 1", field=f"{field}.positions"
        )
    subject = (person_id or "").strip() or None
    return Example(occurred_on, Personal(subject, text) if subject else text, subject, links)


def check_examples(examples: list[Example]) -> list[dict[str, Any]]:
    """The examples as stored in an event, or ValidationError if there are too many."""
    if len(examples) > MAX_EXAMPLES:
        raise ValidationError(f"cite at most {MAX_EXAMPLES} examples", field="examples")
    return [e.as_event_data() for e in examples]


def check_tenor(tenor: str) -> str:
    """The tenor's value, or ValidationError listing the choices."""
    try:
        return Tenor(tenor).value
    except ValueError:
        choices = ", ".join(t.value for t in Tenor)
        raise ValidationError(f"tenor must be one of: {choices}", field="tenor") from None


def check_giver(actor: Actor, giver: OrganisationRef, *, regulators_only: bool) -> None:
    """Refuse anyone but a regulator (or the HWB) acting for their own organisation."""
    allowed = {Role.REGULATOR: OrganisationKind.REGULATOR}
    if not regulators_only:
        allowed[Role.HWB] = OrganisationKind.HWB
    who = "a regulator" if regulators_only else "a regulator or the Health and Wellbeing Board"
    if actor.role not in allowed:
        raise NotAllowedError(f"only {who} may do this, not a user acting as {actor.role.value}")
    if actor.organisation != giver.code or giver.kind is not allowed[actor.role]:
        raise NotAllowedError(
            f"a {actor.role.value} user must act for their own {allowed[actor.role].value} "
            f"organisation; this user's organisation is {actor.organisation or 'not set'}"
        )


def same_examples(a: tuple[Example, ...], b: tuple[Example, ...]) -> bool:
    """True if two lists of examples say the same."""

    def key(e: Example) -> tuple[Any, ...]:
        return (e.occurred_on, str(e.description), e.person_id, e.positions)

    return [key(e) for e in a] == [key(e) for e in b]
