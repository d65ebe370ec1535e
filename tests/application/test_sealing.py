"""Sealing the log: signed checkpoints, proofs, concurrent sealers, key rotation and witnesses."""

from __future__ import annotations

import base64
import logging
import os
import stat
import threading

import pytest

from application.signing import SigningKeyError, verify_signature, write_new_key
from domain.errors import NotAllowedError, NotFoundError, ValidationError
from domain.merkle import EMPTY_ROOT, leaf_hash, root_of, verify_consistency, verify_inclusion
from domain.seal import cosignature_body, encode_leaf
from domain.values import Actor, Role
from tests.application.seal_helpers import ADMIN, add_events, open_ledger
from web.wiring import build_services

CQC = Actor("cqc", Role.REGULATOR, "CQC")


@pytest.fixture
def sealed(database_url, tmp_path):  # type: ignore[no-untyped-def]
    ledger = open_ledger(database_url, tmp_path / "key.pem")
    add_events(ledger)
    ledger.seal_pending()
    yield ledger
    ledger.close()


def leaf_hashes_from_the_log(ledger):  # type: ignore[no-untyped-def]
    notifications = ledger.recorder.select_notifications(start=1, limit=10_000)
    return [
        leaf_hash(encode_leaf(n.id, n.originator_id, n.originator_version, n.topic, n.state))
        for n in notifications
    ]


def test_every_event_is_sealed_in_notification_order_under_a_signed_checkpoint(sealed, tmp_path):
    hashes = leaf_hashes_from_the_log(sealed)
    checkpoint = sealed.latest_checkpoint()
    assert checkpoint.size == len(hashes) == sealed.max_position() == 8
    assert checkpoint.root_hash == root_of(hashes).hex()
    key = sealed.public_keys()[-1]
    assert key.current and key.key_id == checkpoint.key_id
    assert verify_signature(base64.b64decode(key.public_key), base64.b64decode(checkpoint.signature),
                            checkpoint.body.encode())
    status = sealed.seal_status()
    assert (status.sealed, status.unsealed, status.log_head) == (len(hashes), 0, len(hashes))
    assert stat.S_IMODE(os.stat(tmp_path / "key.pem").st_mode) == 0o600


def test_an_intact_log_verifies_naming_its_size_and_root(sealed):
    report = sealed.verify_log()
    checkpoint = sealed.latest_checkpoint()
    assert report.intact and report.problems == ()
    assert report.summary == f"{checkpoint.size} events, root {checkpoint.root_hash}, intact"


def test_events_not_yet_sealed_are_reported_but_are_not_tampering(sealed):
    sealed.add_person(ADMIN, name="Late Joiner", organisation="NVH", title="Nurse")
    report = sealed.verify_log()
    assert report.intact and report.unsealed == 1
    assert any("1 newer event(s)" in note for note in report.notes)


def test_an_inclusion_proof_for_every_event_verifies_offline_and_a_forged_one_fails(sealed):
    hashes = leaf_hashes_from_the_log(sealed)
    for position in range(1, len(hashes) + 1):
        proof = sealed.inclusion_proof(position)
        leaf = base64.b64decode(proof.leaf)
        root = bytes.fromhex(proof.checkpoint.root_hash)
        path = [bytes.fromhex(h) for h in proof.audit_path]
        assert leaf_hash(leaf).hex() == proof.leaf_hash == hashes[position - 1].hex()
        assert verify_inclusion(leaf_hash(leaf), proof.leaf_index, proof.tree_size, path, root)
        forged = [bytes([path[0][0] ^ 1]) + path[0][1:], *path[1:]]
        assert not verify_inclusion(leaf_hash(leaf), proof.leaf_index, proof.tree_size, forged, root)
    with pytest.raises(NotFoundError):
        sealed.inclusion_proof(10_000)


def test_a_consistency_proof_shows_the_log_only_grew_since_a_kept_checkpoint(sealed):
    kept = sealed.latest_checkpoint()
    add_events(sealed, people=5)
    proof = sealed.consistency_proof(kept.size)
    assert proof.second > kept.size and proof.first_checkpoint == kept
    old, new = bytes.fromhex(kept.root_hash), bytes.fromhex(proof.second_checkpoint.root_hash)
    path = [bytes.fromhex(h) for h in proof.proof]
    assert verify_consistency(kept.size, proof.second, old, new, path)
    assert not verify_consistency(kept.size, proof.second, old, new, path[:-1])
    assert not verify_consistency(kept.size, proof.second, bytes(32), new, path)
    with pytest.raises(ValidationError):
        sealed.consistency_proof(proof.second + 5, proof.second)


def test_a_checkpoint_at_an_old_size_is_signed_on_request_and_then_kept(sealed):
    hashes = leaf_hashes_from_the_log(sealed)
    first = sealed.get_checkpoint(5)
    assert first.root_hash == root_of(hashes[:5]).hex()
    assert sealed.get_checkpoint(5) == first
    assert 5 in {cp.size for cp in sealed.list_checkpoints()}
    with pytest.raises(NotFoundError):
        sealed.get_checkpoint(len(hashes) + 1)


def test_an_empty_ledger_has_a_signed_checkpoint_of_the_empty_tree(database_url, tmp_path):
    ledger = open_ledger(database_url, tmp_path / "key.pem")
    checkpoint = ledger.latest_checkpoint()
    assert (checkpoint.size, checkpoint.root_hash) == (0, EMPTY_ROOT.hex())
    assert ledger.verify_log().intact
    ledger.close()


