"""Plain answers about the seal: checkpoints, proofs, keys and the verdict of a verification."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class WitnessDetails:
    """A countersignature of a checkpoint by a partner organisation or a regulator."""

    name: str
    key_id: str
    public_key: str  # base64 of the 32 raw bytes
    signature: str  # base64, over the cosignature body
    recorded_at: str
    recorded_by: str


@dataclass(frozen=True)
class CheckpointDetails:
    """A signed statement that the log's first ``size`` events have Merkle root ``root_hash``."""

    origin: str
    size: int
    root_hash: str  # hex
    time: str
    key_id: str
    signature: str  # base64 Ed25519 over ``body``
    body: str  # the exact signed text
    witnesses: tuple[WitnessDetails, ...] = ()

    @property
    def citation(self) -> str:
        """One line for the foot of a report: which checkpoint it was drawn from."""
        return (
            f"Drawn from ledger checkpoint {self.size} (root {self.root_hash}, signed by key "
            f"{self.key_id} at {self.time})"
        )


@dataclass(frozen=True)
class PublicKeyDetails:
    """One of the ledger's signing keys, public half only."""

    key_id: str
    algorithm: str
    public_key: str  # base64 of the 32 raw bytes
    public_key_pem: str
    created_at: str
    retired_at: str | None
    endorsement: str | None  # base64 signature by the previous key, if any
    current: bool


@dataclass(frozen=True)
class InclusionProofDetails:
    """An audit path proving one event is in the tree of a checkpoint."""

    position: int
    leaf_index: int
    tree_size: int
    leaf: str  # base64 of the canonical leaf bytes, as stored now
    leaf_hash: str  # hex, as sealed
    audit_path: tuple[str, ...]
    checkpoint: CheckpointDetails


@dataclass(frozen=True)
class ConsistencyProofDetails:
    """A proof that the tree at ``second`` extends the tree at ``first`` (only appended to)."""

    first: int
    second: int
    proof: tuple[str, ...]
    first_checkpoint: CheckpointDetails
    second_checkpoint: CheckpointDetails


@dataclass(frozen=True)
class SealStatus:
    """How far sealing has got."""

    sealed: int
    last_sealed_position: int
    log_head: int
    unsealed: int
    head_time: str
    key_id: str


@dataclass(frozen=True)
class VerifyReport:
    """The verdict of recomputing the whole seal from the stored events."""

    size: int
    root_hash: str
    intact: bool
    problems: tuple[str, ...] = ()
    unsealed: int = 0
    checkpoints_checked: int = 0
    witnesses: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def summary(self) -> str:
        """The one-line verdict."""
        if self.intact:
            return f"{self.size} events, root {self.root_hash}, intact"
        return f"TAMPERED: {self.problems[0]}"


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote."""

    directory: str
    events: int
    checkpoint: CheckpointDetails
    files: tuple[str, ...]
