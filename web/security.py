"""Who is asking, and may they: every route declares a permission, checked before it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, request, session

from application import AuthenticationError
from domain.permissions import PERMISSIONS, is_allowed
from domain.values import Actor

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class NotSignedInError(Exception):
    """The route needs a signed-in user and there is none."""


class ForbiddenError(Exception):
    """The signed-in user's role does not hold the route's permission."""


def permission(name: str) -> Callable[[F], F]:
    """Declare the permission a route needs; routes without one are refused."""
    if name not in PERMISSIONS:
        raise KeyError(f"permission {name!r} is not declared in domain/permissions.py")

    def mark(view: F) -> F:
        view._permission = name  # type: ignore[attr-defined]
        return view

    return mark


def route_permission(app: Flask, endpoint: str | None) -> str | None:
    """The permission declared by the view behind an endpoint."""
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return "public"
    view = app.view_functions.get(endpoint)
    return getattr(view, "_permission", None)


def current_actor() -> Actor | None:
    """The actor of this request, from a bearer token or the session."""
    return g.get("actor")


def require_actor() -> Actor:
    """The actor of this request; raises NotSignedInError if there is none."""
    actor = current_actor()
    if actor is None:
        raise NotSignedInError
    return actor


def _resolve_actor() -> None:
    g.actor, g.token_scope = None, None
    if request.endpoint == "static":  # a stylesheet needs no one: no session lookup per asset
        return
    header = request.headers.get("Authorization", "")
    services = current_app.extensions["pvb"]
    if header.startswith("Bearer "):
        try:
            actor, scope = services.ledger.authenticate_token(header[7:].strip())
        except AuthenticationError as e:
            g.auth_error = str(e)
            return
        g.actor, g.token_scope = actor, scope
        return
    session_id = session.get("sid")
    if not session_id:
        if session.get("username"):  # a cookie from before server-side sessions: no longer honoured
            session.clear()
        return
    settings = current_app.config["PVB_SETTINGS"]
    # The user's role, organisation and person as the ledger has them now, once per request.
    actor = services.ledger.session_actor(session_id, settings.session_policy())
    if actor is None:  # signed out, idle, too old, ended by a change to the account, or disabled
        session.clear()
        return
    g.actor, g.session_id = actor, session_id


def enforce_permissions() -> None:
    """before_request hook: resolve the actor, then allow or refuse by the route's permission."""
    _resolve_actor()
    name = route_permission(current_app, request.endpoint)
    if request.endpoint is None:
        return  # 404 follows
    if name is None:
        raise ForbiddenError("this route declares no permission, so it is closed")
    if name == "public":
        return
    actor = current_actor()
    if actor is None:
        raise NotSignedInError
    if g.token_scope == "read" and request.method not in SAFE_METHODS:
        raise ForbiddenError("this API token is read-only; create a read-write token to make changes")
    if not is_allowed(actor.role, name):
        raise ForbiddenError(f"a user acting as {actor.role.value} may not {PERMISSIONS[name][0]}")


def sign_in(actor: Actor) -> None:
    """Start a server-side session for the actor; the cookie holds only its id."""
    settings = current_app.config["PVB_SETTINGS"]
    session_id = current_app.extensions["pvb"].ledger.start_session(actor, settings.session_policy())
    session.clear()
    session["sid"] = session_id
    session.permanent = False  # the cookie ends with the browser; the server ends it sooner


def current_session_id() -> str | None:
    """The id of this request's server-side session, if it came with one."""
    return g.get("session_id")


def sign_out() -> None:
    """End this request's session on the server and forget the cookie."""
    session_id = current_session_id()
    if session_id:
        current_app.extensions["pvb"].ledger.end_session(session_id)
    session.clear()
