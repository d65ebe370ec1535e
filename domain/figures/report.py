"""A report's figures drawn from records, and a frozen report checked against them figure by figure.

A drawn report is plain JSON:

    {"format", "kind", "period", "period_start", "period_end", "as_of", "position",
     "bank_holidays": [ISO dates], "escalation_target_days": {stage: days},
     "sections": [{"key", "title", "note", "figures": {label: value},
                   "tables": [{"title", "columns", "rows", "key_columns"}],
                   "charts": [{"type": "bars" | "heatmap" | "lines", "title", ...}],
                   "lists": {heading: [text]},
                   "quotes": [{"heading", "items": [{"label", "position", "field"}]}]}]}

Every value in it follows from the records up to ``position`` and the inputs it names (the day
counted to, the bank holidays, the targets), so anyone holding those records recomputes it with
``draw`` and compares with ``compare``. A section that could not be drawn carries ``error``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from .adherence import adherence_section
from .context import Context, Section
from .days import period_bounds
from .escalations import escalation_section
from .feedback import feedback_section
from .governance import (
    adoption_section,
    chairs_meetings_section,
    commendations_section,
    development_section,
    reviews_section,
)
from .objectives import objectives_section
from .records import Record
from .surveys import survey_section

FORMAT = "pvb-report-figures/2"
SIX_MONTHLY, QUARTERLY = "six_monthly", "quarterly"
SECTIONS: dict[str, tuple[str, Callable[[Context], Section]]] = {
    "adherence": ("Adherence by organisation", adherence_section),
    "escalations": ("Escalations and how they ended", escalation_section),
    "objectives": ("PVB objectives coverage", objectives_section),
    "surveys": ("Staff survey results", survey_section),
    "regulator_feedback": ("Regulator and HWB feedback", feedback_section),
    "reviews": ("Programme Board reviews and actions", reviews_section),
    "chairs_meetings": ("The Independent Chair's meetings with the Chairs", chairs_meetings_section),
    "commendations": ("Commendations", commendations_section),
    "development": ("Organisational development", development_section),
    "adoption": ("Adoption of the framework", adoption_section),
}
ORDER = {
    SIX_MONTHLY: ("adherence", "escalations", "objectives", "surveys", "regulator_feedback", "reviews",
                  "chairs_meetings", "commendations", "development", "adoption"),
    QUARTERLY: ("surveys", "adherence", "escalations", "reviews", "objectives", "chairs_meetings",
                "commendations", "development", "regulator_feedback", "adoption"),
}
HEADLINES = {  # the figures a reader looks for first in each section
    "adherence": "Closing votes", "escalations": "Concerns raised in the period", "objectives": "Coverage (%)",
    "surveys": "Panel respondents", "regulator_feedback": "Feedback received", "reviews": "Reviews held",
    "chairs_meetings": "Meetings held", "commendations": "Nominations", "development": "Learning sessions",
    "adoption": "Supported",
}


def draw(kind: str, period: str, records: Iterable[Record], *, position: int, as_of: str,
         bank_holidays: Iterable[str], escalation_target_days: dict[str, int]) -> dict[str, Any]:
    """Every section of a report of a kind for a period, from the records up to position."""
    start, end = period_bounds(period)
    as_of = min(as_of, end)
    ctx = Context((r for r in records if r["position"] <= position), start, end, as_of,
                  bank_holidays, escalation_target_days)
    sections = []
    for key in ORDER[kind]:
        title, make = SECTIONS[key]
        try:
            sections.append(make(ctx))
        except Exception as e:  # a record these figures cannot read: the section says so, publishing refuses
            sections.append({"key": key, "title": title, "error": f"{type(e).__name__}: {e}"})
    return {
        "format": FORMAT, "kind": kind, "period": period, "period_start": start, "period_end": end,
        "as_of": as_of, "position": position, "bank_holidays": sorted(set(bank_holidays)),
        "escalation_target_days": dict(sorted(escalation_target_days.items())), "sections": sections,
    }


def undrawn(figures: dict[str, Any]) -> list[str]:
    """The titles of the sections that could not be drawn (or are missing) in a drawn report."""
    found = {s.get("key"): s for s in figures.get("sections", [])}
    missing = [SECTIONS[k][0] for k in ORDER.get(figures.get("kind", SIX_MONTHLY), ()) if k not in found]
    broken = [s.get("title", s.get("key", "?")) for s in found.values()
              if s.get("error") or s.get("available") is False or figures.get("format") != FORMAT]
    return missing + broken


def named_figures(figures: dict[str, Any]) -> list[tuple[str, Any]]:
    """Every value of a drawn report, each with a name a reader can find on the page."""
    named: list[tuple[str, Any]] = [
        ("Report: period", figures.get("period")), ("Report: counted to", figures.get("as_of")),
        ("Report: drawn at log position", figures.get("position")),
    ]
    for s in figures.get("sections", []):
        named.extend(_section_figures(s))
    seen: dict[str, int] = {}
    unique = []
    for name, value in named:
        seen[name] = seen.get(name, 0) + 1
        unique.append((name if seen[name] == 1 else f"{name} (#{seen[name]})", value))
    return unique


def _section_figures(s: dict[str, Any]) -> list[tuple[str, Any]]:
    p = s.get("title", s.get("key", "?"))
    out: list[tuple[str, Any]] = [(f"{p}: could not be drawn", s["error"])] if s.get("error") else []
    out += [(f"{p}: {label}", value) for label, value in (s.get("figures") or {}).items()]
    for t in s.get("tables") or []:
        k = int(t.get("key_columns", 1))
        out.append((f"{p}: {t['title']}: rows", len(t["rows"])))
        for row in t["rows"]:
            name = ", ".join(str(v) for v in row[:k])
            out += [(f"{p}: {t['title']}: {name}: {c}", v) for c, v in zip(t["columns"][k:], row[k:], strict=False)]
    for c in s.get("charts") or []:
        if c.get("type") == "heatmap":
            out += [(f"{p}: {c['title']}: {org}, {q}", colour or "not rated") for org, q, colour, _ in c["cells"]]
        elif c.get("type") == "lines":
            for label, values in c["series"]:
                out += [(f"{p}: {c['title']}: {label}, {col}", v) for col, v in zip(c["columns"], values, strict=False)]
        else:
            out += [(f"{p}: {c['title']}: {label}", v) for label, v in c.get("items", [])]
    for q in s.get("quotes") or []:
        out += [(f"{p}: {q['heading']}: {i['label']}", f"event {i['position']}, {i['field']}") for i in q["items"]]
    for heading, items in (s.get("lists") or {}).items():
        out += [(f"{p}: {heading} ({n})", text) for n, text in enumerate(items, start=1)]
    return out


def compare(frozen: dict[str, Any], recomputed: dict[str, Any]) -> list[dict[str, Any]]:
    """Each figure of the frozen report beside the recomputed one: name, frozen, recomputed, matches."""
    mine = dict(named_figures(recomputed))
    theirs = named_figures(frozen)
    rows = [{"name": n, "frozen": v, "recomputed": mine.get(n, "(absent)"), "matches": n in mine and mine[n] == v}
            for n, v in theirs]
    known = {n for n, _ in theirs}
    rows += [{"name": n, "frozen": "(absent)", "recomputed": v, "matches": False} for n, v in mine.items() if n not in known]
    return rows
