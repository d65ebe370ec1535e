"""Demo: a year of adoption, objectives, reviews, commendations, Chairs' meetings and development,
with gaps and overdue items so every view has something to show (the reports follow, drawn once
everything else is recorded: application/demo_reports.py).

Idempotent: it does nothing once the paper has been taken to the first trust's Board.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

from domain.adoption import adoption_id
from domain.periods import Period, financial_year_of, periods_from, quarter_of
from domain.values import SYSTEM, Actor, Role

# (organisation, body, day taken, decision, day decided, amendments, roles accepted)
ADOPTION = [
    ("NVH", "Board of Directors", 10, "supported", 24, None, ()),
    ("RFH", "Trust Board", 12, "supported_with_amendments", 30,
     "Add clinical leadership to the system leadership principles", ()),
    ("WNC", "Board of Directors", 14, "supported", 28, None, ()),
    ("NCCG", "Governing Body", 15, "supported", 35, None, ()),
    ("CKCCG", "Governing Body", 18, "deferred", 40, None, ()),
    ("CQC", "Central region leadership team", 20, "supported", 50, None,
     ("supporting_an_enabling_environment", "providing_feedback")),
    ("NHSEI", "Midlands regional leadership team", 20, "supported", 45, None,
     ("supporting_an_enabling_environment", "providing_feedback", "receiving_feedback")),
    ("HWB", "Health and Wellbeing Board", 25, None, None, None, ()),
]  # SCC: the paper is still to go to the Council's Cabinet
# The meeting bodies (application/demo_meetings.py) sent the paper: (code, day sent, day terms updated).
COMMITTEES = [("FPC", 20, 60), ("CLIN", 20, 75), ("DIGI", 22, None)]  # DIGI: the gap to show
EXTRA_CHAIRS = [("chair.wnc", "WNC", "Elaine Forsyth"), ("chair.nccg", "NCCG", "Patricia Lowe"),
                ("chair.ckccg", "CKCCG", "Dr Ian Mercer"), ("chair.scc", "SCC", "Cllr Brian Naylor")]
# Senior leaders without a PVB objective this year: the gaps the coverage view names.
GAPS = {"RFH": {"Owen Carter", "Martin Greaves"}, "NCCG": {"Rachel Obi"},
        "SCC": {"Angela Price", "Cllr Brian Naylor"}, "CKCCG": {"Dr Ian Mercer", "Kevin Shah", "Lorraine Tate"}}
LEADERS = {
    "NVH": ["Margaret Ashby", "Daniel Okafor", "Priya Raman", "Tom Whitlock", "Helen Marsh"],
    "RFH": ["Sir Colin Pryce", "Aisha Bello", "Martin Greaves", "Sunita Desai", "Owen Carter"],
    "WNC": ["Elaine Forsyth", "Robert Hale", "Nadia Kowalski", "James Adeyemi"],
    "NCCG": ["Patricia Lowe", "Simon Fairbairn", "Rachel Obi"],
    "CKCCG": ["Dr Ian Mercer", "Lorraine Tate", "Kevin Shah"],
    "SCC": ["Cllr Brian Naylor", "Fiona Drummond", "Angela Price"],
    "STP": ["Dame Judith Carrow", "Michael Thorne"],
}
OBJECTIVES = [
    ("Resolve disagreements with partner organisations face to face and swiftly", ["SL-4", "B-1"]),
    ("Present a single system view to regulators on the urgent care plan", ["SL-5", "V-2"]),
    ("Speak up in the Programme Board and own its decisions afterwards", ["B-2", "B-7"]),
]
CHAIR_LOGINS = {"NVH": "chair.nvh", "RFH": "chair.rfh", "WNC": "chair.wnc", "NCCG": "chair.nccg",
                "CKCCG": "chair.ckccg", "SCC": "chair.scc", "STP": "ichair"}


def build_governance(ledger: Any, cast: Any) -> int:
    """A year of the plan's governance; returns how many records were added."""
    if ledger._exists(adoption_id("NVH")):
        return 0
    today = cast.start + timedelta(days=364)
    demo = _Demo(ledger, cast, today)
    with _listeners_told_once(ledger):
        demo.chairs()
        for step in (demo.adoption, demo.objectives, demo.reviews, demo.commendations,
                     demo.chairs_meetings, demo.development):
            step()
    return demo.added


