from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from application import Database, Ledger
from application.concern_details import WITHHELD
from domain.errors import NotAllowedError, NotFoundError, RuleViolationError, ValidationError
from domain.values import SYSTEM, Actor, Role
from tests.conftest import ADMIN, LEAD

REGULATOR = Actor("cqc", Role.REGULATOR, "CQC")
INVESTIGATOR = Actor("investigator", Role.INVESTIGATOR)
EXAMPLE = {"catalogue_items": ["B-1", "V-3"], "narrative": "Critical emails copied to the system group.",
           "examples": "Three emails last month, none raised face to face first."}


@dataclass
class Cast:
    people: dict[str, str]
    actors: dict[str, Actor]


def seed(ledger: Ledger) -> Cast:
    """Two trusts and the STP, with their office holders and some staff."""
    for code, kind in (("NVH", "acute_trust"), ("RFH", "acute_trust"), ("STP", "stp"), ("CQC", "regulator")):
        ledger.register_organisation(LEAD, code=code, name=code, kind=kind)
    people, actors = {}, {}
    for key, org, name, office, role in (
        ("ceo.nvh", "NVH", "Daniel Okafor", "chief_executive", Role.CHIEF_EXECUTIVE),
        ("ceo.rfh", "RFH", "Aisha Bello", "chief_executive", Role.CHIEF_EXECUTIVE),
        ("chair.nvh", "NVH", "Margaret Ashby", "chair", Role.CHAIR),
        ("chair.rfh", "RFH", "Sir Colin Pryce", "chair", Role.CHAIR),
        ("ao", "STP", "Michael Thorne", "accountable_officer", Role.ACCOUNTABLE_OFFICER),
        ("ichair", "STP", "Dame Judith Carrow", "independent_chair", Role.INDEPENDENT_CHAIR),
        ("staff.nvh", "NVH", "Gareth Lyle", None, Role.STAFF),
        ("staff.rfh", "RFH", "Owen Carter", None, Role.STAFF),
        ("other.nvh", "NVH", "Helen Marsh", None, Role.STAFF),
    ):
        pid = ledger.add_person(LEAD, name=name, organisation=org, title="Title")
        if office:
            ledger.appoint(LEAD, organisation=org, office=office, person_id=pid)
        people[key], actors[key] = pid, Actor(key, role, org, pid)
    return Cast(people, actors)


@pytest.fixture
def cast(ledger: Ledger) -> Cast:
    return seed(ledger)


def raise_cross(ledger: Ledger, cast: Cast, **extra: object) -> str:
    return ledger.raise_concern(cast.actors["staff.nvh"], subject_id=cast.people["staff.rfh"], **{**EXAMPLE, **extra})


def test_raise_concern_and_read_it_back_with_its_timeline_from_a_fresh_application(ledger, cast, database_url):
    reference = raise_cross(ledger, cast, occurred_on=date.today() - timedelta(days=3))
    ledger.record_chief_executives_discussion(
        cast.actors["ceo.nvh"], reference, outcome="difference_of_view", account="Aisha sees it differently."
    )
    fresh = Ledger(Database.parse(database_url))
    try:
        details = fresh.get_concern(cast.actors["ao"], reference)
    finally:
        fresh.close()
    assert (details.reference, details.stage, details.status, details.raiser) == (
        "C-1", "accountable_officer", "open", "Gareth Lyle")
    assert details.holder.name == "Michael Thorne" and details.holder.label == "Accountable Officer"
    assert [(e.what, e.who, e.role, e.by) for e in details.timeline] == [
        ("Raised", "staff.nvh", "staff", None),
        ("DiscussedByChiefExecutives", "ceo.nvh", "chief_executive", "Chief Executive, NVH"),
    ]
    step = details.timeline[1]
    assert (step.occurred_on, step.outcome, step.text) == (date.today(), "difference_of_view", "Aisha sees it differently.")
    assert step.recorded_at.date() == date.today()
    assert [(p.label, p.name) for p in step.people] == [
        ("Accountable Officer", "Michael Thorne"), ("Chief Executive, NVH", "Daniel Okafor"),
        ("Chief Executive, RFH", "Aisha Bello"),
    ]
    assert details.available_steps == ("accountable_officer_decision", "note")


def test_narratives_are_stored_encrypted_and_erasing_the_subject_erases_them(ledger, cast):
    reference = raise_cross(ledger, cast)
    raw = b"".join(n.state for n in ledger.recorder.select_notifications(start=1, limit=1000))
    assert b"Critical emails" not in raw and b"Gareth" not in raw
    ledger.erase_person(ADMIN, cast.people["staff.rfh"], "subject access request")
    details = ledger.get_concern(cast.actors["ceo.nvh"], reference)
    assert (details.narrative, details.examples, details.subject_name, details.raiser) == (
        "[erased]", "[erased]", "[erased]", "Gareth Lyle")


