"""A realistic ledger at scale: `python bench/generate.py --events 1000000 --database-url URL`.

A twelve-organisation partnership (plus its regulators and the Health and Wellbeing Board) over
ten years: meetings with their opening checks and closing votes (the bulk), sign-ins, concerns
escalated along the paper's routes, personal objectives, regulator feedback and responses,
quarterly all-staff survey results and the Programme Board's quarterly reviews with their actions.

Every event is a real domain event made by the domain's own commands (so its rules are checked)
and stored by the ledger exactly as the app stores it (encrypted personal data, sealable). The
directory, bodies and surveys are set up through the ledger's commands; the bulk skips the
per-command overhead (authorisation, loading aggregates) and saves about 2,000 events per
`ledger.save(...)`, so that a million events take minutes. The log is sealed at the end unless
`--no-seal`. Every bench login's password is BENCH_PASSWORD.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from application import Database, Ledger  # noqa: E402
from application.concerns import LedgerHolders  # noqa: E402
from application.surveys import AGREEMENT, ALL_STAFF_QUESTIONS  # noqa: E402
from domain.concern import Concern  # noqa: E402
from domain.concern_numbers import CONCERN_NUMBERS_ID, ConcernNumbers  # noqa: E402
from domain.feedback import Feedback, OrganisationRef, make_example  # noqa: E402
from domain.meeting import Meeting  # noqa: E402
from domain.objective import Objective  # noqa: E402
from domain.period import Quarter  # noqa: E402
from domain.review import NewAction, Review  # noqa: E402
from domain.survey import survey_id  # noqa: E402
from domain.user import User  # noqa: E402
from domain.values import SYSTEM, Actor, OrganisationKind, Role  # noqa: E402

BENCH_PASSWORD = "pvb-bench-2026"  # noqa: S105 (a published bench password, like the demo's)
PARTNERS = [  # the twelve organisations of the partnership
    ("NVH", "Nene Valley Hospitals NHS Foundation Trust", "acute_trust"),
    ("RFH", "Rockingham Forest Hospital NHS Trust", "acute_trust"),
    ("KGH", "Kettering General Hospital NHS Foundation Trust", "acute_trust"),
    ("NGH", "Northampton General Hospital NHS Trust", "acute_trust"),
    ("WNC", "Welland and Nene Community and Mental Health NHS Foundation Trust", "community_mental_health_trust"),
    ("NHFT", "Northamptonshire Healthcare NHS Foundation Trust", "community_mental_health_trust"),
    ("NCCG", "Nene Clinical Commissioning Group", "ccg"),
    ("CKCCG", "Corby and Kettering Clinical Commissioning Group", "ccg"),
    ("WCCG", "Wellingborough Clinical Commissioning Group", "ccg"),
    ("SCC", "Shire County Council", "council"),
    ("WNCC", "West Northamptonshire Council", "council"),
    ("STP", "Northamptonshire Sustainability and Transformation Partnership", "stp"),
]
OTHERS = [("CQC", "Care Quality Commission", "regulator"), ("NHSEI", "NHS England and NHS Improvement", "regulator"),
          ("HWB", "Northamptonshire Health and Wellbeing Board", "hwb")]
MEMBERS = [code for code, _, _ in PARTNERS if code != "STP"]
BODIES = [("PB", "STP Programme Board", "programme_board", None, "by_attendee"),
          ("FPC", "Finance and Performance Committee", "committee", "PB", "by_attendee"),
          ("CLIN", "Clinical Senate", "committee", "PB", "by_attendee"),
          ("WORK", "Workforce Committee", "committee", "PB", "by_attendee"),
          ("UEC", "Urgent and Emergency Care Board", "committee", "PB", "by_attendee"),
          ("DIGI", "Digital and Shared Care Record Sub-Committee", "sub_committee", "CLIN", "anonymous_tally"),
          ("EST", "Estates Sub-Committee", "sub_committee", "FPC", "anonymous_tally")]
VERDICTS = ("adhered", "partly_adhered", "not_adhered")
COMMENTS = ["Finance discussion overran and not everyone was heard.",
            "Some challenge came after the meeting rather than in it.", "Good, open debate."]
ITEMS = [f"B-{i}" for i in range(1, 9)]
STAFF_PER_ORG = 36  # people in each partner besides its Chair and Chief Executive


@dataclass
class Counts:
    """How many events of each kind were written."""

    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, n: int) -> None:
        self.by_kind[kind] = self.by_kind.get(kind, 0) + n

    @property
    def total(self) -> int:
        return sum(self.by_kind.values())


@dataclass
class Cast:
    """Who is who: people by organisation, office holders, logins as actors."""

    people: dict[str, list[str]] = field(default_factory=dict)  # org -> person ids (staff)
    ceo: dict[str, str] = field(default_factory=dict)
    chair: dict[str, str] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)
    actors: dict[str, Actor] = field(default_factory=dict)


class Writer:
    """Collects aggregates with new events and saves them about `batch` events at a time."""

    def __init__(self, ledger: Ledger, counts: Counts, batch: int, report: Callable[[int], None]) -> None:
        self.ledger, self.counts, self.batch, self.report = ledger, counts, batch, report
        self.pending: dict[Any, Any] = {}
        self.events = 0

    def add(self, kind: str, aggregate: Any, events: int) -> None:
        self.pending[aggregate.id] = aggregate
        self.events += events
        self.counts.add(kind, events)
        if self.events >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.ledger.save(*self.pending.values())
            self.pending, self.events = {}, 0
            self.report(self.counts.total)


def setup(ledger: Ledger, start: date, rng: random.Random, counts: Counts) -> Cast:
    """The directory, offices, logins, framework and bodies, through the ledger's commands."""
    from application.identity import _hasher

    before = ledger.max_position()
    cast = Cast()
    ledger.init_framework(SYSTEM, occurred_on=start)
    for code, name, kind in PARTNERS + OTHERS:
        ledger.register_organisation(SYSTEM, code=code, name=name, kind=kind, occurred_on=start)
    password_hash = _hasher.hash(BENCH_PASSWORD)
    users: list[User] = []

    def login(username: str, role: Role, org: str | None, person_id: str | None) -> Actor:
        user = User.add(username=username, role=role, organisation=org, person_id=person_id,
                        password_hash=password_hash, actor=SYSTEM, occurred_on=start)
        users.append(user)
        cast.actors[username] = Actor(username, role, org, person_id)
        return cast.actors[username]

    def person(org: str, name: str, title: str, senior: bool) -> str:
        return ledger.add_person(SYSTEM, name=name, organisation=org, title=title, senior_leader=senior,
                                 clinical=rng.random() < 0.4, occurred_on=start)

    for code in MEMBERS:
        cast.chair[code] = person(code, f"Chair of {code}", "Chair", True)
        cast.ceo[code] = person(code, f"Chief Executive of {code}", "Chief Executive", True)
        ledger.appoint(SYSTEM, organisation=code, office="chair", person_id=cast.chair[code], occurred_on=start)
        ledger.appoint(SYSTEM, organisation=code, office="chief_executive", person_id=cast.ceo[code],
                       occurred_on=start)
        login(f"chair.{code.lower()}", Role.CHAIR, code, cast.chair[code])
        login(f"ceo.{code.lower()}", Role.CHIEF_EXECUTIVE, code, cast.ceo[code])
        cast.people[code] = [person(code, f"{code} Person {n}", "Director" if n < 6 else "Manager", n < 6)
                             for n in range(STAFF_PER_ORG)]
        for n, pid in enumerate(cast.people[code][:8]):
            login(f"staff{n}.{code.lower()}", Role.STAFF, code, pid)
    ichair = person("STP", "Independent Chair", "Independent Chair", True)
    ao = person("STP", "STP Accountable Officer", "Accountable Officer", True)
    ledger.appoint(SYSTEM, organisation="STP", office="independent_chair", person_id=ichair, occurred_on=start)
    ledger.appoint(SYSTEM, organisation="STP", office="accountable_officer", person_id=ao, occurred_on=start)
    cast.people["STP"] = [ichair, ao]
    login("ichair", Role.INDEPENDENT_CHAIR, "STP", ichair)
    login("ao", Role.ACCOUNTABLE_OFFICER, "STP", ao)
    login("lead", Role.GOVERNANCE_LEAD, "STP", None)
    login("cqc", Role.REGULATOR, "CQC", None)
    login("hwb", Role.HWB, "HWB", None)
    login("investigator", Role.INVESTIGATOR, None, None)
    login("admin", Role.ADMIN, None, None)
    ledger.save(*users)
    cast.users = users
    lead = cast.actors["lead"]
    for code, name, kind, reports_to, mode in BODIES:
        ledger.establish_body(lead, code=code, name=name, kind=kind, reports_to=reports_to, vote_mode=mode,
                              occurred_on=start)
        ledger.update_terms_of_reference(lead, code, reference=f"{code} terms of reference v2",
                                         summary="Adds the principles, values and behaviours.",
                                         occurred_on=start + timedelta(days=7))
    counts.add("directory, logins and bodies", ledger.max_position() - before)
    return cast


