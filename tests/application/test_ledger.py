from __future__ import annotations

from datetime import date, timedelta

import pytest

from application import AuthenticationError, Database, Ledger
from application.details import OrganisationDetails
from domain.errors import NotAllowedError, NotFoundError, RuleViolationError, ValidationError
from domain.values import SYSTEM, Actor, Role
from tests.conftest import LEAD

REGULATOR = Actor("cqc", Role.REGULATOR, "CQC")


def test_register_organisation_and_read_it_back_from_a_fresh_application(ledger, database_url):
    ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    pid = ledger.add_person(LEAD, name="Daniel Okafor", organisation="NVH", title="Chief Executive")
    ledger.appoint(LEAD, organisation="NVH", office="chief_executive", person_id=pid)
    fresh = Ledger(Database.parse(database_url))
    try:
        assert fresh.get_organisation("NVH") == OrganisationDetails(
            "NVH", "Nene Valley", "acute_trust", {"chief_executive": pid}
        )
        assert fresh.get_person(pid).name == "Daniel Okafor"
    finally:
        fresh.close()


def test_a_regulator_may_not_record_governance_events(ledger):
    with pytest.raises(NotAllowedError, match="acting as regulator may not register organisations"):
        ledger.register_organisation(REGULATOR, code="NVH", name="Nene Valley", kind="acute_trust")


def test_registering_twice_is_a_conflict_and_unknown_kinds_are_invalid(ledger):
    ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    with pytest.raises(RuleViolationError, match="NVH is already registered"):
        ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    with pytest.raises(ValidationError, match="kind must be one of"):
        ledger.register_organisation(LEAD, code="RFH", name="R", kind="hospital")


def test_occurred_on_in_the_future_is_rejected_and_nothing_is_recorded(ledger):
    before = ledger.max_position()
    with pytest.raises(ValidationError, match="is in the future"):
        ledger.register_organisation(
            LEAD, code="NVH", name="N", kind="acute_trust", occurred_on=date.today() + timedelta(days=2)
        )
    assert ledger.max_position() == before


def test_events_record_actor_role_and_occurred_on(ledger):
    ledger.register_organisation(LEAD, code="NVH", name="N", kind="acute_trust", occurred_on=date(2026, 1, 5))
    notification = ledger.notification_log.select(ledger.max_position(), 1)[0]
    event = ledger.mapper.to_domain_event(notification)
    assert (event.actor_id, event.actor_role, event.occurred_on) == ("lead", "governance_lead", date(2026, 1, 5))


def test_personal_data_is_stored_encrypted_and_erasure_shows_erased(ledger):
    ledger.register_organisation(LEAD, code="NVH", name="N", kind="acute_trust")
    pid = ledger.add_person(LEAD, name="Margaret Ashby", organisation="NVH", title="Chair")
    raw = ledger.notification_log.select(ledger.max_position(), 1)[0].state
    assert b"Margaret" not in raw
    ledger.keys.destroy(pid, "2026-11-26")
    assert ledger.get_person(pid).name == "[erased]"


def test_password_sign_in_and_tokens(ledger):
    ledger.add_user(SYSTEM, username="alice", password="correct horse 1", role="regulator")
    assert ledger._user("alice").password_hash.startswith("$argon2id$")  # only the argon2 hash is kept
    raw = b"".join(n.state for n in ledger.recorder.select_notifications(start=1, limit=1000))
    assert b"correct horse 1" not in raw
    actor = ledger.authenticate("alice", "correct horse 1")
    assert actor == Actor("alice", Role.REGULATOR)
    with pytest.raises(AuthenticationError, match="username or password is not right"):
        ledger.authenticate("alice", "wrong password 1")
    with pytest.raises(AuthenticationError, match="username or password is not right"):
        ledger.authenticate("nobody", "wrong password 1")
    token = ledger.create_token(actor, "alice", scope="read", days=10)
    assert ledger.authenticate_token(token.token) == (actor, "read")
    assert token.token.split("_", 3)[3] not in str(ledger.get_user("alice"))
    ledger.revoke_token(actor, "alice", token.id)
    with pytest.raises(AuthenticationError, match="revoked"):
        ledger.authenticate_token(token.token)


def test_a_user_may_not_make_tokens_for_someone_else(ledger):
    ledger.add_user(SYSTEM, username="alice", password="correct horse 1", role="regulator")
    ledger.add_user(SYSTEM, username="bob", password="correct horse 2", role="regulator")
    with pytest.raises(NotAllowedError):
        ledger.create_token(Actor("alice", Role.REGULATOR), "bob")


def test_unknown_person_is_not_found(ledger):
    with pytest.raises(NotFoundError, match="person nope not found"):
        ledger.get_person("nope")
