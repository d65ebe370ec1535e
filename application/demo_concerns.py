"""Demo concerns: every route, every stage, resolved at each level, some overdue, one withdrawn,
one reopened, with dates spread over the demo year."""

from __future__ import annotations

from typing import Any

from domain.values import SYSTEM, Actor, Role

# More logins, so that the Chief Executives and Chairs of a third and fourth organisation can act.
EXTRA_USERS = [
    ("staff.rfh", Role.STAFF, "RFH", "Martin Greaves"),
    ("staff.wnc", Role.STAFF, "WNC", "James Adeyemi"),
    ("ceo.wnc", Role.CHIEF_EXECUTIVE, "WNC", "Robert Hale"),
    ("chair.wnc", Role.CHAIR, "WNC", "Elaine Forsyth"),
    ("ceo.scc", Role.CHIEF_EXECUTIVE, "SCC", "Fiona Drummond"),
    ("chair.scc", Role.CHAIR, "SCC", "Cllr Brian Naylor"),
]

# (day raised, raiser login, about whom, items, narrative, examples, confidential, steps);
# each step is (day, login, step, fields). Raised in date order, so numbers follow the year.
CONCERNS: list[tuple[int, str, str, list[str], str, str, bool, list[tuple[int, str, str, dict]]]] = [
    (20, "staff.nvh", "Owen Carter", ["B-1", "V-3"],
     "Critical emails about our discharge team were copied to the whole system group.",
     "Three emails in a fortnight copied to twelve people, none raised face to face first.", False,
     [(27, "ceo.nvh", "ceo", {"outcome": "resolved", "account": "Aisha Bello agreed Owen will meet "
       "the discharge team face to face; he has apologised for the copied emails."})]),
    (45, "staff.wnc", "Angela Price", ["B-2", "SL-1"],
     "Silent in the urgent care workshop, then opposed the agreed plan at the council's cabinet.",
     "No objection raised at the workshop; the cabinet paper a week later opposed the plan.", False,
     [(52, "ceo.wnc", "ceo", {"outcome": "resolved", "account": "Fiona Drummond and Robert Hale "
       "agreed to bring the council's concerns to the next workshop."}),
      (53, "ceo.wnc", "correct", {"corrects": 2, "reason": "I recorded the discussion a day late",
                                  "corrected_occurred_on": 51})]),
    (70, "board.nvh", "Martin Greaves", ["B-7", "SL-4"],
     "Reopened the Programme Board's decision on theatre sharing in three separate forums.",
     "Operational group, finance group and a letter to NHSEI, all after the Board decided.", False,
     [(78, "ceo.nvh", "ceo", {"outcome": "difference_of_view", "account": "Aisha Bello sees these "
       "as legitimate operational questions; we see them as undermining the decision."}),
      (92, "ao", "ao", {"outcome": "resolved", "account": "Met both Chief Executives: operational "
       "questions go to the theatre group, the decision stands until the Board's review."})]),
    (95, "ichair", "Owen Carter", ["V-2", "B-3"],
     "At two Programme Boards Owen presented figures that had not been shared with partners.",
     "Two Board papers in a row: RFH bed modelling shown without prior circulation.", False,
     [(104, "chair.rfh", "discussed", {"account": "Discussed with Owen; he accepts the "
       "figures must be shared a week ahead."}),
      (240, "chair.rfh", "review", {"account": "Reflected in Owen's annual review objectives.",
                                    "performance_related_pay": "reflected"})]),
    (110, "staff.rfh", "Tom Whitlock", ["B-4"],
     "Left a shared cost improvement action to others and complained when it slipped.",
     "CIP tracker actions 14 and 15, owned jointly, not progressed by NVH finance.", False,
     [(118, "ceo.rfh", "ceo", {"outcome": "resolved", "account": "Daniel Okafor assigned a named lead."}),
      (132, "staff.rfh", "reopen", {"reason": "The same happened again at the next finance group."}),
      (140, "ceo.rfh", "ceo", {"outcome": "difference_of_view", "account": "NVH holds the action was "
       "never theirs alone; we disagree."}),
      (158, "ao", "ao", {"outcome": "resolved", "account": "Agreed a joint owner from each trust and "
       "a fortnightly check at the finance group."})]),
    (125, "staff.rfh", "Priya Raman", ["B-6", "V-3"],
     "Blamed RFH clinicians in a public meeting for the stroke pathway's poor month.",
     "Health scrutiny committee: 'RFH's consultants let the pathway down'.", True,
     [(133, "ceo.rfh", "ceo", {"outcome": "difference_of_view", "account": "Daniel Okafor says the "
       "remark was taken out of context."}),
      (150, "ao", "ao", {"outcome": "escalated", "account": "Could not agree a shared account of "
       "the meeting; escalated to the Independent Chair."}),
      (151, "ao", "note", {"text": "The committee's minutes are being checked."}),
      (176, "ichair", "ic", {"account": "Met both Chairs: a joint statement on the stroke pathway "
       "and a shared learning session for both clinical teams."})]),
    (150, "ichair", "James Adeyemi", ["B-3"],
     "Did not hold the mental health liaison team to the expectations agreed at the Board.",
     "Liaison response times reported late three months running without challenge.", False,
     [(161, "chair.wnc", "discussed", {"account": "Discussed with James in his one-to-one."}),
      (205, "chair.wnc", "not_applicable", {"account": "James stepped down as clinical director "
       "before his review; no review or pay in that role remain."})]),
    (170, "staff.nvh", "Aisha Bello", ["SL-5"],
     "Briefed the regulator against the system's agreed position on the A&E plan.",
     "The CQC engagement meeting, as reported in the CQC's own note.", True,
     [(184, "chair.rfh", "chair", {"account": "Discussed with Aisha; she will present the agreed "
       "position and raise disagreements at the Programme Board first."})]),
    (200, "staff.nvh", "Martin Greaves", ["B-1"],
     "Sent a sharply worded email about our bed bureau.", "An email to the bed bureau copied to both Chief Executives.", False,
     [(206, "staff.nvh", "withdraw", {"reason": "We met and sorted it out face to face."})]),
    (215, "ceo.nvh", "Michael Thorne", ["SL-1", "V-2"],
     "Agreed the capital plan with one trust before the others were consulted.",
     "Capital plan emails shared with NVH three weeks after RFH.", False,
     [(226, "ichair", "chair", {"account": "Discussed with Michael; capital plans will be shared "
       "with every partner on the same day."})]),
    (232, "staff.wnc", "Sunita Desai", ["B-8"],
     "Withdrew RFH's support from the joint frailty service as soon as pressures rose.",
     "Frailty rota gaps after RFH withdrew two consultants at a day's notice.", False,
     [(245, "ceo.wnc", "ceo", {"outcome": "difference_of_view", "account": "Aisha Bello says "
       "patient safety at RFH came first; we see no attempt to share the risk."})]),
    (260, "staff.rfh", "Robert Hale", ["B-3", "V-4"],
     "Committed WNC to the crisis line two quarters ago and has not delivered it.",
     "Two Programme Board actions, both marked 'WNC to deliver'.", True, []),
    (280, "ichair", "Helen Marsh", ["B-2"],
     "Voiced criticism of the nursing workforce plan outside the meeting that agreed it.",
     "The workforce group agreed the plan; criticism in the NVH staff bulletin a week later.", False,
     [(290, "chair.nvh", "discussed", {"account": "Discussed with Helen in her one-to-one."})]),
    (300, "staff.nvh", "Nadia Kowalski", ["B-1"],
     "Criticised our ward staff in emails rather than speaking to us.",
     "Two emails in the same week.", True,
     [(302, "staff.nvh", "correct", {"corrects": 1, "reason": "I had the dates wrong",
                                     "account": "Criticised our ward staff in three emails "
                                     "rather than speaking to us."})]),
    (322, "board.nvh", "Kevin Shah", ["B-3", "SF-1"],
     "Changed the CCG's block contract assumptions without telling the trusts.",
     "The contract letter; not discussed at the finance group.", False,
     [(336, "ceo.nvh", "ceo", {"outcome": "difference_of_view", "account": "Lorraine Tate says the "
       "change was signalled a month earlier; we disagree."}),
      (354, "ao", "ao", {"outcome": "escalated", "account": "Both positions are firmly held; "
       "escalated to the Independent Chair."})]),
    (356, "staff.rfh", "Daniel Okafor", ["SL-4"],
     "Took a dispute about shared staff straight to the press office.",
     "A local paper article quoting an NVH source.", False, []),
    (357, "ichair", "Angela Price", ["B-7"],
     "Continued to argue against the pooled budget after the Programme Board agreed it.",
     "The council's scrutiny paper this month.", False, []),
    (358, "staff.wnc", "Rachel Obi", ["B-4"],
     "Left the joint commissioning review to the trusts to sort out.",
     "Two review meetings without the CCG represented.", False, []),
    (361, "staff.rfh", "Angela Price", ["V-2"],
     "Council decisions on care home beds are announced without telling the trusts.",
     "This week's announcement.", False, []),
]