class Generator:
    """Writes the bulk of the ledger, day by day, in the demo's mix."""

    # (kind, share of events, mean events per occurrence)
    MIX = (("meeting", 0.56, 16.0), ("sign-in", 0.24, 1.0), ("objective", 0.07, 3.5),
           ("concern", 0.06, 3.6), ("feedback", 0.05, 1.8), ("directory", 0.01, 1.0))

    def __init__(self, ledger: Ledger, cast: Cast, writer: Writer, start: date, end: date, seed: int) -> None:
        self.ledger, self.cast, self.w = ledger, cast, writer
        self.start, self.end = start, end
        self.rng = random.Random(seed)
        self.lead = cast.actors["lead"]
        self.version, _ = ledger.check_citations(["B-1"])
        self.holders = LedgerHolders(ledger)
        self.numbers = ConcernNumbers.start(self.lead, start)
        self.w.add("concern", self.numbers, 1)
        self.reviews: dict[str, Review] = {}
        self.persons: dict[str, Any] = {}
        weights = [share / per for _, share, per in self.MIX]
        self.kinds = [k for k, _, _ in self.MIX]
        self.weights = [w / sum(weights) for w in weights]
        self.pool = [pid for org in MEMBERS for pid in self.cast.people[org][:12]]
        self.org_of = {pid: org for org, ids in cast.people.items() for pid in ids}
        self.org_of.update({pid: org for org, pid in cast.ceo.items()})
        self.org_of.update({pid: org for org, pid in cast.chair.items()})

    def run(self, total: int) -> None:
        days = (self.end - self.start).days
        quarter = None
        while self.w.counts.total < total:
            day = self.start + timedelta(days=min(days, 14 + (days - 14) * self.w.counts.total // total))
            if Quarter.of(day) != quarter:
                quarter = Quarter.of(day)
                self.survey(quarter, day)
                self.review(quarter, day)
            kind = self.rng.choices(self.kinds, self.weights)[0]
            getattr(self, kind.replace("-", "_"))(day)
        self.w.flush()

    def later(self, day: date, days: int) -> date:
        return min(day + timedelta(days=days), self.end)

    def meeting(self, day: date) -> None:
        rng = self.rng
        code, _, _, _, mode = rng.choice(BODIES)
        people = rng.sample(self.pool, rng.randint(7, 15))
        chair, *others = people
        meeting = Meeting.record(id=uuid4(), body=code, title=f"{code} meeting, {day:%d %B %Y}",
                                 chair=(chair, self.org_of[chair]), attendees=[(p, self.org_of[p]) for p in others],
                                 vote_mode=mode, actor=self.lead, held_on=day)
        n = 3
        if rng.random() < 0.25:
            meeting.check_representation(all_views_represented=False, missing_views=["primary care"],
                                         speaking_up_expected=True, actor=self.lead, occurred_on=day)
            meeting.agree_corrective_step(step="Invite the Local Medical Committee's chair", missing_view="primary care",
                                          owner_organisation=rng.choice(MEMBERS), actor=self.lead, occurred_on=day)
            n += 1
        else:
            meeting.check_representation(all_views_represented=True, missing_views=[], speaking_up_expected=True,
                                         actor=self.lead, occurred_on=day)
        drift = (day - self.start).days / 3650  # adherence improves over the decade
        weights = (0.55 + 0.3 * drift, 0.3 - 0.15 * drift, 0.15 - 0.15 * drift + 0.01)
        if mode == "anonymous_tally":
            by_org: dict[str, list[str]] = {}
            for p in people:
                by_org.setdefault(self.org_of[p], []).append(rng.choices(VERDICTS, weights)[0])
            for org, verdicts in sorted(by_org.items()):
                meeting.record_tally(organisation=org, counts=tuple(verdicts.count(v) for v in VERDICTS),
                                     actor=self.lead, occurred_on=day)
                n += 1
        else:
            for p in people:
                verdict = rng.choices(VERDICTS, weights)[0]
                meeting.cast_vote(person_id=p, verdict=verdict,
                                  catalogue_items=rng.sample(ITEMS, 2) if verdict != "adhered" else [],
                                  framework_version=self.version,
                                  comment=rng.choice(COMMENTS) if verdict != "adhered" and rng.random() < 0.3 else None,
                                  actor=self.lead, occurred_on=day)
                n += 1
            if rng.random() < 0.03:
                p = people[1]
                verdict = "partly_adhered" if meeting.votes[p]["verdict"] != "partly_adhered" else "adhered"
                meeting.correct_vote(person_id=p, verdict=verdict, catalogue_items=["B-2"], framework_version=self.version,
                                     comment=None, reason="Corrected from the signed minutes.", actor=self.lead,
                                     occurred_on=day)
                n += 1
        meeting.close_voting(self.lead, day)
        self.w.add("meeting", meeting, n)

    def sign_in(self, day: date) -> None:
        user = self.rng.choice(self.cast.users)
        user.record_sign_in(self.rng.random() > 0.05, day)
        self.w.add("sign-in", user, 1)

    def directory(self, day: date) -> None:
        org = self.rng.choice(MEMBERS)
        pid = self.rng.choice(self.cast.people[org][12:])
        person = self.persons.get(pid) or self.persons.setdefault(pid, self.ledger._person(pid))
        person.move(org, self.rng.choice(["Manager", "Senior Manager", "Director"]), False, SYSTEM, day)
        self.w.add("directory", person, 1)

    def objective(self, day: date) -> None:
        org = self.rng.choice(MEMBERS)
        pid = self.rng.choice(self.cast.people[org])
        objective = Objective.set(id=uuid4(), person_id=pid, organisation=org,
                                  text="Raise disagreements at the Programme Board first, not outside it.",
                                  citations=["B-7", "SL-1"], framework_version=self.version, period_start=day,
                                  period_end=day + timedelta(days=364), set_by_person_id=self.cast.ceo[org],
                                  actor=self.lead, occurred_on=day)
        n = 1
        if self.later(day, 120) < self.end:
            objective.note_progress("Raised the theatre question at the Board first.", self.lead, self.later(day, 120))
            n += 1
        if day + timedelta(days=364) <= self.end:
            outcome = self.rng.choice(["met", "partly_met", "not_met"])
            objective.assess(outcome, "Assessed at the annual review.", self.lead, day + timedelta(days=364))
            n += 1
        self.w.add("objective", objective, n)

    def concern(self, day: date) -> None:
        rng = self.rng
        raiser_org, subject_org = rng.sample(MEMBERS, 2)
        raiser = rng.choice(self.cast.people[raiser_org][:8])
        subject = rng.choice(self.cast.people[subject_org])
        actor = self.cast.actors[f"staff{self.cast.people[raiser_org].index(raiser)}.{raiser_org.lower()}"]
        number = self.numbers.issue(actor, day)
        kinds = {code: OrganisationKind(kind) for code, _, kind in PARTNERS}
        concern = Concern.raise_concern(
            number=number, raiser=self.ledger._person(raiser).name, raiser_organisation=(raiser_org, kinds[raiser_org]),
            subject=self.ledger._person(subject).name, subject_organisation=(subject_org, kinds[subject_org]),
            subject_office=None, stp="STP", citations=(self.version, rng.sample(ITEMS, 2)),
            narrative="Criticised our team in emails copied to the whole system group.",
            examples="Three emails in a fortnight, none raised face to face first.", confidential=rng.random() < 0.1,
            holders=self.holders, actor=actor, occurred_on=day)
        n, roll = 2, rng.random()
        ceo = self.cast.actors[f"ceo.{raiser_org.lower()}"]
        if roll < 0.85:
            outcome = "resolved" if roll < 0.5 else "difference_of_view"
            concern.record_chief_executives_discussion(ceo, self.holders, outcome, "Met face to face and agreed.",
                                                       self.later(day, 8))
            n += 1
            if outcome != "resolved" and roll < 0.8:
                decision = "resolved" if roll < 0.7 else "escalated"
                concern.record_accountable_officer_decision(self.cast.actors["ao"], self.holders, decision,
                                                            "Met both Chief Executives.", self.later(day, 20))
                n += 1
                if decision == "escalated":
                    concern.record_independent_chair_resolution(self.cast.actors["ichair"], self.holders,
                                                                "Met both Chairs: a joint statement.",
                                                                self.later(day, 40))
                    n += 1
        self.w.add("concern", self.numbers, 0)
        self.w.add("concern", concern, n)

    def feedback(self, day: date) -> None:
        rng = self.rng
        example = make_example(day - timedelta(days=5), "Spoke up in the system meeting", given_on=day)
        item = Feedback.give(
            id=uuid4(), about=OrganisationRef(rng.choice(MEMBERS), OrganisationKind.ACUTE_TRUST),
            giver=OrganisationRef("CQC", OrganisationKind.REGULATOR), recipient_person_id=None,
            tenor=rng.choice(["positive", "mixed", "concerning"]), summary="Open in meetings, quieter on the wards",
            examples=[example], citations=(self.version, ["V-2"]), actor=self.cast.actors["cqc"], occurred_on=day,
        )
        n = 1
        if rng.random() < 0.8:
            item.respond("acknowledged", "Thank you: shared with the Programme Board.", None, self.cast.actors["ichair"],
                         self.later(day, 7))
            n += 1
        self.w.add("feedback", item, n)

    def survey(self, quarter: Quarter, day: date) -> None:
        code = f"STAFF-{quarter.key}"
        if self.ledger._exists(survey_id(code)):
            return
        self.ledger.open_survey(self.lead, code=code, kind="all_staff", title=f"All-staff pulse survey, {quarter.label}",
                                period=quarter.key, occurred_on=day)
        survey = self.ledger.repository.get(survey_id(code))
        n = 0
        for org in MEMBERS:
            for question in ALL_STAFF_QUESTIONS:
                counts = {answer: self.rng.randint(20, 200) for answer in AGREEMENT}
                survey.record_results(organisation=org, question=question.key, counts=counts, source="csv",
                                      actor=self.lead, occurred_on=day)
                n += 1
        self.w.add("survey", survey, n + 1)

    def review(self, quarter: Quarter, day: date) -> None:
        held = min(day + timedelta(days=20), self.end)
        if Quarter.of(held) != quarter or quarter.key in self.reviews:
            return
        review = Review.hold(f"The Programme Board's review of {quarter.label}.", self.lead, held)
        self.reviews[quarter.key] = review
        org = self.rng.choice(MEMBERS)
        review.record_decision("Share capital plans with every partner on the same day.",
                               {"learning": "Two complaints of late sharing."},
                               [NewAction("Circulate the capital plan", self.cast.ceo[org], org, held + timedelta(days=60))],
                               self.lead, held)
        n = 2
        if held + timedelta(days=50) <= self.end:
            review.complete_action(1, "Circulated to all partners.", self.lead, held + timedelta(days=50))
            n += 1
        self.w.add("review", review, n)


def generate(ledger: Ledger, total: int, *, years: int = 10, end: date | None = None, seed: int = 8,
             batch: int = 2000, report: Callable[[int], None] | None = None) -> Counts:
    """Write about `total` events into an empty ledger; returns how many of each kind."""
    if ledger.max_position() > 0:
        raise SystemExit(f"the ledger already holds {ledger.max_position():,} events: generate into an empty one")
    end = end or date.today() - timedelta(days=1)
    start = end - timedelta(days=round(365.25 * years))
    counts = Counts()
    cast = setup(ledger, start, random.Random(seed), counts)
    writer = Writer(ledger, counts, batch, report or (lambda n: None))
    gen = Generator(ledger, cast, writer, start, end, seed)
    if ledger._exists(CONCERN_NUMBERS_ID):  # pragma: no cover - an empty ledger has none
        raise SystemExit("concern numbers already started")
    gen.run(total)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="", help="an empty ledger; default: a temporary SQLite file")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--batch", type=int, default=2000, help="events per save")
    parser.add_argument("--no-seal", action="store_true", help="leave the log unsealed")
    parser.add_argument("--signing-key-file", default="", help="default: the ledger's usual place")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{os.path.join(tempfile.mkdtemp(prefix='pvb-bench-'), 'ledger.sqlite')}"
    ledger = Ledger(Database.parse(url))
    ledger.use_signing_key(args.signing_key_file or None)
    started = time.perf_counter()
    step = max(args.events // 20, 1)
    marks = {"next": step}

    def report(n: int) -> None:
        if n >= marks["next"]:
            marks["next"] += step
            elapsed = time.perf_counter() - started
            print(f"{n:>10,} events  {elapsed:7.1f} s  {n / elapsed:8,.0f} events/s", flush=True)

    counts = generate(ledger, args.events, years=args.years, seed=args.seed, batch=args.batch, report=report)
    elapsed = time.perf_counter() - started
    print(f"wrote {ledger.max_position():,} events in {elapsed:.1f} s ({ledger.max_position() / elapsed:,.0f} events/s)")
    for kind, n in sorted(counts.by_kind.items(), key=lambda kv: -kv[1]):
        print(f"  {kind:<30} {n:>10,}  {n / max(counts.total, 1):6.1%}")
    if not args.no_seal:
        sealed_at = time.perf_counter()
        ledger.seal_pending()
        print(f"sealed in {time.perf_counter() - sealed_at:.1f} s (key {ledger.signing_key_file})")
    print(f"ledger: {url}")
    ledger.close()


if __name__ == "__main__":
    main()
