"""The plan's governance through the application, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from application import Database, Ledger
from domain.errors import NotAllowedError, RuleViolationError, ValidationError
from domain.figures import ORDER, SIX_MONTHLY
from domain.periods import financial_year_of, half_of
from domain.report import content_hash
from tests.application.governance_seed import seed
from tests.conftest import LEAD

TODAY = date.today()
YEAR = financial_year_of(TODAY)


def test_adoption_is_recorded_and_read_back_from_a_fresh_application(ledger, database_url):
    seed(ledger)
    ledger.take_paper_to_board(LEAD, organisation="nvh", body="Board of Directors", occurred_on=TODAY - timedelta(days=9))
    ledger.record_adoption_decision(LEAD, organisation="NVH", decision="deferred", occurred_on=TODAY - timedelta(days=8))
    ledger.record_adoption_decision(LEAD, organisation="NVH", decision="supported", occurred_on=TODAY - timedelta(days=2))
    ledger.take_paper_to_board(LEAD, organisation="CQC", body="Leadership team")
    with pytest.raises(ValidationError, match="which role CQC accepts"):
        ledger.record_adoption_decision(LEAD, organisation="CQC", decision="supported")
    ledger.record_adoption_decision(LEAD, organisation="CQC", decision="supported", roles_accepted=["providing_feedback"])
    with pytest.raises(RuleViolationError, match="already been taken to NVH"):
        ledger.take_paper_to_board(LEAD, organisation="NVH", body="Board")
    with pytest.raises(ValidationError, match="agreed the framework itself"):
        ledger.take_paper_to_board(LEAD, organisation="STP", body="Programme Board")
    fresh = Ledger(Database.parse(database_url))
    try:
        nvh = fresh.get_adoption("NVH")
        assert (nvh.decision, nvh.decided_on, nvh.external) == ("supported", TODAY - timedelta(days=2), False)
        assert fresh.get_adoption("CQC").roles_accepted == ("providing_feedback",)
    finally:
        fresh.close()


def test_a_regulator_may_not_record_adoption(ledger):
    cast = seed(ledger)
    with pytest.raises(NotAllowedError):
        ledger.take_paper_to_board(cast.actor("cqc"), organisation="NVH", body="Board")


def test_a_chair_sets_objectives_only_for_their_own_organisations_senior_leaders(ledger):
    cast = seed(ledger)
    chair = cast.actor("chair.nvh")
    oid = ledger.set_objective(chair, person_id=cast.people["Priya Raman"], text="Lead jointly", citations=["SL-1"],
                               period_start=YEAR.start, period_end=YEAR.end)
    objective = ledger.get_objective(oid)
    assert (objective.text, objective.citations, objective.set_by_person_id) == (
        "Lead jointly", ("SL-1",), cast.people["Margaret Ashby"])
    with pytest.raises(NotAllowedError, match="only the chair of RFH"):
        ledger.set_objective(chair, person_id=cast.people["Aisha Bello"], text="x", citations=["SL-1"],
                             period_start=YEAR.start, period_end=YEAR.end)
    with pytest.raises(ValidationError, match="not recorded as a senior"):
        ledger.set_objective(chair, person_id=cast.people["Gareth Lyle"], text="x", citations=["SL-1"],
                             period_start=YEAR.start, period_end=YEAR.end)
    with pytest.raises(ValidationError, match="SL-99"):
        ledger.set_objective(chair, person_id=cast.people["Priya Raman"], text="x", citations=["SL-99"],
                             period_start=YEAR.start, period_end=YEAR.end)
    with pytest.raises(NotAllowedError):
        ledger.set_objective(cast.actor("ceo.nvh"), person_id=cast.people["Priya Raman"], text="x",
                             citations=["SL-1"], period_start=YEAR.start, period_end=YEAR.end)
    stp = ledger.set_objective(cast.actor("ichair"), person_id=cast.people["Michael Thorne"], text="Oversee",
                               citations=["SL-4"], period_start=YEAR.start, period_end=YEAR.end)
    assert ledger.get_objective(stp).organisation == "STP"


def test_an_objective_gets_notes_then_one_assessment_then_only_corrections(ledger):
    cast = seed(ledger)
    chair = cast.actor("chair.nvh")
    oid = ledger.set_objective(chair, person_id=cast.people["Priya Raman"], text="Speak up", citations=["B-2"],
                               period_start=YEAR.start, period_end=YEAR.end)
    ledger.note_objective_progress(chair, oid, note="Spoke up twice")
    ledger.assess_objective(chair, oid, outcome="partly_met", comment="More to do")
    with pytest.raises(RuleViolationError, match="it is closed"):
        ledger.assess_objective(chair, oid, outcome="met")
    with pytest.raises(RuleViolationError, match="it is closed"):
        ledger.note_objective_progress(chair, oid, note="late")
    ledger.correct_objective_assessment(chair, oid, outcome="met", reason="misread the form")
    details = ledger.get_objective(oid)
    assert (details.outcome, [n.note for n in details.notes], details.comment) == ("met", ["Spoke up twice"], "More to do")


def test_objective_wording_is_personal_data_and_is_erased_with_the_person(ledger):
    cast = seed(ledger)
    oid = ledger.set_objective(cast.actor("chair.nvh"), person_id=cast.people["Priya Raman"], text="Secret wording",
                               citations=["B-2"], period_start=YEAR.start, period_end=YEAR.end)
    from tests.conftest import ADMIN

    ledger.erase_person(ADMIN, cast.people["Priya Raman"], "request")
    ledger.keys.forget_cache()
    assert ledger.get_objective(oid).text == "[erased]"


def test_review_actions_are_tracked_to_done_carried_forward_or_dropped(ledger):
    cast = seed(ledger)
    held = TODAY - timedelta(days=1)
    quarter = ledger.hold_review(LEAD, summary="Reviewed", occurred_on=held)
    with pytest.raises(RuleViolationError, match="already recorded"):
        ledger.hold_review(LEAD, summary="again", occurred_on=held)
    owner = cast.people["Daniel Okafor"]
    actions = [{"text": f"Action {i}", "owner_person_id": owner, "due_on": TODAY + timedelta(days=i)} for i in (1, 2, 3)]
    assert ledger.record_review_decision(LEAD, quarter, decided="Do it", successes="A win", actions=actions,
                                         occurred_on=held) == 1
    ledger.update_review_action(LEAD, quarter, 1, status="done", note="Done")
    ledger.update_review_action(LEAD, quarter, 2, status="carried_forward", due_on=TODAY + timedelta(days=30), note="Later")
    with pytest.raises(ValidationError, match="reason must not be blank"):
        ledger.update_review_action(LEAD, quarter, 3, status="dropped")
    ledger.update_review_action(LEAD, quarter, 3, status="dropped", note="Superseded")
    with pytest.raises(RuleViolationError, match=f"{quarter}-A1 is already done"):
        ledger.update_review_action(LEAD, quarter, 1, status="dropped", note="x")
    review = ledger.get_review(quarter)
    assert [(a.ref, a.status, a.owner_organisation) for a in review.actions] == [
        (f"{quarter}-A1", "done", "NVH"), (f"{quarter}-A2", "carried_forward", "NVH"), (f"{quarter}-A3", "dropped", "NVH")]
    assert review.actions[1].is_overdue(TODAY + timedelta(days=31)) and not review.actions[1].is_overdue(TODAY)
    with pytest.raises(NotAllowedError):
        ledger.hold_review(cast.actor("staff.nvh"), summary="x")


def test_commendations_cite_behaviours_and_are_decided_once(ledger):
    cast = seed(ledger)
    with pytest.raises(ValidationError, match="SL-1 are not behaviours"):
        ledger.nominate_for_commendation(cast.actor("staff.nvh"), nominee_id=cast.people["Priya Raman"],
                                         citations=["SL-1"], examples=["x"])
    with pytest.raises(ValidationError, match="nominate themselves"):
        ledger.nominate_for_commendation(cast.actor("staff.nvh"), nominee_id=cast.people["Gareth Lyle"],
                                         citations=["B-6"], examples=["x"])
    cid = ledger.nominate_for_commendation(cast.actor("staff.nvh"), nominee_id=cast.people["Priya Raman"],
                                           citations=["B-6"], examples=["Celebrated the team", ""])
    with pytest.raises(NotAllowedError):
        ledger.decide_commendation(cast.actor("staff.nvh"), cid, decision="commended")
    ledger.decide_commendation(cast.actor("ichair"), cid, decision="commended", reason="Agreed")
    with pytest.raises(RuleViolationError, match="already decided"):
        ledger.withdraw_commendation(cast.actor("staff.nvh"), cid, reason="oops")
    details = ledger.get_commendation(cid)
    assert (details.examples, details.decision, details.nominated_by_id) == (
        ("Celebrated the team",), "commended", cast.people["Gareth Lyle"])


def test_the_chairs_meeting_keeps_the_chairs_in_office_at_the_time(ledger):
    cast = seed(ledger)
    quarter = ledger.hold_chairs_meeting(cast.actor("ichair"), attended=["NVH", "RFH"], progress_reviewed="Good",
                                         actions=[{"text": "Raise at Board", "owner_organisation": "NVH",
                                                   "due_on": TODAY + timedelta(days=10)}])
    new_chair = ledger.add_person(LEAD, name="New Chair", organisation="NVH", title="Chair", senior_leader=True)
    ledger.appoint(LEAD, organisation="NVH", office="chair", person_id=new_chair)
    meeting = ledger.get_chairs_meeting(quarter)
    assert meeting.attendees[0] == {"organisation": "NVH", "person_id": cast.people["Margaret Ashby"]}
    with pytest.raises(ValidationError, match="CQC is not a partner"):
        ledger.hold_chairs_meeting(cast.actor("ichair"), attended=["CQC"], progress_reviewed="x",
                                   occurred_on=TODAY - timedelta(days=100))
    with pytest.raises(NotAllowedError):
        ledger.hold_chairs_meeting(LEAD, attended=["NVH"], progress_reviewed="x")


def test_learning_sessions_are_for_chairs_and_chief_executives_and_pledges_are_ones_own(ledger):
    cast = seed(ledger)
    sid = ledger.hold_learning_session(LEAD, title="Holding challenging conversations", citations=["B-1"])
    with pytest.raises(ValidationError, match="Priya Raman is not a Chair or Chief Executive"):
        ledger.record_session_attendance(LEAD, sid, attendees=[cast.people["Priya Raman"]])
    ledger.record_session_attendance(LEAD, sid, attendees=[cast.people["Margaret Ashby"], cast.people["Daniel Okafor"]])
    with pytest.raises(RuleViolationError, match="already recorded"):
        ledger.record_session_attendance(LEAD, sid, attendees=[cast.people["Daniel Okafor"]])
    pid = ledger.make_pledge(cast.actor("ceo.nvh"), text="I will speak up", citations=["B-2"])
    with pytest.raises(NotAllowedError, match="only the person who made a pledge"):
        ledger.revisit_pledge(cast.actor("chair.nvh"), pid, outcome="kept", reflection="x")
    ledger.revisit_pledge(cast.actor("ceo.nvh"), pid, outcome="partly_kept", reflection="Mostly")
    pledge = ledger.get_pledge(pid)
    assert (pledge.text, [(r.outcome, r.reflection) for r in pledge.revisits]) == ("I will speak up", [("partly_kept", "Mostly")])


def test_the_six_monthly_report_is_drawn_from_the_log_itself_with_every_section(ledger):
    seed(ledger)
    period = half_of(TODAY).previous().key
    ledger.draft_six_monthly_report(LEAD, period=period)
    figures = ledger.get_six_monthly_report(period).figures
    assert [s["key"] for s in figures["sections"]] == list(ORDER[SIX_MONTHLY])
    assert not [s for s in figures["sections"] if "error" in s]
    assert figures["position"] <= ledger.max_position() and figures["bank_holidays"]


def test_the_published_report_is_frozen_with_its_hash(services):
    ledger = services.ledger
    cast = seed(ledger)
    period = half_of(TODAY).previous()
    ledger.draft_six_monthly_report(LEAD, period=period.key)
    with pytest.raises(NotAllowedError):
        ledger.edit_six_monthly_narrative(LEAD, period=period.key, narrative="x")
    with pytest.raises(RuleViolationError, match="write the narrative"):
        ledger.publish_six_monthly_report(cast.actor("ichair"), period=period.key, public_summary="A steady half-year.")
    ledger.edit_six_monthly_narrative(cast.actor("ichair"), period=period.key, narrative="Adherence improved.")
    digest = ledger.publish_six_monthly_report(cast.actor("ichair"), period=period.key, public_summary="A steady half-year.")
    report = ledger.get_six_monthly_report(period.key)
    assert report.content_hash == digest == content_hash(report.content)
    assert report.content["narrative"] == "Adherence improved." and report.content["period"] == period.key
    for attempt in (lambda: ledger.edit_six_monthly_narrative(cast.actor("ichair"), period=period.key, narrative="y"),
                    lambda: ledger.redraft_six_monthly_report(LEAD, period=period.key),
                    lambda: ledger.publish_six_monthly_report(cast.actor("ichair"), period=period.key, public_summary="A steady half-year.")):
        with pytest.raises(RuleViolationError, match="is frozen"):
            attempt()
