from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import RuleViolationError, ValidationError
from domain.meeting import Meeting
from domain.meeting_body import MeetingBody
from domain.period import Quarter, quarters_between
from domain.rating import AMBER, GREEN, RED, overall, rate_survey, rate_votes
from domain.values import Actor, Personal, Role

LEAD = Actor("lead", Role.GOVERNANCE_LEAD)
HELD = date(2026, 5, 12)


def meeting(vote_mode: str = "by_attendee") -> Meeting:
    return Meeting.record(
        id=uuid4(), body="PB", title="Programme Board, May", chair=("chair", "STP"),
        attendees=[("a", "NVH"), ("b", "NVH"), ("c", "RFH")], vote_mode=vote_mode, actor=LEAD, held_on=HELD,
    )


def vote(m: Meeting, person: str, verdict: str = "adhered", comment: str | None = None) -> None:
    m.cast_vote(person_id=person, verdict=verdict, catalogue_items=["B-2"], framework_version=1,
                comment=comment, actor=LEAD, occurred_on=HELD)


def test_a_meeting_lists_its_chair_among_the_attendees_by_organisation():
    m = meeting()
    assert m.attendees == {"chair": "STP", "a": "NVH", "b": "NVH", "c": "RFH"}
    event = m.collect_events()[0]
    assert (event.occurred_on, event.actor_id, event.chair_organisation) == (HELD, "lead", "STP")


def test_a_meeting_of_one_organisation_is_not_cross_organisational():
    with pytest.raises(ValidationError, match="at least two organisations; only NVH attended"):
        Meeting.record(id=uuid4(), body="PB", title="T", chair=("a", "NVH"), attendees=[("b", "NVH")],
                       vote_mode="by_attendee", actor=LEAD, held_on=HELD)


def test_only_attendees_vote_and_each_once_unless_corrected():
    m = meeting()
    vote(m, "a", comment="Good debate")
    with pytest.raises(RuleViolationError, match="did not attend Programme Board, May; only attendees vote"):
        vote(m, "stranger")
    with pytest.raises(RuleViolationError, match="a has already voted .* record a correction instead"):
        vote(m, "a", "not_adhered")
    m.correct_vote(person_id="a", verdict="partly_adhered", catalogue_items=[], framework_version=1, comment=None,
                   reason="minutes said otherwise", actor=LEAD, occurred_on=date(2026, 5, 20))
    assert m.votes["a"]["verdict"] == "partly_adhered" and m.votes["a"]["corrections"] == 1
    corrected = m.collect_events()[-1]
    assert (type(corrected).__name__, corrected.corrects_verdict, corrected.reason) == (
        "VoteCorrected", "adhered", "minutes said otherwise")


def test_a_vote_comment_is_personal_data_of_the_voter():
    m = meeting()
    vote(m, "c", "not_adhered", comment="Challenge came after the meeting")
    assert m.collect_events()[-1].comment == Personal("c", "Challenge came after the meeting")


def test_verdicts_are_one_of_three_and_a_correction_must_change_something():
    m = meeting()
    with pytest.raises(ValidationError, match="verdict must be one of: adhered, partly_adhered, not_adhered"):
        vote(m, "a", "maybe")
    vote(m, "a")
    with pytest.raises(ValidationError, match="changes nothing"):
        m.correct_vote(person_id="a", verdict="adhered", catalogue_items=["B-2"], framework_version=1,
                       comment=None, reason="r", actor=LEAD, occurred_on=HELD)
    with pytest.raises(RuleViolationError, match="b has no vote"):
        m.correct_vote(person_id="b", verdict="adhered", catalogue_items=[], framework_version=1,
                       comment=None, reason="r", actor=LEAD, occurred_on=HELD)


def test_the_vote_closes_and_names_who_did_not_vote_and_refuses_later_votes():
    m = meeting()
    with pytest.raises(RuleViolationError, match="no vote has been recorded"):
        m.close_voting(LEAD, HELD)
    vote(m, "a")
    vote(m, "c", "not_adhered")
    m.close_voting(LEAD, HELD)
    assert m.collect_events()[-1].not_voting == ["chair", "b"]
    with pytest.raises(RuleViolationError, match="closed on 2026-05-12; cannot vote now"):
        vote(m, "b")
    with pytest.raises(RuleViolationError, match="closed on 2026-05-12"):
        m.close_voting(LEAD, HELD)
    m.correct_vote(person_id="c", verdict="partly_adhered", catalogue_items=[], framework_version=1,
                   comment=None, reason="typo", actor=LEAD, occurred_on=HELD)  # corrections still allowed


def test_nothing_at_the_meeting_happens_before_it_was_held():
    m = meeting()
    with pytest.raises(ValidationError, match="before the meeting was held"):
        m.cast_vote(person_id="a", verdict="adhered", catalogue_items=[], framework_version=1, comment=None,
                    actor=LEAD, occurred_on=date(2026, 5, 1))