def test_two_processes_sealing_at_once_seal_each_event_exactly_once(database_url, tmp_path):
    key = tmp_path / "key.pem"
    writers = [open_ledger(database_url, key) for _ in range(2)]
    add_events(writers[0], people=0)
    writers[1].ensure_signing_key()
    errors: list[BaseException] = []

    def work(ledger, n):  # type: ignore[no-untyped-def]
        try:
            for i in range(n):
                ledger.add_person(ADMIN, name=f"P{i}", organisation="NVH", title="T")
                ledger.seal_pending()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(w, 12)) for w in writers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    writers[0].seal_pending()
    report = writers[0].verify_log()
    assert report.intact and report.size == writers[0].max_position() and report.unsealed == 0
    for w in writers:
        w.close()


def test_inline_services_seal_right_after_each_write(database_url, tmp_path):
    services = build_services(database_url, inline=True, signing_key_file=str(tmp_path / "k.pem"))
    add_events(services.ledger, people=1)
    assert services.ledger.seal_status().unsealed == 0
    services.close()


def test_a_failing_seal_never_fails_the_write_and_is_caught_up_later(database_url, tmp_path, caplog):
    good = tmp_path / "k.pem"
    write_new_key(str(good))
    services = build_services(database_url, inline=True, signing_key_file=str(good))
    services.ledger.init_framework(ADMIN)
    broken = tmp_path / "broken.pem"
    broken.write_text("not a key")
    services.ledger.use_signing_key(str(broken))
    with caplog.at_level(logging.ERROR, logger="pvb"):
        services.ledger.register_organisation(ADMIN, code="NVH", name="Nene Valley", kind="acute_trust")
    assert "inline sealing failed" in caplog.text
    assert services.ledger.seal_status().unsealed == 1
    services.ledger.use_signing_key(str(good))
    services.ledger.register_organisation(ADMIN, code="RFH", name="Rockingham", kind="acute_trust")
    assert services.ledger.seal_status().unsealed == 0
    services.close()


def test_a_process_holding_another_key_refuses_to_sign(sealed, database_url, tmp_path):
    stranger = open_ledger(database_url, tmp_path / "other.pem")
    write_new_key(str(tmp_path / "other.pem"))
    with pytest.raises(SigningKeyError, match="is not this ledger's key"):
        stranger.seal_pending()
    missing = open_ledger(database_url, tmp_path / "missing.pem")
    with pytest.raises(SigningKeyError, match="is missing"):
        missing.ensure_signing_key()
    stranger.close()
    missing.close()


def test_a_rotated_key_is_endorsed_by_the_old_one_and_old_checkpoints_still_verify(sealed):
    before = sealed.latest_checkpoint()
    with pytest.raises(NotAllowedError):
        sealed.rotate_signing_key(CQC)
    old_id, new_id = sealed.rotate_signing_key(ADMIN)
    assert old_id == before.key_id != new_id
    keys = sealed.public_keys()
    assert [k.key_id for k in keys] == [old_id, new_id]
    assert keys[0].retired_at and not keys[0].current and keys[1].current and keys[1].endorsement
    sealed.add_person(ADMIN, name="After Rotation", organisation="RFH", title="Chair")
    after = sealed.latest_checkpoint()
    assert after.key_id == new_id
    report = sealed.verify_log()
    assert report.intact, report.problems
    assert sealed.get_checkpoint(before.size).key_id == old_id


def test_a_witness_countersignature_is_checked_recorded_and_reported(sealed, tmp_path):
    witness = write_new_key(str(tmp_path / "cqc.pem"))
    checkpoint = sealed.latest_checkpoint()
    signature = witness.sign(cosignature_body(checkpoint.body.encode()))
    public = base64.b64encode(witness.public_bytes).decode()
    recorded = sealed.record_witness(CQC, checkpoint.size, public, base64.b64encode(signature).decode(), "CQC")
    assert (recorded.name, recorded.key_id, recorded.recorded_by) == ("CQC", witness.key_id, "cqc")
    assert sealed.get_checkpoint(checkpoint.size).witnesses == (recorded,)
    assert sealed.last_witnessed(witness.public_bytes) == checkpoint.size
    report = sealed.verify_log()
    assert report.intact and report.witnesses == (
        f"checkpoint {checkpoint.size} countersigned by CQC (key {witness.key_id}): valid",
    )
    wrong = witness.sign(b"something else")
    with pytest.raises(ValidationError, match="not this key's countersignature"):
        sealed.record_witness(CQC, checkpoint.size, public, base64.b64encode(wrong).decode(), "CQC")
    with pytest.raises(NotAllowedError):
        sealed.record_witness(Actor("s", Role.STAFF), checkpoint.size, public,
                              base64.b64encode(signature).decode(), "x")


def test_a_process_without_the_key_still_serves_the_head_the_sealer_signed(sealed, database_url, tmp_path):
    signed = sealed.latest_checkpoint()
    reader = open_ledger(database_url, tmp_path / "not-here.pem")  # e.g. a web worker: no key
    assert reader.latest_checkpoint() == signed
    assert reader.get_checkpoint(signed.size) == signed
    with pytest.raises(NotFoundError, match="cannot sign one"):
        reader.get_checkpoint(3)
    reader.close()
