"""Idempotency-Key on API writes: a retried request gets the first answer, nothing is recorded twice."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from flask import Flask, Response, abort, current_app, g, request

from application.idempotency import PENDING, IdempotencyStore
from application.recorders import drop_claim, hold_claim
from web.security import current_actor

HEADER = "Idempotency-Key"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def install_idempotency(app: Flask, store: IdempotencyStore) -> None:
    """Register the hooks that remember and replay API write answers."""
    store.create_table()
    app.extensions["pvb_idempotency"] = store
    app.after_request(_remember)
    app.teardown_request(lambda _error: drop_claim())


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
    clock = current_app.extensions["pvb"].ledger.clock()
    now = clock.isoformat()
    seen = store.begin(actor.user_id, key, fingerprint, now)
    if seen is not None and seen.fingerprint != fingerprint:
        abort(422, description=f"this {HEADER} was already used for a different request; use a new key")
    if seen is not None and seen.status == PENDING:
        abandoned = _older_than_lease(seen.created_at, clock)
        recorded = seen.recorded_position
        if recorded is not None and abandoned:
            return _recovered(recorded)
        if recorded is None and abandoned and store.take_over(actor.user_id, key, seen, now):
            seen = None  # the first request died before recording anything: run this one instead
        else:
            abort(409, description=f"a request with this {HEADER} is still being processed; retry shortly")
    if seen is None:
        g.idempotency = (actor.user_id, key)
        hold_claim(actor.user_id, key)  # its events will note their position on the claim as they commit
        return None
    response = Response(seen.body, status=seen.status, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _older_than_lease(created_at: str, now: datetime) -> bool:
    """True when a claim made at created_at has outlived any request (PVB_IDEMPOTENCY_LEASE)."""
    if not created_at:
        return False
    lease = current_app.config["PVB_SETTINGS"].idempotency_lease
    return (now - datetime.fromisoformat(created_at)).total_seconds() > lease


def _recovered(position: int) -> Response:
    """The answer to a retry whose first request recorded its write but died before answering."""
    body = {
        "position": position,
        "message": "the first request with this key was recorded (its events reach log position "
        f"{position}) but its answer was lost; nothing was recorded again",
    }
    response = Response(json.dumps(body), status=201, mimetype="application/json")
    response.headers["Idempotent-Replayed"] = "recovered"
    return response


def _remember(response: Response) -> Response:
    drop_claim()
    claim: Any = g.pop("idempotency", None)
    if claim is None:
        return response
    store: IdempotencyStore = current_app.extensions["pvb_idempotency"]
    if response.status_code >= 500:
        store.release(*claim)  # if nothing was recorded, the client may retry with the same key
        kept = store.peek(*claim)
        if kept is not None and kept.recorded_position is not None:  # recorded, then failed
            store.complete(*claim, 201, _recovered(kept.recorded_position).get_data(as_text=True))
    else:
        store.complete(*claim, response.status_code, response.get_data(as_text=True))
    return response
