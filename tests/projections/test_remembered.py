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


def test_a_caller_gets_its_own_copy_of_what_is_kept_sharing_only_what_cannot_change(services):
    from projections.adherence_queries import AdherenceCell

    view = services.projections["feedback"]
    cell = AdherenceCell("NVH", "2026-27-Q1", adhered=3)
    kept = {"rows": [{"n": 1, "tags": ["a"]}], "cell": cell, "pair": ({"x": 1},)}
    first = view.remember(("a test",), lambda: kept)
    first["rows"][0]["tags"].append("b")
    first["pair"][0]["x"] = 2
    second = view.remember(("a test",), lambda: {"computed": "again"})
    assert second == {"rows": [{"n": 1, "tags": ["a"]}], "cell": cell, "pair": ({"x": 1},)}
    assert second["cell"] is cell  # a frozen dataclass of plain values is shared, not copied


def test_a_database_made_before_an_index_was_added_gets_it_when_the_views_open(services):
    ledger = services.ledger
    added = {"feedback": "fb_feedback_given", "escalation": "esc_concerns_stage_number", "adherence": "adh_votes_quarter"}

    def indexes() -> set[str]:
        with services.projections["feedback"].view.transaction(commit=False) as c:
            if services.projections["feedback"].view.postgres:
                rows = c.execute("SELECT indexname AS name FROM pg_indexes WHERE schemaname = ?",
                                 (ledger.database.schema,)).fetchall()
            else:
                rows = c.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
        return {r["name"] for r in rows}

    assert set(added.values()) <= indexes()
    with services.projections["feedback"].view.transaction() as c:
        for name in added.values():
            c.execute(f"DROP INDEX {name}")
    assert not set(added.values()) & indexes()
    Projections(ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema)
    assert set(added.values()) <= indexes()
