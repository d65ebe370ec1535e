"""The Programme Board's reviews, the Independent Chair's meetings with the Chairs, commendations,
development and adoption, each for the period (dated in the world, counted to the day counted to).

Decisions and other words written at a review are quoted, never copied: the report keeps the event
and field, and the text is read whenever the report is drawn.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Context, Section, bars, section, table
from .days import quarter_label
from .records import event_name

DECISION_PARTS = (("Decisions", "decided"), ("Successes celebrated", "successes"), ("Learning", "learning"),
                  ("Good practice", "good_practice"), ("Issues resolved", "issues_resolved"))
SUPPORTED = ("supported", "supported_with_amendments")
STEPS = ("paper_not_taken", "awaiting_decision", "deferred", "declined", *SUPPORTED)


def reviews_section(ctx: Context) -> Section:
    """Reviews held in the period, their decisions, and the actions they set with their state at its end."""
    reviews: dict[str, dict[str, Any]] = {}
    actions: dict[tuple[str, int], dict[str, Any]] = {}
    quotes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    decisions = 0
    for r in ctx.records("Review"):
        rid, name, state = r["originator_id"], event_name(r["topic"]), r["state"]
        day = state["occurred_on"]
        if name == "Held":
            reviews.setdefault(rid, {"quarter": state.get("quarter"), "held_on": day, "decisions": 0})
        elif rid not in reviews:
            continue
        elif name == "DecisionRecorded" and ctx.in_period(day):
            reviews[rid]["decisions"] += 1
            decisions += 1
            for heading, part in DECISION_PARTS:
                if state.get(part):
                    quotes[heading].append({"label": quarter_label(reviews[rid]["quarter"]), "position": r["position"],
                                            "field": part})
            for a in state.get("actions") or []:
                actions[(rid, int(a["number"]))] = {"due_on": a.get("due_on"), "status": "open"}
        elif name in ("ActionCompleted", "ActionCarriedForward", "ActionDropped") and day <= ctx.as_of:
            action = actions.get((rid, int(state.get("action") or 0)))
            if action is not None:
                action["status"] = {"ActionCompleted": "done", "ActionDropped": "dropped"}.get(name, "carried_forward")
                if name == "ActionCarriedForward":
                    action["due_on"] = state.get("due_on")
    held = sorted((v for v in reviews.values() if ctx.in_period(v["held_on"])), key=lambda v: v["quarter"])
    counts = {s: sum(1 for a in actions.values() if a["status"] == s) for s in ("done", "carried_forward", "open", "dropped")}
    overdue = sum(1 for a in actions.values()
                  if a["status"] in ("open", "carried_forward") and a["due_on"] and a["due_on"] < ctx.as_of)
    return section(
        "reviews", "Programme Board reviews and actions",
        note=f"Actions set at the period's reviews, in their state on {ctx.as_of}; overdue when still open after their due date.",
        figures={"Reviews held": len(held), "Decisions": decisions, "Actions set": len(actions),
                 "Done": counts["done"], "Carried forward": counts["carried_forward"], "Dropped": counts["dropped"],
                 "Open": counts["open"], "Overdue": overdue},
        tables=[table("Reviews held", ["Quarter", "Held on", "Decisions"],
                      [[quarter_label(v["quarter"]), v["held_on"], v["decisions"]] for v in held])],
        charts=[bars("Actions set in the period, by state", [["Done", counts["done"]],
                     ["Carried forward", counts["carried_forward"]], ["Open", counts["open"]],
                     ["Dropped", counts["dropped"]], ["Overdue", overdue]])],
        quotes=[{"heading": h, "items": quotes[h]} for h, _ in DECISION_PARTS if quotes[h]],
    )


def chairs_meetings_section(ctx: Context) -> Section:
    """The Independent Chair's meetings with the Chairs held in the period."""
    meetings = []
    for r in ctx.records("ChairsMeeting"):
        state = r["state"]
        if event_name(r["topic"]) == "Held" and ctx.in_period(state["occurred_on"]):
            meetings.append([quarter_label(state.get("quarter") or ""), state["occurred_on"],
                             len(state.get("attendees") or []), len(state.get("actions") or [])])
    partners = {r["state"].get("code") for r in ctx.records("Organisation")
                if event_name(r["topic"]) == "Registered" and r["state"]["occurred_on"] <= ctx.as_of
                and r["state"].get("kind") not in ("regulator", "hwb", "stp")}
    return section(
        "chairs_meetings", "The Independent Chair's meetings with the Chairs",
        figures={"Meetings held": len(meetings), "Partner organisations": len(partners)},
        tables=[table("Meetings", ["Quarter", "Held on", "Chairs attending", "Actions agreed"], sorted(meetings))],
    )


