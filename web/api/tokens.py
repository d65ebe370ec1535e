"""The caller's API tokens."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from flask_smorest import Blueprint

from web.schemas.tokens import CreateTokenRequestSchema, NewTokenSchema, TokenSchema
from web.security import permission, require_actor

PREFIX = "/tokens"
blp = Blueprint("api_tokens", __name__, description="Create, list and revoke your API tokens")


@blp.route("")
@permission("tokens.own")
@blp.response(200, TokenSchema(many=True))
def list_tokens():  # type: ignore[no-untyped-def]
    """Your tokens (never their secrets)."""
    user = current_app.extensions["pvb"].ledger.get_user(require_actor().user_id)
    return [asdict(t) for t in user.tokens]


@blp.route("", methods=["POST"])
@permission("tokens.own")
@blp.arguments(CreateTokenRequestSchema, required=True)
@blp.response(201, NewTokenSchema)
def create_token(data):  # type: ignore[no-untyped-def]
    """Create a token for yourself; the secret is in this answer only."""
    actor = require_actor()
    return asdict(current_app.extensions["pvb"].ledger.create_token(actor, actor.user_id, **data))


@blp.route("/<token_id>", methods=["DELETE"])
@permission("tokens.own")
@blp.response(204)
def revoke_token(token_id):  # type: ignore[no-untyped-def]
    """Revoke one of your tokens."""
    actor = require_actor()
    current_app.extensions["pvb"].ledger.revoke_token(actor, actor.user_id, token_id)
