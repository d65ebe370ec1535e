"""What the ledger seals and signs, byte for byte: leaves, checkpoints, countersignatures, keys.

These encodings are stored data: a regulator's verifier recomputes them years later. Never
change one; add a new version beside it. docs/audit.md describes each format.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from uuid import UUID

LEAF_FORMAT = b"PVB1"
ORIGIN = "pvb-ledger"
CHECKPOINT_HEADER = "pvb-ledger checkpoint v1"
COSIGNATURE_HEADER = "pvb-ledger cosignature v1"
KEY_ENDORSEMENT_HEADER = "pvb-ledger key endorsement v1"


def originator_bytes(originator_id: object) -> bytes:
    """The 16 bytes of a UUID originator id, however the engine returns it (UUID, hex or text)."""
    if isinstance(originator_id, UUID):
        return originator_id.bytes
    if isinstance(originator_id, bytes | bytearray | memoryview):
        return bytes(originator_id)  # already the UUID's bytes
    text = str(originator_id)
    if len(text) == 32:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    try:
        return UUID(text).bytes
    except ValueError:
        return text.encode()  # not a UUID: sealed as its text, so any change still shows


def encode_leaf(
    position: int, originator_id: object, originator_version: int, topic: str, state: bytes
) -> bytes:
    """The leaf of one stored event: its position, originator, version, topic and state bytes.

    Layout: b"PVB1" | u64 position | u16 len | originator id | u64 version |
    u32 len | topic UTF-8 | u32 len | state (the stored bytes, untouched). Big-endian.
    The state holds the recorded timestamp and the actor, so they are sealed too.
    """
    oid = originator_bytes(originator_id)
    topic_bytes = topic.encode()
    return b"".join(
        (
            LEAF_FORMAT,
            struct.pack(">QH", position, len(oid)),
            oid,
            struct.pack(">QI", originator_version, len(topic_bytes)),
            topic_bytes,
            struct.pack(">I", len(state)),
            state,
        )
    )


_ID16 = struct.Struct(">QH16sQ").pack  # position, 16, a UUID's bytes, version
_U32 = struct.Struct(">I").pack


class LeafHasher:
    """The leaf hash SHA-256(0x00 || encode_leaf(...)) for streams of events: same bytes, less work."""

    def __init__(self) -> None:
        self._topics: dict[str, bytes] = {}

    def __call__(
        self, position: int, originator_id: object, originator_version: int, topic: str, state: bytes
    ) -> bytes:
        encoded = self._topics.get(topic)
        if encoded is None:
            raw = topic.encode()
            encoded = self._topics[topic] = _U32(len(raw)) + raw
        if type(originator_id) is str and len(originator_id) == 32:
            try:
                oid = bytes.fromhex(originator_id)
            except ValueError:
                oid = originator_bytes(originator_id)
        else:
            oid = originator_bytes(originator_id)
        if len(oid) == 16:
            head = _ID16(position, 16, oid, originator_version)
        else:
            head = struct.pack(">QH", position, len(oid)) + oid + struct.pack(">Q", originator_version)
        return hashlib.sha256(
            b"".join((b"\x00" + LEAF_FORMAT, head, encoded, _U32(len(state)), state))
        ).digest()


@dataclass(frozen=True)
class Leaf:
    """A leaf's fields, decoded (for diagnostics and export)."""

    position: int
    originator_id: bytes
    originator_version: int
    topic: str
    state: bytes


def decode_leaf(leaf: bytes) -> Leaf:
    """Split a leaf back into its fields, or raise ValueError if it is not a v1 leaf."""
    if leaf[:4] != LEAF_FORMAT:
        raise ValueError("not a PVB1 leaf")
    try:
        position, oid_len = struct.unpack_from(">QH", leaf, 4)
        at = 14 + oid_len
        oid = leaf[14:at]
        version, topic_len = struct.unpack_from(">QI", leaf, at)
        at += 12
        topic = leaf[at : at + topic_len].decode()
        at += topic_len
        (state_len,) = struct.unpack_from(">I", leaf, at)
        state = leaf[at + 4 : at + 4 + state_len]
    except (struct.error, UnicodeDecodeError) as e:
        raise ValueError(f"malformed leaf: {e}") from None
    if at + 4 + state_len != len(leaf):
        raise ValueError("malformed leaf: wrong length")
    return Leaf(position, oid, version, topic, state)


def key_id(public_key: bytes) -> str:
    """A key's short name: the first 16 hex digits of SHA-256 of its 32 raw bytes."""
    return hashlib.sha256(public_key).hexdigest()[:16]


def checkpoint_body(size: int, root: bytes, time: str, signer_key_id: str, origin: str = ORIGIN) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return (
        f"{CHECKPOINT_HEADER}\norigin {origin}\nsize {size}\nroot {root.hex()}\n"
        f"time {time}\nkey {signer_key_id}\n"
    ).encode()


def cosignature_body(checkpoint: bytes) -> bytes:
    """What a witness signs to countersign a checkpoint (domain-separated from the ledger's own)."""
    return f"{COSIGNATURE_HEADER}\n".encode() + checkpoint


def key_endorsement_body(new_key_id: str, new_public_key: bytes, time: str) -> bytes:
    """What the outgoing key signs to hand over to its successor."""
    return (
        f"{KEY_ENDORSEMENT_HEADER}\nkey {new_key_id}\npublic {new_public_key.hex()}\ntime {time}\n"
    ).encode()
