"""Meetings, votes and surveys through the Ledger, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from application import Database, Ledger
from application.demo_meetings import demo_export, panel_mapping
from application.meeting_details import AttendeeDetails, ImportResult, VoteDetails, VoteInput
from application.surveymonkey import FileRejectedError, parse_export
from domain.errors import NotAllowedError, NotFoundError, RuleViolationError, ValidationError
from domain.values import Actor, Role
from tests.conftest import LEAD

HELD = date.today() - timedelta(days=10)


@pytest.fixture
def people(ledger):  # type: ignore[no-untyped-def]
    """Two partner organisations, the STP, three people and a Programme Board."""
    for code, kind in (("NVH", "acute_trust"), ("RFH", "acute_trust"), ("STP", "stp")):
        ledger.register_organisation(LEAD, code=code, name=code, kind=kind)
    ids = {
        "chair": ledger.add_person(LEAD, name="Judith Carrow", organisation="STP", title="Independent Chair"),
        "nvh": ledger.add_person(LEAD, name="Daniel Okafor", organisation="NVH", title="Chief Executive"),
        "rfh": ledger.add_person(LEAD, name="Aisha Bello", organisation="RFH", title="Chief Executive"),
    }
    ledger.establish_body(LEAD, code="PB", name="Programme Board", kind="programme_board")
    return ids


def test_a_meeting_with_its_opening_check_and_votes_reads_back_from_a_fresh_application(ledger, people, database_url):
    mid = ledger.record_meeting(LEAD, body="pb", title="Programme Board, May", chair_person_id=people["chair"],
                                attendee_ids=[people["nvh"], people["rfh"]], held_on=HELD)
    ledger.record_opening_check(LEAD, mid, all_views_represented=False, missing_views=["primary care"])
    ledger.agree_corrective_step(LEAD, mid, step="Invite the LMC", missing_view="primary care", owner_organisation="nvh")
    ledger.record_votes(LEAD, mid, [VoteInput(people["nvh"], "adhered", ("B-2",), "Open debate"),
                                    VoteInput(people["rfh"], "not_adhered", ("B-1", "B-7"))])
    voter = Actor("ceo.rfh", Role.CHIEF_EXECUTIVE, "RFH", people["rfh"])
    ledger.correct_vote(voter, mid, person_id=people["rfh"], verdict="partly_adhered", reason="minutes")
    ledger.close_voting(LEAD, mid)
    fresh = Ledger(Database.parse(database_url))
    try:
        m = fresh.get_meeting(mid)
        assert m.attendees == (AttendeeDetails(people["chair"], "STP"), AttendeeDetails(people["nvh"], "NVH"),
                               AttendeeDetails(people["rfh"], "RFH"))
        assert m.votes == (
            VoteDetails(people["nvh"], "NVH", "adhered", ("B-2",), "Open debate", 0, HELD),
            VoteDetails(people["rfh"], "RFH", "partly_adhered", (), None, 1, HELD),
        )
        assert (m.opening_check["missing"], m.corrective_steps[0]["owner"], m.closed_on) == (["primary care"], "NVH", HELD)
        timeline = fresh.meeting_timeline(mid)
        assert [t.event for t in timeline] == [
            "Recorded", "RepresentationChecked", "CorrectiveStepAgreed", "VoteCast", "VoteCast", "VoteCorrected",
            "VotingClosed"]
        assert timeline[-1].summary == "vote closed; 1 attendee(s) did not vote"
    finally:
        fresh.close()


def test_a_vote_comment_is_encrypted_and_erased_with_the_voter(ledger, people):
    mid = ledger.record_meeting(LEAD, body="PB", title="PB", chair_person_id=people["chair"],
                                attendee_ids=[people["rfh"]], held_on=HELD)
    ledger.record_vote(LEAD, mid, person_id=people["rfh"], verdict="not_adhered", comment="Decisions were reopened")
    raw = ledger.notification_log.select(ledger.max_position(), 1)[0].state
    assert b"Decisions were reopened" not in raw
    ledger.keys.destroy(people["rfh"], "2026-11-26")
    assert ledger.get_meeting(mid).votes[0].comment == "[erased]"


def test_attendees_may_record_their_own_vote_but_not_anothers(ledger, people):
    mid = ledger.record_meeting(LEAD, body="PB", title="PB", chair_person_id=people["chair"],
                                attendee_ids=[people["nvh"], people["rfh"]], held_on=HELD)
    member = Actor("board", Role.BOARD_MEMBER, "NVH", people["nvh"])
    with pytest.raises(NotAllowedError, match="you may record only your own vote"):
        ledger.record_vote(member, mid, person_id=people["rfh"], verdict="adhered")
    ledger.record_vote(member, mid, person_id=people["nvh"], verdict="adhered")
    with pytest.raises(NotAllowedError, match="only the secretary of PB or the governance lead"):
        ledger.close_voting(member, mid)
    with pytest.raises(NotAllowedError, match="acting as staff may not record your own closing vote"):
        ledger.record_vote(Actor("s", Role.STAFF, "NVH", people["nvh"]), mid, person_id=people["nvh"], verdict="adhered")


def test_only_the_secretary_or_the_governance_lead_records_and_only_voter_or_secretary_corrects(ledger, people):
    # The penetration test: another organisation's Chief Executive corrected RFH's vote, and a
    # Chair recorded a meeting of a body their organisation did not attend.
    other_ceo = Actor("ceo.wnc", Role.CHIEF_EXECUTIVE, "NVH", people["nvh"])
    chair = Actor("chair.wnc", Role.CHAIR, "STP", people["chair"])
    with pytest.raises(NotAllowedError, match="only the secretary of PB or the governance lead"):
        ledger.record_meeting(chair, body="PB", title="PB", chair_person_id=people["chair"],
                              attendee_ids=[people["nvh"], people["rfh"]], held_on=HELD)
    clerk = ledger.add_person(LEAD, name="Joanne Pike", organisation="STP", title="Board Secretary")
    ledger.appoint_body_secretary(LEAD, "PB", person_id=clerk)
    secretary = Actor("secretary", Role.BOARD_MEMBER, "STP", clerk)
    mid = ledger.record_meeting(secretary, body="PB", title="PB", chair_person_id=people["chair"],
                                attendee_ids=[people["nvh"], people["rfh"]], held_on=HELD)
    ledger.record_vote(secretary, mid, person_id=people["rfh"], verdict="adhered")
    ledger.record_vote(LEAD, mid, person_id=people["nvh"], verdict="adhered")
    before = ledger.max_position()
    for who in (other_ceo, LEAD):
        with pytest.raises(NotAllowedError, match="only the voter or the secretary of PB may correct"):
            ledger.correct_vote(who, mid, person_id=people["rfh"], verdict="not_adhered", reason="wrong")
    assert ledger.max_position() == before
    ledger.correct_vote(secretary, mid, person_id=people["rfh"], verdict="partly_adhered", reason="signed minutes")
    assert {v.person_id: v.corrections for v in ledger.get_meeting(mid).votes}[people["rfh"]] == 1
    ledger.stand_down_body_secretary(LEAD, "PB", reason="left the post")
    with pytest.raises(NotAllowedError, match="only the secretary of PB or the governance lead"):
        ledger.close_voting(secretary, mid)


def test_meeting_rules_refuse_with_clear_errors_and_record_nothing(ledger, people):
    with pytest.raises(NotFoundError, match="meeting body XX not found"):
        ledger.record_meeting(LEAD, body="XX", title="T", chair_person_id=people["chair"], attendee_ids=[])
    with pytest.raises(ValidationError, match="person nobody is not in the directory"):
        ledger.record_meeting(LEAD, body="PB", title="T", chair_person_id=people["chair"], attendee_ids=["nobody"])
    mid = ledger.record_meeting(LEAD, body="PB", title="PB", chair_person_id=people["chair"],
                                attendee_ids=[people["nvh"]], held_on=HELD)
    before = ledger.max_position()
    with pytest.raises(ValidationError, match="unknown catalogue item"):
        ledger.record_votes(LEAD, mid, [VoteInput(people["nvh"], "adhered"), VoteInput(people["chair"], "adhered", ("X-9",))])
    with pytest.raises(RuleViolationError, match="only attendees vote"):
        ledger.record_vote(LEAD, mid, person_id=people["rfh"], verdict="adhered")
    assert ledger.max_position() == before  # the batch is all or nothing


def test_a_body_with_an_anonymous_tally_and_terms_of_reference(ledger, people):
    ledger.establish_body(LEAD, code="DIGI", name="Digital", kind="sub_committee", reports_to="PB",
                          vote_mode="anonymous_tally")
    ledger.update_terms_of_reference(LEAD, "DIGI", reference="ToR v2", summary="Reflects the PVB")
    assert ledger.get_body("DIGI").terms_reference == "ToR v2"
    mid = ledger.record_meeting(LEAD, body="DIGI", title="Digital", chair_person_id=people["nvh"],
                                attendee_ids=[people["rfh"]], held_on=HELD)
    ledger.record_tally(LEAD, mid, organisation="nvh", adhered=1, partly_adhered=0, not_adhered=0)
    ledger.correct_tally(LEAD, mid, organisation="NVH", adhered=0, partly_adhered=1, not_adhered=0, reason="recount")
    assert ledger.get_meeting(mid).tallies == {"NVH": (0, 1, 0)}
    with pytest.raises(RuleViolationError, match="already exists"):
        ledger.establish_body(LEAD, code="DIGI", name="Digital", kind="sub_committee", reports_to="PB")


@pytest.fixture
def panel_survey(ledger):  # type: ignore[no-untyped-def]
    for code in ("NVH", "RFH", "WNC", "NCCG", "CKCCG", "SCC"):
        ledger.register_organisation(LEAD, code=code, name=code, kind="acute_trust")
    ledger.open_survey(LEAD, code="PANEL-1", kind="panel", title="Panel", period="2026-27-Q1")
    ledger.save_survey_mapping(LEAD, "PANEL-1", panel_mapping())
    return "PANEL-1"


def test_importing_is_idempotent_by_respondent_id(ledger, panel_survey):
    full = demo_export(1)
    lines = full.split(b"\r\n")
    partial = b"\r\n".join(lines[:20]) + b"\r\n"  # an earlier export: fewer responses
    first = ledger.import_survey_file(LEAD, panel_survey, partial, "early.csv")
    assert first.added > 0 and first.already_held == 0
    position = ledger.max_position()
    later = ledger.import_survey_file(LEAD, panel_survey, full, "later.csv")
    assert later == ImportResult("PANEL-1", 50 - first.added, first.added, 50)
    again = ledger.import_survey_file(LEAD, panel_survey, full, "later.csv")
    assert again == ImportResult("PANEL-1", 0, 50, 50)
    assert ledger.max_position() == position + 1  # the repeat recorded nothing
    assert ledger.get_survey(panel_survey).responses == 50


def test_personal_identifiers_are_never_stored(ledger, panel_survey):
    data = demo_export(2)
    ledger.import_survey_file(LEAD, panel_survey, data, "panel.csv")
    stored = b"".join(n.state for n in ledger.recorder.select_notifications(start=1, limit=10_000))
    assert b"example.nhs.uk" not in stored and b"192.0.2." not in stored
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[2:]
    for r in rows:  # IP, email, then first and last name as stored JSON strings (not inside ciphertext)
        for personal in (r[4], r[5], f'"{r[6]}"', f'"{r[7]}"', f"{r[6]} {r[7]}"):
            assert personal.encode() not in stored, personal
    assert len(parse_export(data).rows) == len(rows)


def test_a_malformed_file_is_rejected_whole_and_nothing_is_recorded(ledger, panel_survey):
    good = demo_export(3).decode("utf-8-sig").split("\r\n")
    broken = good[:6] + [good[6].rsplit(",", 3)[0]] + good[7:]  # one ragged row among good ones
    before = ledger.max_position()
    with pytest.raises(FileRejectedError, match=r"row 7, column \w+: the row has"):
        ledger.import_survey_file(LEAD, panel_survey, "\r\n".join(broken).encode(), "broken.csv")
    assert ledger.max_position() == before and ledger.get_survey(panel_survey).responses == 0


def test_a_mapping_cannot_name_unknown_organisations_or_catalogue_items(ledger, panel_survey):
    ledger.open_survey(LEAD, code="PANEL-2", kind="panel", title="Panel", period="2026-27-Q2")
    mapping = panel_mapping()
    mapping["organisation"]["answers"]["Elsewhere"] = "ZZZ"
    with pytest.raises(ValidationError, match="unknown organisation.*ZZZ"):
        ledger.save_survey_mapping(LEAD, "PANEL-2", mapping)
    mapping = panel_mapping()
    mapping["questions"][0]["catalogue_items"] = ["Q-99"]
    with pytest.raises(ValidationError, match="unknown catalogue item"):
        ledger.save_survey_mapping(LEAD, "PANEL-2", mapping)


def test_all_staff_results_are_entered_or_imported_and_reimport_adds_nothing(ledger, panel_survey):
    ledger.open_survey(LEAD, code="STAFF-1", kind="all_staff", title="Pulse", period="2026-27-Q1")
    ledger.record_all_staff_results(LEAD, "STAFF-1", organisation="nvh", question="q1", counts={"Agree": 30, "Disagree": 5})
    csv_data = b"organisation,question,answer,count\nNVH,q1,Agree,30\nNVH,q1,Disagree,5\nRFH,q2,Strongly agree,12\n"
    assert ledger.import_survey_file(LEAD, "STAFF-1", csv_data) == ImportResult("STAFF-1", 1, 1, 2)
    assert ledger.import_survey_file(LEAD, "STAFF-1", csv_data) == ImportResult("STAFF-1", 0, 2, 2)
    before = ledger.max_position()
    changed = csv_data.replace(b"Disagree,5", b"Disagree,6") + b"SCC,q1,Agree,3\n"
    with pytest.raises(FileRejectedError, match="already recorded with other counts"):
        ledger.import_survey_file(LEAD, "STAFF-1", changed)
    assert ledger.max_position() == before
    ledger.correct_all_staff_results(LEAD, "STAFF-1", organisation="NVH", question="q1",
                                     counts={"Agree": 30, "Disagree": 6}, reason="late returns")
    assert ledger.get_survey("STAFF-1").results == {
        "NVH": {"q1": {"Agree": 30, "Disagree": 6}}, "RFH": {"q2": {"Strongly agree": 12}}}


def test_the_panel_is_agreed_once_with_joiners_and_leavers(ledger, people):
    ledger.agree_panel(LEAD, member_ids=[people["nvh"]])
    with pytest.raises(RuleViolationError, match="already agreed"):
        ledger.agree_panel(LEAD, member_ids=[people["rfh"]])
    ledger.add_panel_member(LEAD, people["rfh"])
    ledger.remove_panel_member(LEAD, people["nvh"], reason="stepped_down")
    assert ledger.get_panel().members == ((people["rfh"], "RFH"),)
