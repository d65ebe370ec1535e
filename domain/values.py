"""Small immutable values shared by every aggregate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

ERASED = "[erased]"


class Role(str, Enum):
    """A role a user acts in; the paper's offices plus the ledger's own."""

    GOVERNANCE_LEAD = "governance_lead"
    INDEPENDENT_CHAIR = "independent_chair"
    ACCOUNTABLE_OFFICER = "accountable_officer"
    CHAIR = "chair"
    CHIEF_EXECUTIVE = "chief_executive"
    BOARD_MEMBER = "board_member"
    STAFF = "staff"
    REGULATOR = "regulator"
    HWB = "hwb"
    INVESTIGATOR = "investigator"
    ADMIN = "admin"

    @classmethod
    def parse(cls, value: str) -> Role:
        """Return the role named by value or raise ValueError listing the valid ones."""
        try:
            return cls(value)
        except ValueError:
            names = ", ".join(r.value for r in cls)
            raise ValueError(f"unknown role {value!r}; choose one of: {names}") from None


class OrganisationKind(str, Enum):
    """What sort of body an organisation is."""

    ACUTE_TRUST = "acute_trust"
    COMMUNITY_MENTAL_HEALTH_TRUST = "community_mental_health_trust"
    CCG = "ccg"
    COUNCIL = "council"
    STP = "stp"
    REGULATOR = "regulator"
    HWB = "hwb"

    @property
    def is_partner(self) -> bool:
        """True for the statutory organisations that make up the Partnership."""
        return self not in (OrganisationKind.REGULATOR, OrganisationKind.HWB, OrganisationKind.STP)


class Office(str, Enum):
    """An office a person holds in an organisation."""

    CHAIR = "chair"
    CHIEF_EXECUTIVE = "chief_executive"
    INDEPENDENT_CHAIR = "independent_chair"
    ACCOUNTABLE_OFFICER = "accountable_officer"
    PROGRAMME_BOARD_MEMBER = "programme_board_member"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a user, the role they act in, and their organisation."""

    user_id: str
    role: Role
    organisation: str | None = None
    person_id: str | None = None


SYSTEM = Actor(user_id="system", role=Role.ADMIN)


@dataclass(frozen=True)
class Personal:
    """Personal data about one person; stored encrypted under that person's own key.

    ``text`` is None once the person's key has been destroyed (erased).
    """

    subject_id: str
    text: str | None

    def __str__(self) -> str:
        return ERASED if self.text is None else self.text

    @property
    def is_erased(self) -> bool:
        """True once the subject's key has been destroyed."""
        return self.text is None
