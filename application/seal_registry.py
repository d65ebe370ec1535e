"""SQL for what the seal keeps for good: published checkpoints, countersignatures and keys."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from application.seal_store import Cursor


def _b64s(data: bytes) -> str:
    return base64.b64encode(data).decode()


class SealRegistry:
    """Checkpoints that left the ledger, witnesses' countersignatures, the ledger's public keys."""

    def publish(self, c: Cursor, size: int, root: bytes, time: str, key: str, signature: bytes,
                reason: str, now: str) -> None:
        """Keep a checkpoint for good (the first one at each size wins)."""
        c.execute(
            "INSERT INTO pvb_seal_checkpoints (size, root, time, key_id, signature, reason, "
            "published_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (size) DO NOTHING",
            (size, root.hex(), time, key, _b64s(signature), reason, now),
        )

    def checkpoint(self, c: Cursor, size: int) -> Any:
        """The published checkpoint at a size, or None."""
        return c.execute("SELECT * FROM pvb_seal_checkpoints WHERE size = ?", (size,)).fetchone()

    def checkpoints(self, c: Cursor, upto: int | None = None) -> list[Any]:
        """Published checkpoints (up to a size), oldest first."""
        if upto is None:
            return c.execute("SELECT * FROM pvb_seal_checkpoints ORDER BY size").fetchall()
        return c.execute(
            "SELECT * FROM pvb_seal_checkpoints WHERE size <= ? ORDER BY size", (upto,)
        ).fetchall()

    def add_witness(self, c: Cursor, size: int, witness_key: str, name: str, public_key: bytes,
                    signature: bytes, now: str, by: str) -> None:
        """Record a countersignature (again for the same key and size: the first one stays)."""
        c.execute(
            "INSERT INTO pvb_seal_witnesses (size, witness_key_id, name, public_key, signature, "
            "recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (size, witness_key_id) DO NOTHING",
            (size, witness_key, name, _b64s(public_key), _b64s(signature), now, by),
        )

    def witnesses(self, c: Cursor, size: int | None = None) -> list[Any]:
        """Countersignatures (of one checkpoint size), oldest first."""
        if size is None:
            return c.execute("SELECT * FROM pvb_seal_witnesses ORDER BY size, recorded_at").fetchall()
        return c.execute(
            "SELECT * FROM pvb_seal_witnesses WHERE size = ? ORDER BY recorded_at", (size,)
        ).fetchall()

    def last_witnessed(self, c: Cursor, witness_key: str) -> Any:
        """The largest checkpoint a witness key has countersigned, or None."""
        return c.execute(
            "SELECT * FROM pvb_seal_witnesses WHERE witness_key_id = ? ORDER BY size DESC LIMIT 1",
            (witness_key,),
        ).fetchone()

    def keys(self, c: Cursor) -> list[Any]:
        """The ledger's public keys, oldest first."""
        return c.execute("SELECT * FROM pvb_seal_keys ORDER BY seq").fetchall()

    def add_key(self, c: Cursor, seq: int, key: str, public_key: bytes, now: str,
                endorsement: bytes | None) -> bool:
        """Register a public key at seq; False if that seq is taken."""
        row = c.execute(
            "INSERT INTO pvb_seal_keys (seq, key_id, public_key, created_at, endorsement) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING RETURNING seq",
            (seq, key, _b64s(public_key), now, _b64s(endorsement) if endorsement else None),
        ).fetchone()
        return row is not None

    def retire_key(self, c: Cursor, key: str, now: str) -> None:
        """Mark a key retired."""
        c.execute("UPDATE pvb_seal_keys SET retired_at = ? WHERE key_id = ?", (now, key))

