"""Dashboard queries kept in memory are never stale: each change of the view, a rebuild, or
another process's change shows at once."""

from __future__ import annotations

from projections import ALL_VIEWS, Projections
from tests.application.test_feedback import INSPECTOR, county
from tests.projections.test_feedback_view import SPRING


def test_kept_results_follow_every_change_of_the_view_in_any_process(services):
    county(services.ledger)
    view = services.projections["feedback"]
    ledger = services.ledger
    other = Projections(ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema)
    assert view.list_feedback(limit=10) == ([], 0) and view.quarters() == []
    first = ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="Quiet", occurred_on=SPRING)
    items, total = view.list_feedback(limit=10)
    assert total == 1 and [i["id"] for i in items] == [first]
    items[0]["tenor"] = "changed by the caller"  # a caller's change stays with the caller
    assert view.list_feedback(limit=10)[0][0]["tenor"] == "mixed"
    assert other["feedback"].list_feedback(limit=10)[1] == 1
    assert other["feedback"].tenor_by_quarter()[0]["mixed"] == 1

    ledger.correct_feedback(INSPECTOR, first, tenor="concerning", reason="misread")
    assert view.list_feedback(limit=10)[0][0]["tenor"] == "concerning"
    assert other["feedback"].tenor_by_quarter()[0]["concerning"] == 1
    services.projections.rebuild(["feedback"])
    assert other["feedback"].tenor_by_quarter()[0]["concerning"] == 1
    assert view.by_regulator()[0]["given"] == 1
