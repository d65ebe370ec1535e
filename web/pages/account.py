"""The signed-in user's account and API tokens."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from domain.errors import DomainError
from web.pages.forms import domain_errors, load_form
from web.schemas.tokens import CreateTokenRequestSchema
from web.security import permission, require_actor

bp = Blueprint("account", __name__)


def _page(new_token=None, errors=None, status: int = 200):  # type: ignore[no-untyped-def]
    actor = require_actor()
    user = current_app.extensions["pvb"].ledger.get_user(actor.user_id)
    return render_template("account.html", user=user, new_token=new_token, errors=errors or {}), status


@bp.route("/account", methods=["GET"])
@permission("tokens.own")
def account():  # type: ignore[no-untyped-def]
    """Show the account and its tokens."""
    return _page()


@bp.route("/account/tokens", methods=["POST"])
@permission("tokens.own")
def create_token():  # type: ignore[no-untyped-def]
    """Create an API token; its secret is shown once."""
    data, errors = load_form(CreateTokenRequestSchema())
    if data is None:
        return _page(errors=errors, status=422)
    actor = require_actor()
    try:
        token = current_app.extensions["pvb"].ledger.create_token(actor, actor.user_id, **data)
    except DomainError as e:
        return _page(errors=domain_errors(e), status=422)
    return _page(new_token=token, status=201)


@bp.route("/account/tokens/<token_id>/revoke", methods=["POST"])
@permission("tokens.own")
def revoke_token(token_id: str):  # type: ignore[no-untyped-def]
    """Revoke one of the user's tokens."""
    actor = require_actor()
    current_app.extensions["pvb"].ledger.revoke_token(actor, actor.user_id, token_id)
    return _page()


