"""Write a self-contained bundle a regulator can check offline with only Python and cryptography.

DIR/events.jsonl     one line per sealed event: the stored bytes (text, or base64 if they are
                     not UTF-8) and, for reading, the same state decoded as JSON (decrypted,
                     and marked so, when the ledger encrypts events at rest)
DIR/checkpoints.json the signed checkpoints up to the bundle's size, with countersignatures
DIR/keys.json        the ledger's public keys, each endorsed by the one before
DIR/proofs.json      consistency proofs from each earlier checkpoint to the bundle's checkpoint
DIR/verify_bundle.py the standalone verifier; DIR/README.txt how to run it
DIR/manifest.json    the SHA-256 and size of every other file
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from application.seal_details import CheckpointDetails, ExportSummary, PublicKeyDetails
from application.seal_store import SealStore
from domain.errors import ValidationError
from domain.merkle import leaf_hash
from domain.seal import encode_leaf, originator_bytes

VERIFIER_SOURCE = Path(__file__).parent / "data" / "verify_bundle.py"
BUNDLE_FORMAT = "pvb-ledger-bundle/1"
BATCH = 2000
Decrypt = Callable[[bytes], bytes]

README = """pvb-ledger export bundle
========================

This directory holds the first {size} events of a pvb-ledger log, the signed checkpoints
that cover them, the ledger's public keys and consistency proofs. Check it offline with:

    python3 verify_bundle.py . --public-key {key_id}

It needs Python 3.9+ and the 'cryptography' package, nothing else. Pin the public key you
obtained from the ledger beforehand (GET /api/v1/ledger/public-key, or `pvb ledger
public-key`): without --public-key the verifier trusts the keys in the bundle and says so.
It exits 0 if every event, root, signature and proof checks out, 1 otherwise, and prints the
escalation, adherence and regulator feedback views rebuilt from the events alone (add --json
for machine-readable output).
"""


class ExportError(RuntimeError):
    """The bundle cannot be written as asked."""


def _originator_text(oid: bytes) -> str:
    if len(oid) == 16:
        h = oid.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
    return oid.decode()


def _event_line(index: int, ev: Any, decrypt: Decrypt | None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "index": index,
        "position": ev.position,
        "originator_id": _originator_text(originator_bytes(ev.originator_id)),
        "originator_version": ev.originator_version,
        "topic": ev.topic,
    }
    try:
        text = ev.state.decode("utf-8")
        line["state_text"] = text
    except UnicodeDecodeError:
        text = None
        line["state_b64"] = base64.b64encode(ev.state).decode()
    try:
        line["state"] = json.loads(text) if text is not None else None
    except ValueError:
        line["state"] = None
    if line["state"] is None and decrypt is not None:
        try:  # encrypted at rest (PVB_ENCRYPTION_KEY): a readable copy, outside the seal
            line["state"] = json.loads(decrypt(ev.state))
            line["state_decrypted"] = True
        except Exception:  # not ciphertext of ours: leave it unreadable
            line["state"] = None
    return line


class BundleWriter:
    """Writes one bundle from the seal store."""

    def __init__(self, store: SealStore, out: Path, decrypt: Decrypt | None = None) -> None:
        self.store = store
        self.out = out
        self.decrypt = decrypt

    def write(
        self,
        checkpoint: CheckpointDetails,
        history: list[CheckpointDetails],
        keys: list[PublicKeyDetails],
        consistency: Callable[[int, int], list[str]],
        inclusion: Callable[[int, int], list[str]],
        created_at: str,
        extra: Callable[[Path], list[str]] | None = None,
    ) -> ExportSummary:
        """Write every file, then the manifest; refuses a directory that is not empty.

        extra, if given, writes more files into the directory and returns their names (relative
        paths), which the manifest then lists with the others.
        """
        if self.out.exists() and (not self.out.is_dir() or any(self.out.iterdir())):
            raise ValidationError(f"{self.out} is not an empty directory; export into a new one",
                                  field="out")
        self.out.mkdir(parents=True, exist_ok=True)
        size = checkpoint.size
        events = self._write_events(size)
        self._write_json("checkpoints.json", [asdict(cp) for cp in history])
        self._write_json("keys.json", [asdict(k) for k in keys])
        proofs = {
            "consistency": [
                {"first": cp.size, "second": size, "proof": consistency(cp.size, size)}
                for cp in history if 0 < cp.size < size
            ],
            "inclusion": [
                {"leaf_index": i, "tree_size": size, "audit_path": inclusion(i, size)}
                for i in sorted({0, size - 1}) if size > 0
            ],
        }
        self._write_json("proofs.json", proofs)
        shutil.copyfile(VERIFIER_SOURCE, self.out / "verify_bundle.py")
        (self.out / "README.txt").write_text(README.format(size=size, key_id=checkpoint.key_id))
        files = ["events.jsonl", "checkpoints.json", "keys.json", "proofs.json", "verify_bundle.py",
                 "README.txt"]
        if extra is not None:
            files += extra(self.out)
        manifest = {
            "format": BUNDLE_FORMAT,
            "origin": checkpoint.origin,
            "created_at": created_at,
            "tree_size": size,
            "root_hash": checkpoint.root_hash,
            "key_id": checkpoint.key_id,
            "events": events,
            "files": {name: self._describe(name) for name in files},
        }
        self._write_json("manifest.json", manifest)
        return ExportSummary(str(self.out), events, checkpoint, (*files, "manifest.json"))

    def _write_events(self, size: int) -> int:
        written, start, after = 0, 0, 0
        with (self.out / "events.jsonl").open("w", encoding="utf-8") as f:
            while start < size:
                with self.store.transaction(commit=False) as c:
                    leaves = self.store.leaves(c, start, min(start + BATCH, size))
                    if not leaves:
                        break
                    upto = int(leaves[-1]["position"])
                    stored = {e.position: e for e in self.store.events(c, after, len(leaves) * 2 + BATCH, upto)}
                for row in leaves:
                    ev = stored.get(int(row["position"]))
                    if ev is None or leaf_hash(encode_leaf(
                        ev.position, ev.originator_id, ev.originator_version, ev.topic, ev.state
                    )).hex() != row["leaf_hash"]:
                        raise ExportError(
                            f"the stored event at position {row['position']} does not match its "
                            "seal; run 'pvb verify' before exporting"
                        )
                    f.write(json.dumps(_event_line(int(row["leaf_index"]), ev, self.decrypt), ensure_ascii=False,
                                       separators=(",", ":")) + "\n")
                    written += 1
                start += len(leaves)
                after = upto
        if written != size:
            raise ExportError(f"only {written} of {size} sealed events could be read")
        return written

    def _write_json(self, name: str, data: Any) -> None:
        (self.out / name).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    def _describe(self, name: str) -> dict[str, Any]:
        digest = hashlib.sha256()
        path = self.out / name
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
        return {"sha256": digest.hexdigest(), "bytes": path.stat().st_size}
