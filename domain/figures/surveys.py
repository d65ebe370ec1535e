"""Staff survey figures: the quarterly panel surveys and the all-staff PVB questions.

Answers are counted as the adherence view counts them (projections/adherence.py): each imported
response adds one answer per question it answers, favourable as its survey's mapping said when it
was imported; all-staff results replace that organisation's counts for the question; respondents
are, per survey and organisation, the most answers any one question had.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .context import Context, Section, section, table
from .days import quarter_label, quarters_before, share
from .records import event_name

PANEL, ALL_STAFF = "panel", "all_staff"
KIND_LABELS = {PANEL: "Panel survey", ALL_STAFF: "All-staff survey"}


def _favourable(questions: Any) -> dict[str, set[str]]:
    return {q["key"]: set(q.get("favourable") or []) for q in questions or [] if isinstance(q, dict) and "key" in q}


def survey_fold(ctx: Context) -> dict[str, Any]:
    """Every survey (code, kind, quarter) and its answers: (survey, organisation, question, answer) -> [n, favourable]."""
    surveys: dict[str, dict[str, Any]] = {}
    answers: dict[tuple[str, str, str, str], list[int]] = {}
    respondents: dict[tuple[str, str, str], int] = defaultdict(int)
    for r in ctx.records("Survey"):
        sid, name, state = r["originator_id"], event_name(r["topic"]), r["state"]
        if name == "Opened":
            surveys.setdefault(sid, {"code": state.get("code"), "kind": state.get("kind"),
                                     "quarter": state.get("period") or "", "favourable": _favourable(state.get("questions"))})
            continue
        survey = surveys.get(sid)
        if survey is None:
            continue
        if name == "MappingSaved":
            survey["favourable"] = _favourable((state.get("mapping") or {}).get("questions"))
        elif name == "ResponsesImported":
            for response in state.get("responses") or []:
                org = response.get("organisation") or ""
                for question, answer in (response.get("answers") or {}).items():
                    cell = answers.setdefault((sid, org, question, answer),
                                              [0, int(answer in survey["favourable"].get(question, ()))])
                    cell[0] += 1
                    respondents[(sid, org, question)] += 1
        elif name in ("AllStaffResultsRecorded", "AllStaffResultsCorrected"):
            org, question = state.get("organisation") or "", state.get("question")
            for key in [k for k in answers if k[:3] == (sid, org, question)]:
                del answers[key]
            for answer, n in (state.get("counts") or {}).items():
                if n:
                    answers[(sid, org, question, answer)] = [int(n), int(answer in survey["favourable"].get(question, ()))]
            respondents[(sid, org, question)] = sum(int(n) for n in (state.get("counts") or {}).values())
    most: dict[tuple[str, str], int] = defaultdict(int)
    for (sid, org, _), n in respondents.items():
        most[(sid, org)] = max(most[(sid, org)], n)
    return {"surveys": surveys, "answers": answers, "respondents": dict(most)}


def organisation_cells(ctx: Context) -> dict[tuple[str, str], dict[str, int]]:
    """(organisation, quarter) -> panel_/staff_ favourable, answers and respondents (organisation given only)."""
    fold = ctx.kept("surveys", survey_fold)
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for (sid, org, _, _), (n, favourable) in fold["answers"].items():
        survey = fold["surveys"][sid]
        if org:
            prefix = "panel" if survey["kind"] == PANEL else "staff"
            cell = cells[(org, survey["quarter"])]
            cell[f"{prefix}_answers"] += n
            cell[f"{prefix}_favourable"] += n * favourable
    for (sid, org), n in fold["respondents"].items():
        survey = fold["surveys"][sid]
        if org:
            prefix = "panel" if survey["kind"] == PANEL else "staff"
            cells[(org, survey["quarter"])][f"{prefix}_respondents"] += n
    return cells


def _totals(ctx: Context) -> dict[str, dict[str, int]]:
    """Per survey: answers, favourable answers and respondents across every organisation."""
    fold = ctx.kept("surveys", survey_fold)
    totals: dict[str, dict[str, int]] = {sid: {"answers": 0, "favourable": 0, "respondents": 0} for sid in fold["surveys"]}
    for (sid, _, _, _), (n, favourable) in fold["answers"].items():
        totals[sid]["answers"] += n
        totals[sid]["favourable"] += n * favourable
    for (sid, _), n in fold["respondents"].items():
        totals[sid]["respondents"] += n
    return totals


def survey_section(ctx: Context) -> Section:
    """The panel and all-staff results of the period's quarters, by survey and organisation, and their trend."""
    fold, totals = ctx.kept("surveys", survey_fold), _totals(ctx)
    ours = sorted((s["quarter"], s["code"], sid) for sid, s in fold["surveys"].items() if s["quarter"] in ctx.quarters)
    by_kind: dict[str, dict[str, int]] = {k: defaultdict(int) for k in (PANEL, ALL_STAFF)}
    rows = []
    for quarter, code, sid in ours:
        kind, t = fold["surveys"][sid]["kind"], totals[sid]
        for name in ("answers", "favourable", "respondents"):
            by_kind[kind][name] += t[name]
        by_kind[kind]["surveys"] += 1
        rows.append([code, quarter_label(quarter), KIND_LABELS.get(kind, kind), t["respondents"], t["answers"],
                     share(t["favourable"], t["answers"])])
    cells = organisation_cells(ctx)
    org_rows = [
        [org, quarter_label(q), c["panel_respondents"], share(c["panel_favourable"], c["panel_answers"]),
         c["staff_respondents"], share(c["staff_favourable"], c["staff_answers"])]
        for (org, q), c in sorted(cells.items()) if q in ctx.quarters
    ]
    figures: dict[str, Any] = {}
    for kind, label in ((PANEL, "Panel"), (ALL_STAFF, "All-staff")):
        k = by_kind[kind]
        figures[f"{label} surveys"] = k["surveys"]
        figures[f"{label} respondents"] = k["respondents"]
        figures[f"{label} favourable answers (%)"] = share(k["favourable"], k["answers"])
    return section(
        "surveys", "Staff survey results",
        note="Favourable answers as each survey's mapping defines them; respondents per survey and "
             "organisation are the most answers any one question had. The trend shows the four quarters "
             "before the period as well.",
        figures=figures,
        tables=[table("Surveys in the period", ["Survey", "Quarter", "Kind", "Respondents", "Answers",
                                                "Favourable (%)"], rows),
                table("By organisation", ["Organisation", "Quarter", "Panel respondents", "Panel favourable (%)",
                                          "All-staff respondents", "All-staff favourable (%)"], org_rows, 2)],
        charts=[_trend(ctx, fold, totals)],
    )


def _trend(ctx: Context, fold: dict[str, Any], totals: dict[str, dict[str, int]]) -> dict[str, Any]:
    quarters = quarters_before(ctx.quarters[0], 4) + ctx.quarters
    sums: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for sid, s in fold["surveys"].items():
        sums[(s["kind"], s["quarter"])][0] += totals[sid]["favourable"]
        sums[(s["kind"], s["quarter"])][1] += totals[sid]["answers"]
    return {
        "type": "lines", "title": "Favourable answers by quarter (%)", "columns": [quarter_label(q) for q in quarters],
        "series": [[label, [share(*sums[(kind, q)]) for q in quarters]]
                   for kind, label in ((PANEL, "Panel survey"), (ALL_STAFF, "All-staff questions"))],
    }
