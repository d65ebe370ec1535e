from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import NotAllowedError, RuleViolationError, ValidationError
from domain.feedback import Example, Feedback, OrganisationRef, make_example
from domain.values import Actor, OrganisationKind, Personal, Role

TODAY = date(2026, 3, 1)
CQC = OrganisationRef("CQC", OrganisationKind.REGULATOR)
HWB = OrganisationRef("HWB", OrganisationKind.HWB)
NVH = OrganisationRef("NVH", OrganisationKind.ACUTE_TRUST)
STP = OrganisationRef("STP", OrganisationKind.STP)
INSPECTOR = Actor("cqc", Role.REGULATOR, "CQC")
BOARD = Actor("hwb", Role.HWB, "HWB")
ICHAIR = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP", "p-chair")


def give(actor: Actor = INSPECTOR, giver: OrganisationRef = CQC, about: OrganisationRef = NVH,
         examples: list[Example] | None = None, tenor: str = "mixed") -> Feedback:
    return Feedback.give(
        id=uuid4(), about=about, giver=giver, recipient_person_id="p-chair", tenor=tenor,
        summary="Open in meetings, quiet on the wards", examples=examples or [],
        citations=(1, ["V-2"]), actor=actor, occurred_on=TODAY,
    )


def test_a_regulator_gives_feedback_with_dated_examples_to_the_independent_chair():
    example = make_example(date(2026, 2, 10), "Raised bed pressures face to face", given_on=TODAY,
                           positions=[12, 12, 13])
    fb = give(examples=[example])
    event = fb.collect_events()[0]
    assert isinstance(event, Feedback.Given)
    assert (event.organisation, event.from_organisation, event.from_kind, event.recipient_person_id) == (
        "NVH", "CQC", "regulator", "p-chair")
    assert event.examples == [{"occurred_on": date(2026, 2, 10), "description": "Raised bed pressures "
                               "face to face", "person_id": None, "positions": [12, 13]}]
    assert (event.citations, event.framework_version, event.actor_role) == (["V-2"], 1, "regulator")


def test_an_example_naming_a_person_is_that_persons_personal_data():
    example = make_example(date(2026, 2, 10), "Spoke up for the plan", given_on=TODAY, person_id="p-7")
    assert example.description == Personal("p-7", "Spoke up for the plan")
    fb = give(actor=BOARD, giver=HWB, examples=[example])
    assert fb.collect_events()[0].examples[0]["description"] == Personal("p-7", "Spoke up for the plan")


def test_the_health_and_wellbeing_board_may_give_feedback_but_not_comment_on_implementation():
    assert give(actor=BOARD, giver=HWB).from_organisation == "HWB"
    with pytest.raises(NotAllowedError, match="only a regulator may"):
        Feedback.comment_on_implementation(
            id=uuid4(), stp=STP, giver=HWB, recipient_person_id=None, assessment_kind="sign_off",
            assessment="Plan sign-off", tenor="positive", summary="Well done", examples=[],
            citations=(1, []), actor=BOARD, occurred_on=TODAY,
        )


def test_only_regulators_and_the_hwb_acting_for_their_own_organisation_give_feedback():
    with pytest.raises(NotAllowedError, match="not a user acting as governance_lead"):
        give(actor=Actor("lead", Role.GOVERNANCE_LEAD, "STP"))
    with pytest.raises(NotAllowedError, match="their own regulator organisation"):
        give(actor=Actor("cqc", Role.REGULATOR, "NHSEI"))
    with pytest.raises(NotAllowedError, match="their own regulator organisation"):
        give(actor=Actor("x", Role.REGULATOR, "HWB"), giver=HWB)


def test_feedback_is_about_a_partner_organisation_or_the_stp():
    assert give(about=STP).organisation == "STP"
    with pytest.raises(ValidationError, match="not HWB"):
        give(about=HWB)


def test_tenor_and_examples_are_checked_with_messages_naming_the_field():
    with pytest.raises(ValidationError, match="tenor must be one of: positive, mixed, concerning"):
        give(tenor="great")
    with pytest.raises(ValidationError, match="after the feedback") as late:
        make_example(date(2026, 3, 2), "Later", given_on=TODAY)
    assert late.value.field == "examples.0.occurred_on"
    with pytest.raises(ValidationError, match="positions start at 1"):
        make_example(date(2026, 2, 1), "Bad link", given_on=TODAY, positions=[0])
    with pytest.raises(ValidationError, match="must not be blank") as blank:
        make_example(date(2026, 2, 1), "  ", given_on=TODAY, index=2)
    assert blank.value.field == "examples.2.description"


def test_a_regulator_comments_on_implementation_when_assessing_the_stp():
    fb = Feedback.comment_on_implementation(
        id=uuid4(), stp=STP, giver=CQC, recipient_person_id="p-chair",
        assessment_kind="performance_review", assessment="Q3 system review", tenor="mixed",
        summary="Known at Board level only", examples=[], citations=(1, []), actor=INSPECTOR,
        occurred_on=TODAY,
    )
    event = fb.collect_events()[0]
    assert isinstance(event, Feedback.ImplementationCommented)
    assert (event.assessment_kind, event.assessment, fb.kind.value) == (
        "performance_review", "Q3 system review", "implementation")
    with pytest.raises(ValidationError, match="about the STP, not NVH"):
        Feedback.comment_on_implementation(
            id=uuid4(), stp=NVH, giver=CQC, recipient_person_id=None, assessment_kind="sign_off",
            assessment="x", tenor="mixed", summary="x", examples=[], citations=(1, []),
            actor=INSPECTOR, occurred_on=TODAY,
        )


def test_only_the_independent_chair_responds_and_not_before_the_feedback_was_given():
    fb = give()
    fb.respond("raised_with_chair", "Discussed with the Chair", "p-chair", ICHAIR, TODAY)
    fb.respond("action_agreed", "Briefing agreed", "p-chair", ICHAIR, date(2026, 3, 5))
    assert fb.responses == 2
    with pytest.raises(NotAllowedError, match="only the Independent Chair responds"):
        fb.respond("acknowledged", "Thanks", None, INSPECTOR, TODAY)
    with pytest.raises(ValidationError, match="before the feedback was given"):
        fb.respond("acknowledged", "Thanks", None, ICHAIR, date(2026, 2, 1))
    with pytest.raises(ValidationError, match="action must be one of"):
        fb.respond("ignored", "Thanks", None, ICHAIR, TODAY)


def test_only_the_giver_corrects_and_a_correction_names_what_changed_and_its_facts_date():
    fb = give()
    fb.correct(tenor="concerning", summary=None, examples=None, reason="misread our notes",
               actor=INSPECTOR, occurred_on=date(2026, 4, 1))
    event = fb.collect_events()[-1]
    assert isinstance(event, Feedback.Corrected)
    assert (event.corrected, event.tenor, event.corrects_occurred_on, event.occurred_on) == (
        ["tenor"], "concerning", TODAY, date(2026, 4, 1))
    with pytest.raises(RuleViolationError, match="changes nothing"):
        fb.correct(tenor="concerning", summary=None, examples=None, reason="again",
                   actor=INSPECTOR, occurred_on=date(2026, 4, 1))
    with pytest.raises(NotAllowedError, match="only CQC, who gave this feedback"):
        fb.correct(tenor="positive", summary=None, examples=None, reason="no",
                   actor=Actor("nhsei", Role.REGULATOR, "NHSEI"), occurred_on=date(2026, 4, 1))
