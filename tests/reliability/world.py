"""A small partnership with one concern, one meeting and one survey that many writers act on at once.

Every writer's command appends to the SAME aggregate, so concurrent writers conflict on its next
version. Each writer retries a conflicted command (as a client told to "reload it and try again"
would) and keeps a list of what was acknowledged; `check_log` then proves that the log holds every
acknowledged write exactly once, and nothing else, with each aggregate's versions contiguous.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import RecordConflictError

from application import Database, Ledger
from domain.concern import Concern
from domain.meeting import Meeting
from domain.survey import Survey, survey_id
from domain.values import SYSTEM, Actor, Role

LEAD = Actor("lead", Role.GOVERNANCE_LEAD)
ADMIN = Actor("admin", Role.ADMIN)
SURVEY = "ASQ-1"
VOTERS_PER_ORG = 12
HELD = date.today() - timedelta(days=3)
RETRIES = 200
PASSWORD = "correct horse battery staple 7"


@dataclass(frozen=True)
class World:
    """What the writers act on, by plain ids, so it crosses process boundaries."""

    reference: str
    concern_id: str
    raiser: Actor
    meeting_id: str
    voters: tuple[str, ...]
    survey_id: str


@dataclass
class Tally:
    """What one writer was told: the writes acknowledged, conflicts met, other answers."""

    notes: list[str] = field(default_factory=list)
    votes: list[str] = field(default_factory=list)
    recounts: list[int] = field(default_factory=list)
    conflicts: int = 0
    failures: list[str] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        """Add another writer's tally to this one."""
        self.notes += other.notes
        self.votes += other.votes
        self.recounts += other.recounts
        self.conflicts += other.conflicts
        self.failures += other.failures


def seed(ledger: Ledger) -> World:
    """Two trusts and the STP, a concern between them, a meeting of 2 x VOTERS_PER_ORG and a survey."""
    ledger.init_framework(SYSTEM)
    for code, kind in (("NVH", "acute_trust"), ("RFH", "acute_trust"), ("STP", "stp")):
        ledger.register_organisation(LEAD, code=code, name=code, kind=kind)
    people = {}
    for key, org, office in (("ceo.nvh", "NVH", "chief_executive"), ("ceo.rfh", "RFH", "chief_executive"),
                             ("ao", "STP", "accountable_officer"), ("ichair", "STP", "independent_chair"),
                             ("staff.nvh", "NVH", None), ("staff.rfh", "RFH", None)):
        people[key] = ledger.add_person(LEAD, name=f"Person {key}", organisation=org, title="Title")
        if office:
            ledger.appoint(LEAD, organisation=org, office=office, person_id=people[key])
    raiser = Actor("staff.nvh", Role.STAFF, "NVH", people["staff.nvh"])
    reference = ledger.raise_concern(raiser, subject_id=people["staff.rfh"], catalogue_items=["B-1"],
                                     narrative="Critical emails copied widely.", examples="Three last month.")
    voters = tuple(ledger.add_person(LEAD, name=f"Voter {org} {n}", organisation=org, title="Director")
                   for org in ("NVH", "RFH") for n in range(VOTERS_PER_ORG))
    ledger.establish_body(LEAD, code="PB", name="Programme Board", kind="programme_board")
    meeting_id = ledger.record_meeting(LEAD, body="PB", title="Programme Board", chair_person_id=people["ichair"],
                                       attendee_ids=voters, held_on=HELD)
    ledger.open_survey(LEAD, code=SURVEY, kind="all_staff", title="Pulse", period="2026-27-Q1")
    ledger.record_all_staff_results(LEAD, SURVEY, organisation="NVH", question="q1",
                                    counts={"Agree": 1, "Disagree": 1})
    lead_person = ledger.add_person(LEAD, name="Hannah Greenwood", organisation="NVH", title="Head of Governance")
    for username, role, org, person in (("staff.nvh", "staff", "NVH", people["staff.nvh"]),
                                        ("lead", "governance_lead", None, lead_person)):
        ledger.add_user(ADMIN, username=username, password=PASSWORD, role=role, organisation=org,
                        person_id=person)
    concern = ledger._concern(reference)
    return World(reference, str(concern.id), raiser, meeting_id, voters, str(survey_id(SURVEY)))


