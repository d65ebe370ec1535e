"""Demo: a year of cross-organisational meetings with their votes, the staff survey panel, four
quarterly panel surveys imported from SurveyMonkey exports shipped with the package, and two
all-staff surveys' PVB questions. Idempotent: it does nothing once the Programme Board exists.
"""

from __future__ import annotations

import random
from importlib import resources
from typing import Any

from application.meeting_details import VoteInput
from application.surveys import AGREEMENT, ALL_STAFF_QUESTIONS
from domain.meeting_body import body_id
from domain.period import Quarter

BODIES = [
    ("PB", "STP Programme Board", "programme_board", None, "by_attendee"),
    ("FPC", "Finance and Performance Committee", "committee", "PB", "by_attendee"),
    ("CLIN", "Clinical Senate", "committee", "PB", "by_attendee"),
    ("DIGI", "Digital and Shared Care Record Sub-Committee", "sub_committee", "CLIN", "anonymous_tally"),
]
MEMBERS = {
    "PB": ("Dame Judith Carrow", [
        "Michael Thorne", "Margaret Ashby", "Daniel Okafor", "Helen Marsh", "Sir Colin Pryce", "Aisha Bello",
        "Elaine Forsyth", "Robert Hale", "Patricia Lowe", "Simon Fairbairn", "Dr Ian Mercer", "Lorraine Tate",
        "Cllr Brian Naylor", "Fiona Drummond",
    ]),
    "FPC": ("Michael Thorne", ["Tom Whitlock", "Martin Greaves", "Robert Hale", "Kevin Shah", "Rachel Obi", "Angela Price"]),
    "CLIN": ("Priya Raman", ["Sunita Desai", "Nadia Kowalski", "James Adeyemi", "Patricia Lowe", "Dr Ian Mercer", "Angela Price"]),
    "DIGI": ("Owen Carter", ["Gareth Lyle", "James Adeyemi", "Rachel Obi", "Kevin Shah", "Angela Price"]),
}
SCHEDULE = {"PB": (14, 56, 98, 140, 182, 224, 266, 308, 350), "FPC": (30, 120, 210, 300),
            "CLIN": (45, 225), "DIGI": (70, 160, 250, 340)}
# (share adhered, share not adhered) of each organisation's votes in the demo's five quarters.
PROFILES = {
    "NVH": [(.5, .3), (.6, .2), (.7, .1), (.8, .05), (.85, 0)],
    "RFH": [(.8, 0), (.7, .1), (.6, .2), (.45, .3), (.4, .35)],
    "WNC": [(.85, .05)] * 5,
    "NCCG": [(.6, .1), (.65, .1), (.7, .1), (.75, .05), (.8, .05)],
    "CKCCG": [(.5, .2), (.55, .15), (.6, .1), (.65, .1), (.7, .05)],
    "SCC": [(.3, .4), (.4, .3), (.5, .2), (.6, .15), (.7, .1)],
    "STP": [(.8, .05)] * 5,
}
MISSING = [("primary care", "Invite the Local Medical Committee's chair to the next meeting", "NCCG"),
           ("patients and carers", "Ask Healthwatch to nominate a member", "SCC"),
           ("social care providers", "Invite the care home providers' association", "SCC")]
COMMENTS = ["Finance discussion overran and not everyone was heard.",
            "Good, open debate; the decision on the control total was owned by all.",
            "Some challenge came after the meeting rather than in it."]
# The panel: staff already in the directory (the demo adds no people of its own); Owen Carter joins later.
PANEL = ["Gareth Lyle", "Helen Marsh", "Priya Raman", "Tom Whitlock", "Martin Greaves", "Sunita Desai",
         "Nadia Kowalski", "James Adeyemi", "Rachel Obi", "Kevin Shah", "Angela Price"]
