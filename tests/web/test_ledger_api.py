"""The seal through the API: public key, checkpoints, proofs and countersignatures, checked offline."""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.signing import public_raw, verify_signature
from domain.merkle import leaf_hash, verify_consistency, verify_inclusion
from domain.seal import cosignature_body


def test_the_public_key_is_public(client):
    body = client.get("/api/v1/ledger/public-key").get_json()
    assert body["algorithm"] == "Ed25519" and body["current"] is True
    assert body["keys"] == [{k: body[k] for k in body if k != "keys"}]
    assert body["public_key_pem"].startswith("-----BEGIN PUBLIC KEY-----")


def test_a_regulator_fetches_a_signed_checkpoint_that_verifies_with_the_public_key(client, auth, app):
    headers = auth.token("cqc", "read")
    checkpoint = client.get("/api/v1/ledger/checkpoints/latest", headers=headers).get_json()
    key = client.get("/api/v1/ledger/public-key").get_json()
    assert checkpoint["size"] == app.extensions["pvb"].ledger.max_position()
    assert checkpoint["key_id"] == key["key_id"] and checkpoint["witnesses"] == []
    assert verify_signature(base64.b64decode(key["public_key"]), base64.b64decode(checkpoint["signature"]),
                            checkpoint["body"].encode())
    again = client.get(f"/api/v1/ledger/checkpoints/{checkpoint['size']}", headers=headers).get_json()
    assert again == checkpoint
    missing = client.get(f"/api/v1/ledger/checkpoints/{checkpoint['size'] + 1000}", headers=headers)
    assert missing.status_code == 404 and "no checkpoint at size" in missing.get_json()["message"]
    staff = client.get("/api/v1/ledger/checkpoints/latest", headers=auth.token("staff.nvh", "read"))
    assert staff.status_code == 403


def test_a_consistency_proof_shows_the_log_only_grew_since_the_regulator_last_looked(client, auth, app):
    regulator = auth.token("cqc", "read")
    kept = client.get("/api/v1/ledger/checkpoints/latest", headers=regulator).get_json()
    written = client.post("/api/v1/organisations", headers=auth.token("lead"),
                          json={"code": "KGH", "name": "Kettering General", "kind": "acute_trust"})
    assert written.status_code == 201
    assert app.extensions["pvb"].ledger.seal_status().unsealed == 0  # sealed inline with the write
    proof = client.get(f"/api/v1/ledger/proofs/consistency?first={kept['size']}", headers=regulator).get_json()
    assert proof["first_checkpoint"] == kept and proof["second"] > kept["size"]
    assert verify_consistency(
        kept["size"], proof["second"], bytes.fromhex(kept["root_hash"]),
        bytes.fromhex(proof["second_checkpoint"]["root_hash"]), [bytes.fromhex(h) for h in proof["proof"]],
    )
    bad = client.get("/api/v1/ledger/proofs/consistency?first=0", headers=regulator)
    assert bad.status_code == 422


def test_an_inclusion_proof_for_an_event_verifies_offline(client, auth):
    proof = client.get("/api/v1/ledger/proofs/inclusion?position=3", headers=auth.token("investigator", "read"))
    body = proof.get_json()
    leaf = base64.b64decode(body["leaf"])
    assert leaf_hash(leaf).hex() == body["leaf_hash"]
    assert verify_inclusion(leaf_hash(leaf), body["leaf_index"], body["tree_size"],
                            [bytes.fromhex(h) for h in body["audit_path"]],
                            bytes.fromhex(body["checkpoint"]["root_hash"]))


def test_a_regulator_countersigns_a_checkpoint_with_its_own_key(client, auth):
    headers = auth.token("cqc", "write")
    checkpoint = client.get("/api/v1/ledger/checkpoints/latest", headers=headers).get_json()
    witness = Ed25519PrivateKey.generate()
    public = base64.b64encode(public_raw(witness.public_key())).decode()
    signature = base64.b64encode(witness.sign(cosignature_body(checkpoint["body"].encode()))).decode()
    url = f"/api/v1/ledger/checkpoints/{checkpoint['size']}/witnesses"
    answer = client.post(url, headers=headers, json={"name": "CQC", "public_key": public, "signature": signature})
    assert answer.status_code == 201
    assert answer.get_json()["name"] == "CQC" and answer.get_json()["recorded_by"] == "cqc"
    after = client.get(f"/api/v1/ledger/checkpoints/{checkpoint['size']}", headers=headers).get_json()
    assert [w["name"] for w in after["witnesses"]] == ["CQC"]
    forged = client.post(url, headers=headers, json={"name": "CQC", "public_key": public,
                                                     "signature": base64.b64encode(bytes(64)).decode()})
    assert forged.status_code == 422 and "signature" in forged.get_json()["errors"]
    staff = client.post(url, headers=auth.token("staff.nvh"), json={"name": "x", "public_key": public,
                                                                     "signature": signature})
    assert staff.status_code == 403
