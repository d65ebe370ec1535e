"""The figures of the Board's two reports, drawn from whichever views this ledger has.

Each section is one small function taking the views (by name) and the period; a section
whose view is not part of this ledger yet says so instead of guessing. Every section has the
same plain-JSON shape, so pages, PDFs and the frozen published report render any of them:

    {"key", "title", "available", "note", "figures": {label: value},
     "table": {"columns": [...], "rows": [[...], ...]} or None,
     "chart": {"title", "unit", "max", "items": [[label, value], ...]} or None,
     "lists": {heading: [text, ...]}}

Figures carry no person's name: a published report is frozen for ever and must hold no
personal data that erasure could not reach.

Sections still to be wired in by the features that own their views (each a few lines here):
adherence by organisation and the panel and all-staff survey results (issue 4: meetings and
surveys), escalations and how they ended (issue 3: concerns), and regulator and Health and
Wellbeing Board feedback (issue 6). Until then they appear as "not available".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from domain.periods import Period, quarter_of
from projections.base import View

Views = Mapping[str, View]
Section = dict[str, Any]


def section(key: str, title: str, **parts: Any) -> Section:
    """A report section in the common shape."""
    return {
        "key": key, "title": title, "available": parts.get("available", True),
        "note": parts.get("note", ""), "figures": parts.get("figures", {}),
        "table": parts.get("table"), "chart": parts.get("chart"), "lists": parts.get("lists", {}),
    }


def not_available(key: str, title: str, owner: str) -> Section:
    """A section whose view this ledger does not have yet."""
    return section(key, title, available=False, note=f"Not available: {owner} is not part of this ledger yet.")


# Sections to be wired in by other features (see the module docstring).
def adherence_section(views: Views, period: Period) -> Section:
    """Adherence votes by organisation (the adherence view, issue 4)."""
    return not_available("adherence", "Adherence by organisation", "the adherence view")


def survey_section(views: Views, period: Period) -> Section:
    """Staff survey panel and all-staff results (the surveys feature, issue 4)."""
    return not_available("surveys", "Staff survey results", "the staff survey view")


def escalation_section(views: Views, period: Period) -> Section:
    """Concerns raised, escalated and how they ended (the escalation view, issue 3)."""
    return not_available("escalations", "Escalations and how they ended", "the escalation view")


def regulator_feedback_section(views: Views, period: Period) -> Section:
    """Regulators' and the HWB's feedback (the regulator feedback view, issue 6)."""
    return not_available("regulator_feedback", "Regulator and HWB feedback", "the regulator feedback view")


# Sections drawn from this feature's views.
def objectives_section(views: Views, period: Period, as_of: date) -> Section:
    """Share of each organisation's senior leaders with a current PVB objective."""
    view = views.get("objectives")
    if view is None:
        return not_available("objectives", "PVB objectives coverage", "the objectives view")
    rows = view.coverage(as_of)  # type: ignore[attr-defined]
    leaders = sum(r["leaders"] for r in rows)
    covered = sum(r["covered"] for r in rows)
    return section(
        "objectives", "PVB objectives coverage",
        note=f"Senior leaders with a PVB objective current on {as_of.isoformat()}.",
        figures={"Senior leaders": leaders, "With a current PVB objective": covered,
                 "Coverage (%)": round(100 * covered / leaders) if leaders else 0},
        table={"columns": ["Organisation", "Senior leaders", "With objective", "Coverage (%)",
                           "Met", "Partly met", "Not met", "Concerns for next review"],
               "rows": [[r["code"], r["leaders"], r["covered"], r["share"], r["outcomes"]["met"],
                         r["outcomes"]["partly_met"], r["outcomes"]["not_met"],
                         r["concerns_for_next_review"]] for r in rows]},
        chart={"title": "Coverage of PVB objectives by organisation", "unit": "%", "max": 100,
               "items": [[r["code"], r["share"]] for r in rows]},
    )


def reviews_section(views: Views, period: Period, as_of: date) -> Section:
    """The Programme Board's reviews in the period, their decisions and actions."""
    view = views.get("reviews")
    if view is None:
        return not_available("reviews", "Programme Board reviews and actions", "the reviews view")
    s = view.period_summary(period.start, period.end, as_of)  # type: ignore[attr-defined]
    a = s["actions"]
    lists = {
        heading: [f"{d['quarter']}: {d[part]}" for d in s["decisions"] if d[part]]
        for heading, part in (("Decisions", "decided"), ("Successes celebrated", "successes"),
                              ("Learning", "learning"), ("Good practice", "good_practice"),
                              ("Issues resolved", "issues_resolved"))
    }
    return section(
        "reviews", "Programme Board reviews and actions",
        figures={"Reviews held": len(s["reviews"]), "Decisions": len(s["decisions"]),
                 "Actions set": a["total"], "Done": a["done"], "Carried forward": a["carried_forward"],
                 "Dropped": a["dropped"], "Open": a["open"], "Overdue": a["overdue"]},
        table={"columns": ["Quarter", "Held on", "Decisions"],
               "rows": [[r["quarter"], r["held_on"], r["decisions"]] for r in s["reviews"]]},
        chart={"title": "Actions set in the period, by state", "unit": "", "max": max(a["total"], 1),
               "items": [["Done", a["done"]], ["Carried forward", a["carried_forward"]],
                         ["Open", a["open"]], ["Dropped", a["dropped"]], ["Overdue", a["overdue"]]]},
        lists={k: v for k, v in lists.items() if v},
    )


