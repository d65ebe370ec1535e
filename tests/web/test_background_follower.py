"""The default shape: a thread of the web process keeps the views and the seal, pages wait for it."""

from __future__ import annotations

import time
from datetime import date

import pytest

from application import Database, Ledger
from application.demo import run_demo
from domain.values import SYSTEM
from tests.conftest import DEMO_PASSWORD, LEAD
from web import create_app
from web.config import Settings
from web.wiring import build_services


def until(condition, seconds: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    """Poll condition until it holds (True) or seconds pass (False)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def background(database_url: str, tmp_path):  # type: ignore[no-untyped-def]
    services = build_services(database_url, background=True, signing_key_file=str(tmp_path / "key.pem"))
    services.ledger.init_framework(SYSTEM)
    services.ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    yield services
    services.close()


def test_background_is_the_default_mode_and_the_others_can_be_chosen():
    assert Settings.from_env({}).projections_mode == "background"
    assert Settings.from_env({"PVB_PROJECTIONS": "inline"}).projections_mode == "inline"


def test_the_follower_brings_every_view_up_to_a_write_and_seals_it(background):
    pid = background.ledger.add_person(LEAD, name="Helen Marsh", organisation="NVH", title="Chief Nurse")
    position = background.ledger.last_write_position
    assert background.after_write(position, 30)
    assert all(status.position >= position for status in background.projections.status())
    assert [p["id"] for p in background.projections["directory"].list_people()[0]] == [pid]
    assert until(lambda: background.ledger.seal_status().unsealed == 0)


def test_a_burst_of_writes_is_applied_in_fewer_catch_ups_than_writes(background):
    calls = []
    catch_up = background.projections.catch_up
    background.projections.catch_up = lambda *a, **k: calls.append(1) or catch_up(*a, **k)
    for i in range(40):
        background.ledger.add_person(LEAD, name=f"Person {i}", organisation="NVH", title="Nurse")
    assert background.after_write(background.ledger.last_write_position, 30)
    assert background.projections["directory"].list_people()[1] == 40
    assert 1 <= len(calls) < 40


def test_writes_made_by_another_process_are_followed_too(background, database_url):
    other = Ledger(Database.parse(database_url))
    try:
        other.add_person(LEAD, name="Gareth Lyle", organisation="NVH", title="Ward Manager")
        head = other.max_position()
    finally:
        other.close()
    assert until(lambda: background.follower.reached >= head)
    assert background.projections["directory"].list_people()[1] == 1


def test_a_page_asked_for_after_a_write_shows_it(database_url, tmp_path):
    config = {"TESTING": True, "WTF_CSRF_ENABLED": False, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text",
              "PVB_DATABASE_URL": database_url, "PVB_SIGNING_KEY_FILE": str(tmp_path / "key.pem")}
    loader = build_services(database_url, inline=True, signing_key_file=str(tmp_path / "key.pem"))  # as pvb demo
    loader.ledger.init_framework(SYSTEM)
    run_demo(loader.ledger, loader.projections["directory"], date.today(), lambda *_: None)
    loader.close()
    app = create_app(config)
    services = app.extensions["pvb"]
    try:
        assert services.follower is not None and not services.inline
        client = app.test_client()
        assert client.post("/login", data={"username": "lead", "password": DEMO_PASSWORD}).status_code == 303
        for i in range(5):  # each page right after its form's write
            name = f"Ruth Ellis {i}"
            assert client.post("/organisations/NVH/people", data={"name": name, "title": "Matron"}).status_code == 302
            assert name in client.get("/organisations/NVH").get_data(as_text=True)
    finally:
        services.close()


def test_closing_stops_the_thread(background):
    thread = background.follower._thread
    assert thread is not None and thread.is_alive()
    background.close()
    assert not thread.is_alive()