def build_concerns(ledger: Any, cast: Any) -> int:
    """Concerns on every route and at every stage; nothing is added if the demo's first exists."""
    if ledger.concern_exists("C-1"):
        return 0
    added = 0
    for username, role, org, name in EXTRA_USERS:
        if not ledger.user_exists(username):
            ledger.add_user(SYSTEM, username=username, password=_password(), role=role.value,
                            organisation=org, person_id=cast.person(name))
            added += 1
        user = ledger.get_user(username)
        cast.actors[username] = Actor(username, Role(user.role), user.organisation, user.person_id)
    for day, raiser, about, items, narrative, examples, confidential, steps in CONCERNS:
        reference = ledger.raise_concern(
            cast.actors[raiser], subject_id=cast.person(about), catalogue_items=items,
            narrative=narrative, examples=examples, confidential=confidential,
            occurred_on=cast.day(day),
        )
        for step_day, username, step, fields in steps:
            _take(ledger, cast, reference, cast.actors[username], step, cast.day(step_day), fields)
        added += 1 + len(steps)
    return added


def _take(ledger: Any, cast: Any, reference: str, actor: Actor, step: str, day: Any, fields: dict) -> None:
    fields = dict(fields)
    if "corrected_occurred_on" in fields:
        fields["corrected_occurred_on"] = cast.day(fields["corrected_occurred_on"])
    command = {
        "ceo": ledger.record_chief_executives_discussion,
        "ao": ledger.record_accountable_officer_decision,
        "ic": ledger.record_independent_chair_resolution,
        "chair": ledger.record_chair_handling,
        "discussed": ledger.record_discussion_with_individual,
        "review": ledger.record_performance_review,
        "not_applicable": ledger.record_follow_up_not_applicable,
        "withdraw": ledger.withdraw_concern,
        "reopen": ledger.reopen_concern,
        "note": ledger.add_concern_note,
        "correct": ledger.correct_concern_step,
    }[step]
    command(actor, reference, occurred_on=day, **fields)


def _password() -> str:
    from application.demo import DEMO_PASSWORD  # the demo's one password for every login

    return DEMO_PASSWORD
