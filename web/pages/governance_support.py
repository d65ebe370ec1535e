"""Small helpers shared by the governance pages (adoption, objectives, reviews, reports...)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import current_app, redirect, request
from marshmallow import Schema

from domain.errors import DomainError
from domain.permissions import is_allowed
from web.pages.forms import domain_errors, load_form
from web.replay import replaying, view_for
from web.security import require_actor

Page = Callable[[dict[str, Any], dict[str, Any], int], Any]


def services() -> Any:
    """The process's ledger and views."""
    return current_app.extensions["pvb"]


def view(name: str) -> Any:
    """One of the views, by name: live, or replayed when the page is asked for ?known_at= / ?as_of=."""
    return view_for(name)


def today() -> date:
    """Today by the ledger's clock."""
    return services().ledger.clock().date()


def can(permission: str) -> bool:
    """True if the signed-in user's role holds the permission; nothing but reading while a page is replayed."""
    if replaying() and not permission.endswith(".read"):
        return False  # nothing is recorded into the past: a replayed page shows no forms
    return is_allowed(require_actor().role, permission)


def submit(schema: Schema, command: Callable[[dict[str, Any]], Any], page: Page, done: Callable[[Any], str]) -> Any:
    """Load the form, run the command, and redirect; or show the page again with the errors (422)."""
    form = {k: v for k, v in request.form.items() if k != "csrf_token"}
    data, errors = load_form(schema)
    if data is None:
        return page(errors, form, 422)
    try:
        result = command(data)
    except DomainError as e:
        status = 403 if type(e).__name__ == "NotAllowedError" else 422
        return page(domain_errors(e), form, status)
    return redirect(done(result))


def catalogue() -> list[Any]:
    """The current framework's items, for citation checkboxes."""
    return list(services().ledger.get_framework().items)
