from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.errors import RuleViolationError, ValidationError
from domain.organisation import Organisation, organisation_id
from domain.person import Person
from domain.user import check_password
from domain.values import SYSTEM, Office, OrganisationKind, Personal

TODAY = date(2026, 3, 1)


def test_register_organisation_normalises_the_code_and_derives_a_stable_id():
    org = Organisation.register(" nvh ", "Nene Valley", OrganisationKind.ACUTE_TRUST, SYSTEM, TODAY)
    assert org.code == "NVH" and org.id == organisation_id("NVH")
    event = org.collect_events()[0]
    assert (event.actor_id, event.actor_role, event.occurred_on) == ("system", "admin", TODAY)


def test_register_organisation_rejects_a_bad_code():
    with pytest.raises(ValidationError, match="code must be"):
        Organisation.register("1x", "Bad", OrganisationKind.CCG, SYSTEM, TODAY)


def test_appoint_keeps_the_previous_holder_in_the_event():
    org = Organisation.register("NVH", "Nene Valley", OrganisationKind.ACUTE_TRUST, SYSTEM, TODAY)
    org.appoint(Office.CHIEF_EXECUTIVE, "p1", SYSTEM, TODAY)
    org.appoint(Office.CHIEF_EXECUTIVE, "p2", SYSTEM, TODAY)
    last = org.collect_events()[-1]
    assert (last.person_id, last.previous_person_id) == ("p2", "p1")
    with pytest.raises(RuleViolationError, match="already holds"):
        org.appoint(Office.CHIEF_EXECUTIVE, "p2", SYSTEM, TODAY)


def test_stp_offices_belong_only_to_the_stp():
    org = Organisation.register("NVH", "Nene Valley", OrganisationKind.ACUTE_TRUST, SYSTEM, TODAY)
    with pytest.raises(ValidationError, match="office of the STP"):
        org.appoint(Office.ACCOUNTABLE_OFFICER, "p1", SYSTEM, TODAY)


def test_a_person_who_left_cannot_move_or_leave_again():
    pid = uuid4()
    person = Person.join(id=pid, name="Jo", organisation="NVH", title="Nurse", senior_leader=False,
                         clinical=True, actor=SYSTEM, occurred_on=TODAY)
    assert person.name == Personal(str(pid), "Jo")
    person.leave(SYSTEM, TODAY)
    with pytest.raises(RuleViolationError, match="left on 2026-03-01"):
        person.move("RFH", "Nurse", False, SYSTEM, TODAY)


def test_password_rules_follow_the_ncsc_and_say_why_in_words():
    with pytest.raises(ValidationError, match="at least 12 characters"):
        check_password("1234567890", "bob")
    for common in ("password12", "Password1!"):  # too short, whatever else
        with pytest.raises(ValidationError, match="at least 12"):
            check_password(common, "bob")
    with pytest.raises(ValidationError, match="one of the passwords people use most"):
        check_password("password1234", "bob")
    with pytest.raises(ValidationError, match="too easy to guess"):
        check_password("Password1234", "bob")
    with pytest.raises(ValidationError, match="too easy to guess"):
        check_password("bob.smith-2026", "bob.smith")  # the username helps a guesser
    check_password("aaaaaaaaaaaa-but-then-a-few-words", "bob")  # no composition rules beyond guessability
    check_password("pvb-demo-2026", "bob")
