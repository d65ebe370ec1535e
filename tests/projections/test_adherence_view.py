from __future__ import annotations

from datetime import date, timedelta

from application.demo_meetings import demo_export, panel_mapping
from application.meeting_details import VoteInput
from domain.period import Quarter
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
    ledger.correct_vote(LEAD, mid, person_id=ids["NVH2"], verdict="partly_adhered", reason="minutes")
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
