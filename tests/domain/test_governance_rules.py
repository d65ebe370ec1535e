"""The rules of adoption, objectives, reviews, commendations, meetings, development and reports,
on the aggregates themselves (no database)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.adoption import Adoption
from domain.chair_meeting import AgreedAction, ChairsMeeting
from domain.commendation import Commendation
from domain.development import LearningSession, Pledge
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.figures import draw
from domain.objective import Objective
from domain.periods import parse_period
from domain.report import Report, content_hash
from domain.review import NewAction, Review
from domain.values import Actor, Personal, Role

LEAD = Actor("lead", Role.GOVERNANCE_LEAD)
IC = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP", "p-ic")
D = date(2026, 5, 4)


def test_a_board_may_defer_then_support_but_not_decide_again_after_support():
    a = Adoption.take_paper("NVH", False, "Board of Directors", LEAD, D)
    a.record_decision("deferred", None, [], "", LEAD, date(2026, 5, 10))
    a.record_decision("supported", None, [], "", LEAD, date(2026, 6, 1))
    with pytest.raises(RuleViolationError, match="NVH already supported the framework on 2026-06-01"):
        a.record_decision("declined", None, [], "", LEAD, date(2026, 6, 2))
    assert [type(e).__name__ for e in a.collect_events()] == ["PaperTaken", "DecisionRecorded", "DecisionRecorded"]


def test_amendments_go_with_supported_with_amendments_and_roles_only_with_external_bodies():
    a = Adoption.take_paper("RFH", False, "Trust Board", LEAD, D)
    with pytest.raises(ValidationError, match="say which amendments"):
        a.record_decision("supported_with_amendments", "", [], "", LEAD, D)
    with pytest.raises(ValidationError, match="amendments belong only"):
        a.record_decision("supported", "add X", [], "", LEAD, D)
    with pytest.raises(ValidationError, match="roles accepted are for regulators"):
        a.record_decision("supported", None, ["providing_feedback"], "", LEAD, D)
    with pytest.raises(ValidationError, match="before the paper was taken"):
        a.record_decision("supported", None, [], "", LEAD, date(2026, 5, 1))
    a.record_decision("supported_with_amendments", "Add clinical leadership", [], "", LEAD, D)
    a.correct_decision("supported", None, [], "misminuted", LEAD, D)
    assert (a.decision, a.amendments) == ("supported", None)
    with pytest.raises(RuleViolationError, match="changes nothing"):
        a.correct_decision("supported", None, [], "again", LEAD, D)


def test_a_committee_is_sent_the_paper_once_and_updates_its_terms_once_per_framework_version():
    from domain.meeting_body import MeetingBody

    c = MeetingBody.establish(code="CLIN", name="Clinical Senate", kind="committee", reports_to="PB",
                              vote_mode="by_attendee", actor=LEAD, occurred_on=date(2026, 4, 1))
    c.notify("", LEAD, D)
    with pytest.raises(RuleViolationError, match="Clinical Senate was already sent the paper on 2026-05-04"):
        c.notify("", LEAD, D)
    with pytest.raises(ValidationError, match="before Clinical Senate was sent the paper"):
        c.update_terms_of_reference("ToR v2", "PVB added", 1, LEAD, date(2026, 5, 1))
    c.update_terms_of_reference("ToR v2", "PVB added", 1, LEAD, D)
    with pytest.raises(RuleViolationError, match="already updated its terms of reference on 2026-05-04"):
        c.update_terms_of_reference("ToR v3", "again", 1, LEAD, D)
    c.update_terms_of_reference("ToR v3", "the framework's version 2", 2, LEAD, date(2026, 9, 1))
    assert [type(e).__name__ for e in c.collect_events()] == [
        "Established", "Notified", "TermsOfReferenceUpdated", "TermsOfReferenceUpdated"]
    board = MeetingBody.establish(code="PB", name="Programme Board", kind="programme_board", reports_to=None,
                                  vote_mode="by_attendee", actor=LEAD, occurred_on=D)
    with pytest.raises(RuleViolationError, match="the Programme Board agreed the framework itself"):
        board.notify("", LEAD, D)


def objective(**overrides):  # type: ignore[no-untyped-def]
    fields = dict(id=uuid4(), person_id="p1", organisation="NVH", text="Speak up", citations=["B-2"],
                  framework_version=1, period_start=date(2026, 4, 1), period_end=date(2027, 3, 31),
                  set_by_person_id="chair", actor=LEAD, occurred_on=D)
    return Objective.set(**{**fields, **overrides})


def test_an_objective_needs_a_citation_and_at_most_a_years_period():
    with pytest.raises(ValidationError, match="cite at least one"):
        objective(citations=[])
    with pytest.raises(ValidationError, match="end after it starts"):
        objective(period_end=date(2026, 4, 1))
    with pytest.raises(ValidationError, match="a year at most"):
        objective(period_end=date(2027, 9, 30))
    o = objective()
    assert o.text == Personal("p1", "Speak up") and o.is_current(date(2026, 12, 1)) and not o.is_current(date(2027, 4, 1))


def test_an_assessed_objective_is_closed_and_only_corrected_with_a_reason():
    o = objective()
    o.note_progress("Half way", LEAD, date(2026, 9, 1))
    with pytest.raises(ValidationError, match="outcome must be one of"):
        o.assess("excellent", "", LEAD, D)
    o.assess("not_met", "", LEAD, date(2027, 4, 20))
    with pytest.raises(RuleViolationError, match=r"assessed \(not met\) on 2027-04-20; it is closed"):
        o.note_progress("late", LEAD, date(2027, 4, 21))
    with pytest.raises(ValidationError, match="reason must not be blank"):
        o.correct_assessment("met", "", LEAD, D)
    o.correct_assessment("met", "misread", LEAD, D)
    assert o.outcome == "met"


def test_a_review_belongs_to_its_quarter_and_tracks_its_actions():
    r = Review.hold("Reviewed", LEAD, date(2026, 5, 20))
    assert r.quarter == "2026-27-Q1"
    with pytest.raises(ValidationError, match="not after the review"):
        r.record_decision("x", {}, [NewAction("a", "p", "NVH", date(2026, 5, 20))], LEAD, date(2026, 5, 20))
    r.record_decision("Do", {"successes": "win"}, [NewAction("a", "p", "NVH", date(2026, 6, 1)),
                                                  NewAction("b", "p", "NVH", date(2026, 6, 1))], LEAD, date(2026, 5, 20))
    r.record_decision("More", {}, [NewAction("c", "p", "RFH", date(2026, 7, 1))], LEAD, date(2026, 5, 20))
    assert sorted(r.actions) == [1, 2, 3] and r.actions[3].decision == 2
    with pytest.raises(ValidationError, match="past its current due date"):
        r.carry_forward(1, date(2026, 5, 30), "later", LEAD, date(2026, 5, 25))
    r.carry_forward(1, date(2026, 8, 1), "later", LEAD, date(2026, 5, 25))
    r.complete_action(1, "", LEAD, date(2026, 7, 1))
    with pytest.raises(RuleViolationError, match="2026-27-Q1-A1 is already done"):
        r.drop_action(1, "x", LEAD, date(2026, 7, 2))
    with pytest.raises(NotFoundError, match="2026-27-Q1-A9 not found"):
        r.complete_action(9, "", LEAD, date(2026, 7, 2))
    with pytest.raises(ValidationError, match="unknown part"):
        r.record_decision("x", {"gossip": "y"}, [], LEAD, date(2026, 5, 20))


def test_a_nomination_needs_examples_and_is_decided_or_withdrawn_once():
    def nominate(**kw):  # type: ignore[no-untyped-def]
        fields = dict(id=uuid4(), nominee_id="n", nominee_organisation="NVH", nominated_by_id="b",
                      citations=["B-6"], framework_version=1, examples=["Led the celebration"], actor=LEAD, occurred_on=D)
        return Commendation.nominate(**{**fields, **kw})

    with pytest.raises(ValidationError, match="at least one example"):
        nominate(examples=["  "])
    with pytest.raises(ValidationError, match="nominate themselves"):
        nominate(nominated_by_id="n")
    c = nominate()
    assert c.examples == [Personal("n", "Led the celebration")]
    c.withdraw("duplicate", LEAD, D)
    with pytest.raises(RuleViolationError, match="was withdrawn on 2026-05-04"):
        c.decide("commended", "", LEAD, D)


def test_a_chairs_meeting_needs_attendees_and_actions_due_after_it():
    with pytest.raises(ValidationError, match="at least one organisation"):
        ChairsMeeting.hold(attendees=[], progress_reviewed="x", successes="", actions=[], actor=IC, occurred_on=D)
    with pytest.raises(ValidationError, match="due after the meeting"):
        ChairsMeeting.hold(attendees=[("NVH", "p")], progress_reviewed="x", successes="",
                           actions=[AgreedAction("a", "NVH", D)], actor=IC, occurred_on=D)
    m = ChairsMeeting.hold(attendees=[("NVH", "p")], progress_reviewed="x", successes="",
                           actions=[AgreedAction("a", "NVH", date(2026, 6, 1))], actor=IC, occurred_on=D)
    m.complete_action(1, "", IC, date(2026, 5, 30))
    with pytest.raises(RuleViolationError, match="already done"):
        m.complete_action(1, "", IC, date(2026, 5, 31))


def test_sessions_record_each_attendee_once_and_pledges_are_revisited_in_order():
    s = LearningSession.hold(id=uuid4(), title="Challenging conversations", facilitator="", citations=["B-1"],
                             framework_version=1, actor=LEAD, occurred_on=D)
    with pytest.raises(ValidationError, match="named twice"):
        s.record_attendance(["a", "a"], LEAD, D)
    s.record_attendance(["a", "b"], LEAD, D)
    with pytest.raises(RuleViolationError, match="already recorded as attending"):
        s.record_attendance(["b", "c"], LEAD, D)
    p = Pledge.make(id=uuid4(), person_id="a", organisation="NVH", text="Speak up", citations=["B-2"],
                    framework_version=1, actor=IC, occurred_on=D)
    p.revisit("kept", "Did", IC, date(2026, 9, 1))
    with pytest.raises(ValidationError, match="cannot come before 2026-09-01"):
        p.revisit("kept", "Did", IC, date(2026, 8, 1))


CHECKPOINT = {"origin": "pvb-ledger", "size": 42, "root_hash": "ab" * 32, "time": "2026-05-04T10:00:00Z",
              "key_id": "k1", "signature": "c2ln", "body": "pvb-ledger\n42\nq6urqw==\n"}


def test_a_report_is_frozen_on_publication_with_the_hash_of_its_content_and_its_checkpoint():
    half = parse_period("2025-26-H2", "half")
    figures = draw("six_monthly", half.key, [], position=42, as_of="2026-03-31", bank_holidays=["2025-12-25"],
                   escalation_target_days={})
    r = Report.draft("six_monthly", half, {"sections": [], "as_of": "2026-03-31"}, 42, CHECKPOINT, LEAD, D)
    with pytest.raises(ValidationError, match="has not begun"):
        Report.draft("six_monthly", parse_period("2030-31-H1", "half"), {}, 1, CHECKPOINT, LEAD, D)
    with pytest.raises(ValidationError, match="the checkpoint the report is drawn from lacks: signature"):
        Report.draft("six_monthly", half, {}, 1, {**CHECKPOINT, "signature": ""}, LEAD, D)
    with pytest.raises(RuleViolationError, match="write the narrative"):
        r.publish("Summary", IC, D)
    r.edit_narrative("Improving", IC, D)
    with pytest.raises(RuleViolationError, match="10 section\\(s\\) could not be drawn"):
        r.publish("Summary", IC, D)
    r.redraft(figures, 42, CHECKPOINT, LEAD, D)
    with pytest.raises(ValidationError, match="names someone in the directory \\(Jane Roe\\)"):
        r.publish("Thanks to JANE ROE.", IC, D, names=["Jane Roe"])
    digest = r.publish("A steady half-year.", IC, date(2026, 5, 6), names=["Jane Roe"], usernames=["jroe"])
    assert r.content == {
        "kind": "six_monthly", "period": "2025-26-H2", "period_start": "2025-10-01", "period_end": "2026-03-31",
        "figures": figures, "narrative": "Improving", "drawn_from_position": 42,
        "published_on": "2026-05-06", "published_by": "ichair", "checkpoint": CHECKPOINT, "edition": 1,
        "public_summary": "A steady half-year.",
    }
    assert digest == content_hash(r.content) and len(digest) == 64
    with pytest.raises(RuleViolationError, match="published on 2026-05-06 and is frozen"):
        r.redraft({}, 43, CHECKPOINT, LEAD, D)
