"""A small partnership seeded through the application, for the governance tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from domain.values import Actor, Role
from tests.conftest import LEAD


@dataclass
class Cast:
    """The people and actors of the seeded partnership."""

    people: dict[str, str]
    start: date

    def actor(self, username: str) -> Actor:
        """An actor acting in their role, linked to their person."""
        return {
            "chair.nvh": Actor("chair.nvh", Role.CHAIR, "NVH", self.people["Margaret Ashby"]),
            "chair.rfh": Actor("chair.rfh", Role.CHAIR, "RFH", self.people["Colin Pryce"]),
            "ceo.nvh": Actor("ceo.nvh", Role.CHIEF_EXECUTIVE, "NVH", self.people["Daniel Okafor"]),
            "ichair": Actor("ichair", Role.INDEPENDENT_CHAIR, "STP", self.people["Judith Carrow"]),
            "ao": Actor("ao", Role.ACCOUNTABLE_OFFICER, "STP", self.people["Michael Thorne"]),
            "staff.nvh": Actor("staff.nvh", Role.STAFF, "NVH", self.people["Gareth Lyle"]),
            "cqc": Actor("cqc", Role.REGULATOR, "CQC"),
            "lead": LEAD,
        }[username]


PEOPLE = [
    ("NVH", "Margaret Ashby", "Chair", True, "chair"),
    ("NVH", "Daniel Okafor", "Chief Executive", True, "chief_executive"),
    ("NVH", "Priya Raman", "Medical Director", True, None),
    ("NVH", "Gareth Lyle", "Ward Manager", False, None),
    ("RFH", "Colin Pryce", "Chair", True, "chair"),
    ("RFH", "Aisha Bello", "Chief Executive", True, "chief_executive"),
    ("STP", "Judith Carrow", "Independent Chair", True, "independent_chair"),
    ("STP", "Michael Thorne", "Accountable Officer", True, "accountable_officer"),
]


def seed(ledger, days_ago: int = 400) -> Cast:  # type: ignore[no-untyped-def]
    """Register NVH, RFH, the STP and CQC with their people and office holders."""
    start = date.today() - timedelta(days=days_ago)
    for code, name, kind in [("NVH", "Nene Valley", "acute_trust"), ("RFH", "Rockingham", "acute_trust"),
                             ("STP", "The STP", "stp"), ("CQC", "Care Quality Commission", "regulator")]:
        ledger.register_organisation(LEAD, code=code, name=name, kind=kind, occurred_on=start)
    people = {}
    for org, name, title, senior, office in PEOPLE:
        pid = ledger.add_person(LEAD, name=name, organisation=org, title=title, senior_leader=senior, occurred_on=start)
        if office:
            ledger.appoint(LEAD, organisation=org, office=office, person_id=pid, occurred_on=start)
        people[name] = pid
    return Cast(people, start)
