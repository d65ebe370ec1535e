"""The permission matrix: which roles may take which action or see which view.

This is the one place access is decided; web routes, API operations and application
commands all name a permission from here, and docs/security.md is rendered from it.
"""

from __future__ import annotations

from domain.errors import NotAllowedError
from domain.values import Actor, Role

R = Role
EVERYONE = frozenset(Role)
GOVERNANCE = frozenset({R.GOVERNANCE_LEAD, R.ADMIN})
# The Partnership's leaders and the governance team (not staff, regulators or the HWB).
LEADERS = GOVERNANCE | {
    R.INDEPENDENT_CHAIR, R.ACCOUNTABLE_OFFICER, R.CHAIR, R.CHIEF_EXECUTIVE, R.BOARD_MEMBER,
}

PERMISSIONS: dict[str, tuple[str, frozenset[Role]]] = {
    # name: (what it allows, roles)
    "public": ("pages anyone may see, signed in or not", frozenset()),
    "signed_in": ("pages every signed-in user may see", EVERYONE),
    "framework.read": ("read the framework catalogue and its versions", EVERYONE),
    "framework.amend": ("record an amendment agreed by the Programme Board", GOVERNANCE),
    "directory.read": ("read organisations and people by role", EVERYONE),
    "directory.manage": (
        "register organisations, record joiners, leavers and appointments",
        GOVERNANCE,
    ),
    "people.erase": (
        "erase a person's personal data by destroying their key",
        frozenset({R.ADMIN}),
    ),
    "users.manage": (
        "add users, change their roles, disable, enable and unlock them, and reset their passwords",
        frozenset({R.ADMIN}),
    ),
    "tokens.own": ("create and revoke one's own API tokens", EVERYONE),
    "projections.read": ("see projection positions and lag", GOVERNANCE | {R.INVESTIGATOR}),
    "projections.manage": ("rebuild projections", frozenset({R.ADMIN})),
    # Concerns and their escalation (issue 3); finer rules (which concern, which step) in the domain
    "concerns.raise": (
        "raise a concern about someone's behaviour",
        frozenset({R.STAFF, R.BOARD_MEMBER, R.CHIEF_EXECUTIVE, R.CHAIR, R.ACCOUNTABLE_OFFICER,
                   R.INDEPENDENT_CHAIR, R.GOVERNANCE_LEAD}),
    ),
    "concerns.step": (
        "take a step on a concern you hold, withdraw or reopen one, add notes or correct a step",
        frozenset({R.STAFF, R.BOARD_MEMBER, R.CHIEF_EXECUTIVE, R.CHAIR, R.ACCOUNTABLE_OFFICER,
                   R.INDEPENDENT_CHAIR, R.GOVERNANCE_LEAD}),
    ),
    "concerns.read": (
        "read concerns you raised, hold or oversee (Chief Executives and Chairs: your organisation's; "
        "regulators and the HWB: only cases an investigator granted you), with who has read them",
        frozenset({R.STAFF, R.BOARD_MEMBER, R.CHIEF_EXECUTIVE, R.CHAIR, R.ACCOUNTABLE_OFFICER,
                   R.INDEPENDENT_CHAIR, R.GOVERNANCE_LEAD, R.INVESTIGATOR, R.REGULATOR, R.HWB}),
    ),
    "concerns.grant": (
        "grant a regulator or HWB user one concern's case, and revoke the grant",
        frozenset({R.INVESTIGATOR}),
    ),
    "concerns.board": (
        "see the escalation board of every concern, with who holds it",
        frozenset({R.GOVERNANCE_LEAD, R.INDEPENDENT_CHAIR, R.INVESTIGATOR}),
    ),
    "concerns.statistics": ("see anonymised statistics of concerns and their resolution", EVERYONE),
    # Regulator and HWB feedback, replay and investigations (issue 6)
    "feedback.give": (
        "give the Independent Chair feedback on an organisation, or comment on implementation",
        frozenset({R.REGULATOR, R.HWB}),
    ),
    "feedback.respond": ("respond to regulator and HWB feedback", frozenset({R.INDEPENDENT_CHAIR})),
    "feedback.read": ("read regulator and HWB feedback and responses", EVERYONE - {R.STAFF}),
    "investigate": (
        "investigate: read every event's timeline and compare views between moments",
        frozenset({R.INVESTIGATOR}),
    ),
    "replay": (
        "see views as known at a past moment or as of a past date",
        GOVERNANCE | {R.INVESTIGATOR, R.INDEPENDENT_CHAIR, R.REGULATOR},
    ),
    # Adoption, objectives, reviews, the Independent Chair's work, development, reports (issue 5)
    "adoption.read": ("see which organisations and bodies have adopted the framework", EVERYONE),
    "adoption.record": (
        "record papers to Boards, their decisions, committees' terms and regulators' roles",
        GOVERNANCE,
    ),
    "objectives.read": ("see PVB objectives coverage and assessments", LEADERS | {R.INVESTIGATOR}),
    "objectives.set": (
        "set, note progress on and assess the PVB objectives of your organisation's senior leaders",
        frozenset({R.CHAIR, R.INDEPENDENT_CHAIR}),
    ),
    "reviews.read": ("read the Programme Board's quarterly reviews and actions", EVERYONE),
    "reviews.record": (
        "record the Programme Board's quarterly reviews, decisions and actions' progress",
        GOVERNANCE | {R.INDEPENDENT_CHAIR, R.ACCOUNTABLE_OFFICER},
    ),
    "commendations.read": ("see commendation nominations and decisions", EVERYONE - {R.REGULATOR, R.HWB}),
    "commendations.nominate": (
        "nominate an individual for a commendation",
        EVERYONE - {R.REGULATOR, R.HWB, R.INVESTIGATOR, R.ADMIN},
    ),
    "commendations.decide": ("decide on commendation nominations", GOVERNANCE | {R.INDEPENDENT_CHAIR}),
    "chairs_meetings.read": (
        "read the Independent Chair's quarterly meetings with the Chairs", LEADERS | {R.INVESTIGATOR}
    ),
    "chairs_meetings.record": (
        "record the Independent Chair's quarterly meetings with the Chairs",
        frozenset({R.INDEPENDENT_CHAIR}),
    ),
    "development.read": ("see the development programme's sessions and pledges", LEADERS | {R.INVESTIGATOR}),
    "development.record": ("record learning sessions and who attended", GOVERNANCE | {R.INDEPENDENT_CHAIR}),
    "development.pledge": (
        "make and revisit your own personal pledge",
        frozenset({R.CHAIR, R.CHIEF_EXECUTIVE, R.INDEPENDENT_CHAIR, R.ACCOUNTABLE_OFFICER}),
    ),
    "reports.read": ("read the quarterly progress report and published six-monthly reports", EVERYONE),
    "reports.draft": ("draft the six-monthly report from the ledger", GOVERNANCE | {R.INDEPENDENT_CHAIR}),
    "reports.publish": (
        "edit the six-monthly report's narrative and publish it", frozenset({R.INDEPENDENT_CHAIR})
    ),
    "calendar.read": ("see what is due under the paper's calendar, and what is overdue", LEADERS),
    # Meetings, adherence votes, staff surveys and the adherence view (issue 4)
    "meetings.read": ("read meetings, their opening checks and closing votes", LEADERS | {R.INVESTIGATOR}),
    "meetings.manage": (
        "set up meeting bodies and record their terms of reference", GOVERNANCE | {R.INDEPENDENT_CHAIR}
    ),
    "meetings.record": (
        "record meetings of a body you are the secretary of (the governance lead: any body), their "
        "opening checks, attendees' votes and tallies, and the close of the vote",
        LEADERS - {R.ADMIN},
    ),
    "meetings.vote": (
        "record your own closing vote at a meeting you attended, and correct it with a reason (a body's "
        "secretary: anyone's vote at its meetings)",
        LEADERS - {R.ADMIN},
    ),
    "surveys.read": ("read staff surveys, the panel and their results", LEADERS | {R.INVESTIGATOR, R.REGULATOR, R.HWB}),
    "surveys.manage": ("agree the survey panel, open surveys and save their mappings", GOVERNANCE),
    "surveys.import": ("import survey responses and enter all-staff results", GOVERNANCE),
    "adherence.read": ("read the adherence dashboard and the evidence behind it", EVERYONE),
    # Tamper evidence: signed checkpoints, proofs and witnesses (issue 6)
    "ledger.read": (
        "fetch signed checkpoints and consistency and inclusion proofs of the log",
        GOVERNANCE | {R.REGULATOR, R.INVESTIGATOR},
    ),
    "ledger.witness": (
        "countersign a checkpoint of the log with a witness key",
        frozenset({R.REGULATOR, R.CHAIR, R.CHIEF_EXECUTIVE, R.ADMIN}),
    ),
    "ledger.manage": ("rotate the ledger's signing key", frozenset({R.ADMIN})),
}


