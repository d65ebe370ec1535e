from __future__ import annotations

from datetime import date

from projections.escalation_queries import ConcernFilters
from tests.application.test_concerns import EXAMPLE, seed
from tests.conftest import ADMIN

TODAY = date(2025, 6, 30)  # a Monday; every date below is in the past wherever the tests run


def scenario(ledger) -> dict:  # type: ignore[no-untyped-def]
    """Concerns on each route at several stages, dated across the first half of 2025."""
    cast = seed(ledger)
    a, p = cast.actors, cast.people

    def cross(raiser: str, subject: str, day: date) -> str:
        return ledger.raise_concern(a[raiser], subject_id=p[subject], occurred_on=day, **EXAMPLE)

    local = cross("staff.nvh", "staff.rfh", date(2025, 4, 17))  # the Thursday before Easter
    ledger.record_chief_executives_discussion(a["ceo.nvh"], local, outcome="resolved", account="x",
                                              occurred_on=date(2025, 4, 22))
    by_ao = cross("staff.rfh", "other.nvh", date(2025, 5, 1))
    ledger.record_chief_executives_discussion(a["ceo.rfh"], by_ao, outcome="difference_of_view", account="x",
                                              occurred_on=date(2025, 5, 8))
    ledger.record_accountable_officer_decision(a["ao"], by_ao, outcome="resolved", account="x",
                                               occurred_on=date(2025, 5, 15))
    waiting = cross("staff.nvh", "staff.rfh", date(2025, 6, 2))  # 20 working days at the CEOs by TODAY
    escalated = cross("staff.rfh", "staff.nvh", date(2025, 6, 20))
    ledger.record_chief_executives_discussion(a["ceo.rfh"], escalated, outcome="difference_of_view",
                                              account="x", occurred_on=date(2025, 6, 23))
    withdrawn = cross("staff.nvh", "staff.rfh", date(2025, 6, 3))
    ledger.withdraw_concern(a["staff.nvh"], withdrawn, occurred_on=date(2025, 6, 4))
    about_ceo = ledger.raise_concern(a["staff.nvh"], subject_id=p["ceo.rfh"], occurred_on=date(2025, 6, 25), **EXAMPLE)
    mine = ledger.raise_concern(a["ichair"], subject_id=p["staff.rfh"], occurred_on=date(2025, 3, 3), **EXAMPLE)
    ledger.record_discussion_with_individual(a["chair.rfh"], mine, account="x", occurred_on=date(2025, 3, 10))
    ledger.correct_concern_step(a["chair.rfh"], mine, corrects=2, reason="x", corrected_occurred_on=date(2025, 3, 7))
    return {"cast": cast, "local": local, "by_ao": by_ao, "waiting": waiting, "escalated": escalated,
            "withdrawn": withdrawn, "about_ceo": about_ceo, "mine": mine}


def snapshot(view) -> dict:  # type: ignore[no-untyped-def]
    rows, total = view.list_concerns(TODAY, limit=1000)
    return {"rows": rows, "total": total, "board": view.board(TODAY), "statistics": view.statistics(TODAY)}


def by_reference(view, **filters) -> dict:  # type: ignore[no-untyped-def]
    rows, _ = view.list_concerns(TODAY, filters=ConcernFilters(**filters), limit=1000)
    return {r["reference"]: r for r in rows}


def test_the_status_view_follows_the_log_and_equals_a_rebuild_from_the_first_event(services):
    scenario(services.ledger)
    view = services.projections["escalation"]
    live = snapshot(view)
    assert live["total"] == 7
    services.projections.rebuild(["escalation"])
    assert snapshot(view) == live


def test_each_concern_shows_its_stage_holder_and_working_days_for_the_day_asked(services):
    refs = scenario(services.ledger)
    rows = by_reference(services.projections["escalation"])
    waiting, escalated, mine = rows[refs["waiting"]], rows[refs["escalated"]], rows[refs["mine"]]
    assert (waiting["stage"], waiting["holder"], waiting["holder_name"], waiting["subject_name"]) == (
        "chief_executives", "Chief Executive, NVH", "Daniel Okafor", "Owen Carter")
    assert (waiting["days_at_stage"], waiting["target_days"], waiting["overdue"]) == (20, 10, True)
    assert (escalated["stage"], escalated["holder_name"], escalated["days_at_stage"], escalated["days_total"]) == (
        "accountable_officer", "Michael Thorne", 5, 6)
    assert (mine["stage"], mine["stage_since"], mine["holder"]) == ("performance_review", "2025-03-07", "Chair, RFH")
    assert not {"raiser_id", "raiser", "raiser_name"} & set(waiting)


def test_time_to_resolution_skips_the_easter_bank_holidays(services):
    refs = scenario(services.ledger)
    local = by_reference(services.projections["escalation"])[refs["local"]]
    # Thursday 17 April to Tuesday 22 April 2025: Good Friday and Easter Monday are not working days.
    assert (local["status"], local["resolution_level"], local["resolution_days"], local["days_total"]) == (
        "resolved", "chief_executives", 1, 1)


