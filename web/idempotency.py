"""Idempotency-Key on API writes: a retried request gets the first answer, nothing is recorded twice."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, abort, current_app, g, request

from application.idempotency import PENDING, IdempotencyStore
from web.security import current_actor

HEADER = "Idempotency-Key"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def install_idempotency(app: Flask, store: IdempotencyStore) -> None:
    """Register the hooks that remember and replay API write answers."""
    store.create_table()
    app.extensions["pvb_idempotency"] = store
    app.after_request(_remember)


def replay_if_seen() -> Response | None:
    """before_request step (after authentication): answer a retried write from memory."""
    key = request.headers.get(HEADER)
    if not key or request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
        return None
    actor = current_actor()
    if actor is None:
        return None
    if len(key) > 200 or not key.isprintable():
        abort(422, description=f"{HEADER} must be at most 200 printable characters")
    fingerprint = hashlib.sha256(
        request.method.encode() + b" " + request.full_path.encode() + b"\n" + request.get_data()
    ).hexdigest()
    store: IdempotencyStore = current_app.extensions["pvb_idempotency"]
    now = current_app.extensions["pvb"].ledger.clock().isoformat()
    seen = store.begin(actor.user_id, key, fingerprint, now)
    if seen is None:
        g.idempotency = (actor.user_id, key)
        return None
    if seen.fingerprint != fingerprint:
        abort(422, description=f"this {HEADER} was already used for a different request; use a new key")
    if seen.status == PENDING:
        abort(409, description=f"a request with this {HEADER} is still being processed; retry shortly")
    response = Response(seen.body, status=seen.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _remember(response: Response) -> Response:
    claim: Any = g.pop("idempotency", None)
    if claim is None:
        return response
    store: IdempotencyStore = current_app.extensions["pvb_idempotency"]
    if response.status_code >= 500:
        store.release(*claim)  # nothing was recorded: let the client retry with the same key
    else:
        store.complete(*claim, response.status_code, response.get_data(as_text=True))
    return response
