"""Property-based tests of every aggregate: random command sequences never break its rules, and
replaying the events it recorded (as they are, and after the ledger's transcoder round trip)
rebuilds an equal state.

For each aggregate a spec gives a valid start, its commands with arguments drawn from hostile and
ordinary values, and its invariants. Every run checks that:
- a refused command (any DomainError) records nothing and leaves the state exactly as it was;
- the aggregate's invariants hold after every command;
- the versions of the recorded events run 1..n, and replaying them rebuilds an equal state.

PVB_HYPOTHESIS_PROFILE=full runs many more examples (the default "ci" profile is bounded).
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from application import Database, Ledger
from domain.access import CaseAccess, RecordReads
from domain.adoption import DECISIONS as ADOPTION_DECISIONS
from domain.adoption import Adoption
from domain.chair_meeting import AgreedAction, ChairsMeeting
from domain.commendation import DECISIONS as COMMENDATION_DECISIONS
from domain.commendation import Commendation
from domain.concern import Concern
from domain.concern_numbers import ConcernNumbers
from domain.concern_routes import ROUTE_STAGES
from domain.development import PLEDGE_OUTCOMES, LearningSession, Pledge
from domain.errors import DomainError
from domain.feedback import Feedback
from domain.feedback_rules import Example, OrganisationRef
from domain.figures import draw
from domain.framework import CatalogueItem, Framework
from domain.meeting import Meeting
from domain.meeting_body import VOTE_MODES, MeetingBody
from domain.meeting_votes import VERDICTS
from domain.objective import OUTCOMES, Objective
from domain.organisation import Organisation
from domain.person import Person
from domain.report import Report
from domain.review import Review
from domain.sign_ins import SignInDay
from domain.survey import Survey
from domain.survey_panel import LEAVING_REASONS, SurveyPanel
from domain.user import User
from domain.values import Actor, Office, OrganisationKind, Personal, Role

settings.register_profile("ci", max_examples=100, deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("full", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("PVB_HYPOTHESIS_PROFILE", "ci")
MAX_STEPS = 12 if PROFILE == "ci" else 40

TODAY = date(2026, 6, 15)
LEAD = Actor("lead", Role.GOVERNANCE_LEAD)
ICHAIR = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP", "p-ichair")
CQC = Actor("cqc", Role.REGULATOR, "CQC", "p-cqc")
STAFF = Actor("staff.nvh", Role.STAFF, "NVH", "p-staff-nvh")
CHAIR_NVH = Actor("chair.nvh", Role.CHAIR, "NVH", "p-chair-nvh")
ACTORS = (LEAD, ICHAIR, CQC, STAFF, CHAIR_NVH,
          Actor("ceo.nvh", Role.CHIEF_EXECUTIVE, "NVH", "p-ceo-nvh"),
          Actor("ceo.rfh", Role.CHIEF_EXECUTIVE, "RFH", "p-ceo-rfh"),
          Actor("ao", Role.ACCOUNTABLE_OFFICER, "STP", "p-ao"),
          Actor("chair.rfh", Role.CHAIR, "RFH", "p-chair-rfh"),
          Actor("staff.rfh", Role.STAFF, "RFH", "p-staff-rfh"))
ORGS = ("NVH", "RFH", "STP", "CQC", "XXX", "")
PEOPLE = ("p-staff-nvh", "p-staff-rfh", "p-ceo-nvh", "p-ceo-rfh", "p-chair-nvh", "p-x", "")
CHECKPOINT = {"origin": "pvb", "size": 10, "root_hash": "ab" * 32, "time": "2026-06-15T10:00:00+00:00",
              "key_id": "k1", "signature": "c2ln", "body": "pvb\n10\n"}
ITEMS = ("B-1", "B-2", "V-1", "SD-1", "Z-9")

# Values a hostile or careless caller might send, next to ordinary ones.
# Most draws are ordinary, so that sequences go deep; the rest probe the rules.
texts = st.one_of(
    st.sampled_from(["Agreed at the Board", "Discussed openly", "ok"]),
    st.sampled_from(["  ", "", "x" * 20_001, "tab\there", "bell\x07", "nul\x00"]),
    st.text(max_size=40),
)
days = st.one_of(st.sampled_from([TODAY, TODAY + timedelta(days=1), TODAY + timedelta(days=40)]),
                 st.dates(TODAY - timedelta(days=800), TODAY + timedelta(days=60)))
counts = st.integers(-3, 10**7)
actors = st.sampled_from(ACTORS)
orgs = st.sampled_from(ORGS)
people = st.sampled_from(PEOPLE)
items = st.lists(st.sampled_from(ITEMS), max_size=3)


@dataclass
class Spec:
    """How to start an aggregate, the commands it takes, and what must always hold of it."""

    start: Callable[[st.DataObject], Any]
    commands: dict[str, Callable[[st.DataObject, Any], Any]]
    invariant: Callable[[Any], None] = field(default=lambda _agg: None)


class Directory:
    """Office holders for the concern's guards: a fixed directory of the cast above."""

    HOLDERS = {(Office.CHIEF_EXECUTIVE, "NVH"): "p-ceo-nvh", (Office.CHIEF_EXECUTIVE, "RFH"): "p-ceo-rfh",
               (Office.CHAIR, "NVH"): "p-chair-nvh", (Office.CHAIR, "RFH"): "p-chair-rfh",
               (Office.ACCOUNTABLE_OFFICER, "STP"): "p-ao", (Office.INDEPENDENT_CHAIR, "STP"): "p-ichair"}

    def holder(self, office: Office, organisation: str) -> Personal | None:
        person = self.HOLDERS.get((office, organisation))
        return None if person is None else Personal(person, f"Holder {person}")


