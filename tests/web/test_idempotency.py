from __future__ import annotations

import pytest


def post(client, headers, key, body):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/organisations", json=body, headers={**headers, "Idempotency-Key": key})


def test_a_retried_write_returns_the_first_answer_and_records_nothing_twice(client, auth, app):
    headers = auth.token("lead")
    ledger = app.extensions["pvb"].ledger
    body = {"code": "KGH", "name": "Kettering", "kind": "acute_trust"}
    first = post(client, headers, "abc-1", body)
    head = ledger.max_position()
    again = post(client, headers, "abc-1", body)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json() and again.headers["Idempotent-Replayed"] == "true"
    assert ledger.max_position() == head


def test_a_failed_first_answer_is_replayed_too(client, auth):
    headers = auth.token("lead")
    body = {"code": "NVH", "name": "Again", "kind": "ccg"}
    first = post(client, headers, "dup-1", body)
    second = post(client, headers, "dup-1", body)
    assert first.status_code == second.status_code == 409 and second.get_json() == first.get_json()


def test_reusing_a_key_for_a_different_request_is_refused(client, auth):
    headers = auth.token("lead")
    post(client, headers, "k-2", {"code": "AAA", "name": "A", "kind": "ccg"})
    other = post(client, headers, "k-2", {"code": "BBB", "name": "B", "kind": "ccg"})
    assert other.status_code == 422 and "different request" in other.get_json()["message"]


def test_keys_belong_to_their_user(client, auth, app):
    body = {"code": "CCC", "name": "C", "kind": "ccg"}
    assert post(client, auth.token("lead"), "shared", body).status_code == 201
    admin = post(client, auth.token("admin"), "shared", {"code": "DDD", "name": "D", "kind": "ccg"})
    assert admin.status_code == 201 and admin.get_json()["id"] == "DDD"


def _claims(app):  # type: ignore[no-untyped-def]
    store = app.extensions["pvb_idempotency"]
    with store._datastore.transaction(commit=False) as c:
        c.execute(store._sql("SELECT idem_key, status, body FROM pvb_idempotency ORDER BY idem_key"))
        return {row["idem_key"]: (int(row["status"]), row["body"]) for row in c.fetchall()}


def _no_lease(app):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    app.config["PVB_SETTINGS"] = replace(app.config["PVB_SETTINGS"], idempotency_lease=0.0)


def test_the_claim_notes_its_writes_position_in_the_same_transaction_as_the_events(app):
    from application.recorders import drop_claim, hold_claim
    from domain.errors import DomainError
    from tests.conftest import ADMIN

    store, ledger = app.extensions["pvb_idempotency"], app.extensions["pvb"].ledger
    store.begin("lead", "tx-1", "f", ledger.clock().isoformat())
    store.begin("lead", "tx-2", "f", ledger.clock().isoformat())
    try:
        hold_claim("lead", "tx-1")
        ledger.register_organisation(ADMIN, code="TXA", name="Tx", kind="ccg")
        hold_claim("lead", "tx-2")
        with pytest.raises(DomainError):  # refused before anything is saved: no note
            ledger.register_organisation(ADMIN, code="TXA", name="Tx again", kind="ccg")
    finally:
        drop_claim()
    claims = _claims(app)
    assert claims["tx-1"] == (0, f'{{"recorded_position": {ledger.max_position()}}}')
    assert claims["tx-2"] == (0, "")


def test_a_retry_after_the_first_request_died_having_recorded_gets_its_position_and_records_nothing(
    client, auth, app
):
    from application.recorders import recorded_note

    headers = auth.token("lead")
    ledger = app.extensions["pvb"].ledger
    body = {"code": "KGH", "name": "Kettering", "kind": "acute_trust"}
    assert post(client, headers, "died-1", body).status_code == 201
    head = ledger.max_position()
    store = app.extensions["pvb_idempotency"]
    with store._datastore.transaction(commit=True) as c:  # what a SIGKILL after the commit leaves
        c.execute(store._sql("UPDATE pvb_idempotency SET status = 0, body = ? WHERE idem_key = 'died-1'"),
                  (recorded_note([head]),))
    soon = post(client, headers, "died-1", body)
    assert soon.status_code == 409 and "still being processed" in soon.get_json()["message"]
    _no_lease(app)
    late = post(client, headers, "died-1", body)
    assert late.status_code == 201 and late.headers["Idempotent-Replayed"] == "recovered"
    assert late.get_json()["position"] == head and "nothing was recorded again" in late.get_json()["message"]
    assert ledger.max_position() == head


def test_a_retry_after_the_first_request_died_before_recording_runs_it_once(client, auth, app):
    import hashlib
    import json

    headers = auth.token("lead")
    ledger = app.extensions["pvb"].ledger
    body = {"code": "KGH", "name": "Kettering", "kind": "acute_trust"}
    raw = json.dumps(body).encode()
    fingerprint = hashlib.sha256(b"POST /api/v1/organisations?\n" + raw).hexdigest()
    store = app.extensions["pvb_idempotency"]
    store.begin("lead", "died-2", fingerprint, ledger.clock().isoformat())  # claimed, then killed
    head = ledger.max_position()
    send = lambda: client.post(  # noqa: E731
        "/api/v1/organisations", data=raw, content_type="application/json",
        headers={**headers, "Idempotency-Key": "died-2"},
    )
    assert send().status_code == 409 and ledger.max_position() == head
    _no_lease(app)
    again = send()
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["id"] == "KGH" and ledger.max_position() > head
    after = ledger.max_position()
    replayed = send()
    assert replayed.status_code == 201 and replayed.headers["Idempotent-Replayed"] == "true"
    assert ledger.max_position() == after