def note_text(writer: int, n: int) -> str:
    """The unique text of a writer's n-th note."""
    return f"note {writer}.{n}"


def recount(writer: int, n: int) -> int:
    """A unique 'Agree' count for a writer's n-th correction (never equal to the one before)."""
    return 1000 * (writer + 1) + n + 2


def write_with_retries(ledger: Ledger, world: World, writer: int, writers: int, rounds: int) -> Tally:
    """One writer: rounds of a note, a vote (its share of the voters) and a survey correction."""
    tally = Tally()
    mine = world.voters[writer::writers]
    for n in range(rounds):
        acts: list[tuple[list[Any], Any, Callable[[], Any]]] = [
            (tally.notes, note_text(writer, n), lambda n=n: ledger.add_concern_note(
                world.raiser, world.reference, text=note_text(writer, n))),
            (tally.recounts, recount(writer, n), lambda n=n: ledger.correct_all_staff_results(
                LEAD, SURVEY, organisation="NVH", question="q1", counts={"Agree": recount(writer, n),
                                                                         "Disagree": 1}, reason=f"recount {n}")),
        ]
        if n < len(mine):
            acts.append((tally.votes, mine[n], lambda n=n: ledger.record_vote(
                LEAD, world.meeting_id, person_id=mine[n], verdict="adhered")))
        for acknowledged, value, act in acts:
            for _ in range(RETRIES):
                try:
                    act()
                except RecordConflictError:
                    tally.conflicts += 1
                    continue
                except Exception as e:  # anything else is a finding, kept for the assertion
                    tally.failures.append(f"{type(e).__name__}: {e}")
                    break
                acknowledged.append(value)
                break
            else:
                tally.failures.append(f"gave up after {RETRIES} conflicts")
    return tally


def write_in_process(url: str, world: World, writer: int, writers: int, rounds: int) -> Tally:
    """A writer in its own OS process, with its own Ledger on the same database."""
    ledger = Ledger(Database.parse(url))
    try:
        return write_with_retries(ledger, world, writer, writers, rounds)
    finally:
        ledger.close()


def check_log(ledger: Ledger, world: World, tally: Tally) -> dict[str, int]:
    """Assert the log holds each acknowledged write exactly once and nothing more; return counts."""
    ids = {UUID(world.concern_id), UUID(world.meeting_id), UUID(world.survey_id)}
    in_log: Counter[UUID] = Counter()
    start = 1
    while batch := ledger.recorder.select_notifications(start=start, limit=1000):
        for item in batch:
            if item.originator_id in ids:
                in_log[item.originator_id] += 1
        start = batch[-1].id + 1
    for aggregate_id in ids:
        versions = [e.originator_version for e in ledger.events.get(aggregate_id)]
        assert versions == list(range(1, len(versions) + 1)), f"versions of {aggregate_id} not contiguous"
        assert in_log[aggregate_id] == len(versions), "the notification log and the aggregate disagree"
    concern = list(ledger.events.get(UUID(world.concern_id)))
    notes = [str(e.text) for e in concern if isinstance(e, Concern.NoteAdded)]
    assert Counter(notes) == Counter(tally.notes), "a note was lost or recorded twice"
    assert len(concern) == 1 + len(tally.notes)
    meeting = list(ledger.events.get(UUID(world.meeting_id)))
    votes = [e.person_id for e in meeting if isinstance(e, Meeting.VoteCast)]
    assert Counter(votes) == Counter(tally.votes), "a vote was lost or recorded twice"
    assert len(meeting) == 1 + len(tally.votes)
    survey = list(ledger.events.get(UUID(world.survey_id)))
    recounts = [e.counts["Agree"] for e in survey if isinstance(e, Survey.AllStaffResultsCorrected)]
    assert Counter(recounts) == Counter(tally.recounts), "a correction was lost or recorded twice"
    assert len(survey) == 2 + len(tally.recounts)
    return {"notes": len(notes), "votes": len(votes), "recounts": len(recounts), "conflicts": tally.conflicts}
