"""Per-person data keys for crypto-shredding: destroy a key and that person's data is gone."""

from __future__ import annotations

import base64
import os
import threading
import time
from collections.abc import Callable
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import Transcoding

from application.recorders import hold_new_key, new_keys, take_new_keys
from domain.values import Personal

CACHE_SECONDS = 30.0
MAX_CACHED = 10_000  # keys kept in memory at once; past it the oldest are read again when needed


class KeyStore:
    """Keys by subject id, kept in the ledger's own database (table pvb_person_keys)."""

    def __init__(self, datastore: Any, engine: str, schema: str = "public") -> None:
        self._datastore = datastore
        self._engine = engine
        self._schema = schema
        self._cache: dict[str, tuple[bytes, float, AESGCM | None]] = {}
        self._lock = threading.Lock()
        self.on_destroy: list[Callable[[str], None]] = []  # e.g. drop copies holding decrypted data
        self._fresh = threading.local()  # ids this thread has just made: no key can exist for them

    def new_subject(self, subject_id: str) -> None:
        """subject_id was made just now (a uuid4): its key is made without asking whether one exists.

        If one did exist after all, storing the new key fails and so does the write (recorders.py).
        """
        self._fresh.__dict__.setdefault("ids", set()).add(subject_id)

    def _sql(self, sql: str) -> str:
        if self._engine == "postgres":
            return sql.replace("?", "%s").replace("pvb_person_keys", f'"{self._schema}".pvb_person_keys')
        return sql

    def create_table(self) -> None:
        """Create the key table if it is missing."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "CREATE TABLE IF NOT EXISTS pvb_person_keys "
                    "(subject_id TEXT PRIMARY KEY, key_b64 TEXT, erased_at TEXT)"
                )
            )

    def cipher_for(self, subject_id: str, *, create: bool) -> AESGCM | None:
        """An AES-GCM cipher under the subject's key; the key made on first use when create is
        true; None once erased.

        Keys (and their ciphers) are cached for CACHE_SECONDS so that an erasure made by another
        process is honoured within that time; an erasure made here is honoured at once.
        """
        cached = self._cached(subject_id, create)
        return cached[2] if cached else None

    def _cached(self, subject_id: str, create: bool) -> tuple[bytes, float, AESGCM | None] | None:
        now = time.monotonic()
        cached = self._cache.get(subject_id)  # one dict read: safe without the lock
        if cached is None or now - cached[1] > CACHE_SECONDS:
            made = new_keys().get(subject_id)
            if made is not None:  # made by this thread for events not yet stored
                return made[1]
            key = None if subject_id in getattr(self._fresh, "ids", ()) else self._load(subject_id)
            if key is None:
                if not create:
                    return None
                key = AESGCM.generate_key(bit_length=256)
                entry = (key, now, AESGCM(key))
                # Stored in the same transaction as the events it encrypts (application/recorders.py):
                # until then it is this thread's alone, so no other write can use a key never stored.
                hold_new_key(subject_id, base64.b64encode(key).decode(), entry)
                return entry
            cached = (key, now, AESGCM(key) if key else None)
            self._keep(subject_id, cached)
        return cached if cached[0] else None

    def _keep(self, subject_id: str, cached: tuple[bytes, float, AESGCM | None]) -> None:
        with self._lock:
            if len(self._cache) >= MAX_CACHED:
                for old in list(self._cache)[: MAX_CACHED // 10]:  # the oldest tenth, by insertion
                    del self._cache[old]
            self._cache[subject_id] = cached

    def stored_new_keys(self) -> None:
        """This thread's events are stored, and the keys made for them with them: share them."""
        self._fresh.__dict__.pop("ids", None)
        for subject_id, (_, entry) in take_new_keys().items():
            self._keep(subject_id, entry)

    def dropped_new_keys(self) -> None:
        """This thread's write failed: forget the keys made for it (it never stored them)."""
        self._fresh.__dict__.pop("ids", None)
        take_new_keys()

    def _load(self, subject_id: str) -> bytes | None:
        """Read the subject's key (b"" once erased; None if it has none)."""
        with self._datastore.transaction(commit=False) as c:
            c.execute(self._sql("SELECT key_b64 FROM pvb_person_keys WHERE subject_id = ?"), (subject_id,))
            row = c.fetchone()
        if row is None:
            return None
        value = row["key_b64"]
        return base64.b64decode(value) if value else b""

    def destroy(self, subject_id: str, when: str) -> None:
        """Destroy the subject's key for ever; their data can no longer be decrypted."""
        with self._datastore.transaction(commit=True) as c:
            c.execute(
                self._sql(
                    "INSERT INTO pvb_person_keys (subject_id, key_b64, erased_at) VALUES (?, '', ?) "
                    "ON CONFLICT (subject_id) DO UPDATE SET key_b64 = '', erased_at = ?"
                ),
                (subject_id, when, when),
            )
        with self._lock:
            self._cache[subject_id] = (b"", time.monotonic(), None)
        for listener in self.on_destroy:
            listener(subject_id)

    def forget_cache(self) -> None:
        """Drop cached keys so another process's erasure is seen."""
        with self._lock:
            self._cache.clear()


class PersonalAsCiphertext(Transcoding):
    """Store Personal values encrypted (AES-GCM) under their subject's own key."""

    type = Personal
    name = "personal"

    def __init__(self, keys: KeyStore) -> None:
        self.keys = keys

    def encode(self, obj: Personal) -> dict[str, str]:
        cipher = self.keys.cipher_for(obj.subject_id, create=True)
        if cipher is None or obj.text is None:
            return {"s": obj.subject_id, "n": "", "c": ""}
        nonce = os.urandom(12)
        ciphertext = cipher.encrypt(nonce, obj.text.encode(), obj.subject_id.encode())
        return {
            "s": obj.subject_id,
            "n": base64.b64encode(nonce).decode(),
            "c": base64.b64encode(ciphertext).decode(),
        }

    def decode(self, data: dict[str, str]) -> Personal:
        subject_id = data["s"]
        cipher = self.keys.cipher_for(subject_id, create=False)
        if cipher is None or not data["c"]:
            return Personal(subject_id, None)
        nonce, ciphertext = base64.b64decode(data["n"]), base64.b64decode(data["c"])
        text = cipher.decrypt(nonce, ciphertext, subject_id.encode()).decode()
        return Personal(subject_id, text)
