"""JSON shapes for the seal: public keys, signed checkpoints, proofs and countersignatures."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

MAX_SIZE = 2**62
HEX_HASH = "64 hex digits (SHA-256)"


class PublicKeySchema(Schema):
    """One of the ledger's Ed25519 public keys."""

    key_id = fields.String(required=True, metadata={"description": "first 16 hex digits of SHA-256 of the raw key"})
    algorithm = fields.String(required=True)
    public_key = fields.String(required=True, metadata={"description": "base64 of the 32 raw bytes"})
    public_key_pem = fields.String(required=True)
    created_at = fields.String(required=True)
    retired_at = fields.String(required=True, allow_none=True)
    endorsement = fields.String(
        required=True, allow_none=True,
        metadata={"description": "base64 signature of this key by the key before it"},
    )
    current = fields.Boolean(required=True)


class PublicKeysSchema(PublicKeySchema):
    """The current key, and every key the ledger has signed with (oldest first)."""

    keys = fields.List(fields.Nested(PublicKeySchema), required=True)


class WitnessSchema(Schema):
    """A countersignature of a checkpoint."""

    name = fields.String(required=True)
    key_id = fields.String(required=True)
    public_key = fields.String(required=True)
    signature = fields.String(required=True, metadata={"description": "base64 Ed25519 over the cosignature body"})
    recorded_at = fields.String(required=True)
    recorded_by = fields.String(required=True)


class CheckpointSchema(Schema):
    """A signed statement of the log's size and Merkle root (RFC 9162)."""

    origin = fields.String(required=True)
    size = fields.Integer(required=True)
    root_hash = fields.String(required=True, metadata={"description": HEX_HASH})
    time = fields.String(required=True)
    key_id = fields.String(required=True)
    signature = fields.String(required=True, metadata={"description": "base64 Ed25519 over body"})
    body = fields.String(required=True, metadata={"description": "the exact signed text"})
    witnesses = fields.List(fields.Nested(WitnessSchema), required=True)


class ConsistencyQueryArgsSchema(Schema):
    """Which two tree sizes to prove consistent."""

    first = fields.Integer(required=True, validate=validate.Range(1, MAX_SIZE))
    second = fields.Integer(validate=validate.Range(1, MAX_SIZE), metadata={"description": "default: now"})


class ConsistencyProofSchema(Schema):
    """RFC 9162 PROOF(first, D[second]), with both checkpoints."""

    first = fields.Integer(required=True)
    second = fields.Integer(required=True)
    proof = fields.List(fields.String(), required=True, metadata={"description": HEX_HASH + " each"})
    first_checkpoint = fields.Nested(CheckpointSchema, required=True)
    second_checkpoint = fields.Nested(CheckpointSchema, required=True)


class InclusionQueryArgsSchema(Schema):
    """Which event, in which tree."""

    position = fields.Integer(required=True, validate=validate.Range(1, MAX_SIZE))
    size = fields.Integer(validate=validate.Range(1, MAX_SIZE), metadata={"description": "default: now"})


class InclusionProofSchema(Schema):
    """RFC 9162 PATH(leaf_index, D[tree_size]) for one event, with its leaf and checkpoint."""

    position = fields.Integer(required=True)
    leaf_index = fields.Integer(required=True)
    tree_size = fields.Integer(required=True)
    leaf = fields.String(required=True, metadata={"description": "base64 of the canonical leaf bytes"})
    leaf_hash = fields.String(required=True, metadata={"description": "SHA-256(0x00 || leaf), hex"})
    audit_path = fields.List(fields.String(), required=True)
    checkpoint = fields.Nested(CheckpointSchema, required=True)


class WitnessRequestSchema(Schema):
    """A witness's countersignature of a checkpoint."""

    name = fields.String(required=True, validate=validate.Length(1, 200))
    public_key = fields.String(
        required=True, validate=validate.Length(1, 1000),
        metadata={"description": "Ed25519 public key: PEM, base64 of 32 bytes, or 64 hex digits"},
    )
    signature = fields.String(
        required=True, validate=validate.Length(1, 200),
        metadata={"description": "base64 Ed25519 signature over 'pvb-ledger cosignature v1\\n' + body"},
    )
