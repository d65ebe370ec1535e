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
        "members": directory.body_members(),
    }


def seed(ledger) -> str:  # type: ignore[no-untyped-def]
    ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    ledger.register_organisation(LEAD, code="RFH", name="Rockingham", kind="acute_trust")
    pid = ledger.add_person(LEAD, name="Aisha Bello", organisation="NVH", title="Chief Executive", senior_leader=True)
    ledger.appoint(LEAD, organisation="NVH", office="chief_executive", person_id=pid)
    ledger.move_person(LEAD, pid, organisation="RFH", title="Chief Executive", senior_leader=True)
    ledger.rename_organisation(LEAD, "RFH", name="Rockingham Forest", reason="merger")
    other = ledger.add_person(LEAD, name="Owen Carter", organisation="RFH", title="Director")
    ledger.establish_body(LEAD, code="PB", name="Programme Board", kind="programme_board")
    ledger.appoint_body_member(LEAD, "PB", person_id=pid)
    ledger.appoint_body_member(LEAD, "PB", person_id=other, organisation="NVH")
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
    assert [(m["name"], m["organisation"], m["current"]) for m in live["members"]] == [
        ("Owen Carter", "NVH", False),  # left the directory, not yet stood down
        ("Aisha Bello", "RFH", True),
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


def test_corrections_show_the_corrected_values_keep_their_history_and_equal_a_rebuild(services):
    ledger = services.ledger
    pid = seed(ledger)
    other = ledger.add_person(LEAD, name="Priya Shah", organisation="NVH", title="Director")
    ledger.appoint(LEAD, organisation="NVH", office="chair", person_id=other)
    ledger.correct_appointment(LEAD, organisation="NVH", office="chair", reason="Priya was never chair")
    ledger.correct_person(LEAD, pid, name="Aisha Bello-Reid", title="Chief Executive Officer",
                          senior_leader=True, clinical=True, reason="name and title misrecorded")
    ledger.correct_organisation(LEAD, "NVH", name="Nene Valley Hospitals", kind="acute_trust",
                                reason="typo")
    directory = services.projections["directory"]
    left = [p for p in directory.list_people(include_left=True, limit=100)[0] if p["left_on"]]
    ledger.correct_leaving(LEAD, left[0]["id"], reason="recorded against the wrong person")
    live = snapshot(services.projections)
    live["corrections"] = directory.corrections("NVH") + directory.corrections("RFH")
    assert [o["name"] for o in live["organisations"]] == ["Nene Valley Hospitals", "Rockingham Forest"]
    people = {p["id"]: p for p in live["people"]}
    assert (people[pid]["name"], people[pid]["title"], people[pid]["clinical"]) == (
        "Aisha Bello-Reid", "Chief Executive Officer", True)
    assert people[left[0]["id"]]["left_on"] is None
    assert [o["office"] for o in directory.get_organisation("NVH")["offices"]] == ["chief_executive"]
    assert sorted((k["what"], k["corrected"]) for k in live["corrections"]) == [
        ("appointment", "chair"), ("details", "name, title, clinical"), ("leaving", "left_on"),
        ("registration", "name"),
    ]
    assert all(k["reason"] for k in live["corrections"])
    services.projections.rebuild()
    again = snapshot(services.projections)
    again["corrections"] = directory.corrections("NVH") + directory.corrections("RFH")
    assert again == live


def test_views_with_their_own_copy_of_the_directory_follow_its_corrections(services):
    ledger = services.ledger
    pid = seed(ledger)
    ledger.appoint(LEAD, organisation="RFH", office="chair", person_id=pid)
    ledger.correct_person(LEAD, pid, name="Aisha Bello-Reid", title="Chief Executive", senior_leader=True,
                          clinical=False, reason="name misrecorded")
    ledger.correct_appointment(LEAD, organisation="RFH", office="chair", reason="she is not the chair")
    ledger.correct_organisation(LEAD, "RFH", name="Rockingham Forest Trust", kind="acute_trust", reason="typo")

    def copies() -> dict:
        found = {}
        for name, view in services.projections.views.items():
            with view.view.transaction(commit=False) as c:
                if getattr(view, "people_table", ""):
                    found[(name, "person")] = c.execute(
                        f"SELECT name FROM {view.people_table} WHERE id = ?", (pid,)).fetchone()["name"]
                if getattr(view, "organisations_table", ""):
                    found[(name, "org")] = tuple(c.execute(
                        f"SELECT name, chair_id FROM {view.organisations_table} WHERE code = 'RFH'").fetchone().values())
        return found

    live = copies()
    assert live and {v for k, v in live.items() if k[1] == "person"} == {"Aisha Bello-Reid"}
    assert {v for k, v in live.items() if k[1] == "org"} == {("Rockingham Forest Trust", None)}
    with services.projections["escalation"].view.transaction(commit=False) as c:
        assert c.execute("SELECT name FROM esc_people WHERE id = ?", (pid,)).fetchone()["name"] == "Aisha Bello-Reid"
        assert c.execute("SELECT * FROM esc_offices WHERE organisation = 'RFH'").fetchall() == []
    services.projections.rebuild()
    assert copies() == live
