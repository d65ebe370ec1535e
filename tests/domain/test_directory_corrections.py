"""Corrections in the directory: the record was wrong, not the world changed (no database)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import RuleViolationError, ValidationError
from domain.organisation import Organisation
from domain.person import Person
from domain.values import SYSTEM, Office, OrganisationKind, Personal

JOINED, MOVED, TODAY = date(2025, 4, 1), date(2025, 9, 1), date(2026, 3, 1)


def person() -> Person:
    return Person.join(
        id=uuid4(), name="Aisha Belo", organisation="NVH", title="Chief Executive",
        senior_leader=False, clinical=False, actor=SYSTEM, occurred_on=JOINED,
    )


def test_correcting_details_names_the_event_it_corrects_and_the_fields_changed():
    p = person()
    p.correct_details(name="Aisha Bello", title="Chief Executive", senior_leader=True, clinical=False,
                      reason="misspelt at joining", actor=SYSTEM, occurred_on=TODAY)
    e = p.collect_events()[-1]
    assert type(e).__name__ == "DetailsCorrected"
    assert (e.corrects, e.corrected, e.corrects_occurred_on) == (1, ["name", "senior_leader"], JOINED)
    assert isinstance(e.name, Personal) and e.name.subject_id == str(p.id)
    assert (e.reason, e.occurred_on, e.actor_id) == ("misspelt at joining", TODAY, "system")
    assert (str(p.name), p.senior_leader, p.title) == ("Aisha Bello", True, "Chief Executive")


def test_a_details_correction_after_a_move_corrects_the_move():
    p = person()
    p.move("RFH", "Chef Executive", True, SYSTEM, MOVED)
    p.correct_details(name="Aisha Belo", title="Chief Executive", senior_leader=True, clinical=False,
                      reason="typo", actor=SYSTEM, occurred_on=TODAY)
    e = p.collect_events()[-1]
    assert (e.corrects, e.corrects_occurred_on, e.corrected) == (2, MOVED, ["title"])


def test_a_correction_needs_a_reason_and_must_change_something():
    p = person()
    with pytest.raises(ValidationError, match="reason must not be blank"):
        p.correct_details(name="A B", title="CE", senior_leader=False, clinical=False, reason="  ",
                          actor=SYSTEM, occurred_on=TODAY)
    with pytest.raises(RuleViolationError, match="changes nothing"):
        p.correct_details(name="Aisha Belo", title="Chief Executive", senior_leader=False, clinical=False,
                          reason="why", actor=SYSTEM, occurred_on=TODAY)


def test_a_leaving_recorded_by_mistake_is_corrected_and_the_person_is_current_again():
    p = person()
    with pytest.raises(RuleViolationError, match="has not left"):
        p.correct_leaving("no", SYSTEM, TODAY)
    p.leave(SYSTEM, MOVED)
    with pytest.raises(RuleViolationError, match="left on"):
        p.move("RFH", "CE", True, SYSTEM, TODAY)
    p.correct_leaving("wrong person ticked", SYSTEM, TODAY)
    e = p.collect_events()[-1]
    assert (type(e).__name__, e.corrects, e.corrects_occurred_on) == ("LeavingCorrected", 2, MOVED)
    assert p.is_current
    p.move("RFH", "CE", True, SYSTEM, TODAY)  # current again: moves are accepted


def test_an_erased_person_cannot_be_corrected():
    p = person()
    p.leave(SYSTEM, MOVED)
    p.record_erasure("retention period over", SYSTEM, TODAY)
    with pytest.raises(RuleViolationError, match="is erased; their record cannot be corrected"):
        p.correct_leaving("mistake", SYSTEM, TODAY)
    with pytest.raises(RuleViolationError, match="is erased"):
        p.correct_details(name="X", title="Y", senior_leader=False, clinical=False, reason="r",
                          actor=SYSTEM, occurred_on=TODAY)


def org() -> Organisation:
    return Organisation.register("NVH", "Nene Valey", OrganisationKind.ACUTE_TRUST, SYSTEM, JOINED)


def test_correcting_a_registration_changes_name_and_kind_and_names_what_it_corrects():
    o = org()
    o.correct_registration("Nene Valley", OrganisationKind.COMMUNITY_MENTAL_HEALTH_TRUST, "typo", SYSTEM, TODAY)
    e = o.collect_events()[-1]
    assert (type(e).__name__, e.corrects, e.corrects_occurred_on, e.corrected) == (
        "RegistrationCorrected", 1, JOINED, ["name", "kind"])
    assert (o.name, o.kind) == ("Nene Valley", OrganisationKind.COMMUNITY_MENTAL_HEALTH_TRUST)
    with pytest.raises(RuleViolationError, match="changes nothing"):
        o.correct_registration("Nene Valley", o.kind, "again", SYSTEM, TODAY)
    o.rename("Nene Valley Hospitals", "merger", SYSTEM, MOVED)
    o.correct_registration("Nene Valley Hospital", o.kind, "typo in the new name", SYSTEM, TODAY)
    e = o.collect_events()[-1]
    assert (e.corrects, e.corrects_occurred_on) == (3, MOVED)


def test_a_kind_that_cannot_have_the_offices_held_is_refused():
    o = org()
    o.appoint(Office.CHIEF_EXECUTIVE, "p1", SYSTEM, JOINED)
    with pytest.raises(ValidationError, match="correct that appointment first") as info:
        o.correct_registration("Nene Valley", OrganisationKind.REGULATOR, "wrong kind", SYSTEM, TODAY)
    assert info.value.field == "kind"


def test_an_appointment_recorded_by_mistake_restores_the_previous_holder():
    o = org()
    with pytest.raises(RuleViolationError, match="no current appointment"):
        o.correct_appointment(Office.CHAIR, "r", SYSTEM, TODAY)
    o.appoint(Office.CHAIR, "p1", SYSTEM, JOINED)
    o.appoint(Office.CHAIR, "p2", SYSTEM, MOVED)
    o.correct_appointment(Office.CHAIR, "wrong person", SYSTEM, TODAY)
    e = o.collect_events()[-1]
    assert (type(e).__name__, e.person_id, e.corrects, e.corrects_occurred_on) == (
        "AppointmentCorrected", "p2", 3, MOVED)
    assert (e.restored_person_id, e.restored_since) == ("p1", JOINED)
    assert o.holder(Office.CHAIR) == "p1"
    o.correct_appointment(Office.CHAIR, "no chair was ever appointed", SYSTEM, TODAY)
    assert o.holder(Office.CHAIR) is None
    assert o.collect_events()[-1].restored_person_id is None
    with pytest.raises(RuleViolationError, match="no current appointment"):
        o.correct_appointment(Office.CHAIR, "r", SYSTEM, TODAY)


def test_a_vacancy_recorded_by_mistake_restores_the_holder():
    o = org()
    o.appoint(Office.CHAIR, "p1", SYSTEM, JOINED)
    with pytest.raises(RuleViolationError, match="is not vacant"):
        o.correct_vacancy(Office.CHAIR, "r", SYSTEM, TODAY)
    o.vacate(Office.CHAIR, SYSTEM, MOVED)
    with pytest.raises(RuleViolationError, match="no current appointment"):
        o.correct_appointment(Office.CHAIR, "r", SYSTEM, TODAY)
    assert o.last_vacancy(Office.CHAIR) == ("p1", MOVED)
    o.correct_vacancy(Office.CHAIR, "did not stand down", SYSTEM, TODAY)
    e = o.collect_events()[-1]
    assert (type(e).__name__, e.person_id, e.restored_person_id, e.restored_since) == (
        "VacancyCorrected", "p1", "p1", JOINED)
    assert o.holder(Office.CHAIR) == "p1"
