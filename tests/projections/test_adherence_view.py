from __future__ import annotations

from datetime import date, timedelta

from application.demo_meetings import demo_export, panel_mapping
from application.meeting_details import VoteInput
from domain.period import Quarter
from domain.values import Actor, Role
from projections import Projections
from tests.conftest import LEAD

HELD = date.today() - timedelta(days=3)
QUARTER = Quarter.of(HELD).key


def seed(ledger) -> dict[str, str]:  # type: ignore[no-untyped-def]
    for code in ("NVH", "RFH", "WNC", "NCCG", "CKCCG", "SCC"):
        ledger.register_organisation(LEAD, code=code, name=code, kind="acute_trust")
    ids = {f"{org}{n}": ledger.add_person(LEAD, name=f"{org} {n}", organisation=org, title="Director")
           for org in ("NVH", "RFH") for n in range(3)}
    ledger.establish_body(LEAD, code="PB", name="Programme Board", kind="programme_board")
    ledger.establish_body(LEAD, code="DIGI", name="Digital", kind="sub_committee", reports_to="PB",
                          vote_mode="anonymous_tally")
    mid = ledger.record_meeting(LEAD, body="PB", title="PB one", chair_person_id=ids["NVH0"],
                                attendee_ids=list(ids.values()), held_on=HELD)
    ledger.record_votes(LEAD, mid, [
        VoteInput(ids["NVH0"], "adhered"), VoteInput(ids["NVH1"], "adhered"), VoteInput(ids["NVH2"], "not_adhered"),
        VoteInput(ids["RFH0"], "partly_adhered"), VoteInput(ids["RFH1"], "not_adhered"),
    ])
    voter = Actor("nvh2", Role.BOARD_MEMBER, "NVH", ids["NVH2"])  # only the voter or the secretary corrects
    ledger.correct_vote(voter, mid, person_id=ids["NVH2"], verdict="partly_adhered", reason="minutes")
    ledger.close_voting(LEAD, mid)
    tally = ledger.record_meeting(LEAD, body="DIGI", title="Digital one", chair_person_id=ids["RFH2"],
                                  attendee_ids=[ids["NVH0"], ids["NVH1"]], held_on=HELD)
    ledger.record_tally(LEAD, tally, organisation="NVH", adhered=2, partly_adhered=0, not_adhered=0)
    ledger.record_tally(LEAD, tally, organisation="RFH", adhered=0, partly_adhered=0, not_adhered=1)
    ledger.correct_tally(LEAD, tally, organisation="RFH", adhered=1, partly_adhered=0, not_adhered=0, reason="recount")
    ledger.open_survey(LEAD, code="PANEL-A", kind="panel", title="Panel", period=QUARTER)
    ledger.save_survey_mapping(LEAD, "PANEL-A", panel_mapping())
    ledger.import_survey_file(LEAD, "PANEL-A", demo_export(1), "q1.csv")
    ledger.open_survey(LEAD, code="STAFF-A", kind="all_staff", title="Pulse", period=QUARTER)
    ledger.import_survey_file(LEAD, "STAFF-A", b"organisation,question,answer,count\n"
                              b"NVH,q1,Agree,6\nNVH,q1,Disagree,4\nNVH,q2,Strongly agree,3\n")
    ledger.correct_all_staff_results(LEAD, "STAFF-A", organisation="NVH", question="q1",
                                     counts={"Agree": 7, "Disagree": 3}, reason="late returns")
    return {"meeting": mid, "tally": tally, **ids}


def snapshot(projections: Projections) -> dict:
    view, meetings = projections["adherence"], projections["meetings"]
    first, last = view.quarter_range()
    return {
        "cells": {k: c.as_dict() for k, c in view.cells(first, last).items()},
        "evidence": [(view.vote_evidence(o, QUARTER), view.tally_evidence(o, QUARTER), view.survey_evidence(o, QUARTER),
                      view.panel_results(o, QUARTER), view.panel_results(o, QUARTER, "all_staff")) for o in ("NVH", "RFH")],
        "meetings": meetings.list_meetings(limit=100),
        "bodies": meetings.list_bodies(),
        "surveys": meetings.list_surveys(),
    }


def test_the_adherence_view_counts_votes_tallies_and_surveys_by_organisation_and_quarter(services):
    ids = seed(services.ledger)
    view = services.projections["adherence"]
    cells = view.cells(QUARTER, QUARTER)
    nvh, rfh = cells[("NVH", QUARTER)], cells[("RFH", QUARTER)]
    assert (nvh.adhered, nvh.partly_adhered, nvh.not_adhered) == (4, 1, 0)  # 2 named + 2 tallied adhered
    assert (rfh.adhered, rfh.partly_adhered, rfh.not_adhered) == (1, 1, 1)
    assert nvh.vote_rating.colour == "green" and rfh.vote_rating.colour is None  # 3 votes: too few to rate
    assert (nvh.staff_favourable, nvh.staff_answers, nvh.staff_respondents) == (10, 13, 10)
    assert nvh.panel_respondents == 9 and nvh.panel_answers == 36
    evidence = view.vote_evidence("NVH", QUARTER)
    assert [(e["person_id"], e["verdict"], e["corrections"]) for e in evidence] == sorted(
        [(ids["NVH0"], "adhered", 0), (ids["NVH1"], "adhered", 0), (ids["NVH2"], "partly_adhered", 1)])
    assert {e["version"] for e in evidence} == {2, 3, 7}  # two VoteCast events, and the VoteCorrected of NVH2
    assert view.tally_evidence("RFH", QUARTER)[0]["corrections"] == 1
    results = view.panel_results("NVH", QUARTER)
    assert [q["label"] for q in results] == ["Acted as a single leadership team", "Robust, honest conversations",
                                             "Speak up in meetings", "Uphold Board decisions"]
    assert sum(q["total"] for q in results) == 36
    staff = [e["event"] for e in view.survey_evidence("NVH", QUARTER) if e["code"] == "STAFF-A"]
    assert staff == ["AllStaffResultsRecorded", "AllStaffResultsRecorded", "AllStaffResultsCorrected"]
    meetings, total = services.projections["meetings"].list_meetings(organisation="RFH")
    assert total == 2 and meetings[0]["organisations"] in (["NVH", "RFH"],)


