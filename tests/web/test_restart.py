from __future__ import annotations

from datetime import date

from application import Database, Ledger
from application.demo import run_demo
from domain.values import SYSTEM
from tests.conftest import DEMO_PASSWORD, LEAD
from tests.reliability.crash_checks import notifications, view_differences, view_rows
from web import create_app
from web.wiring import build_services


def test_stopping_and_starting_on_the_same_sqlite_file_keeps_every_event_and_view(sqlite_url):
    first = build_services(sqlite_url, inline=True)
    first.ledger.init_framework(SYSTEM)
    first.ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    pid = first.ledger.add_person(LEAD, name="Helen Marsh", organisation="NVH", title="Chief Nurse")
    head = first.ledger.max_position()
    view_before = first.projections["directory"].list_people()
    first.close()

    second = build_services(sqlite_url, inline=True)
    try:
        assert second.ledger.max_position() == head
        assert second.ledger.get_person(pid).name == "Helen Marsh"
        assert second.projections["directory"].list_people() == view_before
        assert second.projections.catch_up() == 0
        second.ledger.add_person(LEAD, name="Gareth Lyle", organisation="NVH", title="Ward Manager")
        assert second.projections["directory"].list_people()[1] == 2
    finally:
        second.close()


def everything(services) -> tuple[list[tuple], dict[str, dict[str, list[str]]]]:  # type: ignore[no-untyped-def]
    """Every stored event, and every row of every view."""
    events = [(n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
              for n in notifications(services.ledger)]
    return events, {name: view_rows(view) for name, view in services.projections.views.items()}


def test_the_app_stopped_and_started_again_on_its_sqlite_file_finds_every_event_and_view_intact(sqlite_url, tmp_path):
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text",
              "PVB_DATABASE_URL": sqlite_url}
    app = create_app(config)
    services = app.extensions["pvb"]
    assert services.follower is not None  # the default: views and seal kept by a thread of the app

    def settle() -> None:
        assert services.after_write(services.ledger.max_position(), 60)

    services.ledger.init_framework(SYSTEM)
    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None, settle)
    client = app.test_client()
    assert client.post("/login", data={"username": "lead", "password": DEMO_PASSWORD}).status_code == 303
    assert client.post("/organisations/NVH/people", data={"name": "Ruth Ellis", "title": "Matron"}).status_code == 302
    settle()
    before = everything(services)
    filled = [name for name, view in before[1].items() if any(view.values())]
    assert len(before[0]) > 500 and {"directory", "timeline", "meetings", "feedback"} <= set(filled)
    services.close()  # the app stops

    app = create_app(config)  # and starts again on the same file
    services = app.extensions["pvb"]
    try:
        assert everything(services) == before
        assert {s.lag for s in services.projections.status()} == {0}
        client = app.test_client()
        assert client.post("/login", data={"username": "lead", "password": DEMO_PASSWORD}).status_code == 303
        assert "Ruth Ellis" in client.get("/organisations/NVH").get_data(as_text=True)
        before = everything(services)  # with the sign-in just recorded
    finally:
        services.close()

    offline = Ledger(Database.parse(sqlite_url))  # a write while no app runs, e.g. from the CLI
    try:
        offline.add_person(LEAD, name="Owen Carter", organisation="NVH", title="Porter")
    finally:
        offline.close()
    services = build_services(sqlite_url, inline=False)
    try:  # each view reads on from its own tracking id: the one new event, not the log again
        assert services.projections.catch_up() == len(services.projections.views)
        events, _ = everything(services)
        assert events[:-1] == before[0] and len(events) == len(before[0]) + 1
        assert "Owen Carter" in [p["name"] for p in services.projections["directory"].list_people("NVH")[0]]
        assert view_differences(services.ledger, services.projections, tmp_path) == []  # none applied twice
    finally:
        services.close()
