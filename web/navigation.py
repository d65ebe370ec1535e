"""The header's navigation: each link with the permission that shows it."""

from __future__ import annotations

from flask import url_for

from domain.permissions import is_allowed
from domain.values import Actor

# (endpoint, text, permission). Features add their pages here.
NAVIGATION: list[tuple[str, str, str]] = [
    ("home.index", "Home", "signed_in"),
    ("home.framework", "Framework", "framework.read"),
    ("directory.organisations", "Organisations", "directory.read"),
    ("programme_board.index", "Programme Board", "directory.read"),
    ("feedback.index", "Feedback", "feedback.read"),
    ("investigations.index", "Investigations", "investigate"),
    ("concerns.index", "Concerns", "concerns.read"),
    ("concerns.board", "Escalation board", "concerns.board"),
    ("concerns.statistics", "Concern statistics", "concerns.statistics"),
    ("objectives.coverage", "Objectives", "objectives.read"),
    ("reviews.index", "Reviews", "reviews.read"),
    ("commendations.index", "Commendations", "commendations.read"),
    ("chairs.index", "Chairs' meetings", "chairs_meetings.read"),
    ("development.index", "Development", "development.read"),
    ("adoption.index", "Adoption", "adoption.read"),
    ("reports.index", "Reports", "reports.read"),
    ("calendar.due", "What is due", "calendar.read"),
    ("meetings.index", "Meetings", "meetings.read"),
    ("surveys.index", "Surveys", "surveys.read"),
    ("adherence.dashboard", "Adherence", "adherence.read"),
    ("users.index", "Users", "users.manage"),
]


def nav_items(actor: Actor | None) -> list[dict[str, str]]:
    """The links this actor may follow, for the NHS header component."""
    if actor is None:
        return []
    items = [
        {"href": url_for(endpoint), "text": text}
        for endpoint, text, permission in NAVIGATION
        if is_allowed(actor.role, permission)
    ]
    items.append({"href": url_for("account.account"), "text": "Account"})
    return items