def test_references_follow_one_sequence_per_ledger(ledger, cast):
    first = raise_cross(ledger, cast)
    second = ledger.raise_concern(cast.actors["staff.rfh"], subject_id=cast.people["other.nvh"], **EXAMPLE)
    assert (first, second) == ("C-1", "C-2")
    assert ledger.get_concern(cast.actors["ceo.rfh"], "c-2").reference == "C-2"


def test_two_concerns_raised_at_the_same_moment_never_share_a_number(ledger, cast, database_url):
    raise_cross(ledger, cast)  # the counter exists; now race on it from two applications
    others = [Ledger(Database.parse(database_url)) for _ in range(2)]
    references: list[str] = []
    barrier = threading.Barrier(2)

    def raise_many(app: Ledger) -> None:
        barrier.wait()
        for _ in range(4):
            references.append(raise_cross(app, cast))

    threads = [threading.Thread(target=raise_many, args=(app,)) for app in others]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for app in others:
            app.close()
    assert sorted(references, key=lambda r: int(r[2:])) == [f"C-{n}" for n in range(2, 10)]


def test_a_confidential_raiser_is_named_only_to_their_own_chief_executive_and_granted_investigators(ledger, cast):
    reference = raise_cross(ledger, cast, confidential=True)
    ledger.add_concern_note(cast.actors["staff.nvh"], reference, text="Another email today.")
    for reader in ("ceo.nvh", "staff.nvh"):  # the raiser's own Chief Executive, and the raiser
        assert ledger.get_concern(cast.actors[reader], reference).raiser == "Gareth Lyle"
    staff_at = "a member of staff at NVH"
    # The penetration test: the subject's own Chief Executive was told from the moment of raising.
    for reader in (cast.actors["ceo.rfh"], LEAD, cast.actors["ichair"], INVESTIGATOR):
        details = ledger.get_concern(reader, reference)
        assert (details.raiser, details.raiser_id) == (staff_at, None)
        assert [(e.who, e.role) for e in details.timeline] == [(staff_at, WITHHELD), (staff_at, WITHHELD)]
        assert "Gareth" not in repr(details) and "staff.nvh" not in repr(details)
        assert details.narrative == EXAMPLE["narrative"]
    ledger.add_user(SYSTEM, username="investigator", password="a-long-pass-phrase", role="investigator")
    ledger.add_user(SYSTEM, username="investigator2", password="a-long-pass-phrase", role="investigator")
    ledger.grant_case_access(Actor("investigator2", Role.INVESTIGATOR), reference, username="investigator",
                             reason="Case assigned to them")
    assert ledger.get_concern(INVESTIGATOR, reference).raiser_id == cast.people["staff.nvh"]
    with pytest.raises(RuleViolationError, match="not by yourself"):
        ledger.grant_case_access(INVESTIGATOR, reference, username="investigator", reason="me")


def test_a_concern_is_not_found_by_those_outside_it_nor_by_its_subject(ledger, cast):
    reference = raise_cross(ledger, cast)
    for reader in ("other.nvh", "ao", "staff.rfh"):
        with pytest.raises(NotFoundError, match="concern C-1 not found"):
            ledger.get_concern(cast.actors[reader], reference)
    with pytest.raises(NotFoundError):
        ledger.add_concern_note(cast.actors["other.nvh"], reference, text="x")
    assert ledger.get_concern(cast.actors["chair.nvh"], reference).reference == reference  # own organisation
    with pytest.raises(NotAllowedError, match="acting as regulator sees concerns only as anonymised statistics"):
        ledger.get_concern(REGULATOR, reference)
    with pytest.raises(NotFoundError, match="references look like C-14"):
        ledger.get_concern(LEAD, "14")


def test_a_non_confidential_raiser_is_shown_to_oversight(ledger, cast):
    reference = raise_cross(ledger, cast)
    assert ledger.get_concern(LEAD, reference).raiser == "Gareth Lyle"