def test_filters_by_overdue_organisation_route_stage_holder_and_raiser(services):
    refs = scenario(services.ledger)
    view = services.projections["escalation"]
    assert set(by_reference(view, overdue=True)) == {refs["waiting"], refs["mine"]}
    assert refs["waiting"] not in by_reference(view, overdue=False)
    assert set(by_reference(view, route="about_leader")) == {refs["about_ceo"]}
    assert set(by_reference(view, stage="withdrawn")) == {refs["withdrawn"]}
    assert set(by_reference(view, holder=("chief_executive", "NVH"))) == {refs["waiting"]}
    assert set(by_reference(view, involving=("accountable_officer", "STP"))) == {refs["by_ao"], refs["escalated"]}
    assert set(by_reference(view, organisation="STP")) == {refs["mine"]}
    rows, total = view.list_concerns(TODAY, limit=2, offset=2)
    assert total == 7 and [r["number"] for r in rows] == [5, 4]


def test_targets_per_stage_come_from_the_caller(services):
    refs = scenario(services.ledger)
    view = services.projections["escalation"]
    relaxed = view.list_concerns(TODAY, {"chief_executives": 25}, ConcernFilters(overdue=True))[0]
    assert {r["reference"] for r in relaxed} == {refs["mine"]}
    strict = view.list_concerns(TODAY, {"accountable_officer": 2}, ConcernFilters(overdue=True))[0]
    assert refs["escalated"] in {r["reference"] for r in strict}


def test_statistics_count_by_stage_and_organisation_and_give_median_time_by_level(services):
    scenario(services.ledger)
    stats = services.projections["escalation"].statistics(TODAY)
    assert [(s["stage"], s["count"], s["overdue"]) for s in stats["by_stage"]] == [
        ("chief_executives", 1, 1), ("accountable_officer", 1, 0), ("chair", 1, 0),
        ("performance_review", 1, 1), ("resolved", 2, 0), ("withdrawn", 1, 0),
    ]
    assert [(r["level"], r["resolved"], r["median_days"]) for r in stats["resolved_by_level"]] == [
        ("chief_executives", 1, 1.0), ("accountable_officer", 1, 9.0),  # 5 May 2025 was a bank holiday
    ]
    assert [(r["quarter"], r["level"]) for r in stats["resolved_by_quarter"]] == [
        ("2025/26 Q1", "chief_executives"), ("2025/26 Q1", "accountable_officer"),
    ]
    assert {o["organisation"]: (o["about"], o["raised"]) for o in stats["by_organisation"]} == {
        "NVH": (2, 4), "RFH": (5, 2), "STP": (0, 1),
    }
    assert "Owen" not in repr(stats) and "Gareth" not in repr(stats)


def test_the_median_of_an_even_number_is_the_mean_of_the_middle_two(services):
    cast = seed(services.ledger)
    a, p = cast.actors, cast.people
    for raised, resolved in ((date(2025, 6, 2), date(2025, 6, 3)), (date(2025, 6, 2), date(2025, 6, 6)),
                             (date(2025, 6, 2), date(2025, 6, 10)), (date(2025, 6, 2), date(2025, 6, 23))):
        ref = services.ledger.raise_concern(a["staff.nvh"], subject_id=p["staff.rfh"], occurred_on=raised, **EXAMPLE)
        services.ledger.record_chief_executives_discussion(a["ceo.nvh"], ref, outcome="resolved", account="x",
                                                           occurred_on=resolved)
    stats = services.projections["escalation"].statistics(TODAY)
    assert stats["resolved_by_level"] == [{
        "level": "chief_executives", "label": "Locally, between the Chief Executives", "resolved": 4,
        "median_days": 5.0,  # 1, 4, 6 and 15 working days
    }]


def test_erasure_replaces_names_in_the_view_and_in_a_rebuild(services):
    refs = scenario(services.ledger)
    services.ledger.erase_person(ADMIN, refs["cast"].people["staff.rfh"], "subject access request")
    view = services.projections["escalation"]
    assert by_reference(view)[refs["waiting"]]["subject_name"] == "[erased]"
    services.projections.rebuild(["escalation"])
    assert by_reference(view)[refs["waiting"]]["subject_name"] == "[erased]"


def test_the_board_has_a_column_per_stage_with_its_counts_and_cards(services):
    refs = scenario(services.ledger)
    board = services.projections["escalation"].board(TODAY, filters=ConcernFilters(organisation="NVH"))
    columns = {c["stage"]: c for c in board}
    assert list(columns) == ["chief_executives", "accountable_officer", "independent_chair", "chair",
                             "discussion", "performance_review", "resolved", "withdrawn"]
    assert (columns["chief_executives"]["count"], columns["chief_executives"]["overdue"]) == (1, 1)
    assert [c["reference"] for c in columns["chief_executives"]["cards"]] == [refs["waiting"]]
    assert columns["performance_review"]["count"] == 0  # about someone at RFH, raised from the STP
