"""The JSON API under /api/v1, its OpenAPI document and its docs page."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from flask_smorest import Api, abort

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
        api.register_blueprint(module.blp, url_prefix=getattr(module, "URL_PREFIX", API_PREFIX) + module.PREFIX)
    app.register_blueprint(docs)


def extra_api_modules() -> list[Any]:
    """API modules added by later features (kept in one list so none is forgotten)."""
    from web.api import (
        adherence,
        body_members,
        concerns,
        feedback,
        investigations,
        ledger,
        meetings,
        public,
        replay,
        surveys,
    )
    from web.api.governance_api import GOVERNANCE_API

    return [ledger, feedback, replay, investigations, concerns, meetings, surveys, adherence, body_members,
            *GOVERNANCE_API, public]


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


_RULE_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def documented_query_names(app: Flask) -> dict[tuple[str, str], frozenset[str]]:
    """(URL rule, method) -> the query parameters the OpenAPI document declares for it."""
    cached = app.extensions.get("pvb_query_names")
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    paths = app.extensions["pvb_api"].spec.to_dict().get("paths", {})
    names: dict[tuple[str, str], frozenset[str]] = {}
    for path, operations in paths.items():
        shared = [p for p in operations.get("parameters", []) if p.get("in") == "query"]
        for method, operation in operations.items():
            if method == "parameters" or not isinstance(operation, dict):
                continue
            query = shared + [p for p in operation.get("parameters", []) if p.get("in") == "query"]
            names[(path, method.upper())] = frozenset(p["name"] for p in query)
    app.extensions["pvb_query_names"] = names
    return names


def reject_unknown_query_parameters() -> None:
    """An API call with a query parameter its operation does not document gets a 422.

    Silently ignoring a misspelt filter would answer a question the caller did not ask.
    """
    if not request.args or request.url_rule is None or not request.path.startswith(API_PREFIX):
        return
    path = _RULE_PARAM.sub(r"{\1}", request.url_rule.rule)
    allowed = documented_query_names(current_app).get((path, request.method))
    if allowed is None:
        return  # not an operation of the OpenAPI document (the document itself, the docs page)
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        abort(
            422,
            description="unknown query parameters: " + ", ".join(repr(n) for n in unknown),
            messages={"query": {name: ["Unknown field."] for name in unknown}},
        )
