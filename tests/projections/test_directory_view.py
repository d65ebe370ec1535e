from __future__ import annotations

import threading

from projections import ALL_VIEWS, Projections
from tests.conftest import ADMIN, LEAD


def snapshot(projections: Projections) -> dict:
    directory = projections["directory"]
    people, total = directory.list_people(include_left=True, limit=1000)
    return {
        "organisations": directory.list_organisations(),
        "offices": directory.office_holders(),
        "people": people,
        "total": total,
    }


def seed(ledger) -> str:  # type: ignore[no-untyped-def]
    ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    ledger.register_organisation(LEAD, code="RFH", name="Rockingham", kind="acute_trust")
    pid = ledger.add_person(LEAD, name="Aisha Bello", organisation="NVH", title="Chief Executive", senior_leader=True)
    ledger.appoint(LEAD, organisation="NVH", office="chief_executive", person_id=pid)
    ledger.move_person(LEAD, pid, organisation="RFH", title="Chief Executive", senior_leader=True)
    ledger.rename_organisation(LEAD, "RFH", name="Rockingham Forest", reason="merger")
    other = ledger.add_person(LEAD, name="Owen Carter", organisation="RFH", title="Director")
    ledger.record_leaver(LEAD, other)
    return pid


def test_directory_view_follows_the_log_and_equals_a_rebuild(services):
    pid = seed(services.ledger)
    live = snapshot(services.projections)
    assert [o["name"] for o in live["organisations"]] == ["Nene Valley", "Rockingham Forest"]
    assert live["offices"] == [
        {"organisation": "NVH", "office": "chief_executive", "person_id": pid, "name": "Aisha Bello"}
    ]
    assert [(p["name"], p["organisation"], p["left_on"] is not None) for p in live["people"]] == [
        ("Aisha Bello", "RFH", False),
        ("Owen Carter", "RFH", True),
    ]
    services.projections.rebuild()
    assert snapshot(services.projections) == live


def test_catching_up_twice_applies_nothing_twice(services):
    seed(services.ledger)
    assert services.projections.catch_up() == 0
    statuses = services.projections.status()
    assert statuses[0].lag == 0 and statuses[0].position == services.ledger.max_position()


def test_a_rebuild_starts_from_the_first_event_and_reports_its_progress_to_the_head(services):
    seed(services.ledger)
    live = snapshot(services.projections)
    head = services.ledger.max_position()
    reported: list[tuple[str, int, int]] = []
    assert services.projections.rebuild(["directory"], lambda *p: reported.append(p)) == head
    assert reported and reported[-1] == ("directory", head, head)
    assert {name for name, _, _ in reported} == {"directory"}
    assert [position for _, position, _ in reported] == sorted(position for _, position, _ in reported)
    assert snapshot(services.projections) == live and services.projections["directory"].position() == head


def test_two_runners_catching_up_at_once_apply_each_event_exactly_once(database_url):
    from web.wiring import build_services

    writer = build_services(database_url, inline=False)
    try:
        from domain.values import SYSTEM

        writer.ledger.init_framework(SYSTEM)
        writer.ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
        for i in range(40):
            writer.ledger.add_person(LEAD, name=f"Person {i:02d}", organisation="NVH", title="Nurse")
        runners = [
            Projections(writer.ledger.recorder, writer.ledger.mapper, writer.ledger.datastore,
                        ALL_VIEWS, writer.ledger.database.schema)
            for _ in range(3)
        ]
        threads = [threading.Thread(target=r.catch_up) for r in runners]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        people, total = runners[0]["directory"].list_people(limit=1000)
        assert total == 40 and len({p["id"] for p in people}) == 40
        assert runners[0]["directory"].list_organisations()[0]["people"] == 40
        assert runners[1]["directory"].position() == writer.ledger.max_position()
    finally:
        writer.close()


def test_erasure_replaces_the_name_in_the_view_and_in_a_rebuild(services):
    pid = seed(services.ledger)
    services.ledger.erase_person(ADMIN, pid, "subject access request")
    names = [p["name"] for p in snapshot(services.projections)["people"]]
    assert "Aisha Bello" not in names and "[erased]" in names
    services.projections.rebuild()
    assert "[erased]" in [p["name"] for p in snapshot(services.projections)["people"]]
