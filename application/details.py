"""Plain, frozen answers to questions about one aggregate."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class CatalogueItemDetails:
    """One catalogue item."""

    id: str
    kind: str
    group: str
    text: str
    unhelpful: str | None = None


@dataclass(frozen=True)
class FrameworkDetails:
    """A version of the framework."""

    version: int
    current_version: int
    source: str
    items: tuple[CatalogueItemDetails, ...]


@dataclass(frozen=True)
class OrganisationDetails:
    """An organisation with its office holders (person ids by office)."""

    code: str
    name: str
    kind: str
    offices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PersonDetails:
    """A person in the directory."""

    id: str
    name: str
    organisation: str
    title: str
    senior_leader: bool
    clinical: bool
    left_on: date | None
    erased: bool


@dataclass(frozen=True)
class TokenDetails:
    """An API token, without its secret."""

    id: str
    label: str
    scope: str
    expires_at: datetime
    revoked: bool
    created_at: datetime


@dataclass(frozen=True)
class UserDetails:
    """A login account."""

    username: str
    role: str
    organisation: str | None
    person_id: str | None
    disabled: bool
    tokens: tuple[TokenDetails, ...] = ()


@dataclass(frozen=True)
class NewToken:
    """A token just created: the secret is shown once and never stored."""

    id: str
    token: str
    scope: str
    expires_at: datetime
