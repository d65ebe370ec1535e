"""PVB objectives coverage: each organisation's senior leaders with an objective current on the day counted to.

Who is a senior leader, and where, is read from the directory's events dated on or before that day
(joined, moved, left; corrections of details and of a leaving apply whenever they were made); an
objective is current when its period holds the day. Last year's outcomes are as last assessed or
corrected. Concerns the Independent Chair took up about someone there (the concern's third route)
and still open on the day wait for the person's next performance review.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Context, Section, bars, section, table
from .days import period_bounds, share
from .escalations import concern_fold, state_on
from .records import event_name

NOT_PARTNERS = ("regulator", "hwb", "stp")
OUTCOMES = ("met", "partly_met", "not_met")


def organisation_fold(ctx: Context) -> dict[str, dict[str, Any]]:
    """Every organisation by id: its code, its kind (as corrected) and the day it was registered."""
    orgs: dict[str, dict[str, Any]] = {}
    for r in ctx.records("Organisation"):
        name, state = event_name(r["topic"]), r["state"]
        if name == "Registered":
            orgs.setdefault(r["originator_id"], {"code": state.get("code"), "kind": state.get("kind"),
                                                 "since": state["occurred_on"]})
        elif name == "RegistrationCorrected" and r["originator_id"] in orgs:
            orgs[r["originator_id"]]["kind"] = state.get("kind")
    return orgs


def leaders_on(ctx: Context) -> dict[str, str]:
    """Senior leaders in post on the day counted to: person id -> organisation code."""
    people: dict[str, dict[str, Any]] = {}
    for r in ctx.records("Person"):
        pid, name, state = r["originator_id"], event_name(r["topic"]), r["state"]
        dated = state["occurred_on"] <= ctx.as_of
        if name == "Joined" and dated:
            people.setdefault(pid, {"organisation": state.get("organisation"), "senior": bool(state.get("senior_leader")),
                                    "left": False})
        elif pid not in people:
            continue
        elif name == "Moved" and dated:
            people[pid].update(organisation=state.get("organisation"), senior=bool(state.get("senior_leader")))
        elif name == "DetailsCorrected":
            people[pid]["senior"] = bool(state.get("senior_leader"))
        elif name == "Left" and dated:
            people[pid]["left"] = True
        elif name == "LeavingCorrected":
            people[pid]["left"] = False
    return {pid: p["organisation"] for pid, p in people.items() if p["senior"] and not p["left"]}


def objectives_section(ctx: Context) -> Section:
    """Share of each partner organisation's (and the STP's) senior leaders with a current PVB objective."""
    orgs = {o["code"]: o for o in organisation_fold(ctx).values() if o["since"] <= ctx.as_of}
    leaders = leaders_on(ctx)
    this_year = _financial_year(ctx.as_of)
    last_year = f"{int(this_year[:4]) - 1}-{int(this_year[5:7]) - 1:02d}"
    covered: set[str] = set()
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(OUTCOMES, 0))
    objectives: dict[str, dict[str, Any]] = {}
    for r in ctx.records("Objective"):
        name, state = event_name(r["topic"]), r["state"]
        if name == "Set" and state["occurred_on"] <= ctx.as_of:
            objectives[r["originator_id"]] = {"person": state.get("person_id"), "organisation": state.get("organisation"),
                                              "start": state.get("period_start"), "end": state.get("period_end"),
                                              "outcome": None}
        elif name in ("Assessed", "AssessmentCorrected") and r["originator_id"] in objectives:
            objectives[r["originator_id"]]["outcome"] = state.get("outcome")
    for o in objectives.values():
        if o["start"] <= ctx.as_of <= o["end"]:
            covered.add(o["person"])
        if _financial_year(o["start"]) == last_year and o["outcome"] in OUTCOMES:
            outcomes[o["organisation"]][o["outcome"]] += 1
    pending: dict[str, int] = defaultdict(int)
    for c in ctx.kept("concerns", concern_fold).values():
        now = state_on(c, ctx.as_of)
        if c["route"] == "independent_chair_concern" and now is not None and now["closed_on"] is None:
            pending[c["subject_organisation"]] += 1
    rows = []
    for code in sorted(c for c, o in orgs.items() if o["kind"] not in NOT_PARTNERS or o["kind"] == "stp"):
        people = [p for p, org in leaders.items() if org == code]
        if not people:
            continue
        have = sum(1 for p in people if p in covered)
        o = outcomes[code]
        rows.append([code, len(people), have, share(have, len(people)), o["met"], o["partly_met"], o["not_met"],
                     pending[code]])
    total, have = sum(r[1] for r in rows), sum(r[2] for r in rows)
    return section(
        "objectives", "PVB objectives coverage",
        note=f"Senior leaders in post with a PVB objective current on {ctx.as_of}; outcomes are for {last_year}'s "
             "objectives as assessed at year end.",
        figures={"Senior leaders": total, "With a current PVB objective": have, "Coverage (%)": share(have, total)},
        tables=[table("By organisation", ["Organisation", "Senior leaders", "With objective", "Coverage (%)",
                                          "Met last year", "Partly met", "Not met",
                                          "Concerns for the next performance review"], rows)],
        charts=[bars("Coverage of PVB objectives by organisation", [[r[0], r[3] or 0] for r in rows], "%", 100)],
    )


def _financial_year(day: str) -> str:
    start = int(day[:4]) if int(day[5:7]) >= 4 else int(day[:4]) - 1
    key = f"{start}-{(start + 1) % 100:02d}"
    period_bounds(key)  # a key these figures can read
    return key