HOLDERS = Directory()


def state(agg: Any) -> dict[str, Any]:
    """An aggregate's whole state, without the events waiting to be saved."""
    return {k: v for k, v in vars(agg).items() if k != "_pending_events"}


def replay(events: list[Any]) -> Any:
    """Rebuild an aggregate by applying its events in order, from nothing."""
    agg = None
    for recorded in events:
        agg = recorded.mutate(agg)
    return agg


# Invariants -----------------------------------------------------------------------------------


def concern_invariant(c: Concern) -> None:
    assert (c.closed_on is None) == c.stage.is_open
    assert not c.stage.is_open or c.stage in ROUTE_STAGES[c.route]
    assert c.closed_on is None or c.closed_on >= c.raised_on


def meeting_invariant(m: Meeting) -> None:
    assert set(m.votes) <= set(m.attendees) | {m.chair_person_id}, "only attendees vote"
    assert all(v["verdict"] in VERDICTS for v in m.votes.values())
    assert set(m.tallies) <= set(m.attendees.values()) | {"STP"}, "tallies only for organisations present"
    assert all(min(t) >= 0 for t in m.tallies.values())
    assert not (m.votes and m.tallies), "a meeting votes by attendee or by tally, never both"


def survey_invariant(s: Survey) -> None:
    assert all(min(c.values(), default=0) >= 0 for c in s.results.values())


def panel_invariant(p: SurveyPanel) -> None:
    assert len(set(p.members)) == len(p.members)


def numbers_invariant(n: ConcernNumbers) -> None:
    assert n.last >= 0 if hasattr(n, "last") else True


# Specs ----------------------------------------------------------------------------------------


def _meeting(d: st.DataObject) -> Meeting:
    attendees = [("p-ceo-nvh", "NVH"), ("p-ceo-rfh", "RFH"), ("p-staff-nvh", "NVH")]
    return Meeting.record(id=uuid4(), body="PB", title="Board", chair=("p-ichair", "STP"), attendees=attendees,
                          vote_mode=d.draw(st.sampled_from(VOTE_MODES)), actor=LEAD, held_on=TODAY)


