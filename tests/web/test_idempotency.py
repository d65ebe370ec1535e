from __future__ import annotations


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
