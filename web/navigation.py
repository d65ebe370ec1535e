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