def test_every_step_is_refused_to_the_wrong_person_through_the_application(ledger, cast):
    reference = raise_cross(ledger, cast)
    with pytest.raises(NotAllowedError, match="only the Chief Executive of NVH may record"):
        ledger.record_chief_executives_discussion(cast.actors["ceo.rfh"], reference, outcome="resolved", account="x")
    with pytest.raises(RuleViolationError, match="no step may be skipped"):
        ledger.record_independent_chair_resolution(cast.actors["ichair"], reference, account="x")
    with pytest.raises(NotFoundError):  # not yet in the chain, so not yet told it exists
        ledger.record_accountable_officer_decision(cast.actors["ao"], reference, outcome="resolved", account="x")
    with pytest.raises(NotAllowedError, match="acting as regulator may not take a step"):
        ledger.withdraw_concern(REGULATOR, reference)
    before = ledger.max_position()
    with pytest.raises(ValidationError, match="is in the future"):
        ledger.record_chief_executives_discussion(
            cast.actors["ceo.nvh"], reference, outcome="resolved", account="x",
            occurred_on=date.today() + timedelta(days=1),
        )
    assert ledger.max_position() == before


def test_a_change_of_chief_executive_does_not_rewrite_history(ledger, cast):
    reference = raise_cross(ledger, cast)
    ledger.record_chief_executives_discussion(cast.actors["ceo.nvh"], reference, outcome="resolved", account="x")
    new_ceo = ledger.add_person(LEAD, name="Ruth Ellis", organisation="NVH", title="Chief Executive")
    ledger.appoint(LEAD, organisation="NVH", office="chief_executive", person_id=new_ceo)
    ruth = Actor("ceo2.nvh", Role.CHIEF_EXECUTIVE, "NVH", new_ceo)
    details = ledger.get_concern(ruth, reference)  # the new holder of a reached office is in the chain
    assert [p.name for p in details.timeline[1].people if p.post == "chief_executive@NVH"] == ["Daniel Okafor"]
    ledger.reopen_concern(ruth, reference, reason="It happened again.")
    assert ledger.get_concern(ruth, reference).holder.name == "Ruth Ellis"


def test_the_whole_cross_organisation_route_with_a_reopening_and_a_correction(ledger, cast):
    a = cast.actors
    reference = raise_cross(ledger, cast, occurred_on=date.today() - timedelta(days=20))
    ledger.record_chief_executives_discussion(a["ceo.nvh"], reference, outcome="difference_of_view", account="x",
                                              occurred_on=date.today() - timedelta(days=15))
    ledger.record_accountable_officer_decision(a["ao"], reference, outcome="escalated", account="y",
                                               occurred_on=date.today() - timedelta(days=10))
    ledger.record_independent_chair_resolution(a["ichair"], reference, account="Met both Chairs.")
    ledger.reopen_concern(a["staff.nvh"], reference, reason="The emails started again.")
    ledger.record_independent_chair_resolution(a["ichair"], reference, account="Settled.")
    ledger.correct_concern_step(a["ceo.nvh"], reference, corrects=2, reason="Wrong day",
                                corrected_occurred_on=date.today() - timedelta(days=16))
    details = ledger.get_concern(a["chair.rfh"], reference)
    assert (details.status, details.resolution_level, details.closed_on) == ("resolved", "independent_chair", date.today())
    assert [e.what for e in details.timeline] == [
        "Raised", "DiscussedByChiefExecutives", "DecidedByAccountableOfficer", "ResolvedByIndependentChair",
        "Reopened", "ResolvedByIndependentChair", "StepCorrected",
    ]
    assert details.timeline[1].corrected_by == (7,) and details.timeline[6].corrects == 2
    with pytest.raises(RuleViolationError, match="already resolved"):
        ledger.record_independent_chair_resolution(a["ichair"], reference, account="Again.")


def test_the_independent_chairs_concern_and_one_about_the_accountable_officer(ledger, cast):
    a, p = cast.actors, cast.people
    mine = ledger.raise_concern(a["ichair"], subject_id=p["staff.rfh"], **EXAMPLE)
    ledger.record_discussion_with_individual(a["chair.rfh"], mine, account="Discussed with Owen.")
    ledger.record_performance_review(a["chair.rfh"], mine, account="In his objectives.", performance_related_pay="not_appropriate")
    assert ledger.get_concern(a["ichair"], mine).resolution_level == "chair"
    about_ao = ledger.raise_concern(a["ceo.rfh"], subject_id=p["ao"], **EXAMPLE)
    details = ledger.get_concern(a["ichair"], about_ao)
    assert (details.route, details.holder.name, details.available_steps) == (
        "about_leader", "Dame Judith Carrow", ("chair_handling", "note"))
    with pytest.raises(NotFoundError):
        ledger.get_concern(a["ao"], about_ao)  # its subject may not read it


def test_the_number_sequence_survives_a_snapshot(ledger, cast):
    from domain.concern_numbers import CONCERN_NUMBERS_ID

    raise_cross(ledger, cast)
    ledger.take_snapshot(CONCERN_NUMBERS_ID)
    assert raise_cross(ledger, cast) == "C-2"