def commendations_section(ctx: Context) -> Section:
    """Nominations made in the period and what became of them by its end."""
    status: dict[str, str] = {}
    for r in ctx.records("Commendation"):
        name, state = event_name(r["topic"]), r["state"]
        if name == "Nominated" and ctx.in_period(state["occurred_on"]):
            status[r["originator_id"]] = "pending"
        elif r["originator_id"] in status and state["occurred_on"] <= ctx.as_of:
            if name == "Decided":
                status[r["originator_id"]] = state.get("decision") or "pending"
            elif name == "Withdrawn":
                status[r["originator_id"]] = "withdrawn"
    count = {s: sum(1 for v in status.values() if v == s) for s in ("commended", "not_commended", "pending", "withdrawn")}
    return section(
        "commendations", "Commendations",
        figures={"Nominations": len(status), "Commended": count["commended"], "Not commended": count["not_commended"],
                 "Pending": count["pending"], "Withdrawn": count["withdrawn"]},
    )


def development_section(ctx: Context) -> Section:
    """Learning sessions held in the period and who came; pledges made and revisited in it."""
    sessions: dict[str, set[str]] = {}
    made = revisited = 0
    last_revisit: dict[str, str] = {}
    for r in ctx.records("LearningSession", "Pledge"):
        name, state = r["topic"].split(":", 1)[-1], r["state"]
        if name == "LearningSession.Held" and ctx.in_period(state["occurred_on"]):
            sessions[r["originator_id"]] = set()
        elif name == "LearningSession.AttendanceRecorded" and r["originator_id"] in sessions:
            sessions[r["originator_id"]].update(state.get("attendees") or [])
        elif name == "Pledge.Made" and ctx.in_period(state["occurred_on"]):
            made += 1
        elif name == "Pledge.Revisited" and state["occurred_on"] <= ctx.as_of:
            last_revisit[r["originator_id"]] = state["occurred_on"]
    revisited = sum(1 for day in last_revisit.values() if ctx.in_period(day))
    return section(
        "development", "Organisational development",
        figures={"Learning sessions": len(sessions), "Attendances": sum(len(s) for s in sessions.values()),
                 "Pledges made": made, "Pledges revisited": revisited},
    )


def adoption_section(ctx: Context) -> Section:
    """Where adoption of the framework stood at the period's end, across organisations and committees."""
    orgs = {r["state"].get("code"): r["state"].get("kind") for r in ctx.records("Organisation")
            if event_name(r["topic"]) == "Registered" and r["state"]["occurred_on"] <= ctx.as_of}
    steps = {code: "paper_not_taken" for code, kind in orgs.items() if kind != "stp"}
    by_id: dict[str, str] = {}
    committees: dict[str, list[bool]] = {}
    for r in ctx.records("Adoption", "MeetingBody"):
        name, state, dated = r["topic"].split(":", 1)[-1], r["state"], r["state"]["occurred_on"] <= ctx.as_of
        if name == "Adoption.PaperTaken" and dated and state.get("organisation") in steps:
            by_id[r["originator_id"]] = state["organisation"]
            steps[state["organisation"]] = "awaiting_decision"
        elif name == "Adoption.DecisionRecorded" and dated and r["originator_id"] in by_id:
            steps[by_id[r["originator_id"]]] = state.get("decision") or "awaiting_decision"
        elif name == "Adoption.DecisionCorrected" and r["originator_id"] in by_id:
            if steps[by_id[r["originator_id"]]] != "awaiting_decision":
                steps[by_id[r["originator_id"]]] = state.get("decision") or "awaiting_decision"
        elif name == "MeetingBody.Established" and state.get("kind") != "programme_board":
            committees[r["originator_id"]] = [False, False]
        elif name == "MeetingBody.Notified" and dated and r["originator_id"] in committees:
            committees[r["originator_id"]][0] = True
        elif name == "MeetingBody.TermsOfReferenceUpdated" and dated and r["originator_id"] in committees:
            committees[r["originator_id"]][1] = True
    by_step = {s: sum(1 for v in steps.values() if v == s) for s in STEPS}
    return section(
        "adoption", "Adoption of the framework",
        figures={"Organisations and bodies": len(steps), "Supported": sum(by_step[s] for s in SUPPORTED),
                 "Committees and sub-committees": len(committees),
                 "Committees sent the paper": sum(1 for c in committees.values() if c[0]),
                 "Committees with updated terms": sum(1 for c in committees.values() if c[1])},
        tables=[table("Organisations and bodies by step", ["Step", "Organisations and bodies"],
                      [[s.replace("_", " ").capitalize(), n] for s, n in by_step.items()])],
        charts=[bars("Organisations and bodies by step of adoption",
                     [[s.replace("_", " ").capitalize(), n] for s, n in by_step.items()])],
    )
