"""The home page and the framework catalogue."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from marshmallow import ValidationError as SchemaError

from web.schemas.framework import FrameworkQueryArgsSchema
from web.security import current_actor, permission

bp = Blueprint("home", __name__)


@bp.route("/")
@permission("public")
def index():  # type: ignore[no-untyped-def]
    """The home page: the framework and the directory at a glance."""
    if current_actor() is None:
        return redirect(url_for("auth.login"))
    services = current_app.extensions["pvb"]
    framework = services.ledger.get_framework()
    directory = services.projections["directory"]
    organisations = directory.list_organisations()
    return render_template("home.html", framework=framework, organisations=organisations, roles=directory.stp_roles())


@bp.route("/framework")
@permission("framework.read")
def framework():  # type: ignore[no-untyped-def]
    """The whole catalogue, by group, at a chosen version."""
    try:
        args = FrameworkQueryArgsSchema().load(request.args)
    except SchemaError as e:
        return render_template("error.html", status=422, phrase="Unprocessable", message=str(e.messages)), 422
    details = current_app.extensions["pvb"].ledger.get_framework(args.get("version"))
    groups: dict[str, list] = {}
    for item in details.items:
        groups.setdefault(item.group, []).append(item)
    return render_template("framework.html", framework=details, groups=groups)


@bp.route("/healthz")
@permission("public")
def healthz():  # type: ignore[no-untyped-def]
    """Database reachability and projection lag, for load balancers and monitoring."""
    services = current_app.extensions["pvb"]
    try:
        statuses = services.projections.status()
    except Exception as e:  # any database fault means unhealthy
        return jsonify({"status": "unavailable", "database": "unreachable", "error": type(e).__name__}), 503
    lag = max((s.lag for s in statuses), default=0)
    return jsonify(
        {
            "status": "ok",
            "database": "reachable",
            "head": statuses[0].head if statuses else 0,
            "max_lag": lag,
            "projections": {s.name: {"position": s.position, "lag": s.lag} for s in statuses},
        }
    )