def test_an_anonymous_tally_counts_by_organisation_within_its_attendance():
    m = meeting("anonymous_tally")
    with pytest.raises(RuleViolationError, match="records an anonymous tally by organisation; cannot vote"):
        vote(m, "a")
    with pytest.raises(ValidationError, match="3 votes tallied for NVH, but only 2 of its people attended"):
        m.record_tally(organisation="NVH", counts=(2, 1, 0), actor=LEAD, occurred_on=HELD)
    with pytest.raises(RuleViolationError, match="no one from SCC attended"):
        m.record_tally(organisation="SCC", counts=(1, 0, 0), actor=LEAD, occurred_on=HELD)
    m.record_tally(organisation="NVH", counts=(1, 1, 0), actor=LEAD, occurred_on=HELD)
    with pytest.raises(RuleViolationError, match="already recorded; record a correction instead"):
        m.record_tally(organisation="NVH", counts=(2, 0, 0), actor=LEAD, occurred_on=HELD)
    m.correct_tally(organisation="NVH", counts=(2, 0, 0), reason="recount", actor=LEAD, occurred_on=HELD)
    assert m.tallies == {"NVH": (2, 0, 0)} and m.collect_events()[-1].corrects == [1, 1, 0]


def test_the_opening_check_names_missing_views_and_steps_address_them():
    m = meeting()
    with pytest.raises(RuleViolationError, match="record the opening check before"):
        m.agree_corrective_step(step="x", missing_view=None, owner_organisation=None, actor=LEAD, occurred_on=HELD)
    with pytest.raises(ValidationError, match="name the views that were missing"):
        m.check_representation(all_views_represented=False, missing_views=[], speaking_up_expected=True,
                               actor=LEAD, occurred_on=HELD)
    m.check_representation(all_views_represented=False, missing_views=["primary care", " "],
                           speaking_up_expected=True, actor=LEAD, occurred_on=HELD)
    with pytest.raises(RuleViolationError, match="already recorded"):
        m.check_representation(all_views_represented=True, missing_views=[], speaking_up_expected=True,
                               actor=LEAD, occurred_on=HELD)
    with pytest.raises(ValidationError, match="'carers' is not one of the missing views: primary care"):
        m.agree_corrective_step(step="Invite", missing_view="carers", owner_organisation=None, actor=LEAD, occurred_on=HELD)
    m.agree_corrective_step(step="Invite the LMC", missing_view="primary care", owner_organisation="NCCG",
                            actor=LEAD, occurred_on=HELD)
    assert [s["step"] for s in m.corrective_steps] == ["Invite the LMC"]


def test_a_body_reports_to_another_unless_it_is_the_programme_board():
    with pytest.raises(ValidationError, match="a committee must report to a body"):
        MeetingBody.establish(code="FPC", name="Finance", kind="committee", reports_to=None,
                              vote_mode="by_attendee", actor=LEAD, occurred_on=HELD)
    body = MeetingBody.establish(code="fpc", name="Finance", kind="committee", reports_to="pb",
                                 vote_mode="by_attendee", actor=LEAD, occurred_on=HELD)
    body.update_terms_of_reference("ToR v2", "Adds the PVB", 1, LEAD, HELD)
    assert (body.code, body.reports_to, body.terms_updated_on) == ("FPC", "PB", HELD)
    with pytest.raises(RuleViolationError, match="already votes by attendee"):
        body.change_vote_mode("by_attendee", "no change", LEAD, HELD)


def test_quarters_follow_the_nhs_financial_year():
    assert Quarter.of(date(2026, 4, 1)).key == "2026-27-Q1"
    assert Quarter.of(date(2027, 3, 31)) == Quarter(2026, 4)
    assert Quarter.parse("2025-26-Q3").label == "Q3 2025/26 (Oct–Dec 2025)"
    assert Quarter.parse("2026-27-Q4").last_day == date(2027, 3, 31)
    assert [q.key for q in quarters_between(Quarter(2025, 4), Quarter(2026, 2))] == [
        "2025-26-Q4", "2026-27-Q1", "2026-27-Q2"]
    with pytest.raises(ValidationError, match="not a financial year"):
        Quarter.parse("2026-28-Q1")


def test_the_published_rule_rates_votes_and_surveys_and_takes_the_worst():
    assert rate_votes(2, 1, 1).colour is None
    assert rate_votes(8, 1, 0).colour == GREEN
    assert rate_votes(6, 2, 2).colour == AMBER  # 20% not adhered is below the red line
    assert rate_votes(5, 2, 3).colour == RED
    assert rate_survey(70, 100, 20).colour == GREEN and rate_survey(49, 100, 20).colour == RED
    assert rate_survey(60, 100, 20).colour == AMBER and rate_survey(60, 100, 4).colour is None
    assert overall([rate_votes(8, 1, 0), rate_survey(60, 100, 20)]).colour == AMBER
    assert overall([rate_votes(1, 0, 0)]).colour is None
