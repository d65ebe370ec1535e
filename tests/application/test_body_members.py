"""The Programme Board's members through the Ledger and the directory view, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.errors import NotAllowedError, NotFoundError, RuleViolationError, ValidationError
from domain.values import Actor, Role
from tests.conftest import ADMIN, LEAD

START = date.today() - timedelta(days=60)
CHAIR = Actor("ic", Role.INDEPENDENT_CHAIR)


@pytest.fixture
def board(services):  # type: ignore[no-untyped-def]
    ledger = services.ledger
    for code, kind in (("NVH", "acute_trust"), ("SCC", "council"), ("STP", "stp")):
        ledger.register_organisation(LEAD, code=code, name=f"{code} name", kind=kind, occurred_on=START)
    ids = {
        name: ledger.add_person(LEAD, name=name, organisation=org, title="Director", occurred_on=START)
        for name, org in (("Ada Nash", "NVH"), ("Ben Cole", "NVH"), ("Cllr Dee Fox", "SCC"), ("Eve Hart", "STP"))
    }
    ledger.establish_body(LEAD, code="PB", name="STP Programme Board", kind="programme_board", occurred_on=START)
    return ids


def test_members_are_appointed_from_any_organisation_and_shown_by_the_directory(services, board):
    ledger, directory = services.ledger, services.projections["directory"]
    day = START + timedelta(days=1)
    ledger.appoint_body_member(LEAD, "pb", person_id=board["Ada Nash"], occurred_on=day)
    ledger.appoint_body_member(LEAD, "PB", person_id=board["Ben Cole"], occurred_on=day)
    ledger.appoint_body_member(LEAD, "PB", person_id=board["Cllr Dee Fox"], organisation="scc", occurred_on=day)
    assert set(ledger.body_members("PB")) == {board["Ada Nash"], board["Ben Cole"], board["Cllr Dee Fox"]}
    rows = directory.programme_board()
    assert [(r["name"], r["organisation"], r["body_name"], r["since"], r["current"]) for r in rows] == [
        ("Ada Nash", "NVH", "STP Programme Board", day.isoformat(), True),
        ("Ben Cole", "NVH", "STP Programme Board", day.isoformat(), True),
        ("Cllr Dee Fox", "SCC", "STP Programme Board", day.isoformat(), True),
    ]


def test_clear_errors_for_duplicates_strangers_leavers_and_the_wrong_role(services, board):
    ledger = services.ledger
    ledger.appoint_body_member(LEAD, "PB", person_id=board["Ada Nash"])
    with pytest.raises(RuleViolationError, match="is already a member of STP Programme Board"):
        ledger.appoint_body_member(LEAD, "PB", person_id=board["Ada Nash"])
    with pytest.raises(ValidationError, match="is not in the directory") as e:
        ledger.appoint_body_member(LEAD, "PB", person_id="00000000-0000-0000-0000-000000000000")
    assert e.value.field == "person_id"
    with pytest.raises(ValidationError, match="organisation XYZ is not in the directory"):
        ledger.appoint_body_member(LEAD, "PB", person_id=board["Ben Cole"], organisation="xyz")
    with pytest.raises(NotFoundError, match="meeting body NOPE not found"):
        ledger.appoint_body_member(LEAD, "NOPE", person_id=board["Ben Cole"])
    ledger.record_leaver(LEAD, board["Eve Hart"])
    with pytest.raises(RuleViolationError, match="left on .* and cannot be appointed"):
        ledger.appoint_body_member(LEAD, "PB", person_id=board["Eve Hart"])
    with pytest.raises(RuleViolationError, match="is not a member of STP Programme Board"):
        ledger.stand_down_body_member(LEAD, "PB", person_id=board["Ben Cole"], reason="end of term")
    for actor in (CHAIR, Actor("r", Role.REGULATOR), Actor("s", Role.STAFF)):
        with pytest.raises(NotAllowedError):
            ledger.appoint_body_member(actor, "PB", person_id=board["Ben Cole"])
    ledger.appoint_body_member(ADMIN, "PB", person_id=board["Ben Cole"])
    ledger.erase_person(ADMIN, board["Cllr Dee Fox"], "erasure request R-1")
    with pytest.raises(RuleViolationError, match="is erased and cannot be appointed"):
        ledger.appoint_body_member(LEAD, "PB", person_id=board["Cllr Dee Fox"])


def test_leavers_and_erased_members_are_marked_not_current_until_stood_down(services, board):
    ledger, directory = services.ledger, services.projections["directory"]
    for name in ("Ada Nash", "Ben Cole", "Eve Hart"):
        ledger.appoint_body_member(LEAD, "PB", person_id=board[name], occurred_on=START + timedelta(days=2))
    ledger.record_leaver(LEAD, board["Ada Nash"], occurred_on=START + timedelta(days=20))
    ledger.record_leaver(LEAD, board["Eve Hart"], occurred_on=START + timedelta(days=21))
    ledger.erase_person(ADMIN, board["Eve Hart"], "erasure request R-2")
    rows = {r["person_id"]: r for r in directory.programme_board()}
    assert (rows[board["Ada Nash"]]["current"], rows[board["Ada Nash"]]["left_on"]) == (
        False, (START + timedelta(days=20)).isoformat())
    assert (rows[board["Eve Hart"]]["current"], rows[board["Eve Hart"]]["name"], rows[board["Eve Hart"]]["erased"]) == (
        False, "[erased]", True)
    assert [r["current"] for r in directory.programme_board()] == [True, False, False]  # current ones first
    assert [r["name"] for r in directory.body_members("PB", include_left=False)] == ["Ben Cole"]
    ledger.stand_down_body_member(LEAD, "PB", person_id=board["Ada Nash"], reason="left NVH",
                                  occurred_on=START + timedelta(days=20))
    assert board["Ada Nash"] not in {r["person_id"] for r in directory.programme_board()}


def test_a_wrong_appointment_is_corrected_and_the_view_equals_a_rebuild(services, board):
    ledger, directory = services.ledger, services.projections["directory"]
    ledger.appoint_body_member(LEAD, "PB", person_id=board["Ada Nash"], occurred_on=START + timedelta(days=3))
    ledger.appoint_body_member(LEAD, "PB", person_id=board["Ben Cole"], occurred_on=START + timedelta(days=3))
    ledger.correct_body_member_appointment(LEAD, "PB", person_id=board["Ada Nash"], since=START + timedelta(days=5),
                                           reason="the minutes give a later date")
    ledger.correct_body_member_appointment(LEAD, "PB", person_id=board["Ben Cole"], reason="wrong person recorded")
    ledger.appoint_body_member(LEAD, "PB", person_id=board["Cllr Dee Fox"], occurred_on=START + timedelta(days=3))
    with pytest.raises(NotAllowedError):
        ledger.correct_body_member_appointment(CHAIR, "PB", person_id=board["Ada Nash"], reason="x")
    live = directory.body_members()
    assert [(r["name"], r["since"]) for r in live] == [
        ("Ada Nash", (START + timedelta(days=5)).isoformat()), ("Cllr Dee Fox", (START + timedelta(days=3)).isoformat()),
    ]
    services.projections.rebuild(["directory"])
    assert directory.body_members() == live


def test_the_organisation_route_refuses_a_programme_board_office(services, board):
    """One holder per office per organisation cannot hold a Board of many: members go on the Board."""
    ledger = services.ledger
    with pytest.raises(ValidationError, match="appointed to the Programme Board") as e:
        ledger.appoint(LEAD, organisation="NVH", office="programme_board_member", person_id=board["Ada Nash"])
    assert e.value.field == "office"
    assert ledger.get_organisation("NVH").offices == {}
