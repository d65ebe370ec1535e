from __future__ import annotations

from datetime import date

import pytest

from domain.concern import Concern
from domain.concern_routes import Route, Stage
from domain.errors import NotAllowedError, RuleViolationError, ValidationError
from domain.values import Actor, Office, OrganisationKind, Personal, Role

ACUTE = OrganisationKind.ACUTE_TRUST
DAY = date(2026, 1, 5)  # a Monday
LATER = date(2026, 1, 12)


class Directory:
    """Office holders in memory, as the directory would have them."""

    def __init__(self) -> None:
        self.offices = {
            (Office.CHIEF_EXECUTIVE, "NVH"): Personal("ceo-nvh", "Daniel Okafor"),
            (Office.CHIEF_EXECUTIVE, "RFH"): Personal("ceo-rfh", "Aisha Bello"),
            (Office.CHAIR, "NVH"): Personal("chair-nvh", "Margaret Ashby"),
            (Office.CHAIR, "RFH"): Personal("chair-rfh", "Sir Colin Pryce"),
            (Office.ACCOUNTABLE_OFFICER, "STP"): Personal("ao", "Michael Thorne"),
            (Office.INDEPENDENT_CHAIR, "STP"): Personal("ic", "Dame Judith Carrow"),
        }

    def holder(self, office: Office, organisation: str) -> Personal | None:
        return self.offices.get((office, organisation))


STAFF = Actor("staff.nvh", Role.STAFF, "NVH", "gareth")
CEO_NVH = Actor("ceo.nvh", Role.CHIEF_EXECUTIVE, "NVH", "ceo-nvh")
CEO_RFH = Actor("ceo.rfh", Role.CHIEF_EXECUTIVE, "RFH", "ceo-rfh")
CHAIR_NVH = Actor("chair.nvh", Role.CHAIR, "NVH", "chair-nvh")
CHAIR_RFH = Actor("chair.rfh", Role.CHAIR, "RFH", "chair-rfh")
AO = Actor("ao", Role.ACCOUNTABLE_OFFICER, "STP", "ao")
IC = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP", "ic")
GARETH = Personal("gareth", "Gareth Lyle")
OWEN = Personal("owen", "Owen Carter")


def raise_about(
    subject: Personal = OWEN, org: str = "RFH", office: Office | None = None, actor: Actor = STAFF,
    raiser: Personal = GARETH, raiser_org: str = "NVH", number: int = 14, directory: Directory | None = None,
) -> Concern:
    return Concern.raise_concern(
        number=number, raiser=raiser, raiser_organisation=(raiser_org, ACUTE), subject=subject,
        subject_organisation=(org, ACUTE), subject_office=office, stp="STP", citations=(1, ["B-1"]),
        narrative="Critical emails copied to the system group.", examples="Three emails in January.",
        confidential=False, holders=directory or Directory(), actor=actor, occurred_on=DAY,
    )


def event_names(concern: Concern) -> list[str]:
    return [type(e).__name__ for e in concern.collect_events()]


def test_a_concern_about_someone_in_another_organisation_goes_to_the_raisers_chief_executive():
    concern = raise_about()
    assert (concern.reference, concern.route, concern.stage) == ("C-14", Route.CROSS_ORGANISATION, Stage.CHIEF_EXECUTIVES)
    raised = concern.collect_events()[0]
    assert raised.people == {
        "chief_executive@NVH": Personal("ceo-nvh", "Daniel Okafor"),
        "chief_executive@RFH": Personal("ceo-rfh", "Aisha Bello"),
    }
    assert raised.narrative == Personal("owen", "Critical emails copied to the system group.")


def test_the_chief_executives_resolve_it_locally():
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "resolved", "Agreed an apology.", LATER)
    assert (concern.stage, concern.resolution_level, concern.closed_on) == (Stage.RESOLVED, "chief_executives", LATER)
    assert event_names(concern) == ["Raised", "DiscussedByChiefExecutives"]


def test_a_difference_of_view_goes_to_the_accountable_officer_who_resolves_it():
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "We differ.", LATER)
    assert concern.stage is Stage.ACCOUNTABLE_OFFICER and concern.stage_since == LATER
    concern.record_accountable_officer_decision(AO, directory, "resolved", "Agreed a joint owner.", date(2026, 1, 20))
    assert (concern.stage, concern.resolution_level) == (Stage.RESOLVED, "accountable_officer")
    decided = concern.collect_events()[-1]
    assert set(decided.people) == {"accountable_officer@STP", "chief_executive@NVH", "chief_executive@RFH"}


