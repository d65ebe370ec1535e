"""The governance views follow the log, work out time-dependent flags when asked, and equal a
rebuild from the first event."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.periods import financial_year_of, half_of, quarter_of
from domain.report import content_hash
from domain.values import Actor, Role
from tests.application.governance_seed import seed
from tests.conftest import ADMIN, LEAD

TODAY = date.today()
YEAR = financial_year_of(TODAY)


def scenario(ledger):  # type: ignore[no-untyped-def]
    """A little of everything, seeded through the application."""
    cast = seed(ledger)
    ago = lambda n: TODAY - timedelta(days=n)  # noqa: E731
    ledger.take_paper_to_board(LEAD, organisation="NVH", body="Board", occurred_on=ago(300))
    ledger.record_adoption_decision(LEAD, organisation="NVH", decision="supported", occurred_on=ago(290))
    ledger.take_paper_to_board(LEAD, organisation="CQC", body="Leadership", occurred_on=ago(280))
    ledger.record_adoption_decision(LEAD, organisation="CQC", decision="supported", occurred_on=ago(270),
                                    roles_accepted=["providing_feedback", "receiving_feedback"])
    ledger.correct_adoption_decision(LEAD, organisation="CQC", decision="supported", reason="minutes",
                                     roles_accepted=["providing_feedback"], occurred_on=ago(260))
    ledger.establish_body(LEAD, code="PB", name="STP Programme Board", kind="programme_board", occurred_on=ago(320))
    ledger.establish_body(LEAD, code="CLIN", name="Clinical Senate", kind="committee", reports_to="PB",
                          occurred_on=ago(320))
    ledger.establish_body(LEAD, code="WORK", name="Workforce Sub-Committee", kind="sub_committee",
                          reports_to="CLIN", occurred_on=ago(320))
    ledger.establish_body(LEAD, code="EST", name="Estates Sub-Committee", kind="sub_committee", reports_to="PB",
                          occurred_on=ago(320))
    ledger.update_terms_of_reference(LEAD, "PB", reference="PB ToR v2", summary="PVB added", occurred_on=ago(310))
    ledger.notify_body(LEAD, "CLIN", occurred_on=ago(250))
    ledger.update_terms_of_reference(LEAD, "CLIN", reference="CLIN ToR v3", summary="PVB added", occurred_on=ago(200))
    ledger.notify_body(LEAD, "work", note="Sent with the minutes", occurred_on=ago(250))
    chair = cast.actor("chair.nvh")
    oid = ledger.set_objective(chair, person_id=cast.people["Priya Raman"], text="Speak up", citations=["B-2"],
                               period_start=YEAR.start, period_end=YEAR.end, occurred_on=min(YEAR.start, TODAY))
    ledger.note_objective_progress(chair, oid, note="Good")
    last = YEAR.previous()
    old = ledger.set_objective(chair, person_id=cast.people["Daniel Okafor"], text="Resolve locally",
                               citations=["SL-4"], period_start=last.start, period_end=last.end, occurred_on=ago(390))
    ledger.assess_objective(chair, old, outcome="not_met", occurred_on=ago(380))
    ledger.correct_objective_assessment(chair, old, outcome="partly_met", reason="form", occurred_on=ago(379))
    held = ago(1)
    quarter = ledger.hold_review(LEAD, summary="Reviewed", occurred_on=held)
    owner = cast.people["Daniel Okafor"]
    ledger.record_review_decision(LEAD, quarter, decided="Act", learning="Face to face works", occurred_on=held, actions=[
        {"text": "Publish", "owner_person_id": owner, "due_on": TODAY + timedelta(days=5)},
        {"text": "Write", "owner_person_id": owner, "due_on": TODAY + timedelta(days=20)},
        {"text": "Drop me", "owner_person_id": owner, "due_on": TODAY + timedelta(days=20)}])
    ledger.update_review_action(LEAD, quarter, 2, status="carried_forward", due_on=TODAY + timedelta(days=40), note="later")
    ledger.update_review_action(LEAD, quarter, 3, status="dropped", note="superseded")
    cid = ledger.nominate_for_commendation(cast.actor("staff.nvh"), nominee_id=cast.people["Priya Raman"],
                                           citations=["B-6", "B-8"], examples=["Celebrated"])
    ledger.decide_commendation(cast.actor("ichair"), cid, decision="commended")
    ledger.nominate_for_commendation(cast.actor("ceo.nvh"), nominee_id=cast.people["Aisha Bello"], citations=["B-1"],
                                     examples=["Met face to face"])
    ledger.hold_chairs_meeting(cast.actor("ichair"), attended=["NVH"], progress_reviewed="Good", occurred_on=held,
                               actions=[{"text": "Raise at Board", "owner_organisation": "NVH", "due_on": TODAY + timedelta(days=3)}])
    sid = ledger.hold_learning_session(LEAD, title="Challenging conversations", citations=["B-1"], occurred_on=ago(100))
    ledger.record_session_attendance(LEAD, sid, attendees=[cast.people["Margaret Ashby"]], occurred_on=ago(100))
    pid = ledger.make_pledge(cast.actor("ceo.nvh"), text="Speak up", citations=["B-2"], occurred_on=ago(90))
    ledger.revisit_pledge(cast.actor("ceo.nvh"), pid, outcome="kept", reflection="Did", occurred_on=ago(10))
    period = half_of(TODAY).previous()
    ledger.draft_six_monthly_report(LEAD, period=period.key)
    ledger.edit_six_monthly_narrative(cast.actor("ichair"), period=period.key, narrative="Better.")
    ledger.publish_six_monthly_report(cast.actor("ichair"), period=period.key, public_summary="Better.")
    return cast


def snapshot(views, day: date) -> dict:  # type: ignore[no-untyped-def]
    """Every query of every governance view, as of a day."""
    return {
        "adoption": (views["adoption"].list_bodies(), views["adoption"].list_committees(), views["adoption"].summary()),
        "objectives": (views["objectives"].coverage(day), views["objectives"].trend(), views["objectives"].leaders("NVH", day)),
        "reviews": (views["reviews"].list_reviews(), views["reviews"].list_actions(day), views["reviews"].action_counts(day)),
        "commendations": (views["commendations"].list_nominations(), views["commendations"].summary()),
        "chairs_meetings": (views["chairs_meetings"].list_meetings(day), views["chairs_meetings"].attendance_by_organisation()),
        "development": (views["development"].list_sessions(), views["development"].list_pledges(), views["development"].summary()),
        "reports": (views["reports"].list_reports(), views["reports"].get_report(half_of(day).previous().key)),
        "calendar": views["calendar"].due(day, views["objectives"].coverage(day)),
    }


@pytest.fixture
def seeded(database_url):  # type: ignore[no-untyped-def]
    """The scenario written without inline catch-up (fast), then the views brought up to date."""
    from domain.values import SYSTEM
    from web.wiring import build_services

    services = build_services(database_url, inline=False)
    services.ledger.init_framework(SYSTEM)
    scenario(services.ledger)
    services.projections.catch_up()
    yield services
    services.close()


def test_every_governance_view_equals_a_rebuild_from_the_first_event(seeded):
    live = snapshot(seeded.projections, TODAY)
    seeded.projections.rebuild(["adoption", "objectives", "reviews", "commendations", "chairs_meetings",
                                "development", "reports", "calendar"])
    assert snapshot(seeded.projections, TODAY) == live


def test_the_adoption_view_shows_steps_and_what_is_outstanding(seeded):
    bodies = {b["code"]: b for b in seeded.projections["adoption"].list_bodies()}
    assert set(bodies) == {"NVH", "RFH", "CQC"}
    assert (bodies["NVH"]["step"], bodies["RFH"]["step"], bodies["RFH"]["outstanding"]) == (
        "supported", "paper_not_taken", "take the paper to RFH and seek its Board's support")
    assert (bodies["CQC"]["roles_accepted"], bodies["CQC"]["corrections"], bodies["CQC"]["external"]) == (
        ["providing_feedback"], 1, True)
    committees = seeded.projections["adoption"].list_committees()  # the meeting bodies below the Programme Board
    assert [(c["code"], c["notified_on"] is not None, c["terms_reference"], c["outstanding"]) for c in committees] == [
        ("CLIN", True, "CLIN ToR v3", None),
        ("EST", False, None, "send it the paper and ask it to update its terms of reference"),
        ("WORK", True, None, f"update its terms of reference (sent the paper {(TODAY - timedelta(days=250)).isoformat()})"),
    ]
    summary = seeded.projections["adoption"].summary()
    assert (summary["committees"], summary["committees_notified"], summary["committees_updated"]) == (3, 2, 1)
    bodies = {b["code"]: b for b in seeded.projections["meetings"].list_bodies()}
    assert (bodies["CLIN"]["notified_on"], bodies["CLIN"]["terms_reference"]) == (
        (TODAY - timedelta(days=250)).isoformat(), "CLIN ToR v3")


def test_a_body_is_sent_the_paper_once_and_its_terms_follow_it(seeded):
    from domain.errors import RuleViolationError, ValidationError

    with pytest.raises(RuleViolationError, match="already sent the paper"):
        seeded.ledger.notify_body(LEAD, "CLIN")
    with pytest.raises(RuleViolationError, match="the Programme Board agreed the framework itself"):
        seeded.ledger.notify_body(LEAD, "PB")
    with pytest.raises(ValidationError, match="cannot come before Workforce Sub-Committee was sent the paper"):
        seeded.ledger.update_terms_of_reference(LEAD, "WORK", reference="v1", summary="x",
                                                occurred_on=TODAY - timedelta(days=300))
    with pytest.raises(RuleViolationError, match="already updated its terms of reference"):
        seeded.ledger.update_terms_of_reference(LEAD, "CLIN", reference="v4", summary="again")
    from domain.errors import NotFoundError

    with pytest.raises(NotFoundError, match="meeting body NOPE not found"):
        seeded.ledger.notify_body(LEAD, "NOPE")


def test_objectives_coverage_names_the_gaps_and_counts_last_years_outcomes(seeded):
    rows = {r["code"]: r for r in seeded.projections["objectives"].coverage(TODAY)}
    nvh = rows["NVH"]
    assert (nvh["leaders"], nvh["covered"], nvh["share"]) == (3, 1, 33)
    assert [g["name"] for g in nvh["gaps"]] == ["Daniel Okafor", "Margaret Ashby"]
    assert nvh["outcomes"] == {"met": 0, "partly_met": 1, "not_met": 0, "not_assessed": 0}
    assert (rows["RFH"]["share"], nvh["chair_name"]) == (0, "Margaret Ashby")
    trend = {t["year"]: t for t in seeded.projections["objectives"].trend("NVH")}
    assert (trend[YEAR.key]["covered"], trend[YEAR.previous().key]["partly_met"]) == (1, 1)
    after = seeded.projections["objectives"].coverage(YEAR.end + timedelta(days=1))
    assert {r["code"]: r["covered"] for r in after}["NVH"] == 0  # current is judged on the day asked


def test_the_independent_chairs_concerns_follow_the_individual_to_their_next_performance_review(seeded):
    from tests.application.test_concerns import EXAMPLE

    ledger, view = seeded.ledger, seeded.projections["objectives"]
    people = {p["name"]: p["id"] for p in view.leaders("NVH", TODAY)}
    ichair = Actor("ichair", Role.INDEPENDENT_CHAIR, "STP", next(
        p["id"] for p in view.leaders("STP", TODAY) if p["name"] == "Judith Carrow"))
    chair = Actor("chair.nvh", Role.CHAIR, "NVH", people["Margaret Ashby"])
    ago = lambda n: TODAY - timedelta(days=n)  # noqa: E731
    reflected = ledger.raise_concern(ichair, subject_id=people["Priya Raman"], occurred_on=ago(30), **EXAMPLE)
    ledger.record_discussion_with_individual(chair, reflected, account="Talked it through", occurred_on=ago(25))
    ledger.correct_concern_step(chair, reflected, corrects=2, reason="diary", corrected_occurred_on=ago(26))
    ledger.record_performance_review(chair, reflected, account="In the appraisal", performance_related_pay="reflected",
                                     occurred_on=ago(10))
    pending = ledger.raise_concern(ichair, subject_id=people["Daniel Okafor"], occurred_on=ago(5), **EXAMPLE)
    ward = next(p["id"] for p in seeded.projections["directory"].list_people("NVH", limit=50)[0]
                if p["name"] == "Gareth Lyle")
    not_senior = ledger.raise_concern(ichair, subject_id=ward, occurred_on=ago(4), **EXAMPLE)
    ledger.record_discussion_with_individual(chair, not_senior, account="Spoke", occurred_on=ago(3))
    ledger.record_follow_up_not_applicable(chair, not_senior, account="Not in a PRP scheme", occurred_on=ago(2))
    bello = next(p["id"] for p in view.leaders("RFH", TODAY) if p["name"] == "Aisha Bello")
    cross = ledger.raise_concern(Actor("staff.nvh", Role.STAFF, "NVH", ward), subject_id=bello, **EXAMPLE)
    seeded.projections.catch_up()  # this fixture's views catch up when asked
    leaders = {p["name"]: p for p in view.leaders("NVH", TODAY)}
    assert [(c["concern_ref"], c["discussed_on"], c["closed_how"], c["performance_related_pay"], c["closed_on"])
            for c in leaders["Priya Raman"]["concerns_for_next_review"]] == [
        (reflected, ago(26).isoformat(), "reflected", "reflected", ago(10).isoformat())]
    assert [c["concern_ref"] for c in leaders["Daniel Okafor"]["concerns_for_next_review"]] == [pending]
    rows = {r["concern_ref"]: r for r in view.review_concerns("NVH")}
    assert set(rows) == {reflected, pending, not_senior} and cross not in rows  # only the Independent Chair's route
    assert (rows[not_senior]["person_name"], rows[not_senior]["closed_how"]) == ("Gareth Lyle", "not_applicable")
    assert {r["code"]: r for r in view.coverage(TODAY)}["NVH"]["concerns_for_next_review"] == 1  # the pending one
    ledger.reopen_concern(ichair, reflected, reason="It happened again")
    seeded.projections.catch_up()
    assert {r["code"]: r for r in view.coverage(TODAY)}["NVH"]["concerns_for_next_review"] == 2
    live = view.review_concerns("NVH")
    seeded.projections.rebuild(["objectives"])
    assert view.review_concerns("NVH") == live


def test_overdue_actions_are_flagged_from_the_day_asked(seeded):
    reviews = seeded.projections["reviews"]
    refs = lambda day: [a["ref"] for a in reviews.list_actions(day, overdue_only=True)[0]]  # noqa: E731
    quarter = quarter_of(TODAY - timedelta(days=1)).key
    assert refs(TODAY) == []
    assert refs(TODAY + timedelta(days=6)) == [f"{quarter}-A1"]
    assert refs(TODAY + timedelta(days=41)) == [f"{quarter}-A1", f"{quarter}-A2"]
    assert reviews.action_counts(TODAY + timedelta(days=41)) == {
        "open": 1, "carried_forward": 1, "done": 0, "dropped": 1, "overdue": 2, "total": 3}


def test_commendations_count_by_status_and_behaviour(seeded):
    summary = seeded.projections["commendations"].summary()
    assert summary["by_status"] == {"commended": 1, "pending": 1}
    assert summary["by_behaviour"] == {"B-1": 1, "B-6": 1, "B-8": 1}
    rows, total = seeded.projections["commendations"].list_nominations(status="commended")
    assert (total, rows[0]["nominee_name"], rows[0]["nominated_by_name"]) == (1, "Priya Raman", "Gareth Lyle")


def test_the_calendar_says_what_is_done_due_and_overdue_for_whom(seeded):
    items = seeded.projections["calendar"].due(TODAY, seeded.projections["objectives"].coverage(TODAY))
    by = {(i["kind"], i["period"]): i for i in items}
    quarter = quarter_of(TODAY - timedelta(days=1))
    assert by[("programme_board_review", quarter.key)]["status"] == "done"
    assert by[("six_monthly_report", half_of(TODAY).previous().key)]["status"] == "done"
    earlier = quarter.previous()
    assert by[("programme_board_review", earlier.key)]["status"] == "overdue"
    panel = by[("panel_survey", earlier.key)]
    assert (panel["status"], panel["subject"]) == ("overdue", None)
    assert panel["detail"] == "no panel survey has been opened for this quarter"
    objectives = {i["responsible"]: i for i in items if i["kind"] == "annual_objectives"}
    nvh = objectives["the Chair of NVH (Margaret Ashby)"]
    due_on = quarter_of(YEAR.start).end
    assert (nvh["period"], nvh["due_on"], nvh["status"]) == (
        YEAR.key, due_on.isoformat(), "overdue" if TODAY > due_on else "due")
    assert nvh["detail"] == "2 of 3 senior leaders without a current PVB objective: Daniel Okafor, Margaret Ashby"


def test_personal_names_in_the_views_are_replaced_on_erasure(seeded):
    pid = next(p["id"] for p in seeded.projections["objectives"].leaders("NVH", TODAY) if p["name"] == "Priya Raman")
    seeded.ledger.erase_person(ADMIN, pid, "request")
    seeded.projections.catch_up()
    names = [r["nominee_name"] for r in seeded.projections["commendations"].list_nominations()[0]]
    assert "Priya Raman" not in names and "[erased]" in names
    assert "Priya Raman" not in str(seeded.projections["objectives"].coverage(TODAY))


def test_a_published_report_is_unchanged_by_later_events_and_by_a_rebuild(seeded):
    period = half_of(TODAY).previous().key
    published = seeded.projections["reports"].get_report(period)
    assert content_hash(published["content"]) == published["content_hash"]
    cast_chair = next(p for p in seeded.projections["objectives"].leaders("NVH", TODAY) if p["name"] == "Margaret Ashby")
    from domain.values import Actor, Role

    chair = Actor("chair.nvh", Role.CHAIR, "NVH", cast_chair["id"])
    seeded.ledger.set_objective(chair, person_id=cast_chair["id"], text="Own objective", citations=["B-1"],
                                period_start=YEAR.start, period_end=YEAR.end)
    seeded.ledger.hold_review(LEAD, summary="Another", occurred_on=TODAY - timedelta(days=120))
    seeded.projections.rebuild()
    assert seeded.projections["reports"].get_report(period) == published
    assert seeded.ledger.get_six_monthly_report(period).content == published["content"]
