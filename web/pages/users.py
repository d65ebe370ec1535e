"""Administrators' pages for login accounts: disable, enable, unlock and reset a password, each an event."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from domain.errors import DomainError, NotFoundError, ValidationError
from web.errors import domain_error_status
from web.pages.forms import domain_errors
from web.security import permission, require_actor

bp = Blueprint("users", __name__)
ACTIONS = {
    "disable": ("disable_user", "disabled: they can no longer sign in, and their sessions have ended"),
    "enable": ("enable_user", "enabled: they may sign in again"),
    "unlock": ("unlock_user", "unlocked: failed sign-ins are counted afresh"),
}


def _ledger() -> Any:
    return current_app.extensions["pvb"].ledger


@bp.route("/users", methods=["GET"])
@permission("users.manage")
def index():  # type: ignore[no-untyped-def]
    """Every login account, those that act as a person without being linked to one first."""
    unlinked = {u.username for u in _ledger().list_users(unlinked=True)}
    users = sorted(_ledger().list_users(), key=lambda u: (u.username not in unlinked, u.username))
    return render_template("users/index.html", users=users, unlinked=unlinked)


@bp.route("/users/<username>", methods=["GET"])
@permission("users.manage")
def user(username: str):  # type: ignore[no-untyped-def]
    """One account, with a form for each thing an administrator may do to it."""
    return _page(username, {})


def _page(username: str, errors: dict, status: int = 200):  # type: ignore[no-untyped-def]
    try:
        details = _ledger().get_user(username)
    except (NotFoundError, ValueError):
        raise NotFoundError(f"user {username} not found") from None
    return render_template("users/user.html", user=details, errors=errors, outcome_of=outcome_of,
                           values=request.form if errors else {}), status


@bp.route("/users/<username>/<action>", methods=["POST"])
@permission("users.manage")
def act(username: str, action: str):  # type: ignore[no-untyped-def]
    """Disable, enable or unlock the account, with a reason recorded in the event."""
    if action not in ACTIONS:
        raise NotFoundError(f"no action called {action}")
    command, outcome = ACTIONS[action]
    try:
        getattr(_ledger(), command)(require_actor(), username, request.form.get("reason", ""))
    except DomainError as e:
        return _page(username, domain_errors(e), domain_error_status(e))
    return redirect(url_for("users.user", username=username, done=action), code=303)


@bp.route("/users/<username>/password", methods=["POST"])
@permission("users.manage")
def reset_password(username: str):  # type: ignore[no-untyped-def]
    """Set a new password; the user's sessions end."""
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    try:
        if password != again:
            raise ValidationError("the two passwords are not the same", field="password_again")
        _ledger().set_password(require_actor(), username, password)
    except DomainError as e:
        return _page(username, domain_errors(e), domain_error_status(e))
    return redirect(url_for("users.user", username=username, done="password"), code=303)


def outcome_of(action: str | None) -> str | None:
    """The sentence a finished action shows."""
    if action == "password":
        return "password reset: their sessions have ended; tell them the new password in person or by phone"
    return ACTIONS[action][1] if action in ACTIONS else None