def test_the_accountable_officer_escalates_to_the_independent_chair_who_resolves_it_with_both_chairs():
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "We differ.", LATER)
    concern.record_accountable_officer_decision(AO, directory, "escalated", "No agreement.", LATER)
    assert concern.stage is Stage.INDEPENDENT_CHAIR
    concern.record_independent_chair_resolution(IC, directory, "A joint statement.", LATER)
    resolved = concern.collect_events()[-1]
    assert (concern.stage, concern.resolution_level) == (Stage.RESOLVED, "independent_chair")
    assert resolved.people == {
        "independent_chair@STP": Personal("ic", "Dame Judith Carrow"),
        "chair@NVH": Personal("chair-nvh", "Margaret Ashby"),
        "chair@RFH": Personal("chair-rfh", "Sir Colin Pryce"),
    }


def test_a_concern_about_a_chief_executive_goes_straight_to_their_chair():
    concern, directory = raise_about(Personal("ceo-rfh", "Aisha Bello"), office=Office.CHIEF_EXECUTIVE), Directory()
    assert (concern.route, concern.stage) == (Route.ABOUT_LEADER, Stage.CHAIR)
    assert concern.available_steps(CHAIR_RFH, directory) == ["chair_handling", "note"]
    concern.record_chair_handling(CHAIR_RFH, directory, "Discussed with Aisha.", LATER)
    assert (concern.stage, concern.resolution_level) == (Stage.RESOLVED, "chair")


def test_a_concern_about_a_chief_executive_of_ones_own_organisation_goes_to_its_chair():
    concern = raise_about(Personal("ceo-nvh", "Daniel Okafor"), org="NVH", office=Office.CHIEF_EXECUTIVE)
    assert concern.route is Route.ABOUT_LEADER
    assert concern.available_steps(CHAIR_NVH, Directory()) == ["chair_handling", "note"]


def test_a_concern_about_the_accountable_officer_goes_to_the_independent_chair():
    concern, directory = raise_about(Personal("ao", "Michael Thorne"), org="STP", office=Office.ACCOUNTABLE_OFFICER), Directory()
    with pytest.raises(NotAllowedError, match="only the Independent Chair may record how it was handled for C-14"):
        concern.record_chair_handling(CHAIR_RFH, directory, "x", LATER)
    concern.record_chair_handling(IC, directory, "Discussed with Michael.", LATER)
    assert concern.resolution_level == "independent_chair"


@pytest.mark.parametrize("pay", ["reflected", "not_appropriate"])
def test_the_independent_chairs_concern_is_discussed_then_reflected_in_the_performance_review(pay):
    concern, directory = raise_about(actor=IC, raiser=Personal("ic", "Dame Judith Carrow"), raiser_org="STP"), Directory()
    assert (concern.route, concern.stage) == (Route.INDEPENDENT_CHAIR, Stage.DISCUSSION)
    concern.record_discussion_with_individual(CHAIR_RFH, directory, "Discussed with Owen.", LATER)
    assert concern.stage is Stage.PERFORMANCE_REVIEW and concern.is_open
    concern.record_performance_review(CHAIR_RFH, directory, "In his annual objectives.", pay, date(2026, 4, 1))
    assert (concern.stage, concern.resolution_level) == (Stage.RESOLVED, "chair")
    assert concern.collect_events()[-1].performance_related_pay == pay


@pytest.mark.parametrize("discussed", [False, True])
def test_the_chair_may_record_why_the_follow_up_does_not_apply(discussed):
    concern, directory = raise_about(actor=IC, raiser=Personal("ic", "Dame Judith Carrow"), raiser_org="STP"), Directory()
    if discussed:
        concern.record_discussion_with_individual(CHAIR_RFH, directory, "Discussed.", LATER)
    concern.record_follow_up_not_applicable(CHAIR_RFH, directory, "Owen has left the trust.", LATER)
    assert concern.stage is Stage.RESOLVED


@pytest.mark.parametrize("stage_steps", [0, 1, 2])
def test_the_raiser_may_withdraw_at_any_open_stage(stage_steps):
    concern, directory = raise_about(), Directory()
    if stage_steps >= 1:
        concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "x", LATER)
    if stage_steps >= 2:
        concern.record_accountable_officer_decision(AO, directory, "escalated", "x", LATER)
    concern.withdraw(STAFF, "Sorted out face to face.", LATER)
    assert concern.stage is Stage.WITHDRAWN and concern.closed_on == LATER
    with pytest.raises(RuleViolationError, match="C-14 is already withdrawn; it cannot be withdrawn"):
        concern.withdraw(STAFF, None, LATER)


