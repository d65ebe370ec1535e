"""The one place that reads the environment: every setting, its default and its meaning."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from application.sessions import SessionPolicy
from application.settings import DEFAULT_DATABASE_URL, ConfigurationError
from domain.concern_routes import DEFAULT_TARGET_DAYS, OPEN_STAGES

PROJECTION_MODES = ("background", "inline", "external")
# Files the processes make (the SQLite database and its WAL, backups, exports, replay files, the
# signing key) are readable by their owner only: set at the start of every process.
PRIVATE_UMASK = 0o077
SETTINGS_HELP = {
    "PVB_DATABASE_URL": f"where the ledger lives (default {DEFAULT_DATABASE_URL}); "
    "sqlite:///path or postgresql://user@host:port/dbname[?schema=name]",
    "PVB_SECRET_KEY": "signs session cookies; set it in production (default: a key kept in "
    "var/secret_key, made on first run)",
    "PVB_PROJECTIONS": "background (default: a thread of the web process brings the views up to "
    "date and seals after writes), inline (the writing request does it before it answers) or "
    "external (separate 'pvb projections run' and 'pvb ledger seal --follow' processes do it)",
    "PVB_READ_YOUR_WRITES_TIMEOUT": "seconds a page waits for the views to reach the writes made "
    "before it was asked for, in background or external mode (default 5)",
    "PVB_SECURE_COOKIES": "1 when served over TLS: cookies marked Secure and HSTS sent "
    "(default 0)",
    "PVB_LOG_FORMAT": "json (default) or text",
    "PVB_RETENTION_PERSON_YEARS": "years after someone leaves before 'pvb retention' lists their "
    "personal data as due for an erasure decision (default 6)",
    "PVB_ENCRYPTION_KEY": "optional base64 AES key: encrypts every stored event payload at rest "
    "(make one with 'pvb keys new-encryption-key'; keep it safe, it cannot be recovered)",
    "PVB_SIGNING_KEY_FILE": "the ledger's Ed25519 signing key, a PEM file kept 0600 (default: "
    "ledger_signing_key.pem beside a SQLite database, var/ledger_signing_key.pem for PostgreSQL)",
    "PVB_SEAL_INTERVAL": "seconds between seals by 'pvb ledger seal --follow' and by the web "
    "process's follower thread (default 2): no "
    "event stays unsealed much longer",
    "PVB_IDEMPOTENCY_LEASE": "seconds after which an API write that claimed an Idempotency-Key "
    "and recorded nothing counts as dead, so a retry may run it (default 60; keep it above the "
    "web server's request timeout)",
    "PVB_SESSION_IDLE_MINUTES": "minutes a signed-in session lasts unused before it ends (default 30)",
    "PVB_SESSION_MAX_HOURS": "hours a signed-in session lasts at most, however busy (default 10)",
    "PVB_RATELIMIT_STORAGE_URL": "where sign-in failures are counted: memory:// (default; one process, "
    "such as 'pvb serve') or redis://host:port/db (needed with several workers, e.g. gunicorn -w 4); "
    "never the ledger's database",
    "PVB_SIGNIN_LIMIT_PER_ADDRESS": "failed sign-ins allowed from one client address before it must "
    "wait (default '10 per minute;100 per hour'; flask-limiter's notation)",
    "PVB_PROXY_COUNT": "how many reverse proxies (nginx, a load balancer) stand in front of the app "
    "and set X-Forwarded-For/-Proto (default 0); the client address for sign-in limits is read "
    "through them",
    "PVB_ESCALATION_TARGET_DAYS": "working days a concern may stay at a stage before it is "
    "overdue: a number for every stage (default 10), or per stage, e.g. "
    "'10,accountable_officer=15,independent_chair=20'",
}


@dataclass(frozen=True)
class Settings:
    """Everything the web app and the CLI need to know about their environment."""

    database_url: str = DEFAULT_DATABASE_URL
    secret_key: str = ""
    projections_mode: str = "background"
    read_your_writes_timeout: float = 5.0
    secure_cookies: bool = False
    log_format: str = "json"
    encryption_key: str = ""
    retention_person_years: int = 6
    signing_key_file: str = ""
    seal_interval: float = 2.0
    idempotency_lease: float = 60.0
    escalation_targets: dict[str, int] = field(default_factory=dict)
    session_idle_minutes: int = 30
    session_max_hours: int = 10
    ratelimit_storage_url: str = "memory://"
    signin_limit_per_address: str = "10 per minute;100 per hour"
    proxy_count: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the PVB_* variables, or raise ConfigurationError saying which is wrong."""
        env = os.environ if environ is None else environ
        mode = env.get("PVB_PROJECTIONS", "background").strip().lower()
        if mode not in PROJECTION_MODES:
            raise ConfigurationError("PVB_PROJECTIONS must be 'background', 'inline' or 'external'")
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
            signing_key_file=env.get("PVB_SIGNING_KEY_FILE", "").strip(),
            seal_interval=_seconds(env, "PVB_SEAL_INTERVAL", 2.0),
            idempotency_lease=_seconds(env, "PVB_IDEMPOTENCY_LEASE", 60.0),
            escalation_targets=_escalation_targets(env.get("PVB_ESCALATION_TARGET_DAYS", "")),
            session_idle_minutes=_positive(env, "PVB_SESSION_IDLE_MINUTES", 30, 24 * 60),
            session_max_hours=_positive(env, "PVB_SESSION_MAX_HOURS", 10, 24 * 7),
            ratelimit_storage_url=_ratelimit_storage(env.get("PVB_RATELIMIT_STORAGE_URL", "")),
            signin_limit_per_address=_limits(env, "PVB_SIGNIN_LIMIT_PER_ADDRESS", "10 per minute;100 per hour"),
            proxy_count=_whole_number(env, "PVB_PROXY_COUNT", 0),
        )

    def session_policy(self) -> SessionPolicy:
        """How long sessions last unused and at most."""
        return SessionPolicy(timedelta(minutes=self.session_idle_minutes), timedelta(hours=self.session_max_hours))

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