ORG_NAMES = {
    "Nene Valley Hospitals NHS Foundation Trust": "NVH", "Rockingham Forest Hospital NHS Trust": "RFH",
    "Welland and Nene Community and Mental Health NHS Foundation Trust": "WNC",
    "Nene Clinical Commissioning Group": "NCCG", "Corby and Kettering Clinical Commissioning Group": "CKCCG",
    "Shire County Council": "SCC",
}
PANEL_HEADING = "Over the last three months, how far do you agree with each statement about leaders across the STP?"
PANEL_QUESTIONS = [
    ("In the last three months, leaders across the county's organisations have acted as a single leadership team.",
     "Response", "Acted as a single leadership team", ["SL-1"]),
    (PANEL_HEADING, "We hold robust and honest face to face conversations", "Robust, honest conversations", ["B-1"]),
    (PANEL_HEADING, "We speak up in meetings and have open and constructive debate", "Speak up in meetings", ["B-2"]),
    (PANEL_HEADING, "We support and uphold decisions made by the Programme Board", "Uphold Board decisions", ["B-7"]),
]
STAFF_FAVOURABLE = {"NVH": (.52, .64), "RFH": (.66, .55), "WNC": (.74, .78), "NCCG": (.61, .67), "CKCCG": (.57, .6),
                    "SCC": (.45, .58)}


def panel_mapping() -> dict[str, Any]:
    """The mapping the demo saves for each panel survey."""
    return {
        "organisation": {"source": "column", "heading": "Which organisation do you work for?", "option": "Response",
                         "answers": dict(ORG_NAMES)},
        "questions": [
            {"heading": h, "option": o, "label": label, "answers": list(AGREEMENT), "favourable": list(AGREEMENT[:2]),
             "catalogue_items": items}
            for h, o, label, items in PANEL_QUESTIONS
        ],
    }


def demo_export(number: int) -> bytes:
    """The shipped SurveyMonkey export of the demo's panel survey number 1 to 4."""
    return resources.files("application").joinpath(f"data/demo_panel_survey_Q{number}.csv").read_bytes()


def build_meetings(ledger: Any, cast: Any) -> int:
    """Bodies, a year of meetings with opening checks and closing votes, the panel and surveys."""
    if ledger._exists(body_id("PB")):
        return 0
    lead = cast.actors["lead"]
    added = 0
    for code, name, kind, reports_to, mode in BODIES:
        ledger.establish_body(lead, code=code, name=name, kind=kind, reports_to=reports_to, vote_mode=mode,
                              occurred_on=cast.start)
        # Each body's secretary records its meetings and puts its votes right (issue 31).
        ledger.appoint_body_secretary(lead, code, person_id=cast.person(SECRETARY), occurred_on=cast.start)
        if code == "PB":  # the committees are sent the paper first (application/demo_governance.py)
            ledger.update_terms_of_reference(lead, code, reference=f"{code} terms of reference v2",
                                             summary="Adds the agreed principles, values and behaviours, the opening "
                                             "check on representation and the closing adherence vote.",
                                             occurred_on=cast.day(7))
        added += 1
    rng = random.Random(4)
    first_quarter = Quarter.of(cast.start)
    meetings = sorted((day, code) for code, days in SCHEDULE.items() for day in days)
    for n, (day, code) in enumerate(meetings):
        added += _meeting(ledger, cast, lead, code, day, n, rng, first_quarter)
    return added + _surveys(ledger, cast, lead)


SECRETARY = "Joanne Pike"  # the demo's 'secretary' login


def build_memberships(ledger: Any, cast: Any) -> int:
    """Each body's members (its chair among them), from MEMBERS; a body that has members is left alone."""
    lead = cast.actors["lead"]
    added = 0
    for code, *_ in BODIES:
        if not ledger._exists(body_id(code)) or ledger.body_members(code):
            continue
        chair, members = MEMBERS[code]
        for name in dict.fromkeys([chair, *members]):
            ledger.appoint_body_member(lead, code, person_id=cast.person(name), occurred_on=cast.start)
            added += 1
    return added