def test_reopening_returns_a_concern_to_the_stage_where_it_closed_and_it_may_be_resolved_again():
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "x", LATER)
    concern.record_accountable_officer_decision(AO, directory, "resolved", "x", LATER)
    concern.reopen(STAFF, directory, "It happened again.", date(2026, 2, 2))
    assert (concern.stage, concern.stage_since, concern.resolution_level) == (Stage.ACCOUNTABLE_OFFICER, date(2026, 2, 2), None)
    concern.record_accountable_officer_decision(AO, directory, "resolved", "Resolved for good.", date(2026, 2, 9))
    assert concern.stage is Stage.RESOLVED


def test_the_holder_of_the_closing_stage_may_reopen_but_nobody_else():
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "resolved", "x", LATER)
    with pytest.raises(NotAllowedError, match="only the Chief Executive of NVH may reopen it for C-14"):
        concern.reopen(CEO_RFH, directory, "why", LATER)
    concern.reopen(CEO_NVH, directory, "It recurred.", LATER)
    assert concern.stage is Stage.CHIEF_EXECUTIVES


@pytest.mark.parametrize(
    ("prepare", "attempt", "message"),
    [
        ([], lambda c, d: c.record_accountable_officer_decision(AO, d, "resolved", "x", LATER),
         "C-14 is at the stage 'With the Chief Executives'; the Accountable Officer's decision comes only at "
         "'With the Accountable Officer', and no step may be skipped"),
        ([], lambda c, d: c.record_independent_chair_resolution(IC, d, "x", LATER),
         "the Independent Chair's resolution comes only at 'With the Independent Chair'"),
        ([], lambda c, d: c.record_chair_handling(CHAIR_RFH, d, "x", LATER),
         "the Chair's handling is not a step of C-14's route"),
        (["resolve"], lambda c, d: c.record_accountable_officer_decision(AO, d, "escalated", "x", LATER),
         "C-14 is already resolved; it cannot be resolved or escalated again unless it is reopened with a reason"),
        (["resolve"], lambda c, d: c.record_chief_executives_discussion(CEO_NVH, d, "resolved", "again", LATER),
         "C-14 is already resolved"),
        (["withdraw"], lambda c, d: c.record_chief_executives_discussion(CEO_NVH, d, "resolved", "x", LATER),
         "C-14 was withdrawn; reopen it with a reason first"),
        ([], lambda c, d: c.reopen(STAFF, d, "why", LATER),
         "C-14 is open; only a resolved or withdrawn concern can be reopened"),
    ],
)
def test_steps_out_of_order_or_on_a_closed_concern_are_refused(prepare, attempt, message):
    concern, directory = raise_about(), Directory()
    if "resolve" in prepare:
        concern.record_chief_executives_discussion(CEO_NVH, directory, "resolved", "x", LATER)
    if "withdraw" in prepare:
        concern.withdraw(STAFF, None, LATER)
    with pytest.raises(RuleViolationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        attempt(concern, directory)


def test_the_independent_chairs_route_refuses_the_review_before_the_discussion():
    concern = raise_about(actor=IC, raiser=Personal("ic", "Dame Judith Carrow"), raiser_org="STP")
    with pytest.raises(RuleViolationError, match="the performance review comes only at 'Awaiting the performance review'"):
        concern.record_performance_review(CHAIR_RFH, Directory(), "x", "reflected", LATER)


STEP_CALLS = {
    "chief_executives_discussion": lambda c, a, d: c.record_chief_executives_discussion(a, d, "resolved", "x", LATER),
    "accountable_officer_decision": lambda c, a, d: c.record_accountable_officer_decision(a, d, "resolved", "x", LATER),
    "independent_chair_resolution": lambda c, a, d: c.record_independent_chair_resolution(a, d, "x", LATER),
    "chair_handling": lambda c, a, d: c.record_chair_handling(a, d, "x", LATER),
    "discussion_with_individual": lambda c, a, d: c.record_discussion_with_individual(a, d, "x", LATER),
    "performance_review": lambda c, a, d: c.record_performance_review(a, d, "x", "reflected", LATER),
    "not_applicable": lambda c, a, d: c.record_follow_up_not_applicable(a, d, "x", LATER),
}


def at_stage(step: str) -> Concern:
    directory = Directory()
    if step == "chair_handling":
        return raise_about(Personal("ceo-rfh", "Aisha Bello"), office=Office.CHIEF_EXECUTIVE)
    if step in ("discussion_with_individual", "performance_review", "not_applicable"):
        concern = raise_about(actor=IC, raiser=Personal("ic", "Dame Judith Carrow"), raiser_org="STP")
        if step == "performance_review":
            concern.record_discussion_with_individual(CHAIR_RFH, directory, "x", LATER)
        return concern
    concern = raise_about()
    if step in ("accountable_officer_decision", "independent_chair_resolution"):
        concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "x", LATER)
    if step == "independent_chair_resolution":
        concern.record_accountable_officer_decision(AO, directory, "escalated", "x", LATER)
    return concern


