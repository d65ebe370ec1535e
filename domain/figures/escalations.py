"""Escalation figures: concerns raised, how and when they were resolved, and what is overdue.

Each concern is kept as the history of its stages, dated in the world (a step's date put right by
a correction counts as corrected), so its state on any day is the last step dated on or before it:
a concern raised before the period still counts in it (resolved in it, or open and overdue at its
end), and one resolved after the day counted to is still open on that day. Working days follow
days.py with the report's bank holidays; a concern is overdue when it has been at an open stage
more working days than that stage's target (projections/escalation_queries.py: the same rule).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Context, Section, bars, section, table
from .days import median_of, working_days_between
from .records import event_name

CLOSED = ("resolved", "withdrawn")
MOVES = ("DiscussedByChiefExecutives", "DecidedByAccountableOfficer", "ResolvedByIndependentChair",
         "HandledByChair", "DiscussedWithIndividual", "ReflectedInPerformanceReview",
         "FollowUpNotApplicable", "Withdrawn", "Reopened")
# The same words as domain/concern_routes.py (a test keeps them equal).
ROUTE_LABELS = {
    "cross_organisation": "About someone in another organisation",
    "about_leader": "About a Chief Executive or the Accountable Officer",
    "independent_chair_concern": "The Independent Chair's concern about an individual",
}
LEVEL_LABELS = {
    "chief_executives": "Locally, between the Chief Executives",
    "accountable_officer": "By the Accountable Officer",
    "independent_chair": "By the Independent Chair",
    "chair": "By the organisation's Chair",
    None: "Closed through the individual's performance review",
}


def concern_fold(ctx: Context) -> dict[str, dict[str, Any]]:
    """Every concern: its reference, route, organisations and its steps [version, stage, date, level]."""
    concerns: dict[str, dict[str, Any]] = {}
    for r in ctx.records("Concern"):
        cid, name, state = r["originator_id"], event_name(r["topic"]), r["state"]
        if name == "Raised":
            concerns.setdefault(cid, {
                "reference": state.get("reference"), "route": state.get("route"),
                "raiser_organisation": state.get("raiser_organisation"),
                "subject_organisation": state.get("subject_organisation"),
                "steps": [[r["version"], state.get("stage"), state["occurred_on"], None]],
            })
            continue
        concern = concerns.get(cid)
        if concern is None:
            continue
        if name in MOVES and isinstance(state.get("stage"), str):
            concern["steps"].append([r["version"], state["stage"], state["occurred_on"], state.get("resolution_level")])
        elif name == "StepCorrected" and state.get("corrected_occurred_on"):
            for step in concern["steps"]:
                if step[0] == state.get("corrects"):
                    step[2] = state["corrected_occurred_on"]
    return concerns


def state_on(concern: dict[str, Any], day: str) -> dict[str, Any] | None:
    """A concern's state on a day: stage, since when, closed on and at what level (None before it was raised)."""
    steps = [s for s in concern["steps"] if s[2] <= day]
    if not steps or concern["steps"][0][2] > day:
        return None
    last = steps[-1]
    if last[1] in CLOSED:
        return {"stage": last[1], "since": last[2], "closed_on": last[2], "level": last[3]}
    return {"stage": last[1], "since": last[2], "closed_on": None, "level": None}


def escalation_section(ctx: Context) -> Section:
    """Concerns raised in the period, resolved at each level and how fast, withdrawn, open and overdue at its end."""
    concerns, day = ctx.kept("concerns", concern_fold), ctx.as_of
    routes: dict[str, dict[str, int]] = {k: defaultdict(int) for k in ROUTE_LABELS}
    days_by_level: dict[Any, list[int]] = defaultdict(list)
    raised = resolved = withdrawn = still_open = overdue = 0
    for c in concerns.values():
        now = state_on(c, day)
        if now is None:
            continue
        route = routes.setdefault(c["route"], defaultdict(int))
        raised_on = c["steps"][0][2]
        if ctx.in_period(raised_on):
            raised += 1
            route["raised"] += 1
        if now["stage"] == "resolved" and ctx.in_period(now["closed_on"]):
            resolved += 1
            route["resolved"] += 1
            days_by_level[now["level"]].append(working_days_between(raised_on, now["closed_on"], ctx.holidays))
        elif now["stage"] == "withdrawn" and ctx.in_period(now["closed_on"]):
            withdrawn += 1
            route["withdrawn"] += 1
        elif now["stage"] not in CLOSED:
            still_open += 1
            route["open"] += 1
            target = ctx.targets.get(now["stage"], 10)
            if working_days_between(now["since"], day, ctx.holidays) > target:
                overdue += 1
                route["overdue"] += 1
    every = [d for values in days_by_level.values() for d in values]
    levels = [k for k in LEVEL_LABELS if days_by_level.get(k)]
    return section(
        "escalations", "Escalations and how they ended",
        note=f"Counted to {day}: open and overdue concerns include those raised before the period. Working "
             "days exclude weekends and the bank holidays listed with the report; a concern is overdue after "
             "more working days at an open stage than that stage's target.",
        figures={
            "Concerns raised in the period": raised,
            "Resolved in the period": resolved,
            "Withdrawn in the period": withdrawn,
            "Open at the end": still_open,
            "Overdue at the end": overdue,
            "Median working days from raising to resolution": median_of(every),
            "Resolved locally, between the Chief Executives": len(days_by_level.get("chief_executives", [])),
        },
        tables=[
            table("Resolved in the period, by level", ["Level", "Resolved", "Median working days"],
                  [[LEVEL_LABELS[k], len(days_by_level[k]), median_of(days_by_level[k])] for k in levels]),
            table("By route", ["Route", "Raised", "Resolved", "Withdrawn", "Open at the end", "Overdue at the end"],
                  [[ROUTE_LABELS.get(k, k), v["raised"], v["resolved"], v["withdrawn"], v["open"], v["overdue"]]
                   for k, v in routes.items()]),
        ],
        charts=[bars("Concerns resolved in the period, by level",
                     [[LEVEL_LABELS[k], len(days_by_level[k])] for k in levels])],
    )
