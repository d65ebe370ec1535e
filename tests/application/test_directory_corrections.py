"""Directory corrections through the application, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import NotAllowedError, RuleViolationError, ValidationError
from domain.values import Actor, Office, Role
from tests.conftest import LEAD

REGULATOR = Actor("cqc", Role.REGULATOR, "CQC")


def seed(ledger) -> str:  # type: ignore[no-untyped-def]
    ledger.register_organisation(LEAD, code="NVH", name="Nene Valey", kind="acute_trust",
                                 occurred_on=date(2025, 4, 1))
    return ledger.add_person(LEAD, name="Aisha Belo", organisation="NVH", title="Chief Exec",
                             occurred_on=date(2025, 4, 2))


def test_a_person_s_details_are_corrected_and_the_name_stays_encrypted(ledger):
    pid = seed(ledger)
    ledger.correct_person(LEAD, pid, name="Aisha Bello", title="Chief Executive", senior_leader=True,
                          clinical=False, reason="misspelt at joining")
    p = ledger.get_person(pid)
    assert (p.name, p.title, p.senior_leader, p.clinical) == ("Aisha Bello", "Chief Executive", True, False)
    raw = ledger.notification_log.select(ledger.max_position(), 1)[0].state
    assert b"Aisha" not in raw and b"misspelt at joining" in raw
    ledger.keys.destroy(pid, "2026-11-26")
    assert ledger.get_person(pid).name == "[erased]"
    with pytest.raises(RuleViolationError, match="is erased; their record cannot be corrected"):
        ledger.correct_person(LEAD, pid, name="X", title="Y", senior_leader=False, clinical=False, reason="r")


def test_a_leaving_recorded_by_mistake_is_corrected_and_the_offices_it_vacated_come_back(ledger):
    pid = seed(ledger)
    ledger.appoint(LEAD, organisation="NVH", office="chief_executive", person_id=pid)
    ledger.record_leaver(LEAD, pid)
    assert ledger.office_holder("NVH", Office.CHIEF_EXECUTIVE) is None
    with pytest.raises(RuleViolationError, match="left on"):
        ledger.move_person(LEAD, pid, organisation="NVH", title="CE", senior_leader=True)
    ledger.correct_leaving(LEAD, pid, reason="the wrong person was ticked")
    assert ledger.get_person(pid).left_on is None
    assert ledger.get_organisation("NVH").offices == {"chief_executive": pid}
    with pytest.raises(RuleViolationError, match="has not left"):
        ledger.correct_leaving(LEAD, pid, reason="again")


def test_an_organisation_s_registration_and_an_appointment_are_corrected(ledger):
    pid = seed(ledger)
    other = ledger.add_person(LEAD, name="Owen Carter", organisation="NVH", title="Director")
    ledger.appoint(LEAD, organisation="NVH", office="chair", person_id=pid)
    ledger.appoint(LEAD, organisation="NVH", office="chair", person_id=other)
    ledger.correct_appointment(LEAD, organisation="NVH", office="chair", reason="Owen was never chair")
    assert ledger.get_organisation("NVH").offices == {"chair": pid}
    ledger.correct_organisation(LEAD, "NVH", name="Nene Valley", kind="acute_trust", reason="typo")
    assert ledger.get_organisation("NVH").name == "Nene Valley"
    with pytest.raises(ValidationError, match="kind must be one of"):
        ledger.correct_organisation(LEAD, "NVH", name="Nene Valley", kind="hospital", reason="r")
    with pytest.raises(ValidationError, match="office must be one of"):
        ledger.correct_appointment(LEAD, organisation="NVH", office="king", reason="r")
    with pytest.raises(ValidationError, match="reason must not be blank"):
        ledger.correct_appointment(LEAD, organisation="NVH", office="chair", reason=" ")


def test_only_those_who_manage_the_directory_may_correct_it(ledger):
    pid = seed(ledger)
    before = ledger.max_position()
    with pytest.raises(NotAllowedError):
        ledger.correct_person(REGULATOR, pid, name="X", title="Y", senior_leader=False, clinical=False,
                              reason="r")
    with pytest.raises(NotAllowedError):
        ledger.correct_organisation(REGULATOR, "NVH", name="X", kind="ccg", reason="r")
    with pytest.raises(NotAllowedError):
        ledger.correct_appointment(REGULATOR, organisation="NVH", office="chair", reason="r")
    with pytest.raises(NotAllowedError):
        ledger.correct_leaving(REGULATOR, pid, reason="r")
    assert ledger.max_position() == before
