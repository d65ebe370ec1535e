"""Tamper evidence as Ledger methods: seal, checkpoints, proofs, witnesses, verify and export."""

from __future__ import annotations

import base64
import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from application.base import Commands
from application.schema_lock import schema_lock
from application.seal_details import (
    CheckpointDetails,
    ConsistencyProofDetails,
    ExportSummary,
    InclusionProofDetails,
    PublicKeyDetails,
    SealStatus,
    VerifyReport,
    WitnessDetails,
)
from application.seal_export import BundleWriter
from application.seal_proofs import Tree
from application.seal_store import SealStore
from application.seal_verify import BATCH as VERIFY_BATCH
from application.seal_verify import LogVerifier
from application.sealer import Sealer
from application.signing import (
    SigningKeyError,
    default_key_file,
    parse_public_key,
    public_pem,
    verify_signature,
)
from domain.errors import NotFoundError, ValidationError
from domain.seal import ORIGIN, checkpoint_body, cosignature_body, encode_leaf, key_id
from domain.values import Actor

_BUILD_LOCK = threading.Lock()


@dataclass
class _Seal:
    store: SealStore
    sealer: Sealer
    tree: Tree


class SealingCommands(Commands):
    """Seal the log in order, sign its checkpoints, prove them, and let witnesses countersign."""

    database: Any
    datastore: Any
    recorder: Any
    mapper: Any

    # Wiring.
    def use_signing_key(self, path: str | None) -> None:
        """Sign with the key in path (PVB_SIGNING_KEY_FILE); None keeps the default location."""
        self.__dict__["_signing_key_file"] = path or None
        self.__dict__.pop("_seal", None)

    @property
    def signing_key_file(self) -> str:
        """Where this process's signing key lives."""
        return self.__dict__.get("_signing_key_file") or default_key_file(self.database)

    @property
    def _sealing(self) -> _Seal:
        seal = self.__dict__.get("_seal")
        if seal is None:
            with _BUILD_LOCK:
                seal = self.__dict__.get("_seal")
                if seal is None:
                    store = SealStore(self.datastore, self.database.engine, self.database.schema,
                                      self.recorder.events_table_name)
                    with schema_lock(self.database):  # other processes may be starting too
                        store.create_tables()
                    seal = _Seal(store, Sealer(store, self.signing_key_file, self.clock), Tree(store))
                    self.__dict__["_seal"] = seal
        return seal

    # Sealing.
    def ensure_signing_key(self) -> str:
        """Create the signing key if this ledger has none yet; returns its key id."""
        return self._sealing.sealer.signing_key().key_id

    def seal_pending(self) -> int:
        """Seal every event not yet sealed; returns how many."""
        return self._sealing.sealer.seal()

    def follow_seal(self, stop: threading.Event, interval: float) -> None:
        """Seal new events every interval seconds until stop is set."""
        self._sealing.sealer.follow(stop, interval)

    def seal_status(self) -> SealStatus:
        """How far sealing has got against the head of the log."""
        store = self._sealing.store
        with store.transaction(commit=False) as c:
            head = store.head(c)
            log_head = store.max_position(c)
            last = head.last_position if head else 0
            unsealed = store.count_events_after(c, last)
        return SealStatus(
            sealed=head.size if head else 0, last_sealed_position=last, log_head=log_head,
            unsealed=unsealed, head_time=head.time if head else "", key_id=head.key_id if head else "",
        )

    # Checkpoints.
    def latest_checkpoint(self, reason: str = "published") -> CheckpointDetails:
        """Seal what is pending and return the newest signed checkpoint, kept for good.

        Reports end with this (``.citation``): the checkpoint they were drawn from.
        """
        store = self._sealing.store
        try:
            head = self._sealing.sealer.ensure_head()
        except SigningKeyError:  # e.g. a web worker without the key: the sealer keeps the head fresh
            with store.transaction(commit=False) as c:
                found = store.head(c)
            if found is None or not found.signature:
                raise
            head = found
        with store.transaction() as c:
            store.publish(c, head.size, head.root, head.time, head.key_id, head.signature, reason,
                          self._sealing.sealer.now())
        return self.get_checkpoint(head.size)

    def get_checkpoint(self, size: int) -> CheckpointDetails:
        """The signed checkpoint at a tree size (signed now if none was kept at that size)."""
        seal = self._sealing
        with seal.store.transaction(commit=False) as c:
            head = seal.store.head(c)
        if size > (head.size if head else 0) and size < 2**62:
            with contextlib.suppress(SigningKeyError):  # without the key, what is sealed is all
                head = seal.sealer.ensure_head()  # seal what is pending first
        with seal.store.transaction(commit=False) as c:
            sealed = head.size if head else 0
            if not 0 <= size <= sealed:
                raise NotFoundError(f"no checkpoint at size {size}: {sealed} events are sealed")
            row = seal.store.checkpoint(c, size)
        if row is None:
            if head is not None and size == head.size:
                root, time, key, signature = head.root, head.time, head.key_id, head.signature
            else:
                try:
                    key_ = seal.sealer.signing_key()
                except SigningKeyError:
                    raise NotFoundError(
                        f"no checkpoint was kept at size {size}, and this process cannot sign one"
                    ) from None
                with seal.store.transaction(commit=False) as c:
                    root = seal.tree.root_at(c, size)
                time, key = seal.sealer.now(), key_.key_id
                signature = key_.sign(checkpoint_body(size, root, time, key))
            with seal.store.transaction() as c:
                seal.store.publish(c, size, root, time, key, signature, "requested", seal.sealer.now())
            with seal.store.transaction(commit=False) as c:
                row = seal.store.checkpoint(c, size)
        with seal.store.transaction(commit=False) as c:
            witnesses = seal.store.witnesses(c, size)
        return _checkpoint(row, witnesses)

    def list_checkpoints(self) -> list[CheckpointDetails]:
        """Every checkpoint kept, oldest first, with countersignatures."""
        store = self._sealing.store
        with store.transaction(commit=False) as c:
            rows = store.checkpoints(c)
            witnesses = store.witnesses(c)
        by_size: dict[int, list[Any]] = {}
        for w in witnesses:
            by_size.setdefault(int(w["size"]), []).append(w)
        return [_checkpoint(r, by_size.get(int(r["size"]), [])) for r in rows]

    def public_keys(self) -> list[PublicKeyDetails]:
        """The ledger's public keys, oldest first; the last is current."""
        self.ensure_signing_key()
        store = self._sealing.store
        with store.transaction(commit=False) as c:
            rows = store.keys(c)
        return [
            PublicKeyDetails(
                key_id=r["key_id"], algorithm="Ed25519", public_key=r["public_key"],
                public_key_pem=public_pem(base64.b64decode(r["public_key"])),
                created_at=r["created_at"], retired_at=r["retired_at"], endorsement=r["endorsement"],
                current=i == len(rows) - 1,
            )
            for i, r in enumerate(rows)
        ]

    # Proofs.
    def consistency_proof(self, first: int, second: int | None = None) -> ConsistencyProofDetails:
        """Proof that the log at size second (default: now) extends the log at size first."""
        newer = self.latest_checkpoint() if second is None else self.get_checkpoint(second)
        if first < 1 or first > newer.size:
            raise ValidationError(f"first must be between 1 and {newer.size}", field="first")
        older = self.get_checkpoint(first)
        seal = self._sealing
        with seal.store.transaction(commit=False) as c:
            proof = seal.tree.consistency(c, first, newer.size)
        return ConsistencyProofDetails(first, newer.size, tuple(h.hex() for h in proof), older, newer)

    def inclusion_proof(self, position: int, size: int | None = None) -> InclusionProofDetails:
        """Proof that the event at a log position is in the tree of size (default: now)."""
        checkpoint = self.latest_checkpoint() if size is None else self.get_checkpoint(size)
        seal = self._sealing
        if not 0 < position < 2**62:
            raise NotFoundError(f"no sealed event at position {position}")
        with seal.store.transaction(commit=False) as c:
            row = seal.store.leaf_by_position(c, position)
            if row is None:
                raise NotFoundError(f"no sealed event at position {position}")
            index = int(row["leaf_index"])
            if index >= checkpoint.size:
                raise ValidationError(
                    f"the event at position {position} is leaf {index}, beyond the tree of "
                    f"{checkpoint.size}", field="size",
                )
            stored = seal.store.events(c, position - 1, 1, position)
            path = seal.tree.inclusion(c, index, checkpoint.size)
        leaf = b""
        if stored:
            e = stored[0]
            leaf = encode_leaf(e.position, e.originator_id, e.originator_version, e.topic, e.state)
        return InclusionProofDetails(
            position=position, leaf_index=index, tree_size=checkpoint.size,
            leaf=base64.b64encode(leaf).decode(), leaf_hash=row["leaf_hash"],
            audit_path=tuple(h.hex() for h in path), checkpoint=checkpoint,
        )

    # Witnesses.
    def record_witness(
        self, actor: Actor, size: int, public_key: str, signature: str, name: str
    ) -> WitnessDetails:
        """Record a witness's countersignature of the checkpoint at size, if it is valid."""
        self._authorise(actor, "ledger.witness")
        name = (name or "").strip()
        if not name or len(name) > 200:
            raise ValidationError("name the witness (1 to 200 characters)", field="name")
        try:
            raw = parse_public_key(public_key)
        except ValueError as e:
            raise ValidationError(str(e), field="public_key") from None
        try:
            sig = base64.b64decode(signature, validate=True)
        except ValueError:
            raise ValidationError("signature must be base64", field="signature") from None
        checkpoint = self.get_checkpoint(size)
        if not verify_signature(raw, sig, cosignature_body(checkpoint.body.encode())):
            raise ValidationError(
                f"the signature is not this key's countersignature of checkpoint {size}",
                field="signature",
            )
        seal = self._sealing
        with seal.store.transaction() as c:
            seal.store.add_witness(c, size, key_id(raw), name, raw, sig, seal.sealer.now(), actor.user_id)
            rows = [w for w in seal.store.witnesses(c, size) if w["witness_key_id"] == key_id(raw)]
        return _witness(rows[0])

    def last_witnessed(self, public_key: bytes) -> int | None:
        """The largest checkpoint size this witness key has countersigned."""
        store = self._sealing.store
        with store.transaction(commit=False) as c:
            row = store.last_witnessed(c, key_id(public_key))
        return None if row is None else int(row["size"])

    def rotate_signing_key(self, actor: Actor, *, old_key_lost: bool = False) -> tuple[str, str]:
        """Hand signing over to a new key, endorsed by the old; returns (old id, new id)."""
        self._authorise(actor, "ledger.manage")
        return self._sealing.sealer.rotate_key(old_key_lost=old_key_lost)

    # Verification and export.
    def verify_log(
        self, progress: Callable[[int], None] | None = None, batch: int = VERIFY_BATCH
    ) -> VerifyReport:
        """Recompute the whole seal from the stored events, batch rows at a time, and report."""
        return LogVerifier(self._sealing.store, batch).run(progress)

    def export_bundle(
        self, out: str, until: int | None = None, extra: Callable[[Path], list[str]] | None = None
    ) -> ExportSummary:
        """Write a self-contained bundle of the first ``until`` sealed events (default: all).

        extra writes more files into the bundle before its manifest (a report's, say) and names them.
        """
        checkpoint = self.latest_checkpoint("export") if until is None else self.get_checkpoint(until)
        seal = self._sealing
        history = [cp for cp in self.list_checkpoints() if cp.size <= checkpoint.size]
        if checkpoint.size not in {cp.size for cp in history}:
            history.append(checkpoint)

        def consistency(first: int, second: int) -> list[str]:
            with seal.store.transaction(commit=False) as c:
                return [h.hex() for h in seal.tree.consistency(c, first, second)]

        def inclusion(index: int, size: int) -> list[str]:
            with seal.store.transaction(commit=False) as c:
                return [h.hex() for h in seal.tree.inclusion(c, index, size)]

        cipher = getattr(self.mapper, "cipher", None)
        writer = BundleWriter(seal.store, Path(out), cipher.decrypt if cipher else None)
        return writer.write(checkpoint, history, self.public_keys(), consistency, inclusion,
                            seal.sealer.now(), extra)


def _witness(row: Any) -> WitnessDetails:
    return WitnessDetails(
        name=row["name"], key_id=row["witness_key_id"], public_key=row["public_key"],
        signature=row["signature"], recorded_at=row["recorded_at"], recorded_by=row["recorded_by"],
    )


def _checkpoint(row: Any, witnesses: list[Any]) -> CheckpointDetails:
    size, root = int(row["size"]), bytes.fromhex(row["root"])
    return CheckpointDetails(
        origin=ORIGIN, size=size, root_hash=row["root"], time=row["time"], key_id=row["key_id"],
        signature=row["signature"],
        body=checkpoint_body(size, root, row["time"], row["key_id"]).decode(),
        witnesses=tuple(_witness(w) for w in witnesses),
    )
