"""Sign in and sign out."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for

from application import AuthenticationError
from web.security import permission, require_actor, sign_in

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@permission("public")
def login():  # type: ignore[no-untyped-def]
    """Show the sign-in form, or sign the user in."""
    error = None
    if request.method == "POST":
        username = request.form.get("username", "").strip().lower()
        password = request.form.get("password", "")
        try:
            actor = current_app.extensions["pvb"].ledger.authenticate(username, password)
        except AuthenticationError as e:
            error = str(e)
        else:
            sign_in(actor)
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("login.html", error=error, username=request.form.get("username", "")), status


@bp.route("/logout", methods=["POST"])
@permission("signed_in")
def logout():  # type: ignore[no-untyped-def]
    """Sign the user out."""
    actor = require_actor()
    current_app.extensions["pvb"].ledger.record_sign_out(actor)
    session.clear()
    return redirect(url_for("auth.login"))
