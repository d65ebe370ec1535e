"""What is due under the paper's calendar, and what is overdue for whom."""

from __future__ import annotations

from flask import Blueprint, render_template

from web.pages.governance_support import today, view
from web.security import permission

bp = Blueprint("calendar", __name__)


@bp.route("/due", methods=["GET"])
@permission("calendar.read")
def due():  # type: ignore[no-untyped-def]
    """Quarterly reviews, panel surveys and Chairs' meetings, six-monthly reports, annual objectives."""
    day = today()
    calendar = view("calendar")
    items = calendar.due(day, view("objectives").coverage(day))
    return render_template("calendar/due.html", items=items, counts=calendar.counts(items), today=day)
