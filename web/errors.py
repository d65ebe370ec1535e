"""Turn every failure into a clear answer: JSON {code, status, message, errors} or a page."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from eventsourcing.persistence import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    PersistenceError,
    RecordConflictError,
)
from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.exceptions import HTTPException

from application import AuthenticationError
from application.settings import busy_message, database_busy
from domain.errors import (
    DomainError,
    NotAllowedError,
    NotFoundError,
    RuleViolationError,
    ValidationError,
)
from web.security import ForbiddenError, NotSignedInError
from web.wiring import DatabaseUnavailableError

log = logging.getLogger("pvb.web")

CONFLICT_MESSAGE = (
    "someone else changed this record at the same moment; reload it and try again"
)
UNAVAILABLE_MESSAGE = (
    "the ledger's database is not reachable just now; nothing was recorded, try again shortly"
)


def wants_json() -> bool:
    """True for API calls, which always get JSON errors."""
    return request.path.startswith(("/api/", "/public/api")) or request.path == "/healthz"


def error_response(
    status: int, message: str, errors: dict[str, Any] | None = None
) -> Response | tuple[Any, int]:
    """The error envelope for the API, or an error page for people."""
    phrase = HTTPStatus(status).phrase
    if wants_json():
        body: dict[str, Any] = {"code": status, "status": phrase, "message": message}
        if errors:
            body["errors"] = errors
        response = jsonify(body)
        response.status_code = status
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="pvb-ledger"'
        return response
    page = render_template("error.html", status=status, phrase=phrase, message=message, errors=errors)
    return page, status


def domain_error_status(error: DomainError) -> int:
    """The HTTP status for a business failure."""
    if isinstance(error, ValidationError):
        return 422
    if isinstance(error, NotFoundError):
        return 404
    if isinstance(error, NotAllowedError):
        return 403
    if isinstance(error, RuleViolationError):
        return 409
    if isinstance(error, AuthenticationError):
        return 401
    return 400


def register_error_handlers(app: Flask) -> None:
    """Install the handlers; nothing reaches the user as a traceback."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> Any:
        status = domain_error_status(error)
        field = getattr(error, "field", None)
        errors = {field: [str(error)]} if field else None
        return error_response(status, str(error), errors)

    @app.errorhandler(NotSignedInError)
    def _not_signed_in(error: NotSignedInError) -> Any:
        if wants_json():
            message = g.get("auth_error") or (
                "sign in first: send 'Authorization: Bearer <token>' (create one with "
                "'pvb tokens create USER')"
            )
            return error_response(401, message)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.errorhandler(ForbiddenError)
    def _forbidden(error: ForbiddenError) -> Any:
        return error_response(403, str(error) or "you may not do this")

    @app.errorhandler(RecordConflictError)
    def _conflict(error: Exception) -> Any:
        return error_response(409, CONFLICT_MESSAGE)

    @app.errorhandler(IntegrityError)
    def _integrity(error: Exception) -> Any:
        return error_response(409, CONFLICT_MESSAGE)

    for fault in (OperationalError, InterfaceError, PersistenceError):

        @app.errorhandler(fault)
        def _unavailable(error: Exception) -> Any:
            log.warning("database fault: %s", error)
            services = current_app.extensions["pvb"]
            if database_busy(error):  # SQLite waited out its lock timeout: busy, not down
                response = error_response(503, busy_message(services.ledger.database))
            else:
                services.mark_down()
                response = error_response(503, UNAVAILABLE_MESSAGE)
            if isinstance(response, Response):
                response.headers["Retry-After"] = "5"
            return response

    @app.errorhandler(DatabaseUnavailableError)
    def _still_unavailable(error: Exception) -> Any:
        response = error_response(503, UNAVAILABLE_MESSAGE)
        if isinstance(response, Response):
            response.headers["Retry-After"] = "5"
        return response

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Any:
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        messages = data.get("messages") if isinstance(data, dict) else None
        errors = None
        if messages:
            errors = {}
            for location in messages.values():
                errors.update(location if isinstance(location, dict) else {"_": location})
        message = error.description or HTTPStatus(status).phrase
        if status == 422 and errors:
            message = "the request has invalid fields: " + ", ".join(sorted(errors))
        if status == 413:
            message = "the request body is too large"
        response = error_response(status, message, errors)
        if isinstance(response, Response):
            for name, value in error.get_headers():
                if name.lower() not in ("content-type", "content-length"):
                    response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Any:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(500, "something went wrong on our side; it has been logged")
