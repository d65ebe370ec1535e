"""A rich, realistic demo ledger: a county system's organisations, people and users.

Every section is idempotent: running the demo twice adds nothing. Later features add
their own sections to DEMO_SECTIONS, each taking (ledger, cast) and returning a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from application.demo_concerns import build_concerns
from application.demo_feedback import build_feedback
from application.demo_governance import build_governance
from application.demo_meetings import build_meetings, build_memberships
from application.demo_reports import build_reports
from domain.organisation import organisation_id
from domain.values import SYSTEM, Actor, Role

DEMO_PASSWORD = "pvb-demo-2026"

ORGANISATIONS = [
    ("NVH", "Nene Valley Hospitals NHS Foundation Trust", "acute_trust"),
    ("RFH", "Rockingham Forest Hospital NHS Trust", "acute_trust"),
    ("WNC", "Welland and Nene Community and Mental Health NHS Foundation Trust", "community_mental_health_trust"),
    ("NCCG", "Nene Clinical Commissioning Group", "ccg"),
    ("CKCCG", "Corby and Kettering Clinical Commissioning Group", "ccg"),
    ("SCC", "Shire County Council", "council"),
    ("STP", "Northamptonshire Sustainability and Transformation Partnership", "stp"),
    ("CQC", "Care Quality Commission", "regulator"),
    ("NHSEI", "NHS England and NHS Improvement", "regulator"),
    ("HWB", "Northamptonshire Health and Wellbeing Board", "hwb"),
]

# Invented people: (organisation, name, title, senior, clinical, office)
PEOPLE = [
    ("NVH", "Margaret Ashby", "Chair", True, False, "chair"),
    ("NVH", "Daniel Okafor", "Chief Executive", True, False, "chief_executive"),
    ("NVH", "Priya Raman", "Medical Director", True, True, None),
    ("NVH", "Tom Whitlock", "Director of Finance", True, False, None),
    ("NVH", "Helen Marsh", "Chief Nurse", True, True, None),
    ("NVH", "Gareth Lyle", "Ward Manager", False, True, None),
    ("RFH", "Sir Colin Pryce", "Chair", True, False, "chair"),
    ("RFH", "Aisha Bello", "Chief Executive", True, False, "chief_executive"),
    ("RFH", "Martin Greaves", "Chief Operating Officer", True, False, None),
    ("RFH", "Sunita Desai", "Medical Director", True, True, None),
    ("RFH", "Owen Carter", "Director of Strategy", True, False, None),
    ("WNC", "Elaine Forsyth", "Chair", True, False, "chair"),
    ("WNC", "Robert Hale", "Chief Executive", True, False, "chief_executive"),
    ("WNC", "Nadia Kowalski", "Director of Nursing", True, True, None),
    ("WNC", "James Adeyemi", "Clinical Director, Mental Health", True, True, None),
    ("NCCG", "Patricia Lowe", "Chair", True, True, "chair"),
    ("NCCG", "Simon Fairbairn", "Accountable Officer", True, False, "chief_executive"),
    ("NCCG", "Rachel Obi", "Director of Commissioning", True, False, None),
    ("CKCCG", "Dr Ian Mercer", "Chair", True, True, "chair"),
    ("CKCCG", "Lorraine Tate", "Accountable Officer", True, False, "chief_executive"),
    ("CKCCG", "Kevin Shah", "Chief Finance Officer", True, False, None),
    ("SCC", "Cllr Brian Naylor", "Leader of the Council", True, False, "chair"),
    ("SCC", "Fiona Drummond", "Chief Executive", True, False, "chief_executive"),
    ("SCC", "Angela Price", "Director of Adult Social Services", True, False, None),
    ("STP", "Dame Judith Carrow", "Independent Chair", True, False, "independent_chair"),
    ("STP", "Michael Thorne", "STP Accountable Officer", True, False, "accountable_officer"),
    ("STP", "Hannah Greenwood", "Head of Governance", False, False, None),
    ("STP", "Joanne Pike", "Board Secretary", False, False, None),
    ("CQC", "Deborah Quinn", "Head of Hospital Inspection", False, False, None),
    ("NHSEI", "Andrew Fenwick", "Director of Strategic Transformation", False, False, None),
    ("HWB", "Cllr Sarah Minton", "Chair of the Health and Wellbeing Board", False, False, None),
]

# A title first recorded wrongly and corrected days later, so the demo shows a directory correction:
# name -> (the title as first recorded, days after the start it was put right, why).
MISRECORDED = {
    "Angela Price": ("Director of Adult Services", 9,
                     "Recorded from an old structure chart of the county; her post is Director of Adult Social Services."),
}

# Demo logins: (username, role, organisation, name of the person they are, if any)
USERS = [
    ("admin", Role.ADMIN, None, None),
    ("lead", Role.GOVERNANCE_LEAD, "STP", "Hannah Greenwood"),
    ("secretary", Role.BOARD_MEMBER, "STP", "Joanne Pike"),
    ("ichair", Role.INDEPENDENT_CHAIR, "STP", "Dame Judith Carrow"),
    ("ao", Role.ACCOUNTABLE_OFFICER, "STP", "Michael Thorne"),
    ("chair.nvh", Role.CHAIR, "NVH", "Margaret Ashby"),
    ("chair.rfh", Role.CHAIR, "RFH", "Sir Colin Pryce"),
    ("ceo.nvh", Role.CHIEF_EXECUTIVE, "NVH", "Daniel Okafor"),
    ("ceo.rfh", Role.CHIEF_EXECUTIVE, "RFH", "Aisha Bello"),
    ("board.nvh", Role.BOARD_MEMBER, "NVH", "Tom Whitlock"),
    ("staff.nvh", Role.STAFF, "NVH", "Gareth Lyle"),
    ("cqc", Role.REGULATOR, "CQC", "Deborah Quinn"),
    ("hwb", Role.HWB, "HWB", "Cllr Sarah Minton"),
    ("investigator", Role.INVESTIGATOR, None, None),
]


@dataclass
class Cast:
    """Who is who in the demo: person ids by name, actors by username, and its start date."""

    start: date
    person_ids: dict[str, str] = field(default_factory=dict)
    actors: dict[str, Actor] = field(default_factory=dict)

    def person(self, name: str) -> str:
        """The person id of a demo person."""
        return self.person_ids[name]

    def day(self, offset: int) -> date:
        """A date offset days after the demo year starts."""
        return self.start + timedelta(days=offset)


Section = Callable[[Any, Cast], int]


def build_directory(ledger: Any, cast: Cast) -> int:
    """Organisations, people, office holders and one login per role."""
    added = 0
    ledger.init_framework(SYSTEM, occurred_on=cast.start)
    for code, name, kind in ORGANISATIONS:
        if not ledger._exists(organisation_id(code)):
            ledger.register_organisation(SYSTEM, code=code, name=name, kind=kind, occurred_on=cast.start)
            added += 1
    if added:
        for org, name, title, senior, clinical, office in PEOPLE:
            wrong = MISRECORDED.get(name)
            pid = ledger.add_person(
                SYSTEM, name=name, organisation=org, title=wrong[0] if wrong else title, senior_leader=senior,
                clinical=clinical, occurred_on=cast.start,
            )
            if wrong:
                ledger.correct_person(
                    SYSTEM, pid, name=name, title=title, senior_leader=senior, clinical=clinical,
                    reason=wrong[2], occurred_on=cast.day(wrong[1]),
                )
            if office:
                ledger.appoint(SYSTEM, organisation=org, office=office, person_id=pid, occurred_on=cast.start)
            added += 1
    return added


def build_users(ledger: Any, cast: Cast) -> int:
    """One demo login per role."""
    added = 0
    for username, role, org, person_name in USERS:
        if not ledger.user_exists(username):
            person_id = cast.person_ids.get(person_name) if person_name else None
            ledger.add_user(
                SYSTEM, username=username, password=DEMO_PASSWORD, role=role.value,
                organisation=org, person_id=person_id,
            )
            added += 1
        user = ledger.get_user(username)
        cast.actors[username] = Actor(username, Role(user.role), user.organisation, user.person_id)
    return added


DEMO_SECTIONS: list[tuple[str, Section]] = [
    ("directory", build_directory),
    ("users", build_users),
    ("meetings", build_meetings),
    ("memberships", build_memberships),
    ("concerns", build_concerns),
    ("governance", build_governance),
    ("feedback", build_feedback),
    ("reports", build_reports),
]


def run_demo(
    ledger: Any, directory_view: Any, today: date, report: Callable[[str, int], None],
    settle: Callable[[], None] | None = None,
) -> int:
    """Build every demo section over the year before today; returns how many records were added.

    Each section finds the people made so far in the directory view; settle, if given, is called
    first to bring the view up to date (needed when another thread keeps it, not each write).
    """
    cast = Cast(start=today - timedelta(days=364))
    total = 0
    for name, section in DEMO_SECTIONS:
        if settle is not None:
            settle()
        rows, _ = directory_view.list_people(include_left=True, limit=100_000)
        for row in rows:
            cast.person_ids.setdefault(row["name"], row["id"])
        with ledger.listeners_paused():  # views catch up once per section, not after each write
            added = section(ledger, cast)
        report(name, added)
        total += added
    return total


def demo_logins() -> list[tuple[str, str, str | None]]:
    """(username, role, organisation) of every demo login, the sections' own included."""
    from application.demo_concerns import EXTRA_USERS
    from application.demo_feedback import NHSEI_LOGIN
    from application.demo_governance import EXTRA_CHAIRS

    logins = [(u, r.value, o) for u, r, o, _ in (*USERS, *EXTRA_USERS, NHSEI_LOGIN)]
    logins += [(u, Role.CHAIR.value, o) for u, o, _ in EXTRA_CHAIRS]
    unique: dict[str, tuple[str, str, str | None]] = {}
    for login in logins:
        unique.setdefault(login[0], login)
    return list(unique.values())
