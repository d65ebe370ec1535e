"""The sealed byte formats: leaves, checkpoints, countersignatures and key endorsements."""

from __future__ import annotations

import struct
from uuid import UUID

import pytest

from domain.merkle import CompactRange, leaf_hash
from domain.seal import (
    Leaf,
    LeafHasher,
    checkpoint_body,
    cosignature_body,
    decode_leaf,
    encode_leaf,
    key_endorsement_body,
    key_id,
    originator_bytes,
)

OID = UUID("12345678-1234-5678-1234-567812345678")


def test_a_leaf_is_the_stored_event_laid_out_with_lengths():
    leaf = encode_leaf(7, OID, 3, "domain.x:X.Done", b'{"a":1}')
    assert leaf == (
        b"PVB1" + struct.pack(">Q", 7) + struct.pack(">H", 16) + OID.bytes + struct.pack(">Q", 3)
        + struct.pack(">I", 15) + b"domain.x:X.Done" + struct.pack(">I", 7) + b'{"a":1}'
    )
    assert decode_leaf(leaf) == Leaf(7, OID.bytes, 3, "domain.x:X.Done", b'{"a":1}')


def test_the_originator_is_the_same_sixteen_bytes_however_the_engine_returns_it():
    assert originator_bytes(OID) == originator_bytes(OID.hex) == originator_bytes(str(OID)) == OID.bytes
    assert originator_bytes("not-a-uuid") == b"not-a-uuid"
    assert originator_bytes(OID.bytes) == OID.bytes  # PostgreSQL's uuid_send


def test_every_field_changes_the_leaf():
    base = encode_leaf(7, OID, 3, "t", b"s")
    others = [
        encode_leaf(8, OID, 3, "t", b"s"),
        encode_leaf(7, UUID(int=OID.int + 1), 3, "t", b"s"),
        encode_leaf(7, OID, 4, "t", b"s"),
        encode_leaf(7, OID, 3, "u", b"s"),
        encode_leaf(7, OID, 3, "t", b"S"),
        encode_leaf(7, OID, 3, "ts", b""),  # moving bytes between fields shows too
    ]
    assert len({base, *others}) == 7


def test_a_malformed_leaf_is_refused():
    leaf = encode_leaf(1, OID, 1, "t", b"s")
    for bad in (b"PVB0" + leaf[4:], leaf[:-1], leaf + b"x", leaf[:10]):
        with pytest.raises(ValueError):
            decode_leaf(bad)


def test_checkpoint_cosignature_and_endorsement_texts():
    body = checkpoint_body(12, bytes(32), "2026-03-31T17:00:00+00:00", "abcd")
    assert body == (
        b"pvb-ledger checkpoint v1\norigin pvb-ledger\nsize 12\nroot " + b"0" * 64
        + b"\ntime 2026-03-31T17:00:00+00:00\nkey abcd\n"
    )
    assert cosignature_body(body) == b"pvb-ledger cosignature v1\n" + body
    assert key_endorsement_body("k2", b"\x01" * 32, "t") == (
        b"pvb-ledger key endorsement v1\nkey k2\npublic " + b"01" * 32 + b"\ntime t\n"
    )
    assert key_id(b"\x00" * 32) == "66687aadf862bd77"


def test_the_streaming_leaf_hasher_gives_the_same_hash_as_encoding_then_hashing():
    hasher = LeafHasher()
    cases = [(7, OID, 3, "domain.x:X.Done", b'{"a":1}'), (8, OID.hex, 1, "domain.x:X.Done", b""),
             (9, str(OID), 2, "t\u00e9", b"\x00\xff"), (10, "not-a-uuid", 5, "t", b"s"),
             (11, "zz" * 16, 1, "t", b"s")]
    for case in cases:
        assert hasher(*case) == leaf_hash(encode_leaf(*case))


def test_push_grows_the_tree_exactly_as_append_does():
    a, b = CompactRange(), CompactRange()
    for i in range(100):
        h = leaf_hash(bytes([i]))
        a.append(h)
        b.push(h)
        assert (a.size, a.hashes, a.root()) == (b.size, b.hashes, b.root())
