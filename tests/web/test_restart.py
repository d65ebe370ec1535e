from __future__ import annotations

from tests.conftest import LEAD
from web.wiring import build_services


def test_stopping_and_starting_on_the_same_sqlite_file_keeps_every_event_and_view(sqlite_url):
    from domain.values import SYSTEM

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
