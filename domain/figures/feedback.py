"""Regulator and Health and Wellbeing Board feedback: count and tenor by organisation, and the
Independent Chair's responses.

Figures are counts; an example or a response is never copied into a report: the report holds a
reference to the event and field it is in (a quote), and the text is read, decrypted, whenever the
report is drawn, so an erasure reaches it. No quote names the person an example is about.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Context, Section, bars, section, table
from .records import event_name

TENORS = ("positive", "mixed", "concerning")
ACTION_LABELS = {
    "acknowledged": "Acknowledged", "raised_with_chair": "Raised with the organisation's Chair",
    "action_agreed": "Action agreed", "referred_to_programme_board": "Referred to the Programme Board",
    "disputed": "Disputed",
}


def feedback_fold(ctx: Context) -> dict[str, dict[str, Any]]:
    """Every item of feedback: about whom, from whom, when, its tenor as corrected, its examples and responses."""
    items: dict[str, dict[str, Any]] = {}
    for r in ctx.records("Feedback"):
        fid, name, state = r["originator_id"], event_name(r["topic"]), r["state"]
        if name in ("Given", "ImplementationCommented"):
            items.setdefault(fid, {
                "organisation": state.get("organisation") or "", "from": state.get("from_organisation") or "",
                "given_on": state["occurred_on"], "tenor": state.get("tenor"),
                "examples": _examples(r), "responses": [],
            })
            continue
        item = items.get(fid)
        if item is None:
            continue
        if name == "Corrected":
            item["tenor"] = state.get("tenor") or item["tenor"]
            if isinstance(state.get("examples"), list):
                item["examples"] = _examples(r)
        elif name == "Responded":
            item["responses"].append([r["position"], state["occurred_on"], state.get("action")])
    return items


def _examples(record: dict[str, Any]) -> list[list[Any]]:
    return [[record["position"], i, x.get("occurred_on")]
            for i, x in enumerate(record["state"].get("examples") or []) if isinstance(x, dict)]


def feedback_section(ctx: Context) -> Section:
    """Feedback given in the period: by tenor and organisation, who gave it, and the Chair's responses."""
    items = [i for i in ctx.kept("feedback", feedback_fold).values() if ctx.in_period(i["given_on"])]
    items.sort(key=lambda i: (i["given_on"], i["organisation"], i["from"]))
    by_org: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    by_giver: dict[str, int] = defaultdict(int)
    tenors: dict[str, int] = defaultdict(int)
    responses = 0
    examples, answers = [], []
    for i in items:
        row = by_org[i["organisation"]]
        row["items"] += 1
        row[i["tenor"]] += 1
        tenors[i["tenor"]] += 1
        by_giver[i["from"]] += 1
        answered = [x for x in i["responses"] if x[1] <= ctx.as_of]
        if answered:
            row["responded"] += 1
        responses += len(answered)
        for position, index, day in i["examples"]:
            examples.append({"label": f"{i['organisation']}, {day} (from {i['from']}, {i['tenor']})",
                             "position": position, "field": f"examples.{index}.description"})
        for position, day, action in answered:
            answers.append({"label": f"{i['organisation']} (from {i['from']}, given {i['given_on']}): "
                                     f"{ACTION_LABELS.get(action, action)} on {day}",
                            "position": position, "field": "response"})
    responded = sum(r["responded"] for r in by_org.values())
    return section(
        "regulator_feedback", "Regulator and HWB feedback",
        note="Feedback given to the Independent Chair in the period, by its giver's tenor (as corrected). "
             "Examples and responses are quoted from the ledger when the report is read; none names a person.",
        figures={
            "Feedback received": len(items), "Positive": tenors["positive"], "Mixed": tenors["mixed"],
            "Concerning": tenors["concerning"], "Responded to by the Independent Chair": responded,
            "Awaiting a response": len(items) - responded, "Responses recorded": responses,
        },
        tables=[
            table("By organisation", ["Organisation", "Items", "Positive", "Mixed", "Concerning", "Responded to"],
                  [[org, r["items"], r["positive"], r["mixed"], r["concerning"], r["responded"]]
                   for org, r in sorted(by_org.items())]),
            table("By giver", ["Given by", "Items"], [[g, n] for g, n in sorted(by_giver.items())]),
        ],
        charts=[bars("Feedback received in the period, by tenor", [[t.capitalize(), tenors[t]] for t in TENORS])],
        quotes=[q for q in ({"heading": "Examples cited", "items": examples},
                            {"heading": "The Independent Chair's responses", "items": answers}) if q["items"]],
    )
