from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from application import Database, Ledger
from application.feedback import ExampleDetails, FeedbackDetails
from domain.errors import NotAllowedError, NotFoundError, ValidationError
from domain.values import Actor, Role
from tests.conftest import ADMIN, LEAD

INSPECTOR = Actor("cqc", Role.REGULATOR, "CQC")
ICHAIR = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP")


def county(ledger: Ledger) -> dict[str, str]:
    """A small directory: a trust, the STP with its Independent Chair, CQC and the HWB."""
    for code, kind in (("NVH", "acute_trust"), ("STP", "stp"), ("CQC", "regulator"), ("HWB", "hwb")):
        ledger.register_organisation(LEAD, code=code, name=f"The {code}", kind=kind)
    chair = ledger.add_person(LEAD, name="Dame Judith Carrow", organisation="STP", title="Independent Chair")
    ledger.appoint(LEAD, organisation="STP", office="independent_chair", person_id=chair)
    nurse = ledger.add_person(LEAD, name="Helen Marsh", organisation="NVH", title="Chief Nurse")
    return {"chair": chair, "nurse": nurse}


def test_feedback_is_given_responded_to_corrected_and_reloads_from_a_fresh_application(ledger, database_url):
    people = county(ledger)
    last_week = date.today() - timedelta(days=7)
    fid = ledger.give_feedback(
        INSPECTOR, organisation="nvh", tenor="mixed", summary="Open in meetings, quiet on the wards",
        examples=[
            {"occurred_on": last_week, "description": "Spoke up at the summit", "person_id": people["nurse"],
             "positions": [1]},
            {"occurred_on": last_week, "description": "Ward managers unaware"},
        ],
        citations=["V-2"], occurred_on=date.today() - timedelta(days=1),
    )
    ledger.respond_to_feedback(ICHAIR, fid, action="raised_with_chair", response="Raised with the Chair")
    ledger.correct_feedback(INSPECTOR, fid, tenor="concerning", reason="misread our notes")
    fresh = Ledger(Database.parse(database_url))
    try:
        assert fresh.get_feedback(fid) == FeedbackDetails(
            id=fid, kind="adherence", organisation="NVH", from_organisation="CQC", tenor="concerning",
            summary="Open in meetings, quiet on the wards", given_on=date.today() - timedelta(days=1),
            examples=(
                ExampleDetails(last_week, "Spoke up at the summit", people["nurse"], (1,)),
                ExampleDetails(last_week, "Ward managers unaware", None, ()),
            ),
            responses=1,
        )
    finally:
        fresh.close()


def test_feedback_names_the_independent_chair_at_the_time_as_its_recipient(ledger):
    people = county(ledger)
    fid = ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="positive", summary="Good")
    ledger.respond_to_feedback(ICHAIR, fid, action="acknowledged", response="Thank you")
    given, responded = ledger.repository.event_store.get(UUID(fid))
    assert (given.recipient_person_id, responded.responder_person_id) == (people["chair"], people["chair"])


def test_an_example_naming_a_person_is_erased_with_them(ledger):
    people = county(ledger)
    fid = ledger.give_feedback(
        INSPECTOR, organisation="NVH", tenor="positive", summary="Good",
        examples=[{"occurred_on": date.today(), "description": "Helen led the huddle", "person_id": people["nurse"]}],
    )
    ledger.erase_person(ADMIN, people["nurse"], "subject access request")
    assert ledger.get_feedback(fid).examples[0].description == "[erased]"


def test_feedback_rules_are_enforced_with_clear_errors(ledger):
    county(ledger)
    with pytest.raises(NotAllowedError, match="may not give the Independent Chair feedback"):
        ledger.give_feedback(LEAD, organisation="NVH", tenor="mixed", summary="x")
    with pytest.raises(NotAllowedError, match="this user has none"):
        ledger.give_feedback(Actor("cqc", Role.REGULATOR), organisation="NVH", tenor="mixed", summary="x")
    with pytest.raises(ValidationError, match="organisation NOPE not found"):
        ledger.give_feedback(INSPECTOR, organisation="NOPE", tenor="mixed", summary="x")
    with pytest.raises(ValidationError, match="newest event is at") as beyond:
        ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x",
                             examples=[{"occurred_on": date.today(), "description": "d", "positions": [10**6]}])
    assert beyond.value.field == "examples.0.positions"
    with pytest.raises(ValidationError, match="person nobody not found"):
        ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x",
                             examples=[{"occurred_on": date.today(), "description": "d", "person_id": "nobody"}])
    with pytest.raises(ValidationError, match="unknown catalogue item"):
        ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x", citations=["Z-9"])
    fid = ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x")
    with pytest.raises(NotAllowedError, match="may not respond"):
        ledger.respond_to_feedback(INSPECTOR, fid, action="acknowledged", response="ok")
    with pytest.raises(NotFoundError, match="feedback nope not found"):
        ledger.respond_to_feedback(ICHAIR, "nope", action="acknowledged", response="ok")


def test_a_regulator_comments_on_implementation_of_the_stp(ledger):
    county(ledger)
    fid = ledger.comment_on_implementation(
        INSPECTOR, assessment_kind="sign_off", assessment="Sign-off of the operating plan",
        tenor="positive", summary="Agreed as one system",
    )
    details = ledger.get_feedback(fid)
    assert (details.kind, details.organisation, details.from_organisation) == ("implementation", "STP", "CQC")
    with pytest.raises(NotAllowedError, match="only a regulator may"):
        ledger.comment_on_implementation(
            Actor("hwb", Role.HWB, "HWB"), assessment_kind="sign_off", assessment="x",
            tenor="positive", summary="x",
        )