def chairs_meetings_section(views: Views, period: Period) -> Section:
    """The Independent Chair's meetings with the Chairs in the period."""
    view = views.get("chairs_meetings")
    if view is None:
        return not_available("chairs_meetings", "Meetings with the Chairs", "the Chairs' meetings view")
    s = view.period_summary(period.start, period.end)  # type: ignore[attr-defined]
    return section(
        "chairs_meetings", "The Independent Chair's meetings with the Chairs",
        figures={"Meetings held": len(s["meetings"]), "Partner organisations": s["partners"]},
        table={"columns": ["Quarter", "Held on", "Chairs attending", "Actions agreed"],
               "rows": [[m["quarter"], m["held_on"], m["attended"], m["actions"]] for m in s["meetings"]]},
    )


def commendations_section(views: Views, period: Period) -> Section:
    """Nominations for commendation made in the period and what became of them."""
    view = views.get("commendations")
    if view is None:
        return not_available("commendations", "Commendations", "the commendations view")
    s = view.period_summary(period.start, period.end)  # type: ignore[attr-defined]
    return section(
        "commendations", "Commendations",
        figures={"Nominations": s["nominations"], "Commended": s["commended"],
                 "Not commended": s["not_commended"], "Pending": s["pending"], "Withdrawn": s["withdrawn"]},
    )


def development_section(views: Views, period: Period) -> Section:
    """The development programme for Chairs and Chief Executives in the period."""
    view = views.get("development")
    if view is None:
        return not_available("development", "Organisational development", "the development view")
    s = view.period_summary(period.start, period.end)  # type: ignore[attr-defined]
    return section(
        "development", "Organisational development",
        figures={"Learning sessions": s["sessions"], "Attendances": s["attendances"],
                 "Pledges made": s["pledges_made"], "Pledges revisited": s["pledges_revisited"]},
    )


def adoption_section(views: Views, period: Period) -> Section:
    """Where adoption of the framework stands across organisations and committees."""
    view = views.get("adoption")
    if view is None:
        return not_available("adoption", "Adoption of the framework", "the adoption view")
    s = view.summary()  # type: ignore[attr-defined]
    return section(
        "adoption", "Adoption of the framework",
        figures={"Organisations and bodies": s["organisations"], "Supported": s["adopted"],
                 "Committees and sub-committees": s["committees"], "Committees sent the paper": s["committees_notified"],
                 "Committees with updated terms": s["committees_updated"]},
        table={"columns": ["Step", "Organisations and bodies"],
               "rows": [[k.replace("_", " "), v] for k, v in s["by_step"].items()]},
    )


def six_monthly_figures(views: Views, period: Period, today: date) -> dict[str, Any]:
    """The figures of the Independent Chair's six-monthly report for a half-year."""
    as_of = min(period.end, today)
    sections = [
        adherence_section(views, period),
        escalation_section(views, period),
        objectives_section(views, period, as_of),
        survey_section(views, period),
        regulator_feedback_section(views, period),
        reviews_section(views, period, as_of),
        chairs_meetings_section(views, period),
        commendations_section(views, period),
        development_section(views, period),
        adoption_section(views, period),
    ]
    return {"as_of": as_of.isoformat(), "period_label": period.label, "sections": sections}


def quarterly_figures(views: Views, quarter: Period, today: date) -> dict[str, Any]:
    """The figures of the quarterly progress report to the Programme Board."""
    as_of = min(quarter.end, today)
    sections = [
        survey_section(views, quarter),
        adherence_section(views, quarter),
        escalation_section(views, quarter),
        reviews_section(views, quarter, as_of),
        objectives_section(views, quarter, as_of),
        chairs_meetings_section(views, quarter),
        commendations_section(views, quarter),
        development_section(views, quarter),
        regulator_feedback_section(views, quarter),
        adoption_section(views, quarter),
    ]
    return {"as_of": as_of.isoformat(), "period_label": quarter.label, "sections": sections}


class ReportDrafter:
    """Hands the application the six-monthly figures, with the views caught up first."""

    def __init__(self, views: Views, catch_up: Callable[[], Any] | None = None) -> None:
        self.views = views
        self.catch_up = catch_up

    def __call__(self, kind: str, period: Period, today: date) -> dict[str, Any]:
        """The figures for a report of a kind and period, as the ledger stands now."""
        if self.catch_up is not None:
            self.catch_up()
        return six_monthly_figures(self.views, period, today)


def current_quarter(today: date) -> Period:
    """The quarter the progress report is usually asked for: the one containing today."""
    return quarter_of(today)