def _concern(d: st.DataObject) -> Concern:
    raiser = d.draw(st.sampled_from([("p-staff-nvh", "NVH", "p-staff-rfh", "RFH", None),
                                              ("p-staff-nvh", "NVH", "p-ceo-rfh", "RFH", Office.CHIEF_EXECUTIVE),
                                              ("p-ichair", "STP", "p-staff-rfh", "RFH", None)]))
    rid, rorg, sid, sorg, office = raiser
    actor = next(a for a in ACTORS if a.person_id == rid)
    kinds = {"NVH": OrganisationKind.ACUTE_TRUST, "RFH": OrganisationKind.ACUTE_TRUST, "STP": OrganisationKind.STP}
    return Concern.raise_concern(
        number=1, raiser=Personal(rid, "Raiser"), raiser_organisation=(rorg, kinds[rorg]),
        subject=Personal(sid, "Subject"), subject_organisation=(sorg, kinds[sorg]), subject_office=office,
        stp="STP", citations=(1, ["B-1"]), narrative="Critical emails", examples="Three", confidential=False,
        holders=HOLDERS, actor=actor, occurred_on=TODAY - timedelta(days=30))


def holder_first(c: Concern) -> Any:
    """Actors, most often the one who holds the concern now, so that sequences climb the route."""
    if not c.stage.is_open:  # closed: no holder; anyone may try (the rules say who may reopen)
        return actors
    office, org = c._holder_post()
    holder = [a for a in ACTORS if a.person_id == Directory.HOLDERS.get((office, org))]
    return st.one_of(st.sampled_from(holder), actors) if holder else actors


def _actions(d: st.DataObject) -> list[Any]:
    return [AgreedAction(d.draw(texts), d.draw(orgs), d.draw(days)) for _ in range(d.draw(st.integers(0, 2)))]


def _example(d: st.DataObject) -> Example:
    return Example(d.draw(days), d.draw(texts), d.draw(st.one_of(st.none(), people)),
                   tuple(d.draw(st.lists(st.integers(-1, 5), max_size=2))))


def _item(d: st.DataObject, ident: str | None = None) -> CatalogueItem:
    return CatalogueItem(ident or d.draw(st.sampled_from(ITEMS)), d.draw(st.sampled_from(["value", "behaviour", "x"])),
                         "group", d.draw(texts))


