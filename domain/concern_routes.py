"""The paper's escalation routes: their stages, who holds a concern at each, and its reference."""

from __future__ import annotations

import re
from datetime import date
from enum import Enum
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.errors import NotFoundError
from domain.values import Office, Role

DEFAULT_TARGET_DAYS = 10  # "resolve conflict locally and swiftly"
REFERENCE_PATTERN = re.compile(r"^C-([1-9][0-9]{0,8})$")


class Route(str, Enum):
    """The three ways a concern travels, as the paper describes them."""

    CROSS_ORGANISATION = "cross_organisation"
    ABOUT_LEADER = "about_leader"  # about a Chief Executive or the Accountable Officer
    INDEPENDENT_CHAIR = "independent_chair_concern"

    @property
    def label(self) -> str:
        """The route in words."""
        return ROUTE_LABELS[self]


ROUTE_LABELS = {
    Route.CROSS_ORGANISATION: "About someone in another organisation",
    Route.ABOUT_LEADER: "About a Chief Executive or the Accountable Officer",
    Route.INDEPENDENT_CHAIR: "The Independent Chair's concern about an individual",
}


class Stage(str, Enum):
    """Where a concern stands: an open stage, or closed."""

    CHIEF_EXECUTIVES = "chief_executives"
    ACCOUNTABLE_OFFICER = "accountable_officer"
    INDEPENDENT_CHAIR = "independent_chair"
    CHAIR = "chair"
    DISCUSSION = "discussion"
    PERFORMANCE_REVIEW = "performance_review"
    RESOLVED = "resolved"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """True while someone still has a step to take."""
        return self not in (Stage.RESOLVED, Stage.WITHDRAWN)

    @property
    def label(self) -> str:
        """The stage in words."""
        return STAGE_LABELS[self]


STAGE_LABELS = {
    Stage.CHIEF_EXECUTIVES: "With the Chief Executives",
    Stage.ACCOUNTABLE_OFFICER: "With the Accountable Officer",
    Stage.INDEPENDENT_CHAIR: "With the Independent Chair",
    Stage.CHAIR: "With their Chair",
    Stage.DISCUSSION: "Chair to discuss with the individual",
    Stage.PERFORMANCE_REVIEW: "Awaiting the performance review",
    Stage.RESOLVED: "Resolved",
    Stage.WITHDRAWN: "Withdrawn",
}
OPEN_STAGES = tuple(s for s in Stage if s.is_open)
ROUTE_STAGES = {
    Route.CROSS_ORGANISATION: (Stage.CHIEF_EXECUTIVES, Stage.ACCOUNTABLE_OFFICER, Stage.INDEPENDENT_CHAIR),
    Route.ABOUT_LEADER: (Stage.CHAIR,),
    Route.INDEPENDENT_CHAIR: (Stage.DISCUSSION, Stage.PERFORMANCE_REVIEW),
}


class Level(str, Enum):
    """The level at which a concern was resolved: the measure of "resolve locally"."""

    CHIEF_EXECUTIVES = "chief_executives"
    ACCOUNTABLE_OFFICER = "accountable_officer"
    INDEPENDENT_CHAIR = "independent_chair"
    CHAIR = "chair"

    @property
    def label(self) -> str:
        """The level in words."""
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    Level.CHIEF_EXECUTIVES: "Locally, between the Chief Executives",
    Level.ACCOUNTABLE_OFFICER: "By the Accountable Officer",
    Level.INDEPENDENT_CHAIR: "By the Independent Chair",
    Level.CHAIR: "By the organisation's Chair",
}
OFFICE_ROLES = {
    Office.CHIEF_EXECUTIVE: Role.CHIEF_EXECUTIVE,
    Office.CHAIR: Role.CHAIR,
    Office.ACCOUNTABLE_OFFICER: Role.ACCOUNTABLE_OFFICER,
    Office.INDEPENDENT_CHAIR: Role.INDEPENDENT_CHAIR,
}
OFFICE_LABELS = {
    Office.CHIEF_EXECUTIVE: "Chief Executive",
    Office.CHAIR: "Chair",
    Office.ACCOUNTABLE_OFFICER: "Accountable Officer",
    Office.INDEPENDENT_CHAIR: "Independent Chair",
    Office.PROGRAMME_BOARD_MEMBER: "Programme Board member",
}


def post_key(office: Office, organisation: str) -> str:
    """How an office of an organisation is named in events: 'chief_executive@NVH'."""
    return f"{office.value}@{organisation}"


def parse_post_key(key: str) -> tuple[Office, str]:
    """The office and organisation of a post key."""
    office, _, organisation = key.partition("@")
    return Office(office), organisation


def post_label(key: str) -> str:
    """A post key in words: 'Chief Executive, NVH'."""
    office, organisation = parse_post_key(key)
    if office in (Office.ACCOUNTABLE_OFFICER, Office.INDEPENDENT_CHAIR):
        return OFFICE_LABELS[office]
    return f"{OFFICE_LABELS[office]}, {organisation}"


def holder_post(
    route: Route, stage: Stage, raiser_org: str, subject_org: str, subject_office: str | None, stp: str
) -> tuple[Office, str] | None:
    """The office (and its organisation) that holds a concern at a stage; None once closed."""
    if stage is Stage.CHIEF_EXECUTIVES:
        return Office.CHIEF_EXECUTIVE, raiser_org
    if stage is Stage.ACCOUNTABLE_OFFICER:
        return Office.ACCOUNTABLE_OFFICER, stp
    if stage is Stage.INDEPENDENT_CHAIR:
        return Office.INDEPENDENT_CHAIR, stp
    if stage is Stage.CHAIR and subject_office == Office.ACCOUNTABLE_OFFICER.value:
        return Office.INDEPENDENT_CHAIR, stp
    if stage in (Stage.CHAIR, Stage.DISCUSSION, Stage.PERFORMANCE_REVIEW):
        return Office.CHAIR, subject_org
    return None


def stage_posts(
    route: Route, stage: Stage, raiser_org: str, subject_org: str, subject_office: str | None, stp: str
) -> list[tuple[Office, str]]:
    """Every office brought into the concern's chain when it reaches a stage."""
    holder = holder_post(route, stage, raiser_org, subject_org, subject_office, stp)
    posts = [] if holder is None else [holder]
    if stage is Stage.CHIEF_EXECUTIVES:
        posts.append((Office.CHIEF_EXECUTIVE, subject_org))
    elif stage is Stage.INDEPENDENT_CHAIR:
        posts += [(Office.CHAIR, raiser_org), (Office.CHAIR, subject_org)]
    elif route is Route.INDEPENDENT_CHAIR and stage is Stage.DISCUSSION:
        posts.append((Office.INDEPENDENT_CHAIR, stp))
    return posts


def reference_of(number: int) -> str:
    """The human reference of the concern with this number: 'C-14'."""
    return f"C-{number}"


def concern_id(number: int) -> UUID:
    """The aggregate id of concern number n; a number can only ever be given once."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:concern:{number}")


def parse_reference(reference: str) -> int:
    """The number in a reference like 'C-14' (or 'c-14'); NotFoundError if malformed."""
    match = REFERENCE_PATTERN.match((reference or "").strip().upper())
    if match is None:
        raise NotFoundError(f"concern {reference} not found; references look like C-14")
    return int(match.group(1))


def financial_quarter(day: date) -> str:
    """The NHS financial-year quarter of a date: '2025/26 Q3' (the year starts in April)."""
    year, month = day.year, day.month
    start = year if month >= 4 else year - 1
    return f"{start}/{(start + 1) % 100:02d} Q{(month - 4) % 12 // 3 + 1}"
