"""Membership of a meeting body (the Programme Board's members), without a database."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolationError, ValidationError
from domain.meeting_body import MeetingBody
from domain.values import Actor, Role

LEAD = Actor("lead", Role.GOVERNANCE_LEAD)
START = date(2026, 1, 5)


def board() -> MeetingBody:
    return MeetingBody.establish(code="PB", name="STP Programme Board", kind="programme_board", reports_to=None,
                                 vote_mode="by_attendee", actor=LEAD, occurred_on=START)


def test_members_come_from_any_organisation_and_several_from_one():
    pb = board()
    pb.appoint_member("a", "nvh", LEAD, date(2026, 1, 10))
    pb.appoint_member("b", "NVH", LEAD, date(2026, 1, 10))
    pb.appoint_member("c", "SCC", LEAD, date(2026, 1, 11))
    assert {p: m["organisation"] for p, m in pb.members.items()} == {"a": "NVH", "b": "NVH", "c": "SCC"}
    event = pb.collect_events()[-1]
    assert (type(event).__name__, event.body, event.person_id, event.occurred_on, event.actor_id) == (
        "MemberAppointed", "PB", "c", date(2026, 1, 11), "lead")


def test_a_member_cannot_be_appointed_twice_nor_before_the_body_existed():
    pb = board()
    pb.appoint_member("a", "NVH", LEAD, date(2026, 1, 10))
    with pytest.raises(RuleViolationError, match="person a is already a member of STP Programme Board"):
        pb.appoint_member("a", "RFH", LEAD, date(2026, 2, 1))
    with pytest.raises(ValidationError, match="before STP Programme Board was established") as e:
        pb.appoint_member("b", "NVH", LEAD, date(2025, 12, 1))
    assert e.value.field == "occurred_on"


def test_a_member_stands_down_with_a_reason_and_may_be_appointed_again():
    pb = board()
    pb.appoint_member("a", "NVH", LEAD, date(2026, 1, 10))
    with pytest.raises(ValidationError, match="reason must not be blank"):
        pb.stand_down_member("a", " ", LEAD, date(2026, 3, 1))
    with pytest.raises(ValidationError, match="before being appointed on 2026-01-10"):
        pb.stand_down_member("a", "end of term", LEAD, date(2026, 1, 9))
    pb.stand_down_member("a", "end of term", LEAD, date(2026, 3, 1))
    assert pb.members == {}
    stood_down = pb.collect_events()[-1]
    assert (stood_down.organisation, stood_down.reason) == ("NVH", "end of term")
    with pytest.raises(RuleViolationError, match="person a is not a member of STP Programme Board"):
        pb.stand_down_member("a", "again", LEAD, date(2026, 3, 2))
    pb.appoint_member("a", "RFH", LEAD, date(2026, 4, 1))
    assert pb.members["a"]["organisation"] == "RFH"


def test_a_wrong_appointment_is_corrected_naming_the_event_it_corrects():
    pb = board()
    pb.appoint_member("a", "NVH", LEAD, date(2026, 1, 10))
    pb.appoint_member("b", "NVH", LEAD, date(2026, 1, 10))
    appointed_b = pb.collect_events()[-1].originator_version
    with pytest.raises(RuleViolationError, match="changes nothing"):
        pb.correct_member_appointment("a", date(2026, 1, 10), "typo", LEAD, date(2026, 2, 1))
    pb.correct_member_appointment("a", date(2026, 1, 12), "the minutes give the 12th", LEAD, date(2026, 2, 1))
    assert pb.members["a"]["since"] == date(2026, 1, 12)
    pb.correct_member_appointment("b", None, "recorded against the wrong person", LEAD, date(2026, 2, 1))
    corrected = pb.collect_events()[-1]
    assert (corrected.corrects, corrected.since, corrected.reason) == (
        appointed_b, None, "recorded against the wrong person")
    assert set(pb.members) == {"a"}
    with pytest.raises(RuleViolationError, match="person b is not a member"):
        pb.correct_member_appointment("b", None, "again", LEAD, date(2026, 2, 1))
    with pytest.raises(ValidationError, match="reason must not be blank"):
        pb.correct_member_appointment("a", None, "", LEAD, date(2026, 2, 1))
