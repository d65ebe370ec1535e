from __future__ import annotations

from datetime import date

import pytest

from application.framework import default_catalogue
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.framework import CatalogueItem, Framework
from domain.values import SYSTEM

TODAY = date(2026, 1, 15)


def adopted() -> Framework:
    source, items = default_catalogue()
    return Framework.adopt(items, source, SYSTEM, TODAY)


def test_default_catalogue_holds_the_papers_27_items_with_stable_ids():
    framework = adopted()
    ids = [item.id for item in framework.items()]
    assert len(ids) == 27
    assert ids[:5] == ["SD-1", "SD-2", "SD-3", "SD-4", "SD-5"]
    assert {i for i in ids if i.startswith("V-")} == {"V-1", "V-2", "V-3", "V-4"}
    behaviour = framework.items()[-1]
    assert behaviour == CatalogueItem(
        id="B-8",
        kind="behaviour",
        group="behaviours",
        text="We support each other, especially in difficult times",
        unhelpful="We look after ourselves and distance ourselves from any trouble",
    )


def test_the_catalogue_is_the_papers_15_principles_in_three_groups_4_values_and_8_behaviour_pairs():
    _, items = default_catalogue()
    by_kind: dict[str, list[CatalogueItem]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    principles = by_kind["principle"]
    assert len(principles) == 15
    assert {(i.id.split("-")[0], i.group) for i in principles} == {
        ("SD", "system development"), ("SL", "system leadership"), ("SF", "system finance")}
    for prefix in ("SD", "SL", "SF"):
        assert [i.id for i in principles if i.id.startswith(prefix + "-")] == [f"{prefix}-{n}" for n in range(1, 6)]
    assert [i.id for i in by_kind["value"]] == ["V-1", "V-2", "V-3", "V-4"]
    behaviours = by_kind["behaviour"]
    assert [i.id for i in behaviours] == [f"B-{n}" for n in range(1, 9)]
    assert all(i.unhelpful for i in behaviours)  # each helpful behaviour has its unhelpful pair
    assert not any(i.unhelpful for i in principles + by_kind["value"])
    assert set(by_kind) == {"principle", "value", "behaviour"} and len({i.id for i in items}) == len(items) == 27
    texts = {i.id: i.text for i in items}
    assert texts["SL-4"] == "Resolve conflict locally and swiftly but use agreed escalation channels where necessary"
    assert texts["SF-2"] == "Work towards operating with a system control total"
    assert texts["V-3"] == "We trust, challenge and support each other"
    assert texts["B-5"] == "We foster a can-do and risk taking approach"


def test_amendment_makes_a_new_version_and_keeps_the_old_one():
    framework = adopted()
    new = CatalogueItem("V-5", "value", "values in common", "We listen to our communities")
    framework.amend(added=[new], changed=[], withdrawn=["SF-5"], reason="Board 2026-01",
                    actor=SYSTEM, occurred_on=TODAY)
    assert framework.current_version == 2
    assert "V-5" in framework.item_ids() and "SF-5" not in framework.item_ids()
    assert "SF-5" in framework.item_ids(1) and "V-5" not in framework.item_ids(1)
    event = framework.collect_events()[-1]
    assert isinstance(event, Framework.Amended) and event.version == 2 and event.reason == "Board 2026-01"


def test_amend_framework_rejects_duplicates_unknown_ids_and_empty_amendments():
    framework = adopted()
    dup = CatalogueItem("V-1", "value", "values in common", "x")
    with pytest.raises(RuleViolationError, match="already exist: V-1"):
        framework.amend(added=[dup], changed=[], withdrawn=[], reason="r", actor=SYSTEM, occurred_on=TODAY)
    with pytest.raises(NotFoundError, match="Z-9"):
        framework.amend(added=[], changed=[], withdrawn=["Z-9"], reason="r", actor=SYSTEM, occurred_on=TODAY)
    with pytest.raises(ValidationError, match="at least one"):
        framework.amend(added=[], changed=[], withdrawn=[], reason="r", actor=SYSTEM, occurred_on=TODAY)


def test_check_citations_names_unknown_catalogue_items():
    framework = adopted()
    assert framework.check_citations(["B-1", "SL-4", "B-1"]) == ["B-1", "SL-4"]
    with pytest.raises(ValidationError, match="unknown catalogue item\\(s\\): X-1"):
        framework.check_citations(["B-1", "X-1"])
