"""HTTP: the web pages, the JSON API and the CLI, over the application and the views."""

from __future__ import annotations

import os
import secrets
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, g, request
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader
from werkzeug.middleware.proxy_fix import ProxyFix

from application.idempotency import IdempotencyStore
from application.schema_lock import schema_lock
from web.api import reject_unknown_query_parameters
from web.config import PRIVATE_UMASK, Settings
from web.errors import register_error_handlers
from web.idempotency import install_idempotency, replay_if_seen
from web.logging import configure_logging
from web.navigation import nav_items
from web.security import current_actor, enforce_permissions
from web.signin import DailySummary, SignInGuard
from web.wiring import Services, services_for

HERE = Path(__file__).parent
csrf = CSRFProtect()


def create_app(test_config: dict[str, Any] | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app; test_config may set PVB_DATABASE_URL and Flask settings."""
    os.umask(PRIVATE_UMASK)  # every file this process makes is its owner's alone (0600)
    test_config = dict(test_config or {})
    settings = Settings.from_env(
        {k: str(v) for k, v in test_config.items() if k.startswith("PVB_")} or None
    )
    app = Flask(__name__, static_folder=str(HERE / "static"), static_url_path="/static")
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "autoescape": True,  # every template, whatever its extension
        "loader": ChoiceLoader(
            [FileSystemLoader(str(HERE / "templates")), PackageLoader("nhsuk_frontend_jinja")]
        ),
    }
    app.config.update(
        SECRET_KEY=settings.resolved_secret_key(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_max_hours),
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        PVB_SETTINGS=settings,
    )
    app.config.update({k: v for k, v in test_config.items() if not k.startswith("PVB_")})
    configure_logging(app, settings.log_format)
    if services is None:
        services = services_for(settings, settings.projections_mode)
    app.extensions["pvb"] = services
    services.ledger.escalation_targets = dict(settings.escalation_targets)
    services.watch_database()
    csrf.init_app(app)
    with schema_lock(services.ledger.database):  # creates its table if missing
        install_idempotency(
            app,
            IdempotencyStore(services.ledger.datastore, services.ledger.database.engine, services.ledger.database.schema),
        )
    app.before_request(_before)
    app.after_request(_security_headers)
    _register_blueprints(app)
    register_error_handlers(app)  # after flask-smorest's, so ours answer every error
    SignInGuard(app, settings.ratelimit_storage_url, settings.signin_limit_per_address)
    if settings.proxy_count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count
        )
    if not app.testing:
        summary = DailySummary(lambda day: summarise_sign_ins(app, day))
        app.extensions["pvb_signin_summary"] = summary
        summary.start()
    app.context_processor(
        lambda: {"actor": current_actor(), "csp_nonce": g.get("csp_nonce", ""), "nav_items": nav_items}
    )
    return app


def summarise_sign_ins(app: Flask, day: date) -> bool:
    """Write the day's failed and refused sign-ins, as this process's store counted them."""
    failed, refused = app.extensions["pvb_signin"].counts(day)
    return bool(app.extensions["pvb"].ledger.summarise_sign_ins(day, failed, refused))


def _before() -> Any:
    g.csp_nonce = secrets.token_urlsafe(16)
    if request.endpoint != "static":
        current_app.extensions["pvb"].check_available()
    enforce_permissions()
    reject_unknown_query_parameters()
    if (
        request.path.startswith("/api/")
        and request.method in ("POST", "PUT", "PATCH")
        and request.endpoint is not None
        and not request.is_json
    ):
        abort(415, description="send a JSON body with 'Content-Type: application/json'")
    services: Services = current_app.extensions["pvb"]
    if request.method == "GET" and request.endpoint != "static":  # a stylesheet shows no view
        if services.inline:
            services.projections.catch_up_if_behind()
        elif services.follower is not None:  # a page shows every write made before it was asked for
            settings: Settings = current_app.config["PVB_SETTINGS"]
            services.after_write(services.ledger.max_position(), settings.read_your_writes_timeout)
    return replay_if_seen()


def _security_headers(response: Any) -> Any:
    nonce = g.get("csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; "
        f"script-src 'self' 'nonce-{nonce}'; frame-ancestors 'none'; base-uri 'self'; "
        "form-action 'self'; object-src 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "static" and (current_actor() is not None or request.path.startswith("/api/")):
        # Pages and answers for a signed-in user may hold personal or confidential data: never
        # kept by the browser or a shared cache, so Back after signing out shows nothing.
        response.headers["Cache-Control"] = "no-store"
    settings: Settings = current_app.config["PVB_SETTINGS"]
    if settings.secure_cookies or request.is_secure:
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    return response


def _register_blueprints(app: Flask) -> None:
    from web.api import register_api
    from web.pages import register_pages

    register_pages(app)
    register_api(app)
