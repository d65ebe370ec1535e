from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

from domain.base import LedgerAggregate
from domain.organisation import organisation_id
from domain.values import SYSTEM, Actor
from projections import Projections
from projections.timeline import Subject
from tests.application.test_feedback import INSPECTOR, county
from tests.conftest import LEAD


class Note(LedgerAggregate):
    """A minimal aggregate of another kind, whose correction does not name its fact's date."""

    class Written(LedgerAggregate.Created):
        text: str

        def apply(self, note: Note) -> None:
            note.text = self.text

    class TextCorrected(LedgerAggregate.Event):
        text: str

        def apply(self, note: Note) -> None:
            note.text = self.text

    text: str

    def __init__(self) -> None:
        """State comes from the events."""


def rows(projections: Projections) -> list[dict]:
    found, total = projections["timeline"].events(limit=10_000, newest_first=False)
    assert total == len(found)
    return found


def test_the_timeline_indexes_every_event_of_every_aggregate_and_equals_a_rebuild(services):
    people = county(services.ledger)
    fid = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x",
                                        examples=[{"occurred_on": date.today(), "description": "y",
                                                   "person_id": people["nurse"]}])
    live = rows(services.projections)
    assert [r["position"] for r in live] == list(range(1, services.ledger.max_position() + 1))
    registered = next(r for r in live if r["event_type"] == "Organisation.Registered")
    assert (registered["organisation"], registered["originator_id"], registered["actor_id"]) == (
        "NVH", str(organisation_id("NVH")), "lead")
    given = next(r for r in live if r["event_type"] == "Feedback.Given")
    assert (given["originator_id"], given["organisation"], given["actor_role"], given["topic"]) == (
        fid, "NVH", "regulator", "domain.feedback:Feedback.Given")
    about_nurse = services.projections["timeline"].events(Subject("person", people["nurse"]))[0]
    assert [r["event_type"] for r in about_nurse] == ["Feedback.Given", "Person.Joined"]
    services.projections.rebuild(["timeline"])
    assert rows(services.projections) == live


def test_an_organisations_timeline_holds_its_own_events_and_those_that_name_it(services):
    county(services.ledger)
    services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x")
    timeline = services.projections["timeline"]
    found, total = timeline.events(Subject("organisation", "NVH"), newest_first=False)
    assert [r["event_type"] for r in found] == ["Organisation.Registered", "Person.Joined", "Feedback.Given"]
    by_actor, _ = timeline.events(Subject("organisation", "NVH"), actor_id="cqc")
    assert [r["event_type"] for r in by_actor] == ["Feedback.Given"]
    assert [(a["actor_id"], a["events"]) for a in timeline.actors(Subject("organisation", "NVH"))] == [
        ("lead", 2), ("cqc", 1)]
    assert timeline.event_types(Subject("organisation", "NVH")) == [
        "Feedback.Given", "Organisation.Registered", "Person.Joined"]


def test_a_moment_maps_to_the_last_position_recorded_at_or_before_it(services):
    services.ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    timeline = services.projections["timeline"]
    position = services.ledger.max_position()
    moment = timeline.get(position)["recorded_at"]
    services.ledger.register_organisation(LEAD, code="RFH", name="Rockingham", kind="acute_trust")
    assert timeline.position_at(moment) == position
    assert timeline.position_at("2000-01-01T00:00:00.000000Z") == 0
    assert timeline.position_at(datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")) == position + 1


def test_a_correction_belongs_in_the_world_with_the_fact_it_corrects(services):
    county(services.ledger)
    fid = services.ledger.give_feedback(INSPECTOR, organisation="NVH", tenor="mixed", summary="x",
                                        occurred_on=date.today() - timedelta(days=100))
    services.ledger.correct_feedback(INSPECTOR, fid, tenor="positive", reason="misread")
    note = Note._start(Note.Written, SYSTEM, date.today() - timedelta(days=50), id=uuid4(), text="first")
    note._record(Note.TextCorrected, Actor("x", SYSTEM.role), date.today(), text="second")
    services.ledger.save(note)
    services.projections.catch_up()
    by_type = {r["event_type"]: r for r in rows(services.projections)}
    assert (by_type["Feedback.Corrected"]["occurred_on"], by_type["Feedback.Corrected"]["world_on"]) == (
        date.today().isoformat(), (date.today() - timedelta(days=100)).isoformat())
    assert by_type["Note.TextCorrected"]["world_on"] == (date.today() - timedelta(days=50)).isoformat()
    services.projections.rebuild(["timeline"])
    assert {r["event_type"]: r for r in rows(services.projections)} == by_type


def test_a_rebuild_dates_a_correction_from_memory_but_never_from_a_fact_after_it(services):
    note = Note._start(Note.Written, SYSTEM, date.today() - timedelta(days=50), id=uuid4(), text="first")
    note._record(Note.TextCorrected, Actor("x", SYSTEM.role), date.today(), text="second")
    services.ledger.save(note)
    timeline = services.projections["timeline"]
    written, correction = list(services.ledger.events.get(note.id))
    position = services.ledger.max_position()
    with timeline.view.transaction() as c:
        timeline.begin_rebuild(c)
        # As left by a batch that was rolled back: a "fact" after the correction, which must not date it.
        timeline._facts = {str(note.id): (position + 10, "1999-01-01")}
        timeline.on_any_event(c, written, position - 1)
        timeline._facts[str(note.id)] = (position + 10, "1999-01-01")
        timeline.on_any_event(c, correction, position)
        timeline.end_rebuild(c)
    by_type = {r["event_type"]: r for r in rows(services.projections)}
    assert by_type["Note.TextCorrected"]["world_on"] == (date.today() - timedelta(days=50)).isoformat()
