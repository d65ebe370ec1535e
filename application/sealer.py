"""Seal the notification log: leaves, subtrees and a signed tree head, appended in order.

Any number of processes may seal at once: each reads the head, hashes the events after it,
and moves the head forward by compare-and-set in the same transaction as the new leaves, so
one wins and the others retry from the new head. Sealing reads the stored bytes only; it never
decodes an event, and a write never waits for it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from eventsourcing.persistence import IntegrityError, OperationalError

from application.seal_store import NODE_STRIDE, Cursor, Head, SealConflictError, SealStore
from application.signing import (
    SigningKey,
    SigningKeyError,
    load_key,
    write_new_key,
)
from domain.merkle import CompactRange
from domain.seal import LeafHasher, checkpoint_body, key_endorsement_body, originator_bytes

log = logging.getLogger("pvb.seal")

BATCH = 2000
CHECKPOINT_EVERY = 1000  # also keep the head as a checkpoint each time the log passes a multiple
RETRIES = 20


class Sealer:
    """Appends the log's new events to the Merkle tree and signs each new head."""

    def __init__(self, store: SealStore, key_file: str, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.key_file = key_file
        self.clock = clock
        self._key: SigningKey | None = None
        self._lock = threading.Lock()

    def now(self) -> str:
        """The current time as the ISO text that checkpoints carry."""
        return self.clock().isoformat(timespec="microseconds")

    # The signing key.
    def signing_key(self) -> SigningKey:
        """This process's signing key: created on the ledger's first use, checked against the
        ledger's current public key afterwards."""
        with self._lock:
            if self._key is None:
                self._key = self._load_and_register()
            return self._key

    def _load_and_register(self) -> SigningKey:
        with self.store.transaction(commit=False) as c:
            keys = self.store.keys(c)
        if not keys and not Path(self.key_file).exists():
            write_new_key(self.key_file)
            log.info("created the ledger's signing key in %s", self.key_file)
        if keys and not Path(self.key_file).exists():
            raise SigningKeyError(
                f"the signing key file {self.key_file} is missing; this ledger signs with key "
                f"{keys[-1]['key_id']}: restore that file (PVB_SIGNING_KEY_FILE), or start a new "
                "key with 'pvb ledger rotate-key --old-key-lost'"
            )
        key = load_key(self.key_file)
        if not keys:
            with self.store.transaction() as c:
                self.store.add_key(c, 0, key.key_id, key.public_bytes, self.now(), None)
                keys = self.store.keys(c)
        self._check_current(key, keys)
        return key

    def _check_current(self, key: SigningKey, keys: list) -> None:
        current = keys[-1]
        if current["key_id"] == key.key_id:
            return
        known = {k["key_id"]: k for k in keys}
        if key.key_id in known:
            raise SigningKeyError(
                f"the signing key in {self.key_file} ({key.key_id}) was retired on "
                f"{known[key.key_id]['retired_at']}; the ledger now signs with {current['key_id']}"
            )
        raise SigningKeyError(
            f"the signing key in {self.key_file} ({key.key_id}) is not this ledger's key "
            f"({current['key_id']}); point PVB_SIGNING_KEY_FILE at the right file"
        )

    def _current_key(self, c: Cursor) -> SigningKey:
        """The signing key, reloaded if another process rotated it since we loaded it."""
        key = self._key or self.signing_key()
        row = c.execute("SELECT key_id FROM pvb_seal_keys ORDER BY seq DESC LIMIT 1").fetchone()
        if row is not None and row["key_id"] != key.key_id:
            with self._lock:
                self._key = None
            key = load_key(self.key_file)
            self._check_current(key, self.store.keys(c))
            with self._lock:
                self._key = key
        return key

    # Sealing.
    def seal(self) -> int:
        """Seal every event not yet sealed; returns how many were sealed."""
        total = 0
        attempts = 0
        while True:
            try:
                sealed = self._seal_batch(sign_empty=False)
            except (SealConflictError, IntegrityError, OperationalError) as e:
                attempts += 1
                if attempts > RETRIES:
                    raise
                log.debug("seal conflict, retrying: %s", e)
                time.sleep(min(0.005 * attempts, 0.1))
                continue
            total += sealed
            if sealed < BATCH:  # caught up: no need for another (empty) transaction
                return total

    def ensure_head(self) -> Head:
        """Seal what is pending and return the signed head (signing an empty tree if need be)."""
        self.seal()
        for _ in range(RETRIES):
            with self.store.transaction(commit=False) as c:
                head = self.store.head(c)
            if head is not None and head.signature:
                return head
            try:
                self._seal_batch(sign_empty=True)
            except (SealConflictError, IntegrityError):
                continue
        raise SealConflictError("could not sign a tree head")

    def _seal_batch(self, *, sign_empty: bool) -> int:
        self.signing_key()  # outside the transaction: registering a key writes on its own
        with self.store.transaction(durable=False) as c:
            key = self._current_key(c)
            head = self.store.head(c)
            size = head.size if head else 0
            last = head.last_position if head else 0
            events = self.store.events(c, last, BATCH)
            if not events and not (sign_empty and (head is None or not head.signature)):
                return 0
            edge = CompactRange(size, head.edge if head else ())
            leaves, nodes, hasher = [], [], LeafHasher()
            for e in events:
                h = hasher(e.position, e.originator_id, e.originator_version, e.topic, e.state)
                index = edge.size
                for node in edge.append(h):
                    if node.level % NODE_STRIDE == 0:
                        nodes.append((node.level, node.index, node.hash.hex()))
                leaves.append((
                    index, e.position, originator_bytes(e.originator_id).hex(), e.originator_version,
                    e.topic, hashlib.sha256(e.state).hexdigest(), h.hex(),
                ))
            new = self.signed_head(key, edge, events[-1].position if events else last)
            self.store.advance_head(c, size, new)
            self.store.insert_leaves(c, leaves)
            self.store.insert_nodes(c, nodes)
            if new.size // CHECKPOINT_EVERY > size // CHECKPOINT_EVERY:
                self.store.publish(c, new.size, new.root, new.time, new.key_id, new.signature,
                                   "periodic", new.time)
            return len(events)

    def signed_head(self, key: SigningKey, edge: CompactRange, last_position: int) -> Head:
        """A head for the tree with this right edge, signed now."""
        root, now = edge.root(), self.now()
        signature = key.sign(checkpoint_body(edge.size, root, now, key.key_id))
        return Head(edge.size, last_position, tuple(edge.hashes), root, now, key.key_id, signature)

    def resign_head(self) -> Head:
        """Sign the current head again (after a key rotation)."""
        self.signing_key()
        for _ in range(RETRIES):
            try:
                with self.store.transaction() as c:
                    key = self._current_key(c)
                    head = self.store.head(c)
                    if head is None:
                        break
                    new = self.signed_head(key, CompactRange(head.size, head.edge), head.last_position)
                    self.store.advance_head(c, head.size, new)
                    return new
            except SealConflictError:
                continue
        return self.ensure_head()

    def follow(self, stop: threading.Event, interval: float) -> None:
        """Seal new events every interval seconds until stop is set; faults are logged, not fatal."""
        while not stop.is_set():
            try:
                sealed = self.seal()
                if sealed:
                    log.info("sealed %s event(s)", sealed)
            except Exception:  # a database fault or a key problem: say so and try again
                log.exception("sealing failed; retrying in %ss", interval)
            stop.wait(interval)

    # Key rotation.
    def rotate_key(self, *, old_key_lost: bool = False) -> tuple[str, str]:
        """Hand over to a new key, endorsed by the old one; returns (old id, new id)."""
        with self.store.transaction(commit=False) as c:
            keys = self.store.keys(c)
        if not keys:
            key = self.signing_key()
            return key.key_id, key.key_id
        current = keys[-1]
        old: SigningKey | None = None
        if not old_key_lost:
            old = load_key(self.key_file)
            self._check_current(old, keys)
        staged = self.key_file + ".new"
        new = write_new_key(staged, replace=True)
        now = self.now()
        endorsement = old.sign(key_endorsement_body(new.key_id, new.public_bytes, now)) if old else None
        try:
            with self.store.transaction() as c:
                if not self.store.add_key(c, int(current["seq"]) + 1, new.key_id, new.public_bytes,
                                          now, endorsement):
                    raise SealConflictError("another process rotated the key at the same time")
                self.store.retire_key(c, current["key_id"], now)
        except BaseException:
            Path(staged).unlink(missing_ok=True)
            raise
        Path(staged).replace(self.key_file)
        with self._lock:
            self._key = None
        self.resign_head()
        return current["key_id"], new.key_id
