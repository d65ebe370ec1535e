"""The one place that reads the environment: every setting, its default and its meaning."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from application.settings import DEFAULT_DATABASE_URL, ConfigurationError

SETTINGS_HELP = {
    "PVB_DATABASE_URL": f"where the ledger lives (default {DEFAULT_DATABASE_URL}); "
    "sqlite:///path or postgresql://user@host:port/dbname[?schema=name]",
    "PVB_SECRET_KEY": "signs session cookies; set it in production (default: a key kept in "
    "var/secret_key, made on first run)",
    "PVB_PROJECTIONS": "inline (default: views catch up in the web process after each write) "
    "or external (a separate 'pvb projections run' process follows the log)",
    "PVB_READ_YOUR_WRITES_TIMEOUT": "seconds a page waits for external projections to reach "
    "a write (default 5)",
    "PVB_SECURE_COOKIES": "1 when served over TLS: cookies marked Secure and HSTS sent "
    "(default 0)",
    "PVB_LOG_FORMAT": "json (default) or text",
    "PVB_RETENTION_PERSON_YEARS": "years after someone leaves before 'pvb retention' lists their "
    "personal data as due for an erasure decision (default 6)",
    "PVB_ENCRYPTION_KEY": "optional base64 AES key: encrypts every stored event payload at rest "
    "(make one with 'pvb keys new-encryption-key'; keep it safe, it cannot be recovered)",
}


@dataclass(frozen=True)
class Settings:
    """Everything the web app and the CLI need to know about their environment."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    projections_mode: str = "inline"
    read_your_writes_timeout: float = 5.0
    secure_cookies: bool = False
    log_format: str = "json"
    encryption_key: str = ""
    retention_person_years: int = 6
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the PVB_* variables, or raise ConfigurationError saying which is wrong."""
        env = os.environ if environ is None else environ
        mode = env.get("PVB_PROJECTIONS", "inline").strip().lower()
        if mode not in ("inline", "external"):
            raise ConfigurationError("PVB_PROJECTIONS must be 'inline' or 'external'")
        try:
            timeout = float(env.get("PVB_READ_YOUR_WRITES_TIMEOUT", "5"))
        except ValueError:
            raise ConfigurationError("PVB_READ_YOUR_WRITES_TIMEOUT must be a number") from None
        log_format = env.get("PVB_LOG_FORMAT", "json").strip().lower()
        if log_format not in ("json", "text"):
            raise ConfigurationError("PVB_LOG_FORMAT must be 'json' or 'text'")
        return cls(
            database_url=env.get("PVB_DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL,
            secret_key=env.get("PVB_SECRET_KEY", "").strip(),
            projections_mode=mode,
            read_your_writes_timeout=timeout,
            secure_cookies=env.get("PVB_SECURE_COOKIES", "0").strip() in ("1", "true", "yes"),
            log_format=log_format,
            encryption_key=env.get("PVB_ENCRYPTION_KEY", "").strip(),
            retention_person_years=_whole_number(env, "PVB_RETENTION_PERSON_YEARS", 6),
        )

    def resolved_secret_key(self) -> str:
        """The configured key, or one kept in var/secret_key so sessions survive restarts."""
        if self.secret_key:
            return self.secret_key
        path = Path("var/secret_key")
        if path.exists():
            return path.read_text().strip()
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_hex(32)
        path.write_text(key)
        path.chmod(0o600)
        return key

    @staticmethod
    def test_postgres_url(environ: Mapping[str, str] | None = None) -> str:
        """Where the tests find PostgreSQL (PVB_TEST_POSTGRES_URL)."""
        env = os.environ if environ is None else environ
        return env.get("PVB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _whole_number(env: Mapping[str, str], name: str, default: int) -> int:
    try:
        value = int(env.get(name, str(default)))
    except ValueError:
        raise ConfigurationError(f"{name} must be a whole number") from None
    if value < 0:
        raise ConfigurationError(f"{name} must not be negative")
    return value