def _positive(env: Mapping[str, str], name: str, default: int, most: int) -> int:
    value = _whole_number(env, name, default)
    if not 1 <= value <= most:
        raise ConfigurationError(f"{name} must be between 1 and {most}")
    return value


def _ratelimit_storage(value: str) -> str:
    value = value.strip() or "memory://"
    if not value.startswith(("memory://", "redis://", "rediss://", "redis+sentinel://", "redis+cluster://")):
        raise ConfigurationError(
            "PVB_RATELIMIT_STORAGE_URL must be memory:// or a redis:// URL (never the ledger's database)"
        )
    return value


def _limits(env: Mapping[str, str], name: str, default: str) -> str:
    from limits import parse_many

    value = env.get(name, "").strip() or default
    try:
        parse_many(value)
    except ValueError:
        raise ConfigurationError(f"{name} must be limits such as '10 per minute;100 per hour'") from None
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    try:
        value = float(env.get(name, str(default)))
    except ValueError:
        raise ConfigurationError(f"{name} must be a number of seconds") from None
    if not 0.05 <= value <= 3600:
        raise ConfigurationError(f"{name} must be between 0.05 and 3600 seconds")
    return value


def _escalation_targets(value: str) -> dict[str, int]:
    """Working-day targets by concern stage, from '10' or '10,accountable_officer=15'."""
    name, stages = "PVB_ESCALATION_TARGET_DAYS", [s.value for s in OPEN_STAGES]
    default, targets = DEFAULT_TARGET_DAYS, {}
    for part in (p.strip() for p in value.split(",") if p.strip()):
        stage, _, days = part.rpartition("=")
        if stage and stage.strip() not in stages:
            raise ConfigurationError(f"{name}: unknown stage {stage.strip()!r}; use {', '.join(stages)}")
        if not days.strip().isdigit() or not 0 <= int(days) <= 365:
            raise ConfigurationError(f"{name}: {part!r} must give a whole number of days, 0 to 365")
        if stage:
            targets[stage.strip()] = int(days)
        else:
            default = int(days)
    return {stage: targets.get(stage, default) for stage in stages}
