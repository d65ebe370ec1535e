"""Demo feedback: a year of CQC, NHS England and Improvement and HWB feedback to the Independent
Chair, with dated examples (some naming a person, some linking ledger events), comments on
implementation in a performance review and a sign-off, a correction, and the Chair's responses."""

from __future__ import annotations

from typing import Any
from uuid import NAMESPACE_URL, uuid5

from domain.values import SYSTEM, Actor, Role

NHSEI_LOGIN = ("nhsei", Role.REGULATOR, "NHSEI", "Andrew Fenwick")

# (day, login, about, tenor, summary, examples as (days before, text, person named or None),
#  response as (days after, action, text) or None)
FEEDBACK: list[tuple[int, str, str, str, str, list[tuple[int, str, str | None]], tuple[int, str, str] | None]] = [
    (40, "cqc", "NVH", "mixed",
     "Leaders speak openly in system meetings, but ward staff did not know the PVB existed.",
     [(12, "At the urgent care summit the trust raised its bed pressures face to face, not by email.", None),
      (5, "Four of six ward managers interviewed had not heard of the principles.", None)],
     (9, "raised_with_chair", "Discussed with Margaret Ashby at our quarterly meeting; the trust "
      "will brief ward managers through its leadership forum.")),
    (55, "hwb", "SCC", "positive",
     "The council brought social care voices into every STP workshop this quarter.",
     [(20, "Carers' forum invited to the discharge redesign workshop.", None)],
     (6, "acknowledged", "Thank you: shared with the Programme Board as good practice.")),
    (70, "nhsei", "NCCG", "concerning",
     "The CCG reopened the agreed financial envelope in three separate forums after sign-off.",
     [(18, "Finance group minutes reopened the control total agreed by the Programme Board.", None),
      (10, "A letter to NHSEI asked for the envelope to be revisited.", "Simon Fairbairn")],
     (4, "action_agreed", "Agreed with the CCG's Chair that disagreements come back to the Board first.")),
    (95, "cqc", "RFH", "positive",
     "Clinical leaders from the trust supported the county-wide stroke pathway decision.",
     [(30, "Medical director spoke in favour at the clinical senate despite local cost.", "Sunita Desai")],
     None),
    (120, "nhsei", "STP", "mixed",
     "System leadership is visible but the single voice to regulators is not yet consistent.",
     [(14, "Two trusts gave different accounts of the elective recovery plan in the same week.", None)],
     (10, "referred_to_programme_board", "Referred to the Programme Board's quarterly review.")),
    (150, "hwb", "WNC", "mixed",
     "Mental health services engaged well, but community teams were absent from two workshops.",
     [(25, "No community representative at the frailty workshop.", None),
      (11, "Strong service user involvement in the crisis care pathway.", None)],
     None),
    (185, "cqc", "NVH", "positive",
     "Ward teams now recognise the PVB; the trust celebrated a joint success with the council.",
     [(21, "Joint discharge team recognised at the trust's staff awards.", None)],
     (7, "acknowledged", "Noted with thanks and shared with the Chairs.")),
    (210, "nhsei", "CKCCG", "mixed",
     "The CCG challenges constructively in meetings; follow-through on agreed actions is slow.",
     [(40, "Three actions from the Q2 review still open.", None)],
     None),
    (245, "hwb", "SCC", "concerning",
     "The council's cabinet took a decision on care home fees that the STP had not discussed.",
     [(9, "Cabinet paper published without reference to the STP's agreed process.", None)],
     (5, "disputed", "The Chair of the council has explained the statutory timetable; we will "
      "agree a protocol for decisions that affect partners.")),
    (300, "cqc", "WNC", "positive",
     "Staff describe being able to speak up; the trust resolved a cross-organisational concern locally.",
     [(33, "A concern with the acute trust was settled by the two Chief Executives within a week.", None)],
     (8, "acknowledged", "Thank you.")),
    (330, "nhsei", "RFH", "concerning",
     "Critical emails about partners continue to circulate beyond the meeting that agreed actions.",
     [(15, "An email critical of the community trust was copied to fourteen people.", None)],
     None),
]

# (day, assessment kind, assessment, tenor, comment)
COMMENTS = [
    (180, "performance_review", "2025/26 mid-year system performance review", "mixed",
     "The PVB are well known at Board level; implementation in day-to-day operations varies."),
    (340, "sign_off", "Sign-off of the 2026/27 system operating plan", "positive",
     "The plan was agreed as a single system position, with partners' disagreements resolved locally."),
]


def feedback_id(index: int) -> Any:
    """The stable id of the demo's n-th feedback item (makes the section idempotent)."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:demo-feedback:{index}")


def build_feedback(ledger: Any, cast: Any) -> int:
    """A year of regulator and HWB feedback, comments on implementation and responses."""
    if ledger._exists(feedback_id(0)):
        return 0
    _nhsei_login(ledger, cast)
    ichair = cast.actors["ichair"]
    added, previous = 0, None
    for index, (day, login, about, tenor, summary, examples, response) in enumerate(FEEDBACK):
        given_on = cast.day(day)
        fid = ledger.give_feedback(
            cast.actors[login], organisation=about, tenor=tenor, summary=summary,
            examples=[
                {"occurred_on": cast.day(day - before), "description": text,
                 "person_id": cast.person(person) if person else None,
                 "positions": [previous] if previous and i == 0 and index % 3 == 2 else []}
                for i, (before, text, person) in enumerate(examples)
            ],
            citations=["V-2", "B-2"] if tenor != "positive" else ["SL-1"],
            occurred_on=given_on, feedback_id=feedback_id(index),
        )
        previous = ledger.last_write_position
        added += 1
        if response is not None:
            after, action, text = response
            ledger.respond_to_feedback(ichair, fid, action=action, response=text, occurred_on=cast.day(day + after))
            added += 1
    first = str(feedback_id(0))
    ledger.correct_feedback(
        cast.actors["cqc"], first, tenor="concerning", reason="Our inspection notes were misread: "
        "most ward managers interviewed had not heard of the principles", occurred_on=cast.day(60),
    )
    for offset, (day, kind, assessment, tenor, comment) in enumerate(COMMENTS):
        ledger.comment_on_implementation(
            cast.actors["nhsei"], assessment_kind=kind, assessment=assessment, tenor=tenor,
            summary=comment, occurred_on=cast.day(day), feedback_id=feedback_id(100 + offset),
            examples=[{"occurred_on": cast.day(day - 20), "description": "Reviewed at the regional "
                       "assurance meeting with the STP's leaders.", "positions": []}],
        )
        added += 1
    return added + 1


def _nhsei_login(ledger: Any, cast: Any) -> None:
    """A login for NHS England and Improvement's regulator, beside the demo's CQC one."""
    from application.demo import DEMO_PASSWORD

    username, role, org, name = NHSEI_LOGIN
    if not ledger.user_exists(username):
        ledger.add_user(
            SYSTEM, username=username, password=DEMO_PASSWORD, role=role.value, organisation=org,
            person_id=cast.person_ids.get(name),
        )
    cast.actors[username] = Actor(username, role, org, cast.person_ids.get(name))
