from __future__ import annotations

from datetime import date, timedelta

from domain.period import Quarter
from domain.values import Actor, Role
from projections import Projections
from tests.application.test_feedback import ICHAIR, INSPECTOR, county
from tests.conftest import ADMIN

BOARD = Actor("hwb", Role.HWB, "HWB")
# Two dates in different quarters, whatever today is.
SPRING = date.today() - timedelta(days=30)
WINTER = SPRING - timedelta(days=120)


def snapshot(projections: Projections) -> dict:
    view = projections["feedback"]
    items, total = view.list_feedback(limit=100)
    return {
        "items": items, "total": total, "by_quarter": view.tenor_by_quarter(),
        "by_regulator": view.by_regulator(), "quarters": view.quarters(),
    }


def seed(ledger) -> dict[str, str]:  # type: ignore[no-untyped-def]
    people = county(ledger)
    winter, spring = WINTER, SPRING
    first = ledger.give_feedback(
        INSPECTOR, organisation="NVH", tenor="mixed", summary="Quiet on the wards", occurred_on=winter,
        examples=[{"occurred_on": WINTER - timedelta(days=10), "description": "Helen led the huddle",
                   "person_id": people["nurse"], "positions": [3]}],
    )
    second = ledger.give_feedback(BOARD, organisation="NVH", tenor="positive", summary="Open", occurred_on=spring)
    third = ledger.comment_on_implementation(
        INSPECTOR, assessment_kind="performance_review", assessment="Q1 review", tenor="concerning",
        summary="Patchy", occurred_on=spring,
    )
    ledger.respond_to_feedback(ICHAIR, first, action="raised_with_chair", response="Raised", occurred_on=spring)
    ledger.respond_to_feedback(ICHAIR, first, action="action_agreed", response="Agreed a briefing")
    ledger.correct_feedback(INSPECTOR, first, tenor="concerning", reason="misread")
    return {"first": first, "second": second, "third": third, **people}


def test_the_feedback_view_shows_examples_responses_and_corrections_and_equals_a_rebuild(services):
    ids = seed(services.ledger)
    view = services.projections["feedback"]
    first = view.get_feedback(ids["first"])
    assert (first["tenor"], first["corrections"], first["last_correction_reason"]) == ("concerning", 1, "misread")
    assert (first["responses"], first["first_response_on"], first["last_response_action"]) == (
        2, SPRING.isoformat(), "action_agreed")
    assert [r["action"] for r in first["response_list"]] == ["raised_with_chair", "action_agreed"]
    assert first["examples"] == [{"seq": 1, "occurred_on": (WINTER - timedelta(days=10)).isoformat(), "description": "Helen led the huddle",
                                  "person_id": ids["nurse"], "positions": [3]}]
    assert (first["quarter"], first["recipient_person_id"]) == (Quarter.of(WINTER).key, ids["chair"])
    live = snapshot(services.projections)
    services.projections.rebuild(["feedback"])
    assert snapshot(services.projections) == live


def test_count_and_tenor_per_organisation_and_quarter_leave_implementation_comments_apart(services):
    seed(services.ledger)
    view = services.projections["feedback"]
    winter, spring = Quarter.of(WINTER).key, Quarter.of(SPRING).key
    assert view.tenor_by_quarter() == [
        {"organisation": "NVH", "quarter": winter, "given": 1, "positive": 0, "mixed": 0, "concerning": 1, "responded": 1},
        {"organisation": "NVH", "quarter": spring, "given": 1, "positive": 1, "mixed": 0, "concerning": 0, "responded": 0},
    ]
    assert view.tenor_by_quarter(kind="implementation") == [
        {"organisation": "STP", "quarter": spring, "given": 1, "positive": 0, "mixed": 0, "concerning": 1, "responded": 0},
    ]
    assert [(r["from_organisation"], r["quarter"], r["given"]) for r in view.by_regulator()] == [
        ("CQC", winter, 1), ("CQC", spring, 1), ("HWB", spring, 1)]
    # only the quarters asked for (the feedback page's latest eight), counted the same
    assert view.tenor_by_quarter(quarters=[spring]) == view.tenor_by_quarter()[1:]
    assert view.tenor_by_quarter(quarters=[]) == [] and view.by_regulator(quarters=[]) == []
    assert [(r["from_organisation"], r["quarter"]) for r in view.by_regulator(quarters=[winter, "2001-02-Q1"])] == [
        ("CQC", winter)]


def test_the_feedback_list_filters_by_organisation_giver_quarter_kind_and_response(services):
    ids = seed(services.ledger)
    view = services.projections["feedback"]

    def ids_of(**filters):  # type: ignore[no-untyped-def]
        items, total = view.list_feedback(**filters)
        assert total == len(items)
        return {i["id"] for i in items}

    assert ids_of(organisation="NVH") == {ids["first"], ids["second"]}
    assert ids_of(from_organisation="CQC") == {ids["first"], ids["third"]}
    assert ids_of(quarter=Quarter.of(SPRING).key) == {ids["second"], ids["third"]}
    assert ids_of(kind="implementation") == {ids["third"]}
    assert ids_of(responded=False) == {ids["second"], ids["third"]}
    assert ids_of(tenor="positive") == {ids["second"]}


def test_erasing_a_person_named_in_an_example_replaces_the_text_live_and_in_a_rebuild(services):
    ids = seed(services.ledger)
    services.ledger.erase_person(ADMIN, ids["nurse"], "request")
    view = services.projections["feedback"]
    assert view.get_feedback(ids["first"])["examples"][0]["description"] == "[erased]"
    services.projections.rebuild(["feedback"])
    assert view.get_feedback(ids["first"])["examples"][0]["description"] == "[erased]"