@pytest.mark.parametrize(
    ("step", "allowed", "wrong_role", "wrong_person", "who"),
    [
        ("chief_executives_discussion", CEO_NVH, STAFF, CEO_RFH, "the Chief Executive of NVH"),
        ("accountable_officer_decision", AO, CEO_NVH, Actor("x", Role.ACCOUNTABLE_OFFICER, "STP", "someone"), "the Accountable Officer"),
        ("independent_chair_resolution", IC, AO, Actor("x", Role.INDEPENDENT_CHAIR, "STP", "someone"), "the Independent Chair"),
        ("chair_handling", CHAIR_RFH, CEO_RFH, CHAIR_NVH, "the Chair of RFH"),
        ("discussion_with_individual", CHAIR_RFH, IC, CHAIR_NVH, "the Chair of RFH"),
        ("performance_review", CHAIR_RFH, CEO_RFH, CHAIR_NVH, "the Chair of RFH"),
        ("not_applicable", CHAIR_RFH, STAFF, CHAIR_NVH, "the Chair of RFH"),
    ],
)
def test_only_the_person_the_paper_names_may_take_each_step(step, allowed, wrong_role, wrong_person, who):
    directory = Directory()
    for actor, fragment in ((wrong_role, "; you act as"), (wrong_person, "; the directory does not record you")):
        concern = at_stage(step)
        assert step not in concern.available_steps(actor, directory)
        with pytest.raises(NotAllowedError, match=f"only {who} may .* for C-14{fragment}"):
            STEP_CALLS[step](concern, actor, directory)
    concern = at_stage(step)
    assert step in concern.available_steps(allowed, directory)
    STEP_CALLS[step](concern, allowed, directory)


def test_only_the_raiser_may_withdraw_and_only_the_chain_may_add_notes():
    concern, directory = raise_about(), Directory()
    with pytest.raises(NotAllowedError, match="only the person who raised C-14 may withdraw it"):
        concern.withdraw(CEO_NVH, None, LATER)
    with pytest.raises(NotAllowedError, match="only the people in C-14's chain may add notes"):
        concern.add_note(CHAIR_NVH, directory, "I heard about this.", LATER)
    concern.add_note(CEO_RFH, directory, "Owen has been told.", LATER)
    assert event_names(concern)[-1] == "NoteAdded"


def test_the_subject_is_never_in_the_chain():
    concern = raise_about(Personal("chair-rfh", "Sir Colin Pryce"))
    directory = Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "x", LATER)
    concern.record_accountable_officer_decision(AO, directory, "escalated", "x", LATER)
    assert not concern.is_in_chain(CHAIR_RFH, directory)
    assert concern.is_in_chain(CHAIR_NVH, directory) and concern.is_in_chain(STAFF, directory)


def test_events_keep_the_people_of_the_time_when_a_chief_executive_changes():
    directory = Directory()
    concern = raise_about(directory=directory)
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "x", LATER)
    directory.offices[(Office.CHIEF_EXECUTIVE, "NVH")] = Personal("new-ceo", "Ruth Ellis")
    concern.record_accountable_officer_decision(AO, directory, "resolved", "x", LATER)
    first, second, third = concern.collect_events()
    assert first.people["chief_executive@NVH"] == Personal("ceo-nvh", "Daniel Okafor")
    assert second.people["chief_executive@NVH"] == Personal("ceo-nvh", "Daniel Okafor")
    assert third.people["chief_executive@NVH"] == Personal("new-ceo", "Ruth Ellis")


def test_the_new_chief_executive_takes_the_step_and_the_old_one_no_longer_may():
    directory = Directory()
    concern = raise_about(directory=directory)
    directory.offices[(Office.CHIEF_EXECUTIVE, "NVH")] = Personal("new-ceo", "Ruth Ellis")
    with pytest.raises(NotAllowedError, match="the directory does not record you in that office"):
        concern.record_chief_executives_discussion(CEO_NVH, directory, "resolved", "x", LATER)
    concern.record_chief_executives_discussion(
        Actor("ceo2", Role.CHIEF_EXECUTIVE, "NVH", "new-ceo"), directory, "resolved", "x", LATER
    )


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"subject": Personal("helen", "Helen Marsh"), "org": "NVH"}, RuleViolationError,
         r"the person concerned works in your own organisation \(NVH\)"),
        ({"subject": GARETH, "org": "NVH"}, ValidationError, "a concern cannot be about the person raising it"),
        ({"actor": Actor("lead", Role.GOVERNANCE_LEAD)}, NotAllowedError, "your login is not linked to a person"),
        ({"actor": Actor("x", Role.INDEPENDENT_CHAIR, "STP", "gareth")}, NotAllowedError,
         "only the Independent Chair may raise"),
    ],
)
def test_raising_is_refused_with_a_clear_message(kwargs, error, message):
    with pytest.raises(error, match=message):
        raise_about(**kwargs)


