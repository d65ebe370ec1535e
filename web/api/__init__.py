"""The JSON API under /api/v1, its OpenAPI document and its docs page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template
from flask_smorest import Api

from web.api import directory, framework, system, tokens

API_PREFIX = "/api/v1"
docs = Blueprint("api_docs", __name__)


def register_api(app: Flask) -> None:
    """Create the flask-smorest Api and register every API blueprint."""
    app.config.update(
        API_TITLE="pvb-ledger API",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        API_SPEC_OPTIONS={
            "info": {
                "description": "The Northamptonshire STP's principles, values and behaviours "
                "ledger. Authenticate with 'Authorization: Bearer <token>'; create a token with "
                "'pvb tokens create USER' or on your account page. Errors are JSON: "
                "{code, status, message, errors}."
            },
            "components": {
                "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
            },
            "security": [{"bearerAuth": []}],
        },
    )
    api = Api(app)
    app.extensions["pvb_api"] = api
    from web import csrf

    for module in (system, framework, directory, tokens, *extra_api_modules()):
        csrf.exempt(module.blp)
        api.register_blueprint(module.blp, url_prefix=API_PREFIX + module.PREFIX)
    app.register_blueprint(docs)


def extra_api_modules() -> list[Any]:
    """API modules added by later features (kept in one list so none is forgotten)."""
    from web.api import (
        adherence,
        concerns,
        feedback,
        investigations,
        ledger,
        meetings,
        replay,
        surveys,
    )
    from web.api.governance_api import GOVERNANCE_API

    return [ledger, feedback, replay, investigations, concerns, meetings, surveys, adherence, *GOVERNANCE_API]


from web.security import permission  # noqa: E402


@docs.route(API_PREFIX + "/openapi.json")
@permission("public")
def openapi_json():  # type: ignore[no-untyped-def]
    """The OpenAPI document, generated from the marshmallow schemas."""
    return jsonify(current_app.extensions["pvb_api"].spec.to_dict())


@docs.route(API_PREFIX + "/docs")
@permission("public")
def api_docs():  # type: ignore[no-untyped-def]
    """Interactive API documentation (Swagger UI, served locally)."""
    return render_template("api_docs.html")
