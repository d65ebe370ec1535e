"""A batch of events gives every view the same rows as the events applied one by one, and the
indexes a rebuild drops while it fills the views always come back."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

import pytest
from eventsourcing.persistence import Tracking

from domain.person import Person
from projections import APPLICATION_NAME, Projections, SqlCursor, View, handles
from projections.timeline import TimelineView
from tests.projections.test_adherence_view import seed, signals


def tables(projections: Projections) -> dict[str, list[tuple[Any, ...]]]:
    """Every view table's rows, in a fixed order."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    for view in projections.views.values():
        with view.view.transaction(commit=False) as c:
            for table in view.tables:
                rows = c.execute(f"SELECT * FROM {table}").fetchall()
                found[table] = sorted((tuple(r.values()) for r in rows), key=repr)
    return found


def apply_one_by_one(services: Any) -> None:
    """Empty every view, then give it each of its events on its own (its per-event handlers)."""
    projections, ledger = services.projections, services.ledger
    for view in projections.views.values():
        with view.view.transaction() as c:
            view.clear(c)
    for n in ledger.recorder.select_notifications(start=1, limit=ledger.max_position()):
        event = ledger.mapper.to_domain_event(n)
        for view in projections.views.values():
            if view.wants(n.topic):
                view.process_event(event, Tracking(APPLICATION_NAME, n.id))


def index_names(view: View) -> set[str]:
    """The names of the indexes in the view's schema."""
    with view.view.transaction(commit=False) as c:
        if view.view.postgres:
            rows = c.execute("SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()").fetchall()
        else:
            rows = c.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
    return {r["name"] for r in rows}


def test_a_rebuild_in_batches_equals_the_demo_year_applied_one_event_at_a_time(services):
    from application.demo import run_demo

    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    services.projections.rebuild()
    batched = tables(services.projections)
    apply_one_by_one(services)
    assert tables(services.projections) == batched


@pytest.mark.parametrize("scenario", [seed, signals], ids=["votes, tallies, surveys and corrections", "concerns and feedback"])
def test_batches_of_the_adherence_tests_scenarios_equal_one_event_at_a_time(services, scenario):
    scenario(services.ledger)
    services.projections.rebuild()
    batched = tables(services.projections)
    assert batched["adh_meetings" if scenario is seed else "adh_concerns"]
    apply_one_by_one(services)
    assert tables(services.projections) == batched


def test_a_rebuild_drops_the_indexes_only_queries_read_and_makes_them_again_at_the_end(services):
    timeline = services.projections["timeline"]
    before = index_names(timeline)
    assert set(timeline.deferred_indexes()) == {
        "tl_events_recorded", "tl_events_originator", "tl_events_actor", "tl_events_type", "tl_links_position",
        "tl_links_key"}
    assert set(timeline.deferred_indexes()) < before
    services.projections.rebuild()
    assert index_names(timeline) == before


def test_a_rebuild_stopped_after_dropping_its_indexes_gets_them_back_when_the_views_are_opened(services):
    timeline = services.projections["timeline"]
    before = index_names(timeline)
    with timeline.view.transaction() as c:  # where a rebuild that stops half way leaves them
        timeline.drop_deferred_indexes(c)
    assert not set(timeline.deferred_indexes()) & index_names(timeline)
    ledger = services.ledger
    reopened = Projections(ledger.recorder, ledger.mapper, ledger.datastore, [TimelineView], ledger.database.schema)
    assert index_names(reopened["timeline"]) == before


class FaultyView(View):
    """A view whose handler fails, to stop a rebuild half way."""

    name = "faulty"
    tables: ClassVar[dict[str, str]] = {"faulty_people": "id TEXT PRIMARY KEY"}

    @handles(Person.Joined)
    def _joined(self, c: SqlCursor, e: Any) -> None:
        raise RuntimeError("this view cannot apply a person joining")


def test_a_rebuild_that_fails_makes_the_indexes_it_dropped_again(services):
    ledger = services.ledger
    seed(ledger)
    projections = Projections(ledger.recorder, ledger.mapper, ledger.datastore, [TimelineView, FaultyView],
                              ledger.database.schema)
    before = index_names(projections["timeline"])
    with pytest.raises(RuntimeError, match="cannot apply a person joining"):
        projections.rebuild()
    assert index_names(projections["timeline"]) == before