def _meeting(ledger: Any, cast: Any, lead: Any, code: str, day: int, n: int, rng: random.Random, first: Quarter) -> int:
    chair, members = MEMBERS[code]
    held_on = cast.day(day)
    ids = [cast.person(p) for p in [chair, *members]]
    attendees = {pid: ledger.get_person(pid).organisation for pid in ids}
    check: dict[str, Any] = {"all_views_represented": True}
    steps = []
    if n % 4 == 3:
        view, step, owner = MISSING[(n // 4) % len(MISSING)]
        check = {"all_views_represented": False, "missing_views": [view]}
        steps = [{"step": step, "missing_view": view, "owner_organisation": owner}]
    quarter_index = _quarter_index(first, Quarter.of(held_on))
    votes, tallies = [], None
    if dict((b[0], b[4]) for b in BODIES)[code] == "anonymous_tally":
        by_org: dict[str, list[str]] = {}
        for org in attendees.values():
            by_org.setdefault(org, []).append(_verdict(rng, org, quarter_index))
        tallies = {org: (v.count("adhered"), v.count("partly_adhered"), v.count("not_adhered")) for org, v in by_org.items()}
    else:
        for person_id, org in attendees.items():
            verdict = _verdict(rng, org, quarter_index)
            items = tuple(rng.sample([f"B-{i}" for i in range(1, 9)], 2)) if verdict != "adhered" else ()
            comment = rng.choice(COMMENTS) if verdict != "adhered" and rng.random() < 0.3 else None
            votes.append(VoteInput(person_id, verdict, items, comment))
    title = f"{dict((b[0], b[1]) for b in BODIES)[code]}, {held_on.strftime('%B %Y')}"
    mid = ledger.record_minutes(
        cast.actors["secretary"], body=code, title=title, chair_person_id=cast.person(chair), attendee_ids=list(attendees),
        held_on=held_on, opening_check=check, corrective_steps=steps, votes=votes, tallies=tallies, close=True,
    )
    if n == 0 and votes:
        other = "partly_adhered" if votes[1].verdict != "partly_adhered" else "adhered"
        ledger.correct_vote(cast.actors["secretary"], mid, person_id=votes[1].person_id, verdict=other, occurred_on=cast.day(day + 7),
                            reason="The draft minutes recorded the vote wrongly; corrected from the signed minutes.")
    return 1


def _quarter_index(first: Quarter, quarter: Quarter) -> int:
    return (quarter.year - first.year) * 4 + quarter.number - first.number


def _verdict(rng: random.Random, organisation: str, quarter_index: int) -> str:
    profile = PROFILES.get(organisation, [(.7, .1)] * 5)
    adhered, not_adhered = profile[min(quarter_index, len(profile) - 1)]
    r = rng.random()
    return "adhered" if r < adhered else "not_adhered" if r < adhered + not_adhered else "partly_adhered"


def _surveys(ledger: Any, cast: Any, lead: Any) -> int:
    ledger.agree_panel(lead, member_ids=[cast.person(name) for name in PANEL], occurred_on=cast.day(20))
    ledger.remove_panel_member(lead, cast.person("Helen Marsh"), reason="rotated_off", occurred_on=cast.day(200))
    ledger.add_panel_member(lead, cast.person("Owen Carter"), occurred_on=cast.day(205))
    added = 3
    for number in range(1, 5):
        day = cast.day(75 + 91 * (number - 1))
        period = Quarter.of(day).key
        code = f"PANEL-{period}"
        ledger.open_survey(lead, code=code, kind="panel", title=f"Staff survey panel, {Quarter.of(day).label}",
                           period=period, occurred_on=cast.day(55 + 91 * (number - 1)))
        ledger.save_survey_mapping(lead, code, panel_mapping(), occurred_on=cast.day(55 + 91 * (number - 1)))
        ledger.import_survey_file(lead, code, demo_export(number), f"demo_panel_survey_Q{number}.csv", occurred_on=day)
        added += 1
    for offset, which in ((120, 0), (300, 1)):
        period = Quarter.of(cast.day(offset)).key
        code = f"STAFF-{period}"
        ledger.open_survey(lead, code=code, kind="all_staff", title=f"All-staff pulse survey, {Quarter.of(cast.day(offset)).label}",
                           period=period, occurred_on=cast.day(offset - 30))
        ledger.import_survey_file(lead, code, _all_staff_csv(which), "all-staff-results.csv", occurred_on=cast.day(offset))
        added += 1
    return added


def _all_staff_csv(which: int) -> bytes:
    rng = random.Random(40 + which)
    lines = ["organisation,question,answer,count"]
    for org, (q1, q2) in STAFF_FAVOURABLE.items():
        for question, share in zip([q.key for q in ALL_STAFF_QUESTIONS], (q1, q2), strict=True):
            total = rng.randint(300, 900)
            favourable = int(total * (share + 0.05 * which))
            rest = total - favourable
            split = [int(favourable * .3), favourable - int(favourable * .3), int(rest * .4), int(rest * .45)]
            split.append(rest - split[2] - split[3])
            lines += [f"{org},{question},{answer},{n}" for answer, n in zip(AGREEMENT, split, strict=True)]
    return ("\n".join(lines) + "\n").encode()
