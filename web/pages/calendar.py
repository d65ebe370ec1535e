"""What is due under the paper's calendar, and what is overdue for whom; each duty links to where it is done."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, url_for

from web.pages.governance_support import today, view
from web.security import permission

bp = Blueprint("calendar", __name__)


def duty_link(item: dict[str, Any]) -> str:
    """The page where a duty of the calendar is done (or shown once done)."""
    kind, subject = item["kind"], item.get("subject")
    if kind == "programme_board_review":
        return url_for("reviews.review", quarter=subject) if item["status"] == "done" else url_for("reviews.index")
    if kind == "panel_survey":
        if not subject:
            return url_for("surveys.index")
        return url_for("surveys.survey", code=subject) if item["status"] == "done" else url_for(
            "surveys.import_page", code=subject)
    if kind == "chairs_meeting":
        return url_for("chairs.index")
    if kind == "six_monthly_report":
        return url_for("reports.six_monthly", period=subject) if item["status"] == "done" else url_for("reports.index")
    return url_for("objectives.organisation", code=subject)


def due_items(day: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Every duty to a day, each with its link, and the counts by status."""
    calendar = view("calendar")
    items = calendar.due(day, view("objectives").coverage(day))
    for item in items:
        item["href"] = duty_link(item)
    return items, calendar.counts(items)


@bp.route("/due", methods=["GET"])
@permission("calendar.read")
def due():  # type: ignore[no-untyped-def]
    """Quarterly reviews, panel surveys and Chairs' meetings, six-monthly reports, annual objectives."""
    day = today()
    items, counts = due_items(day)
    return render_template("calendar/due.html", items=items, counts=counts, today=day)