def test_a_concern_must_cite_an_item_and_its_chief_executive_must_be_in_post():
    directory = Directory()
    with pytest.raises(ValidationError, match="cite at least one principle, value or behaviour"):
        Concern.raise_concern(
            number=1, raiser=GARETH, raiser_organisation=("NVH", ACUTE), subject=OWEN,
            subject_organisation=("RFH", ACUTE), subject_office=None, stp="STP", citations=(1, []),
            narrative="n", examples="e", confidential=False, holders=directory, actor=STAFF, occurred_on=DAY,
        )
    del directory.offices[(Office.CHIEF_EXECUTIVE, "NVH")]
    with pytest.raises(RuleViolationError, match="the directory records nobody as the Chief Executive of NVH"):
        raise_about(directory=directory)


def test_a_step_cannot_be_dated_before_the_stage_began_and_outcomes_are_checked():
    concern, directory = raise_about(), Directory()
    with pytest.raises(ValidationError, match="occurred_on 2026-01-02 is before C-14 reached this stage on 2026-01-05"):
        concern.record_chief_executives_discussion(CEO_NVH, directory, "resolved", "x", date(2026, 1, 2))
    with pytest.raises(ValidationError, match="outcome must be one of: resolved, difference_of_view"):
        concern.record_chief_executives_discussion(CEO_NVH, directory, "agreed", "x", LATER)
    with pytest.raises(ValidationError, match="account must not be blank"):
        concern.record_chief_executives_discussion(CEO_NVH, directory, "resolved", "  ", LATER)


def test_a_correction_names_the_step_it_corrects_and_redates_it_without_editing_it():
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "Spoke on the 12th.", LATER)
    concern.correct_step(CEO_NVH, directory, corrects=2, reason="It was the 9th.", account="Spoke on the 9th.",
                         corrected_occurred_on=date(2026, 1, 9), occurred_on=date(2026, 1, 13))
    correction = concern.collect_events()[-1]
    assert (correction.corrects, correction.corrects_what, correction.by_post) == (2, "DiscussedByChiefExecutives", "chief_executive@NVH")
    assert concern.history[1]["text"] == Personal("owen", "Spoke on the 12th.")  # the step itself is unchanged
    assert concern.history[1]["corrected_by"] == [3]
    assert concern.stage_since == date(2026, 1, 9)


@pytest.mark.parametrize(
    ("actor", "kwargs", "error", "message"),
    [
        (CEO_NVH, {"corrects": 9}, ValidationError, "C-14 has no event number 9"),
        (CEO_NVH, {"corrects": 3}, ValidationError, r"event 3 of C-14 \(NoteAdded\) is not a step of the route"),
        (CEO_RFH, {"corrects": 2}, NotAllowedError, "only the Chief Executive of NVH may correct the step"),
        (CEO_NVH, {"corrects": 1}, NotAllowedError, "only the person who raised C-14 may correct how it was raised"),
        (CEO_NVH, {"corrects": 2, "account": None}, ValidationError, "a correction must give a corrected account or a corrected date"),
        (CEO_NVH, {"corrects": 2, "account": None, "corrected_occurred_on": date(2026, 1, 1)}, ValidationError,
         "is before the step before it on 2026-01-05"),
    ],
)
def test_corrections_are_refused_with_a_clear_message(actor, kwargs, error, message):
    concern, directory = raise_about(), Directory()
    concern.record_chief_executives_discussion(CEO_NVH, directory, "difference_of_view", "x", LATER)
    concern.add_note(CEO_NVH, directory, "a note", LATER)
    arguments = {"reason": "why", "account": "corrected", "corrected_occurred_on": None, **kwargs}
    with pytest.raises(error, match=message):
        concern.correct_step(actor, directory, occurred_on=LATER, **arguments)


def test_text_that_is_not_valid_unicode_is_refused_before_it_is_encrypted():
    concern = raise_about()
    with pytest.raises(ValidationError, match="text contains characters that are not valid Unicode"):
        concern.add_note(CEO_RFH, Directory(), "half a pair \ud800", LATER)
