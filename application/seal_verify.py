"""Recompute the whole seal from the stored events, in batches, and say what no longer matches.

Streams the log and the sealed leaves side by side (never the whole log in memory), hashes
each event's stored bytes (never decoding them), and checks every signed checkpoint's root,
every signature, the chain of keys and every countersignature.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from application.seal_details import VerifyReport
from application.seal_store import SealStore, StoredEvent, as_bytes
from application.signing import verify_signature
from domain.merkle import CompactRange
from domain.seal import (
    LeafHasher,
    checkpoint_body,
    cosignature_body,
    key_endorsement_body,
    originator_bytes,
)

BATCH = 5000
Progress = Callable[[int], None]


@dataclass
class _Checkpoint:
    label: str  # "signed checkpoint 12" or "the signed head at size 12"
    size: int
    root: bytes
    signed: bool  # signature checked and valid
    matches: bool | None = None  # the recomputed root equals root (None: not reached)


@dataclass
class _Mismatch:
    index: int
    text: str
    certain: bool  # True: the stored events are at fault whatever the checkpoints say


def _originator_text(hex_id: str) -> str:
    if len(hex_id) == 32:
        return f"{hex_id[:8]}-{hex_id[8:12]}-{hex_id[12:16]}-{hex_id[16:20]}-{hex_id[20:]}"
    return bytes.fromhex(hex_id).decode(errors="replace")


class LogVerifier:
    """One verification run over a ledger's database."""

    def __init__(self, store: SealStore, batch: int = BATCH) -> None:
        self.store = store
        self.batch = batch
        self.problems: list[str] = []
        self.notes: list[str] = []

    def run(self, progress: Progress | None = None) -> VerifyReport:
        """Verify everything; the report names the first problem first."""
        with self.store.transaction(commit=False) as c:
            keys = self._check_keys(self.store.keys(c))
            head = self.store.head(c)
            history = self.store.checkpoints(c)
            witnesses = self.store.witnesses(c)
        checkpoints = self._check_signatures(keys, head, history)
        mismatches, edge, last_position, extra = self._stream(checkpoints, progress)
        judged = self._judge(checkpoints, mismatches, edge.size)
        if (not mismatches and head is not None and head.size == edge.size
                and head.edge != tuple(edge.hashes)):  # (a changed event changes the edge too)
            self.problems.append("the seal head's stored right edge was altered")
        witnessed = self._check_witnesses(keys, history, witnesses)
        with self.store.transaction(commit=False) as c:
            unsealed = self.store.count_events_after(c, last_position)
        if unsealed:
            self.notes.append(f"{unsealed} newer event(s) after position {last_position} not yet sealed")
        problems = tuple(extra + judged + self.problems)
        return VerifyReport(
            size=edge.size,
            root_hash=edge.root().hex(),
            intact=not problems,
            problems=problems,
            unsealed=unsealed,
            checkpoints_checked=len(checkpoints),
            witnesses=tuple(witnessed),
            notes=tuple(self.notes),
        )

    # Keys and signatures.
    def _check_keys(self, rows: list[Any]) -> dict[str, bytes]:
        keys: dict[str, bytes] = {}
        previous: tuple[str, bytes] | None = None
        for row in rows:
            raw = base64.b64decode(row["public_key"])
            if previous is not None:
                endorsement = base64.b64decode(row["endorsement"]) if row["endorsement"] else b""
                body = key_endorsement_body(row["key_id"], raw, row["created_at"])
                if not endorsement:
                    self.notes.append(
                        f"key {row['key_id']} was not endorsed by key {previous[0]} (the old key "
                        "was lost): confirm it with the ledger's operator out of band"
                    )
                elif not verify_signature(previous[1], endorsement, body):
                    self.problems.append(
                        f"the key table was altered: key {row['key_id']}'s endorsement by key "
                        f"{previous[0]} is not valid"
                    )
            keys[row["key_id"]] = raw
            previous = (row["key_id"], raw)
        return keys

    def _check_signatures(self, keys: dict[str, bytes], head: Any, history: list[Any]) -> list[_Checkpoint]:
        checkpoints = []
        for row in history:
            root, signature = bytes.fromhex(row["root"]), base64.b64decode(row["signature"])
            body = checkpoint_body(int(row["size"]), root, row["time"], row["key_id"])
            size = int(row["size"])
            checkpoints.append(self._signed(f"checkpoint {size}", f"signed checkpoint {size}", size,
                                            root, row["key_id"], signature, body, keys))
        if head is not None and head.signature:
            body = checkpoint_body(head.size, head.root, head.time, head.key_id)
            checkpoints.append(self._signed(
                f"the seal head at size {head.size}", f"the signed seal head at size {head.size}",
                head.size, head.root, head.key_id, head.signature, body, keys,
            ))
        checkpoints.sort(key=lambda cp: cp.size)
        return checkpoints

    def _signed(self, name: str, label: str, size: int, root: bytes, key: str, signature: bytes,
                body: bytes, keys: dict[str, bytes]) -> _Checkpoint:
        public = keys.get(key)
        valid = public is not None and verify_signature(public, signature, body)
        if public is None:
            self.problems.append(f"{name} names key {key}, which is not one of the ledger's keys")
        elif not valid:
            self.problems.append(f"{name} does not carry a valid signature by key {key}: it was altered")
        return _Checkpoint(label, size, root, valid)

    def _check_witnesses(self, keys: dict[str, bytes], history: list[Any], rows: list[Any]) -> list[str]:
        by_size = {int(r["size"]): r for r in history}
        found = []
        for w in rows:
            cp = by_size.get(int(w["size"]))
            who = f"{w['name']} (key {w['witness_key_id']})"
            if cp is None:
                self.problems.append(f"{who} countersigned checkpoint {w['size']}, which is gone")
                continue
            body = checkpoint_body(int(cp["size"]), bytes.fromhex(cp["root"]), cp["time"], cp["key_id"])
            ok = verify_signature(base64.b64decode(w["public_key"]), base64.b64decode(w["signature"]),
                                  cosignature_body(body))
            if ok:
                found.append(f"checkpoint {w['size']} countersigned by {who}: valid")
            else:
                self.problems.append(
                    f"{who}'s countersignature of checkpoint {w['size']} no longer matches it: "
                    "the checkpoint was rewritten"
                )
        return found

    # The log against its leaves.
    def _stream(self, checkpoints: list[_Checkpoint], progress: Progress | None
                ) -> tuple[list[_Mismatch], CompactRange, int, list[str]]:
        edge = CompactRange()
        for cp in checkpoints:
            if cp.size == 0:
                cp.matches = cp.root == edge.root()
        waiting = {cp.size for cp in checkpoints if cp.size > 0}
        mismatches: list[_Mismatch] = []
        last_position, start = 0, 0
        read_after = -(2**62)  # rows at position 0 or below were never written by the ledger
        hasher, push = LeafHasher(), edge.push
        while True:
            with self.store.transaction(commit=False) as c:
                leaves = self.store.leaf_tuples(c, start, start + self.batch)
            if not leaves:
                break
            upto = leaves[-1][1]
            events = self._events(read_after, upto)
            read_after, e, n_events = upto, 0, len(events)
            size = edge.size
            for index, position, sealed in leaves:
                if index != size or position <= last_position:
                    return mismatches, edge, last_position, [
                        f"the seal's leaf table was altered at leaf {size}"
                    ]
                while e < n_events and events[e][0] < position:
                    mismatches.append(_Mismatch(index, self._inserted(_event(events[e])), True))
                    e += 1
                if e < n_events and events[e][0] == position:
                    row = events[e]
                    if type(row[4]) is not bytes:  # text or NULL left by an edit behind our back
                        row = (*row[:4], as_bytes(row[4]))
                    h = hasher(*row)
                    if h.hex() != sealed:
                        mismatches.append(_Mismatch(index, self._altered(_event(events[e])), False))
                    e += 1
                else:
                    mismatches.append(_Mismatch(index, self._deleted(position), True))
                    h = bytes.fromhex(sealed)
                push(h)
                size += 1
                last_position = position
                if size in waiting:
                    root = edge.root()
                    for cp in checkpoints:
                        if cp.size == size:
                            cp.matches = cp.root == root
            start += len(leaves)
            if progress is not None:
                progress(edge.size)
        return mismatches, edge, last_position, []

    def _events(self, after: int, upto: int) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        while True:
            with self.store.transaction(commit=False) as c:
                page = self.store.event_tuples(c, after, self.batch, upto)
            rows.extend(page)
            if len(page) < self.batch:
                return rows
            after = page[-1][0]

    def _judge(self, checkpoints: list[_Checkpoint], mismatches: list[_Mismatch], sealed: int) -> list[str]:
        """Blame events or seal tables: the signed checkpoints decide which one was altered."""
        problems: list[str] = []
        good = [cp.size for cp in checkpoints if cp.signed and cp.matches]
        for m in mismatches:
            covering = [cp for cp in checkpoints if cp.signed and cp.size > m.index and cp.matches is not None]
            if not m.certain and covering and covering[0].matches:
                problems.append(
                    f"the seal's leaf {m.index} was altered; the stored event still matches "
                    f"{covering[0].label}"
                )
            else:
                problems.append(m.text)
        first_fault = min((m.index for m in mismatches), default=None)
        for cp in (cp for cp in checkpoints if cp.signed):
            if cp.matches is None and cp.size > sealed:
                problems.append(
                    f"{cp.label} covers {cp.size} events but only {sealed} are sealed: "
                    "sealed events were removed"
                )
            elif cp.matches is False and (first_fault is None or first_fault >= cp.size):
                below = max([s for s in good if s < cp.size], default=0)
                problems.append(
                    f"the events in sealed positions {below + 1} to {cp.size} do not match "
                    f"{cp.label}: events and seal tables were both changed"
                )
        return problems

    # How an event differs from what was sealed.
    def _inserted(self, ev: StoredEvent) -> str:
        oid = originator_bytes(ev.originator_id).hex()
        return (
            f"event at position {ev.position} (originator {_originator_text(oid)} version "
            f"{ev.originator_version}, {ev.topic}) was inserted: it was never sealed, yet later "
            "events were"
        )

    def _deleted(self, position: int) -> str:
        with self.store.transaction(commit=False) as c:
            row = self.store.leaf_by_position(c, position)
        return (
            f"event at position {row['position']} (originator {_originator_text(row['originator_id'])} "
            f"version {row['originator_version']}, {row['topic']}) was sealed but has been deleted"
        )

    def _altered(self, ev: StoredEvent) -> str:
        with self.store.transaction(commit=False) as c:
            row = self.store.leaf_by_position(c, ev.position)
        oid = originator_bytes(ev.originator_id).hex()
        where = f"event at position {ev.position}"
        if oid != row["originator_id"] or ev.originator_version != int(row["originator_version"]):
            with self.store.transaction(commit=False) as c:
                other = self.store.leaf_by_originator(c, oid, ev.originator_version)
            moved = (
                f"; that event was sealed at position {other['position']}: rows were swapped or reordered"
                if other is not None else "; that event was never sealed"
            )
            return (
                f"{where} now holds originator {_originator_text(oid)} version {ev.originator_version}, "
                f"but originator {_originator_text(row['originator_id'])} version "
                f"{row['originator_version']} was sealed there{moved}"
            )
        if ev.topic != row["topic"]:
            return f"{where} ({_originator_text(oid)}) changed its topic from {row['topic']} to {ev.topic}"
        if hashlib.sha256(ev.state).hexdigest() != row["state_sha256"]:
            return (
                f"{where} (originator {_originator_text(oid)} version {ev.originator_version}, "
                f"{ev.topic}) was altered: its stored state bytes differ from those sealed"
            )
        return f"the seal's leaf hash for {where} was altered"


def _event(row: tuple[Any, ...]) -> StoredEvent:
    position, originator_id, version, topic, state = row
    return StoredEvent(int(position), originator_id, int(version), str(topic), as_bytes(state))
