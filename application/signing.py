"""The ledger's Ed25519 signing key: kept in a file outside the database, created once.

The private key lives in a PEM file readable only by its owner (0600), by default
``ledger_signing_key.pem`` beside a SQLite database, or ``var/ledger_signing_key.pem`` for
PostgreSQL; PVB_SIGNING_KEY_FILE names another. Public keys live in the database
(``pvb_seal_keys``) so that anyone can check old checkpoints after a rotation.
"""

from __future__ import annotations

import base64
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from application.settings import Database
from domain.seal import key_id

KEY_FILE_NAME = "ledger_signing_key.pem"


class SigningKeyError(RuntimeError):
    """The signing key cannot be used; the message says what to do."""


def default_key_file(database: Database) -> str:
    """Where the key lives unless PVB_SIGNING_KEY_FILE says otherwise."""
    if database.engine == "sqlite":
        return str(Path(database.path).parent / KEY_FILE_NAME)
    return str(Path("var") / KEY_FILE_NAME)


@dataclass(frozen=True)
class SigningKey:
    """A private key and the names of its public half."""

    private: Ed25519PrivateKey
    path: str

    @property
    def public_bytes(self) -> bytes:
        """The 32 raw bytes of the public key."""
        return public_raw(self.private.public_key())

    @property
    def key_id(self) -> str:
        """The key's short name."""
        return key_id(self.public_bytes)

    def sign(self, message: bytes) -> bytes:
        """An Ed25519 signature of message."""
        return self.private.sign(message)


def public_raw(public: Ed25519PublicKey) -> bytes:
    """A public key's 32 raw bytes."""
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_pem(raw: bytes) -> str:
    """A raw public key as a PEM SubjectPublicKeyInfo block."""
    key = Ed25519PublicKey.from_public_bytes(raw)
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def parse_public_key(text: str) -> bytes:
    """A public key given as PEM, base64 of the 32 raw bytes, or 64 hex digits; raises ValueError."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_public_key(text.encode())
            if not isinstance(key, Ed25519PublicKey):
                raise ValueError("the PEM key is not an Ed25519 public key")
            return public_raw(key)
        raw = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except Exception as e:  # malformed input of any kind (cryptography raises several types)
        raise ValueError(f"not an Ed25519 public key: {e}") from None
    if len(raw) != 32:
        raise ValueError("an Ed25519 public key is 32 bytes")
    return raw


def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    """True if signature is public_key's Ed25519 signature of message."""
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


def load_key(path: str) -> SigningKey:
    """Read a PEM private key file, or raise SigningKeyError."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise SigningKeyError(f"the signing key file {path} does not exist") from None
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as e:
        raise SigningKeyError(f"the signing key file {path} is not a PEM private key: {e}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise SigningKeyError(f"the signing key in {path} is not an Ed25519 key")
    return SigningKey(key, path)


def write_new_key(path: str, *, replace: bool = False) -> SigningKey:
    """Create a fresh key in path (0600); never overwrite unless replace (then atomically)."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".signing-key-")
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, pem)
        os.fsync(fd)
        os.close(fd)
        if replace:
            os.replace(tmp, target)
        else:
            os.link(tmp, target)  # fails if another process made the key first
    except FileExistsError:
        return load_key(path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return SigningKey(key, path)


def load_or_create_key(path: str) -> tuple[SigningKey, bool]:
    """The key in path, created if missing; returns (key, created)."""
    if Path(path).exists():
        return load_key(path), False
    key = write_new_key(path)
    return key, True