SPECS: dict[str, Spec] = {
    "Concern": Spec(_concern, {
        "chief_executives": lambda d, c: c.record_chief_executives_discussion(
            d.draw(holder_first(c)), HOLDERS, d.draw(st.sampled_from(["resolved", "difference_of_view", "x"])),
            d.draw(texts), d.draw(days)),
        "accountable_officer": lambda d, c: c.record_accountable_officer_decision(
            d.draw(holder_first(c)), HOLDERS, d.draw(st.sampled_from(["resolved", "escalated", "x"])), d.draw(texts),
            d.draw(days)),
        "independent_chair": lambda d, c: c.record_independent_chair_resolution(
            d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(days)),
        "chair_handling": lambda d, c: c.record_chair_handling(d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(days)),
        "discussion": lambda d, c: c.record_discussion_with_individual(
            d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(days)),
        "performance_review": lambda d, c: c.record_performance_review(
            d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(st.sampled_from(["reflected", "not_appropriate", ""])),
            d.draw(days)),
        "not_applicable": lambda d, c: c.record_follow_up_not_applicable(
            d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(days)),
        "withdraw": lambda d, c: c.withdraw(d.draw(holder_first(c)), d.draw(st.one_of(st.none(), texts)), d.draw(days)),
        "reopen": lambda d, c: c.reopen(d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(days)),
        "note": lambda d, c: c.add_note(d.draw(holder_first(c)), HOLDERS, d.draw(texts), d.draw(days)),
        "correct": lambda d, c: c.correct_step(
            d.draw(holder_first(c)), HOLDERS, corrects=d.draw(st.integers(0, 6)), reason=d.draw(texts),
            account=d.draw(st.one_of(st.none(), texts)), corrected_occurred_on=d.draw(st.one_of(st.none(), days)),
            occurred_on=d.draw(days)),
    }, concern_invariant),
    "ConcernNumbers": Spec(lambda d: ConcernNumbers.start(LEAD, TODAY), {
        "issue": lambda d, n: n.issue(LEAD, d.draw(days)),
    }),
    "Meeting": Spec(_meeting, {
        "check": lambda d, m: m.check_representation(
            all_views_represented=d.draw(st.booleans()), missing_views=d.draw(st.lists(texts, max_size=2)),
            speaking_up_expected=d.draw(st.booleans()), actor=LEAD, occurred_on=d.draw(days)),
        "corrective_step": lambda d, m: m.agree_corrective_step(
            step=d.draw(texts), missing_view=d.draw(st.one_of(st.none(), texts)),
            owner_organisation=d.draw(st.one_of(st.none(), orgs)), actor=LEAD, occurred_on=d.draw(days)),
        "vote": lambda d, m: m.cast_vote(
            person_id=d.draw(people), verdict=d.draw(st.sampled_from((*VERDICTS, "maybe"))),
            catalogue_items=d.draw(items), framework_version=1, comment=d.draw(st.one_of(st.none(), texts)),
            actor=LEAD, occurred_on=d.draw(days)),
        "correct_vote": lambda d, m: m.correct_vote(
            person_id=d.draw(people), verdict=d.draw(st.sampled_from(VERDICTS)), catalogue_items=d.draw(items),
            framework_version=1, comment=None, reason=d.draw(texts), actor=LEAD, occurred_on=d.draw(days)),
        "tally": lambda d, m: m.record_tally(
            organisation=d.draw(orgs), counts=(d.draw(counts), d.draw(counts), d.draw(counts)), actor=LEAD,
            occurred_on=d.draw(days)),
        "correct_tally": lambda d, m: m.correct_tally(
            organisation=d.draw(orgs), counts=(d.draw(counts), d.draw(counts), d.draw(counts)),
            reason=d.draw(texts), actor=LEAD, occurred_on=d.draw(days)),
        "close": lambda d, m: m.close_voting(LEAD, d.draw(days)),
    }, meeting_invariant),
    "MeetingBody": Spec(lambda d: MeetingBody.establish(
        code="PB", name="Programme Board", kind="programme_board", reports_to=None, vote_mode="by_attendee",
        actor=LEAD, occurred_on=TODAY), {
        "notify": lambda d, b: b.notify(d.draw(texts), LEAD, d.draw(days)),
        "terms": lambda d, b: b.update_terms_of_reference(d.draw(texts), d.draw(texts), 1, LEAD, d.draw(days)),
        "vote_mode": lambda d, b: b.change_vote_mode(d.draw(st.sampled_from((*VOTE_MODES, "x"))), d.draw(texts),
                                                     LEAD, d.draw(days)),
        "secretary": lambda d, b: b.appoint_secretary(d.draw(people), LEAD, d.draw(days)),
        "secretary_stands_down": lambda d, b: b.stand_down_secretary(d.draw(texts), LEAD, d.draw(days)),
    }),
    "SignInDay": Spec(lambda d: SignInDay.summarise(
        day=TODAY - timedelta(days=d.draw(st.integers(1, 3))), failed=d.draw(st.integers(0, 10**6)),
        refused=d.draw(st.integers(0, 10**6)), actor=LEAD, occurred_on=TODAY), {}),
    "Survey": Spec(lambda d: Survey.open(
        code="ASQ-1", kind="all_staff", title="Pulse", period="2026-27-Q1", questions=_all_staff_questions(),
        framework_version=1, actor=LEAD, occurred_on=TODAY), {
        "record": lambda d, s: s.record_results(
            organisation=d.draw(orgs), question=d.draw(st.sampled_from(["q1", "q2", "q9"])),
            counts={d.draw(st.sampled_from(["Agree", "Disagree", "Maybe"])): d.draw(counts)},
            source=d.draw(st.sampled_from(["entered", "csv", "x"])), actor=LEAD, occurred_on=d.draw(days)),
        "correct": lambda d, s: s.correct_results(
            organisation=d.draw(orgs), question=d.draw(st.sampled_from(["q1", "q2"])),
            counts={"Agree": d.draw(counts), "Disagree": d.draw(counts)}, reason=d.draw(texts), actor=LEAD,
            occurred_on=d.draw(days)),
    }, survey_invariant),
    "SurveyPanel": Spec(lambda d: SurveyPanel.agree([("p-staff-nvh", "NVH")], LEAD, TODAY), {
        "add": lambda d, p: p.add_member(d.draw(people), d.draw(orgs), LEAD, d.draw(days)),
        "remove": lambda d, p: p.remove_member(d.draw(people), d.draw(st.sampled_from((*LEAVING_REASONS, "x"))),
                                               LEAD, d.draw(days)),
    }, panel_invariant),
    "Organisation": Spec(lambda d: Organisation.register("NVH", "Nene Valley", OrganisationKind.ACUTE_TRUST,
                                                          LEAD, TODAY), {
        "rename": lambda d, o: o.rename(d.draw(texts), d.draw(texts), LEAD, d.draw(days)),
        "appoint": lambda d, o: o.appoint(d.draw(st.sampled_from(list(Office))), d.draw(people), LEAD, d.draw(days)),
        "vacate": lambda d, o: o.vacate(d.draw(st.sampled_from(list(Office))), LEAD, d.draw(days)),
    }),
    "Person": Spec(lambda d: Person.join(id=uuid4(), name="Dan", organisation="NVH", title="CE", senior_leader=True,
                                         clinical=False, actor=LEAD, occurred_on=TODAY), {
        "move": lambda d, p: p.move(d.draw(orgs), d.draw(texts), d.draw(st.booleans()), LEAD, d.draw(days)),
        "leave": lambda d, p: p.leave(LEAD, d.draw(days)),
        "erase": lambda d, p: p.record_erasure(d.draw(texts), LEAD, d.draw(days)),
    }),
    "User": Spec(lambda d: User.add(username="dan", role=Role.STAFF, organisation="NVH", person_id=None,
                                    password_hash="$argon2id$x", actor=LEAD, occurred_on=TODAY), {
        "password": lambda d, u: u.set_password(d.draw(texts), LEAD, d.draw(days)),
        "role": lambda d, u: u.change_role(d.draw(st.sampled_from(list(Role))), d.draw(st.one_of(st.none(), orgs)),
                                           LEAD, d.draw(days)),
        "disable": lambda d, u: u.disable(d.draw(texts), LEAD, d.draw(days)),
        "enable": lambda d, u: u.enable(d.draw(texts), LEAD, d.draw(days)),
        "unlock": lambda d, u: u.unlock(d.draw(texts), LEAD, d.draw(days)),
        "link": lambda d, u: u.link_person(d.draw(people), LEAD, d.draw(days)),
        "sign_in": lambda d, u: u.record_sign_in(d.draw(st.booleans()), d.draw(days)),
        "sign_out": lambda d, u: u.record_sign_out(d.draw(days)),
    }),
    "Framework": Spec(lambda d: Framework.adopt(
        [CatalogueItem("B-1", "behaviour", "g", "Be kind"), CatalogueItem("V-1", "value", "g", "Trust")],
        "paper", LEAD, TODAY), {
        "amend": lambda d, f: f.amend(
            added=[_item(d, d.draw(st.sampled_from(["B-2", "B-1", "V-9"])))], changed=[_item(d)] * d.draw(
                st.integers(0, 1)), withdrawn=d.draw(st.lists(st.sampled_from(ITEMS), max_size=1)),
            reason=d.draw(texts), actor=LEAD, occurred_on=d.draw(days)),
    }),
    "Adoption": Spec(lambda d: Adoption.take_paper("NVH", d.draw(st.booleans()), "Board", LEAD, TODAY), {
        "decide": lambda d, a: a.record_decision(
            d.draw(st.sampled_from((*ADOPTION_DECISIONS, "x"))), d.draw(st.one_of(st.none(), texts)),
            d.draw(st.lists(st.sampled_from(["assurance", "x"]), max_size=1)), d.draw(texts), LEAD, d.draw(days)),
        "correct": lambda d, a: a.correct_decision(
            d.draw(st.sampled_from(ADOPTION_DECISIONS)), d.draw(st.one_of(st.none(), texts)), [], d.draw(texts),
            LEAD, d.draw(days)),
    }),
    "ChairsMeeting": Spec(lambda d: ChairsMeeting.hold(
        attendees=[("p-chair-nvh", "NVH"), ("p-chair-rfh", "RFH")], progress_reviewed="Reviewed",
        successes="Some", actions=[AgreedAction("Brief", "NVH", TODAY + timedelta(days=30))], actor=ICHAIR,
        occurred_on=TODAY), {
        "complete": lambda d, m: m.complete_action(d.draw(st.integers(0, 3)), d.draw(texts), ICHAIR, d.draw(days)),
    }),
    "Commendation": Spec(lambda d: Commendation.nominate(
        id=uuid4(), nominee_id="p-staff-rfh", nominee_organisation="RFH", nominated_by_id="p-staff-nvh",
        citations=["B-1"], framework_version=1, examples=["Spoke up"], actor=STAFF, occurred_on=TODAY), {
        "decide": lambda d, c: c.decide(d.draw(st.sampled_from((*COMMENDATION_DECISIONS, "x"))), d.draw(texts),
                                        d.draw(actors), d.draw(days)),
        "withdraw": lambda d, c: c.withdraw(d.draw(texts), d.draw(actors), d.draw(days)),
    }),
    "LearningSession": Spec(lambda d: LearningSession.hold(
        id=uuid4(), title="Board development", facilitator="Kings Fund", citations=["B-1"], framework_version=1,
        actor=LEAD, occurred_on=TODAY), {
        "attendance": lambda d, s: s.record_attendance(d.draw(st.lists(people, max_size=3)), LEAD, d.draw(days)),
    }),
    "Pledge": Spec(lambda d: Pledge.make(
        id=uuid4(), person_id="p-ceo-nvh", organisation="NVH", text="Speak first", citations=["B-1"],
        framework_version=1, actor=ACTORS[5], occurred_on=TODAY), {
        "revisit": lambda d, p: p.revisit(d.draw(st.sampled_from((*PLEDGE_OUTCOMES, "x"))), d.draw(texts),
                                          d.draw(actors), d.draw(days)),
    }),
    "Feedback": Spec(lambda d: Feedback.give(
        id=uuid4(), about=OrganisationRef("NVH", OrganisationKind.ACUTE_TRUST),
        giver=OrganisationRef("CQC", OrganisationKind.REGULATOR), recipient_person_id="p-ichair", tenor="mixed",
        summary="Challenging but fair", examples=[Example(TODAY, "Spoke up")], citations=(1, ["B-1"]), actor=CQC,
        occurred_on=TODAY), {
        "respond": lambda d, f: f.respond(d.draw(st.sampled_from(["acknowledged", "action_agreed", "x"])),
                                          d.draw(texts), d.draw(st.one_of(st.none(), people)), d.draw(actors),
                                          d.draw(days)),
        "correct": lambda d, f: f.correct(
            tenor=d.draw(st.one_of(st.none(), st.sampled_from(["positive", "concerning", "x"]))),
            summary=d.draw(st.one_of(st.none(), texts)),
            examples=d.draw(st.one_of(st.none(), st.lists(st.builds(lambda: None), max_size=0))) or None,
            reason=d.draw(texts), actor=d.draw(actors), occurred_on=d.draw(days)),
    }),
    "Objective": Spec(lambda d: Objective.set(
        id=uuid4(), person_id="p-ceo-nvh", organisation="NVH", text="Model openness", citations=["B-1"],
        framework_version=1, period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
        set_by_person_id="p-chair-nvh", actor=CHAIR_NVH, occurred_on=TODAY), {
        "progress": lambda d, o: o.note_progress(d.draw(texts), CHAIR_NVH, d.draw(days)),
        "assess": lambda d, o: o.assess(d.draw(st.sampled_from((*OUTCOMES, "x"))), d.draw(texts), CHAIR_NVH,
                                        d.draw(days)),
        "correct": lambda d, o: o.correct_assessment(d.draw(st.sampled_from(OUTCOMES)), d.draw(texts), CHAIR_NVH,
                                                     d.draw(days)),
    }),
    "Report": Spec(lambda d: Report.draft("six_monthly", _half(), {"organisations": 2}, 10, CHECKPOINT, LEAD, TODAY), {
        "redraft": lambda d, r: r.redraft(
            d.draw(st.sampled_from([{"organisations": 2}, _drawn()])), d.draw(counts),
            d.draw(st.sampled_from([CHECKPOINT, {}])), LEAD, d.draw(days)),
        "narrative": lambda d, r: r.edit_narrative(d.draw(texts), ICHAIR, d.draw(days)),
        "publish": lambda d, r: r.publish(d.draw(texts), ICHAIR, d.draw(days), names=["Ann Smith"]),
    }),
    "Review": Spec(lambda d: Review.hold("Quarterly review", LEAD, TODAY), {
        "decide": lambda d, r: r.record_decision(d.draw(texts), {"learning": d.draw(texts)}, [], LEAD, d.draw(days)),
        "complete": lambda d, r: r.complete_action(d.draw(st.integers(0, 3)), d.draw(texts), LEAD, d.draw(days)),
        "carry": lambda d, r: r.carry_forward(d.draw(st.integers(0, 3)), d.draw(days), d.draw(texts), LEAD,
                                              d.draw(days)),
        "drop": lambda d, r: r.drop_action(d.draw(st.integers(0, 3)), d.draw(texts), LEAD, d.draw(days)),
    }),
    "CaseAccess": Spec(lambda d: CaseAccess.open(concern_id=str(uuid4()), reference="C-1", actor=LEAD,
                                                 occurred_on=TODAY), {
        "grant": lambda d, a: a.grant(d.draw(actors), d.draw(st.sampled_from(["cqc", "hwb", ""])),
                                      d.draw(st.sampled_from(list(Role))), d.draw(texts), d.draw(days)),
        "revoke": lambda d, a: a.revoke(d.draw(actors), d.draw(st.sampled_from(["cqc", "hwb", ""])), d.draw(texts),
                                        d.draw(days)),
    }),
    "RecordReads": Spec(lambda d: RecordReads.first(record="C-1", day=TODAY, actor=LEAD, what=["timeline"]), {
        "read": lambda d, r: r.read(d.draw(actors), d.draw(st.lists(st.sampled_from(["timeline", "raiser"]),
                                                                     max_size=2))),
    }),
}


