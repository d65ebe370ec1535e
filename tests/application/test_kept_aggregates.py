"""Aggregates kept between commands never hide a newer event: two ledgers on one database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from application import Database, Ledger
from application.meeting_details import VoteInput
from domain.errors import ValidationError
from domain.person import Person
from tests.conftest import ADMIN, LEAD

DAY = date(2026, 3, 2)


@pytest.fixture
def other(database_url: str, ledger: Ledger) -> Iterator[Ledger]:
    """A second ledger on the same database, as another worker process would hold it."""
    second = Ledger(Database.parse(database_url))
    yield second
    second.close()


def seed(ledger: Ledger) -> tuple[str, list[str]]:
    ledger.init_framework(LEAD, occurred_on=DAY)
    for code in ("NVH", "RFH"):
        ledger.register_organisation(LEAD, code=code, name=code, kind="acute_trust", occurred_on=DAY)
    ledger.establish_body(LEAD, code="PB", name="Programme Board", kind="programme_board", occurred_on=DAY)
    people = [ledger.add_person(LEAD, name=f"Attendee {i}", organisation=("NVH", "RFH")[i % 2],
                                title="Director", senior_leader=True, occurred_on=DAY) for i in range(3)]
    return people[0], people


def minutes(ledger: Ledger, people: list[str], held_on: date) -> str:
    return ledger.record_minutes(
        LEAD, body="PB", title="Board", chair_person_id=people[0], attendee_ids=people[1:], held_on=held_on,
        votes=[VoteInput(pid, "adhered", (), None) for pid in people], close=True,
    )


def test_a_move_made_by_another_process_is_seen_by_the_next_command(ledger, other):
    pid, _ = seed(ledger)
    assert ledger.get_person(pid).organisation == "NVH"  # now kept here
    other.move_person(LEAD, pid, organisation="RFH", title="Director", senior_leader=True, occurred_on=DAY)
    assert ledger.get_person(pid).organisation == "RFH"
    ledger.move_person(LEAD, pid, organisation="NVH", title="Chief Executive", senior_leader=True, occurred_on=DAY)
    assert other.get_person(pid).title == "Chief Executive"


def test_a_leaver_recorded_elsewhere_cannot_attend_a_later_meeting_recorded_here(ledger, other):
    pid, people = seed(ledger)
    minutes(ledger, people, date(2026, 3, 3))  # every attendee is kept by this ledger now
    other.record_leaver(LEAD, people[1], occurred_on=date(2026, 3, 4))
    with pytest.raises(ValidationError, match="left on 2026-03-04 and cannot attend"):
        minutes(ledger, people, date(2026, 3, 5))


def test_each_command_gets_its_own_copy_so_a_failed_one_changes_nothing_kept(ledger):
    pid, _ = seed(ledger)
    first = ledger._load(Person, ledger_uuid(pid), "person")
    first.move("RFH", "Changed but never saved", True, LEAD, DAY)
    again = ledger._load(Person, ledger_uuid(pid), "person")
    assert again is not first
    assert (again.organisation, again.title, again.version) == ("NVH", "Director", first.version - 1)


def test_a_save_that_loses_a_race_leaves_the_next_command_reading_the_winner(ledger, other):
    pid, _ = seed(ledger)
    ledger.get_person(pid)
    stale = ledger._load(Person, ledger_uuid(pid), "person")
    other.move_person(LEAD, pid, organisation="RFH", title="Medical Director", senior_leader=True, occurred_on=DAY)
    stale.move("NVH", "Chief Executive", True, LEAD, DAY)
    with pytest.raises(Exception, match="(?i)integrity|unique|duplicate"):
        ledger.save(stale)
    assert ledger.get_person(pid).title == "Medical Director"


def test_an_erasure_here_drops_the_kept_copies_at_once_and_one_elsewhere_arrives_in_the_tail(ledger, other):
    pid, people = seed(ledger)
    assert [ledger.get_person(p).name for p in people] == ["Attendee 0", "Attendee 1", "Attendee 2"]
    ledger.erase_person(ADMIN, pid, reason="right to erasure")
    assert (ledger.get_person(pid).name, ledger.get_person(pid).erased) == ("[erased]", True)
    assert other.get_person(people[1]).erased is False  # kept by the other process
    ledger.erase_person(ADMIN, people[1], reason="right to erasure")
    assert other.get_person(people[1]).erased is True


def ledger_uuid(pid: str):  # type: ignore[no-untyped-def]
    from uuid import UUID

    return UUID(pid)


def test_a_new_key_is_stored_with_the_events_it_encrypts_or_not_at_all(ledger, other):
    from uuid import uuid4

    from eventsourcing.persistence import IntegrityError

    from domain.errors import NotFoundError
    from domain.values import SYSTEM

    seed(ledger)
    pid = uuid4()
    ledger.keys.cipher_for(str(pid), create=True)  # made here as an encoding would, not yet stored
    with other.datastore.transaction(commit=True) as c:  # another process stores a key for them first
        placeholder = "%s" if other.database.engine == "postgres" else "?"
        table = f'"{other.database.schema}".pvb_person_keys' if other.database.engine == "postgres" else (
            "pvb_person_keys")
        c.execute(f"INSERT INTO {table} (subject_id, key_b64) VALUES ({placeholder}, {placeholder})",
                  (str(pid), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="))
    joiner = Person.join(id=pid, name="Dana Pike", organisation="NVH", title="Nurse", senior_leader=False,
                         clinical=True, actor=SYSTEM, occurred_on=DAY)
    with pytest.raises(IntegrityError, match="made elsewhere at the same moment"):
        ledger.save(joiner)
    with pytest.raises(NotFoundError):
        ledger.get_person(str(pid))  # nothing was recorded
    again = ledger.add_person(LEAD, name="Dana Pike", organisation="NVH", title="Nurse", occurred_on=DAY)
    assert other.get_person(again).name == "Dana Pike"  # its key was stored with its events
