"""The seal, for regulators and witnesses: public key, checkpoints, proofs, countersignatures."""

from __future__ import annotations

from dataclasses import asdict

from flask import current_app
from flask_smorest import Blueprint
from marshmallow import RAISE

from web.schemas.ledger import (
    CheckpointSchema,
    ConsistencyProofSchema,
    ConsistencyQueryArgsSchema,
    InclusionProofSchema,
    InclusionQueryArgsSchema,
    PublicKeysSchema,
    WitnessRequestSchema,
    WitnessSchema,
)
from web.security import permission, require_actor

PREFIX = "/ledger"
blp = Blueprint(
    "api_ledger", __name__,
    description="Tamper evidence: signed checkpoints of the log and RFC 9162 proofs, all "
    "verifiable offline with the ledger's public key",
)


def _ledger():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"].ledger


@blp.route("/public-key")
@permission("public")
@blp.doc(security=[])  # anyone may fetch it, signed in or not
@blp.response(200, PublicKeysSchema)
def public_key():  # type: ignore[no-untyped-def]
    """The ledger's current Ed25519 public key, and every earlier one."""
    keys = [asdict(k) for k in _ledger().public_keys()]
    return keys[-1] | {"keys": keys}


@blp.route("/checkpoints/latest")
@permission("ledger.read")
@blp.response(200, CheckpointSchema)
def latest_checkpoint():  # type: ignore[no-untyped-def]
    """The newest signed checkpoint: keep it, and later ask for a consistency proof from it."""
    return asdict(_ledger().latest_checkpoint())


@blp.route("/checkpoints/<int:size>")
@permission("ledger.read")
@blp.response(200, CheckpointSchema)
def checkpoint(size):  # type: ignore[no-untyped-def]
    """The signed checkpoint at a tree size."""
    return asdict(_ledger().get_checkpoint(size))


@blp.route("/checkpoints/<int:size>/witnesses", methods=["POST"])
@permission("ledger.witness")
@blp.arguments(WitnessRequestSchema)
@blp.response(201, WitnessSchema)
def witness(data, size):  # type: ignore[no-untyped-def]
    """Record a witness's countersignature of a checkpoint (checked before it is kept)."""
    return asdict(_ledger().record_witness(require_actor(), size, **data))


@blp.route("/proofs/consistency")
@permission("ledger.read")
@blp.arguments(ConsistencyQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ConsistencyProofSchema)
def consistency_proof(args):  # type: ignore[no-untyped-def]
    """Proof that the log at size second (default: now) extends the log at size first."""
    return asdict(_ledger().consistency_proof(args["first"], args.get("second")))


@blp.route("/proofs/inclusion")
@permission("ledger.read")
@blp.arguments(InclusionQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, InclusionProofSchema)
def inclusion_proof(args):  # type: ignore[no-untyped-def]
    """Proof that the event at a log position is in the tree of size (default: now)."""
    return asdict(_ledger().inclusion_proof(args["position"], args.get("size")))