def _all_staff_questions() -> list[Any]:
    from application.surveys import ALL_STAFF_QUESTIONS

    return list(ALL_STAFF_QUESTIONS)


def _drawn() -> dict:
    """A report's figures drawn from no records: every section drawn."""
    return draw("six_monthly", _half().key, [], position=10, as_of=_half().end.isoformat(), bank_holidays=[],
                escalation_target_days={})


def _half() -> Any:
    from domain.periods import half_of

    return half_of(TODAY)


def test_every_aggregate_has_a_spec():
    import domain

    found = set()
    for path in Path(domain.__file__).parent.glob("*.py"):
        text = path.read_text()
        found |= {line.split("class ")[1].split("(")[0] for line in text.splitlines()
                  if line.startswith("class ") and "LedgerAggregate)" in line and "ConcernCommandsMixin" not in line}
    assert found - {"Concern"} <= set(SPECS), f"aggregates without a property test: {sorted(found - set(SPECS))}"


@pytest.fixture(scope="module")
def mapper(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The ledger's own mapper (transcoder, personal-data keys) over a scratch SQLite file."""
    ledger = Ledger(Database.parse(f"sqlite:///{tmp_path_factory.mktemp('props') / 'ledger.sqlite'}"))
    yield ledger.mapper
    ledger.close()


@pytest.mark.parametrize("name", sorted(SPECS))
@settings(settings.get_profile(PROFILE))
@given(data=st.data())
def test_commands_keep_the_rules_and_replaying_the_events_rebuilds_the_state(name, data, mapper):
    spec = SPECS[name]
    aggregate = spec.start(data)
    spec.invariant(aggregate)
    for _ in range(data.draw(st.integers(0, MAX_STEPS if spec.commands else 0), label="steps")):
        command = data.draw(st.sampled_from(sorted(spec.commands)), label="command")
        before, pending = copy.deepcopy(state(aggregate)), len(aggregate._pending_events)
        try:
            spec.commands[command](data, aggregate)
            event(f"{command} recorded")
        except DomainError:
            event(f"{command} refused")
            assert len(aggregate._pending_events) == pending, f"{command} was refused but recorded an event"
            assert state(aggregate) == before, f"{command} was refused but changed the state"
        spec.invariant(aggregate)
    events = aggregate.collect_events()
    assert [e.originator_version for e in events] == list(range(1, len(events) + 1))
    assert state(replay(events)) == state(aggregate)
    recorded = [mapper.to_domain_event(mapper.to_stored_event(e)) for e in events]
    assert state(replay(recorded)) == state(aggregate)