@contextmanager
def _listeners_told_once(ledger: Any) -> Iterator[None]:
    """Tell the write listeners (views' catch-up, sealing) once at the end, not after each write.

    Listeners take the newest position and bring everything up to it, so one call at the end
    does what a call after every write would, without a catch-up per record.
    """
    listeners = getattr(ledger, "_listeners", None)
    if not isinstance(listeners, list):
        yield
        return
    saved = list(listeners)
    listeners.clear()
    try:
        yield
    finally:
        listeners.extend(saved)
        position = ledger.max_position()
        for listener in saved:
            listener(position)


class _Demo:
    def __init__(self, ledger: Any, cast: Any, today: date) -> None:
        self.ledger, self.cast, self.today, self.added = ledger, cast, today, 0
        self.lead, self.ichair = cast.actors["lead"], cast.actors["ichair"]

    def do(self, command: str, *args: Any, **kwargs: Any) -> Any:
        self.added += 1
        return getattr(self.ledger, command)(*args, **kwargs)

    def day(self, n: int) -> date:
        return min(self.cast.day(n), self.today)

    def p(self, name: str) -> str:
        return self.cast.person(name)

    def chairs(self) -> None:
        from application.demo import DEMO_PASSWORD

        for username, org, name in EXTRA_CHAIRS:
            if not self.ledger.user_exists(username):
                self.do("add_user", SYSTEM, username=username, password=DEMO_PASSWORD, role="chair",
                        organisation=org, person_id=self.p(name))
            self.cast.actors[username] = Actor(username, Role.CHAIR, org, self.p(name))

    def adoption(self) -> None:
        for org, body, taken, decision, decided, amendments, roles in ADOPTION:
            self.do("take_paper_to_board", self.lead, organisation=org, body=body, occurred_on=self.day(taken))
            if decision and decided is not None:
                self.do("record_adoption_decision", self.lead, organisation=org, decision=decision,
                        amendments=amendments, roles_accepted=roles, occurred_on=self.day(decided),
                        note="Minuted as agreed" if decision != "deferred" else "Deferred pending the merger of the CCGs")
        self.do("correct_adoption_decision", self.lead, organisation="NHSEI", decision="supported",
                roles_accepted=("supporting_an_enabling_environment", "providing_feedback"),
                reason="the minutes show NHSEI did not take on receiving feedback", occurred_on=self.day(52))
        for code, notified, updated in COMMITTEES:
            self.do("notify_body", self.lead, code, occurred_on=self.day(notified),
                    note="Paper sent with the request to update the terms of reference")
            if updated:
                self.do("update_terms_of_reference", self.lead, code, reference=f"{code} terms of reference v2",
                        summary="Adds the agreed principles, values and behaviours, the opening check on "
                        "representation and the closing adherence vote.", occurred_on=self.day(updated))

    def objectives(self) -> None:
        this_year = financial_year_of(self.today)
        last_year = this_year.previous()
        outcomes = ["met", "partly_met", "met", "not_met", "met"]
        for org in ("NVH", "RFH", "WNC"):  # last year's objectives, assessed at year end
            chair = self.cast.actors[CHAIR_LOGINS[org]]
            for i, name in enumerate(LEADERS[org][:4]):
                oid = self._objective(chair, name, i, last_year, self.day(3))
                assessed = last_year.end + timedelta(days=20)
                if oid and self.cast.start <= assessed <= self.today:
                    self.do("assess_objective", chair, oid, outcome=outcomes[i % 5], occurred_on=assessed,
                            comment="Discussed at the year-end appraisal")
                    if org == "RFH" and i == 3:
                        self.do("correct_objective_assessment", chair, oid, outcome="partly_met",
                                reason="the appraisal form was misread", occurred_on=assessed + timedelta(days=7))
        set_on = this_year.start + timedelta(days=30)
        if set_on > self.today:
            return
        for org, names in LEADERS.items():
            chair = self.cast.actors[CHAIR_LOGINS[org]]
            for i, name in enumerate(names):
                if name in GAPS.get(org, set()):
                    continue
                oid = self._objective(chair, name, i, this_year, set_on)
                if oid and i == 1 and set_on + timedelta(days=90) <= self.today:
                    self.do("note_objective_progress", chair, oid, occurred_on=set_on + timedelta(days=90),
                            note="Mid-year: two difficult conversations held face to face, both resolved")

    def _objective(self, chair: Actor, name: str, i: int, year: Period, when: date) -> str | None:
        text, citations = OBJECTIVES[i % len(OBJECTIVES)]
        return self.do("set_objective", chair, person_id=self.p(name), text=text, citations=citations,
                       period_start=year.start, period_end=year.end, occurred_on=when)

    def _quarters(self) -> list[Period]:
        return periods_from(quarter_of(self.day(10)), self.today)

    def _in(self, q: Period, offset: int) -> date | None:
        """A day about offset days into the quarter, within the demo year and the quarter."""
        when = max(q.start + timedelta(days=offset), self.day(12))
        return when if q.contains(when) and when < self.today else None

    def reviews(self) -> None:
        owners = ["Michael Thorne", "Daniel Okafor", "Fiona Drummond", "Aisha Bello", "Robert Hale"]
        for n, q in enumerate(self._quarters()):
            held = self._in(q, 45)
            if held is None:
                continue
            self.do("hold_review", self.lead, occurred_on=held,
                    summary=f"The Board reviewed adherence across the partnership for {q.label}.")
            actions = [
                {"text": "Circulate the adherence results to every Board", "owner_person_id": self.p(owners[n % 5]),
                 "due_on": held + timedelta(days=30)},
                {"text": "Agree a joint message to regulators on winter pressures",
                 "owner_person_id": self.p(owners[(n + 1) % 5]), "due_on": held + timedelta(days=60)},
            ]
            self.do("record_review_decision", self.lead, q.key, occurred_on=held, actions=actions,
                    decided="Keep the closing adherence vote at every cross-organisational meeting",
                    learning="Disagreements settled face to face were settled faster",
                    good_practice="WNC's Board opens with a PVB check-in",
                    successes="The joint discharge scheme went live on time",
                    issues_resolved="The dispute on the community beds contract was settled locally")
            self._progress_actions(q.key, held, n)

    def _progress_actions(self, quarter: str, held: date, n: int) -> None:
        done_on = held + timedelta(days=25)
        if n % 3 == 0 and done_on < self.today:
            self.do("update_review_action", self.lead, quarter, 1, status="done", occurred_on=done_on,
                    note="Sent to all Boards")
        elif n % 3 == 1 and done_on < self.today:
            self.do("update_review_action", self.lead, quarter, 1, status="carried_forward",
                    due_on=held + timedelta(days=75), occurred_on=done_on,
                    note="Waiting for the survey results")
        if n == 1 and held + timedelta(days=40) < self.today:
            self.do("update_review_action", self.lead, quarter, 2, status="dropped",
                    occurred_on=held + timedelta(days=40),
                    note="Superseded by the regional winter letter")

    def commendations(self) -> None:
        a = self.cast.actors
        nominations = [
            (a["chair.nvh"], "Helen Marsh", ["B-6", "B-8"], 60, "commended", 95,
             "Led the joint celebration of the discharge scheme across three trusts"),
            (a["ceo.rfh"], "Sunita Desai", ["B-1"], 150, "commended", 190,
             "Settled the theatre lists dispute face to face within a week"),
            (a["staff.nvh"], "James Adeyemi", ["B-4"], 200, None, None,
             "Took personal responsibility for the crisis pathway when it stalled"),
            (a["ceo.nvh"], "Kevin Shah", ["B-5"], 250, "not_commended", 280,
             "Proposed the shared savings pilot despite the risk"),
        ]
        for actor, nominee, cited, day, decision, decided, example in nominations:
            cid = self.do("nominate_for_commendation", actor, nominee_id=self.p(nominee), citations=cited,
                          examples=[example], occurred_on=self.day(day))
            if decision and decided is not None:
                self.do("decide_commendation", self.ichair, cid, decision=decision, occurred_on=self.day(decided),
                        reason="Agreed by the Programme Board" if decision == "commended"
                        else "Worthy, but the Board wants to see the pilot's results first")
        cid = self.do("nominate_for_commendation", a["board.nvh"], nominee_id=self.p("Owen Carter"),
                      citations=["B-3"], examples=["Held partners to account on the digital plan"],
                      occurred_on=self.day(120))
        self.do("withdraw_commendation", a["board.nvh"], cid, reason="Nominated twice by mistake",
                occurred_on=self.day(122))

    def chairs_meetings(self) -> None:
        everyone = ["NVH", "RFH", "WNC", "NCCG", "CKCCG", "SCC"]
        for n, q in enumerate(self._quarters()):
            held = self._in(q, 35)
            if held is None or n == 2:  # the third quarter's meeting never happened: overdue
                continue
            attended = [code for i, code in enumerate(everyone) if (i + n) % 4 != 3]
            actions = [{"text": "Each Chair to raise the PVB at their next Board", "owner_organisation": "STP",
                        "due_on": held + timedelta(days=45)}]
            self.do("hold_chairs_meeting", self.ichair, attended=attended, actions=actions, occurred_on=held,
                    progress_reviewed="Adherence votes, concerns escalated and the objectives coverage",
                    successes="Two concerns resolved locally between Chief Executives")
            if held + timedelta(days=30) < self.today:
                self.do("complete_chairs_meeting_action", self.ichair, q.key, 1,
                        occurred_on=held + timedelta(days=30), note="Done at every Board")

    def development(self) -> None:
        a = self.cast.actors
        s1 = self.do("hold_learning_session", self.lead, title="Holding challenging conversations",
                     facilitator="NHS Improvement", citations=["B-1", "B-3"], occurred_on=self.day(70))
        self.do("record_session_attendance", self.lead, s1, occurred_on=self.day(70), attendees=[self.p(n) for n in (
            "Margaret Ashby", "Daniel Okafor", "Sir Colin Pryce", "Aisha Bello", "Elaine Forsyth", "Robert Hale",
            "Patricia Lowe", "Fiona Drummond", "Dame Judith Carrow", "Michael Thorne")])
        s2 = self.do("hold_learning_session", self.lead, title="Leading across organisational boundaries",
                     facilitator="The King's Fund", citations=["SL-1"], occurred_on=self.day(210))
        self.do("record_session_attendance", self.lead, s2, occurred_on=self.day(211), attendees=[self.p(n) for n in (
            "Margaret Ashby", "Aisha Bello", "Simon Fairbairn", "Lorraine Tate", "Michael Thorne")])
        pledges = [("chair.nvh", "I will raise disagreements face to face, never by email", ["B-1"], "kept"),
                   ("ceo.nvh", "I will speak up in the meeting, not after it", ["B-2"], "partly_kept"),
                   ("ceo.rfh", "I will back the Programme Board's decisions in my own Board", ["B-7"], None),
                   ("chair.rfh", "I will celebrate shared successes publicly", ["B-6"], None),
                   ("ao", "I will resolve escalations within ten working days", ["SL-4"], "kept")]
        for login, text, cited, outcome in pledges:
            pid = self.do("make_pledge", a[login], text=text, citations=cited, occurred_on=self.day(72))
            if outcome:
                self.do("revisit_pledge", a[login], pid, outcome=outcome, occurred_on=self.day(250),
                        reflection="Revisited at the second learning session")