def test_the_adherence_view_equals_a_rebuild_from_the_first_event(services):
    seed(services.ledger)
    live = snapshot(services.projections)
    services.projections.rebuild()
    assert snapshot(services.projections) == live


def test_the_demo_year_gives_the_same_view_when_rebuilt(services):
    from application.demo import run_demo

    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    live = snapshot(services.projections)
    assert len(live["meetings"][0]) == 19 and len(live["surveys"][0]) == 6
    services.projections.rebuild(["adherence", "meetings"])
    assert snapshot(services.projections) == live


def signals(ledger) -> dict:  # type: ignore[no-untyped-def]
    """The escalation tests' concerns (spring 2025), and feedback from CQC and the HWB on NVH and the STP."""
    from domain.values import Actor, Role
    from tests.projections.test_escalation_view import scenario

    refs = scenario(ledger)
    ledger.register_organisation(LEAD, code="HWB", name="HWB", kind="hwb")
    cqc, hwb = Actor("cqc", Role.REGULATOR, "CQC"), Actor("hwb", Role.HWB, "HWB")
    mixed = ledger.give_feedback(cqc, organisation="NVH", tenor="mixed", summary="Quiet", occurred_on=date(2025, 5, 10))
    ledger.give_feedback(hwb, organisation="NVH", tenor="positive", summary="Open", occurred_on=date(2025, 6, 1))
    ledger.correct_feedback(cqc, mixed, tenor="concerning", reason="misread")
    ledger.comment_on_implementation(cqc, assessment_kind="performance_review", assessment="Q1 review",
                                     tenor="concerning", summary="Patchy", occurred_on=date(2025, 6, 2))
    return {**refs, "mixed": mixed}


def signal_snapshot(view) -> dict:  # type: ignore[no-untyped-def]
    first, last = view.quarter_range()
    return {"cells": {k: c.as_dict() for k, c in view.cells(first, last).items()},
            "evidence": {(o, q): (view.concern_evidence(o, q), view.feedback_evidence(o, q))
                         for o in ("NVH", "RFH", "STP") for q in ("2024-25-Q4", "2025-26-Q1")}}


def test_concerns_about_an_organisations_people_and_feedback_on_it_show_by_quarter_with_their_events(services):
    refs = signals(services.ledger)
    view = services.projections["adherence"]
    assert view.quarter_range() == ("2024-25-Q4", "2025-26-Q1")
    cells = view.cells("2024-25-Q4", "2025-26-Q1")
    rfh, nvh, stp = cells[("RFH", "2025-26-Q1")], cells[("NVH", "2025-26-Q1")], cells[("STP", "2025-26-Q1")]
    assert (rfh.concerns, rfh.concerns_open, rfh.concerns_resolved, rfh.concerns_withdrawn) == (4, 2, 1, 1)
    assert (nvh.concerns, nvh.concerns_open, nvh.concerns_resolved, nvh.concerns_withdrawn) == (2, 1, 1, 0)
    assert cells[("RFH", "2024-25-Q4")].concerns_open == 1  # the Independent Chair's, awaiting the review
    assert (nvh.feedback, nvh.feedback_positive, nvh.feedback_mixed, nvh.feedback_concerning) == (2, 1, 0, 1)
    assert (stp.feedback, stp.feedback_concerning) == (1, 1)
    assert nvh.rating.colour is None and rfh.rating.colour is None  # shown, never rated
    rows = {r["reference"]: r for r in view.concern_evidence("RFH", "2025-26-Q1")}
    assert set(rows) == {refs["local"], refs["waiting"], refs["withdrawn"], refs["about_ceo"]}
    assert {k: rows[refs["local"]][k] for k in ("raised_on", "route", "outcome", "resolution_level", "closed_on",
                                                "version")} == {
        "raised_on": "2025-04-17", "route": "cross_organisation", "outcome": "resolved",
        "resolution_level": "chief_executives", "closed_on": "2025-04-22", "version": 2}
    assert (rows[refs["withdrawn"]]["outcome"], rows[refs["waiting"]]["outcome"]) == ("withdrawn", None)
    feedback = view.feedback_evidence("NVH", "2025-26-Q1")
    assert [(f["source"], f["source_kind"], f["tenor"], f["corrections"], f["version"]) for f in feedback] == [
        ("CQC", "regulator", "concerning", 1, 2), ("HWB", "hwb", "positive", 0, 1)]
    assert feedback[0]["feedback_id"] == refs["mixed"]
    live = signal_snapshot(view)
    services.projections.rebuild(["adherence"])
    assert signal_snapshot(view) == live


def test_a_reopened_concern_is_open_again_and_loses_its_outcome(services):
    refs = signals(services.ledger)
    services.ledger.reopen_concern(refs["cast"].actors["staff.nvh"], refs["withdrawn"], reason="It happened again")
    rows = {r["reference"]: r for r in services.projections["adherence"].concern_evidence("RFH", "2025-26-Q1")}
    assert (rows[refs["withdrawn"]]["outcome"], rows[refs["withdrawn"]]["closed_on"]) == (None, None)
    assert rows[refs["withdrawn"]]["stage"] == "chief_executives" and rows[refs["withdrawn"]]["version"] == 3
