"""Adherence by organisation: the closing votes and the surveys of each quarter, rated by the published rule.

Votes are counted as the adherence view counts them (projections/adherence.py): each attendee's
named vote as last corrected and each organisation's anonymous tally as last recorded, in the
quarter of the meeting; survey answers come from surveys.py.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Context, Section, section, table
from .days import quarter_label, quarter_of, share
from .rating import RULE, RULE_VERSION, Rating, overall, rate_survey, rate_votes
from .records import event_name
from .surveys import organisation_cells

VERDICTS = ("adhered", "partly_adhered", "not_adhered")


def vote_cells(ctx: Context) -> dict[tuple[str, str], list[int]]:
    """(organisation, quarter) -> [adhered, partly adhered, not adhered], named votes and tallies together."""
    quarters: dict[str, str] = {}
    votes: dict[tuple[str, str], list[Any]] = {}
    tallies: dict[tuple[str, str], tuple[str, list[int]]] = {}
    for r in ctx.records("Meeting"):
        mid, name, state = r["originator_id"], event_name(r["topic"]), r["state"]
        if name == "Recorded":
            quarters.setdefault(mid, quarter_of(state["occurred_on"]))
        elif name == "VoteCast":
            quarter = quarters.get(mid) or quarter_of(state["occurred_on"])
            votes.setdefault((mid, str(state.get("person_id"))), [state.get("organisation") or "", quarter, state.get("verdict")])
        elif name == "VoteCorrected" and (mid, str(state.get("person_id"))) in votes:
            votes[(mid, str(state.get("person_id")))][2] = state.get("verdict")
        elif name in ("TallyRecorded", "TallyCorrected"):
            quarter = quarters.get(mid) or quarter_of(state["occurred_on"])
            tallies[(mid, state.get("organisation") or "")] = (quarter, [int(state.get(v) or 0) for v in VERDICTS])
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])
    for org, quarter, verdict in votes.values():
        if verdict in VERDICTS:
            cells[(org, quarter)][VERDICTS.index(verdict)] += 1
    for (_, org), (quarter, counts) in tallies.items():
        for i, n in enumerate(counts):
            cells[(org, quarter)][i] += n
    return cells


def _word(rating: Rating) -> str:
    return rating.colour or "not rated"


def adherence_section(ctx: Context) -> Section:
    """Each organisation's quarters in the period: votes, the surveys' ratings and the overall rating (the heat map)."""
    votes, surveys = vote_cells(ctx), organisation_cells(ctx)
    keys = sorted({k for k in votes if k[1] in ctx.quarters} | {k for k in surveys if k[1] in ctx.quarters})
    orgs = sorted({org for org, _ in keys})
    rows, cells, colours = [], [], {"green": 0, "amber": 0, "red": 0, None: 0}
    totals = [0, 0, 0]
    for org, quarter in keys:
        a, p, n = votes.get((org, quarter), [0, 0, 0])
        s = surveys.get((org, quarter), {})
        vote = rate_votes(a, p, n)
        panel = rate_survey(s.get("panel_favourable", 0), s.get("panel_answers", 0), s.get("panel_respondents", 0))
        staff = rate_survey(s.get("staff_favourable", 0), s.get("staff_answers", 0), s.get("staff_respondents", 0))
        whole = overall([vote, panel, staff])
        colours[whole.colour] += 1
        totals = [totals[0] + a, totals[1] + p, totals[2] + n]
        rows.append([org, quarter_label(quarter), a, p, n, _word(vote), _word(panel), _word(staff), _word(whole)])
        cells.append([org, quarter_label(quarter), whole.colour, whole.reason])
    votes_cast = sum(totals)
    return section(
        "adherence", "Adherence by organisation",
        note="Each organisation's closing votes at cross-organisational meetings and its staff survey results, "
             f"by quarter, rated by the published rule (version {RULE_VERSION}).",
        figures={
            "Organisations with votes or survey results": len(orgs),
            "Organisation-quarters rated green": colours["green"],
            "Organisation-quarters rated amber": colours["amber"],
            "Organisation-quarters rated red": colours["red"],
            "Organisation-quarters not rated": colours[None],
            "Closing votes": votes_cast,
            "Votes saying adhered (%)": share(totals[0], votes_cast),
            "Votes saying partly adhered (%)": share(totals[1], votes_cast),
            "Votes saying not adhered (%)": share(totals[2], votes_cast),
        },
        tables=[table("Votes and ratings by organisation and quarter",
                      ["Organisation", "Quarter", "Adhered", "Partly adhered", "Not adhered", "Votes rating",
                       "Panel rating", "All-staff rating", "Overall"], rows, 2)],
        charts=[{"type": "heatmap", "title": "Overall rating by organisation and quarter", "rows": orgs,
                 "columns": [quarter_label(q) for q in ctx.quarters], "cells": cells}],
        lists={f"The rating rule (version {RULE_VERSION})": list(RULE)},
    )
