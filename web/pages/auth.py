"""Sign in and sign out.

The contract other sign-in methods keep: POST /login with username, password and csrf_token
answers 303 to the ``next`` page, home, or (when a second factor is due) that factor's page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for

from application import AuthenticationError
from web.security import permission, require_actor, sign_in, sign_out
from web.signin import SignInGuard, account_wait_message

bp = Blueprint("auth", __name__)
MAX_USERNAME = 100


def _safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no backslash, no control character; else home."""
    home = url_for("home.index")
    if not target or any(ord(c) < 32 or 127 <= ord(c) < 160 for c in target) or "\\" in target:
        return home
    try:
        parts = urlsplit(target)
    except ValueError:
        return home
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return home
    return target


def _guard() -> SignInGuard:
    return current_app.extensions["pvb_signin"]  # type: ignore[no-any-return]


@bp.route("/login", methods=["GET", "POST"])
@permission("public")
def login():  # type: ignore[no-untyped-def]
    """Show the sign-in form, or sign the user in (303 to the next page)."""
    if request.method == "GET":
        return render_template("login.html", error=None, username="")
    username = request.form.get("username", "").strip().lower()[:MAX_USERNAME]
    password = request.form.get("password", "")
    ledger, guard = current_app.extensions["pvb"].ledger, _guard()
    generation = ledger.sign_in_generation(username)
    wait = guard.account_wait(username, generation)
    if wait:  # refused unchecked: a guess cannot land while the account waits
        guard.count("refused")
        html = render_template("login.html", error=account_wait_message(wait), username=username)
        return html, 429, {"Retry-After": str(wait)}
    try:
        actor = ledger.authenticate(username, password)
    except AuthenticationError as e:
        guard.failed(username, generation)
        return render_template("login.html", error=str(e), username=username), 401
    guard.succeeded(username, generation)
    sign_in(actor)
    return redirect(_safe_next(request.args.get("next")), code=303)


@bp.route("/logout", methods=["POST"])
@permission("signed_in")
def logout():  # type: ignore[no-untyped-def]
    """Sign the user out: the session ends on the server, so a saved cookie no longer works."""
    actor = require_actor()
    sign_out()
    current_app.extensions["pvb"].ledger.record_sign_out(actor)
    return redirect(url_for("auth.login"), code=303)