# Replaying a view shows all of its tables, so it needs the permission of the pages that read it;
# a view not listed here may be replayed only by those who may investigate (fail closed).
VIEW_PERMISSIONS: dict[str, str] = {
    "directory": "directory.read",
    "feedback": "feedback.read",
    "meetings": "meetings.read",
    "adherence": "adherence.read",
    "escalation": "concerns.board",
    "timeline": "investigate",
    "access": "investigate",
    "adoption": "adoption.read",
    "objectives": "objectives.read",
    "reviews": "reviews.read",
    "commendations": "commendations.read",
    "chairs_meetings": "chairs_meetings.read",
    "development": "development.read",
    "reports": "reports.read",
    "calendar": "calendar.read",
}


def view_permission(view: str) -> str:
    """The permission needed to replay a view (investigate for views not listed)."""
    return VIEW_PERMISSIONS.get(view, "investigate")


def roles_for(permission: str) -> frozenset[Role]:
    """The roles granted a permission; KeyError names an undeclared one."""
    try:
        return PERMISSIONS[permission][1]
    except KeyError:
        raise KeyError(f"permission {permission!r} is not declared in the matrix") from None


def is_allowed(role: Role, permission: str) -> bool:
    """True if the role holds the permission ('public' is open to all)."""
    return permission == "public" or role in roles_for(permission)


# What only a person can do: raise a concern, vote, nominate, pledge, or take a Chief Executive's
# or Chair's step. An account whose role holds any of these must be linked to its person.
PERSON_PERMISSIONS = ("concerns.raise", "meetings.vote", "commendations.nominate", "development.pledge")
PERSON_ROLES = frozenset({R.CHIEF_EXECUTIVE, R.CHAIR, R.INDEPENDENT_CHAIR, R.ACCOUNTABLE_OFFICER})


def acts_as_person(role: Role) -> bool:
    """True if accounts of this role act as a person in the directory, so must be linked to one."""
    return role in PERSON_ROLES or any(role in roles_for(p) for p in PERSON_PERMISSIONS)


def authorise(actor: Actor, permission: str) -> None:
    """Raise NotAllowedError unless the actor's role holds the permission."""
    if not is_allowed(actor.role, permission):
        what = PERMISSIONS[permission][0]
        raise NotAllowedError(f"a user acting as {actor.role.value} may not {what}")
