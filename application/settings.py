"""Turn the one storage setting, PVB_DATABASE_URL, into the library's persistence settings."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

DEFAULT_DATABASE_URL = "sqlite:///var/ledger.sqlite"
# Seconds a SQLite write waits for another writer's lock (SQLite retries until then) before failing.
DEFAULT_SQLITE_LOCK_TIMEOUT = 10


class ConfigurationError(ValueError):
    """A setting's value cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class Database:
    """A parsed PVB_DATABASE_URL."""

    url: str
    engine: str  # "sqlite" or "postgres"
    path: str = ""
    host: str = ""
    port: int = 5432
    user: str = ""
    password: str = ""
    name: str = ""
    schema: str = "public"
    encryption_key: str = ""
    lock_timeout: int = DEFAULT_SQLITE_LOCK_TIMEOUT

    @classmethod
    def parse(cls, url: str | None, encryption_key: str = "") -> Database:
        """Parse a sqlite:/// or postgresql:// URL, or raise ConfigurationError."""
        if encryption_key:
            _check_encryption_key(encryption_key)
        database = cls._parse(url)
        return replace(database, encryption_key=encryption_key)

    @classmethod
    def _parse(cls, url: str | None) -> Database:
        url = (url or DEFAULT_DATABASE_URL).strip()
        parsed = urlparse(url)
        if parsed.scheme == "sqlite":
            path = unquote(parsed.path)
            if url.startswith("sqlite:////"):
                path = "/" + path.lstrip("/")
            else:
                path = path.lstrip("/")
            if not path:
                raise ConfigurationError(
                    "PVB_DATABASE_URL: a sqlite URL needs a file path, e.g. sqlite:///var/ledger.sqlite"
                )
            timeout = parse_qs(parsed.query).get("timeout", [str(DEFAULT_SQLITE_LOCK_TIMEOUT)])[0]
            if not timeout.isdigit() or not 1 <= int(timeout) <= 600:
                raise ConfigurationError(
                    "PVB_DATABASE_URL: ?timeout= is the seconds a SQLite write waits for a lock, 1 to 600"
                )
            return cls(url=url, engine="sqlite", path=path, lock_timeout=int(timeout))
        if parsed.scheme in ("postgresql", "postgres"):
            name = parsed.path.lstrip("/")
            if not name:
                raise ConfigurationError(
                    "PVB_DATABASE_URL: a postgresql URL needs a database name, "
                    "e.g. postgresql://pvb@127.0.0.1:5432/pvb"
                )
            query = parse_qs(parsed.query)
            return cls(
                url=url,
                engine="postgres",
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 5432,
                user=unquote(parsed.username or "postgres"),
                password=unquote(parsed.password or ""),
                name=name,
                schema=query.get("schema", ["public"])[0],
            )
        raise ConfigurationError(
            f"PVB_DATABASE_URL: unsupported scheme {parsed.scheme!r}; "
            "use sqlite:///path/ledger.sqlite or postgresql://user@host:port/dbname"
        )

    def library_env(self) -> dict[str, str]:
        """The eventsourcing persistence settings for this database, built in one place."""
        env = {"IS_SNAPSHOTTING_ENABLED": "y", "COMPRESSOR_TOPIC": ""}
        if self.encryption_key:  # every stored event and snapshot encrypted at rest (AES-GCM)
            env.update(CIPHER_TOPIC="eventsourcing.cryptography:AESCipher", CIPHER_KEY=self.encryption_key)
        if self.engine == "sqlite":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            env.update(
                PERSISTENCE_MODULE="eventsourcing.sqlite",
                APPLICATION_RECORDER_TOPIC="application.recorders:SQLiteLedgerRecorder",
                SQLITE_DBNAME=self.path,
                SQLITE_LOCK_TIMEOUT=str(self.lock_timeout),
            )
        else:
            env.update(
                PERSISTENCE_MODULE="eventsourcing.postgres",
                APPLICATION_RECORDER_TOPIC="application.recorders:PostgresLedgerRecorder",
                POSTGRES_DBNAME=self.name,
                POSTGRES_HOST=self.host,
                POSTGRES_PORT=str(self.port),
                POSTGRES_USER=self.user,
                POSTGRES_PASSWORD=self.password,
                POSTGRES_SCHEMA=self.schema,
                POSTGRES_CONNECT_TIMEOUT="2",
                POSTGRES_POOL_SIZE="2",
                POSTGRES_MAX_OVERFLOW="8",
                POSTGRES_PRE_PING="y",
                POSTGRES_LOCK_TIMEOUT="10",
            )
        return env


def database_busy(error: BaseException) -> bool:
    """True if error is SQLite giving up waiting for another writer's lock (not an outage)."""
    text = str(error).lower()
    return "database is locked" in text or "database table is locked" in text or "database is busy" in text


def busy_message(database: Database) -> str:
    """What to tell people when a write found the SQLite file locked for too long."""
    return (
        f"the ledger's database is busy: another process held its write lock for over "
        f"{database.lock_timeout}s; nothing was recorded, try again shortly"
    )


def _check_encryption_key(key: str) -> None:
    try:
        raw = base64.b64decode(key, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) not in (16, 24, 32):
        raise ConfigurationError(
            "PVB_ENCRYPTION_KEY must be a base64 AES key of 16, 24 or 32 bytes; "
            "make one with 'pvb keys new-encryption-key'"
        )
