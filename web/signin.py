"""Sign-in throttling that slows an attacker, not the user, counted outside the log.

1. Per client address first (flask-limiter): an address that has failed too often is refused
   before anything else is looked at, so guessing from one place is slow and cheap to refuse.
2. Per account, a delay that grows: the first FREE_FAILURES failures cost nothing; each one after
   that makes the next attempt on the account wait FIRST_DELAY, doubling up to MAX_DELAY. While
   the account waits, attempts are refused unchecked (so a guess can never land). The delay is
   never longer than MAX_DELAY, so nobody who does not know the password can keep an account
   out for longer; a successful sign-in clears it, and so does an administrator's unlock
   (``pvb users unlock``, an event: failures are then counted afresh, in every process).
3. Known and unknown usernames are treated alike, and nothing here writes to the ledger: the
   counts live in the rate limiter's store (memory, or Redis for several workers:
   PVB_RATELIMIT_STORAGE_URL), never in the ledger's own database, which attacker traffic must
   not load. Once a day, at SUMMARY_AT (UTC), whether or not anything failed, one event records
   the day's counts (``SignInDay.Summarised``).
"""

from __future__ import annotations

import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from flask import Flask, render_template, request
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

log = logging.getLogger("pvb")
FREE_FAILURES = 5
FIRST_DELAY = 15  # seconds
MAX_DELAY = 15 * 60
FAILURE_MEMORY = 24 * 3600  # failures older than a day (from the first) are forgotten
COUNT_MEMORY = 3 * 24 * 3600
SUMMARY_AT = clock_time(0, 5)  # UTC: yesterday's counts are written then, every day


def delay_after(failures: int, first: float = FIRST_DELAY, most: float = MAX_DELAY) -> int:
    """Seconds the account waits after this many failures in a row (0 for the free ones)."""
    if failures < FREE_FAILURES:
        return 0
    return max(1, int(min(first * 2 ** min(failures - FREE_FAILURES, 30), most)))


def _user_key(username: str, generation: int) -> str:
    return hashlib.sha256(f"{username}\0{generation}".encode()).hexdigest()[:32]


class SignInGuard:
    """The rate limiter of one app: address limits on POST /login, account delays, daily counts."""

    def __init__(self, app: Flask, storage_uri: str, address_limits: str, prefix: str = "pvb") -> None:
        self.limiter = Limiter(
            key_func=get_remote_address, app=app, storage_uri=storage_uri or "memory://",
            strategy="moving-window", key_prefix=prefix, default_limits=[], headers_enabled=False,
        )
        self.prefix = prefix
        self.first_delay, self.max_delay = FIRST_DELAY, MAX_DELAY  # tests shorten them
        # Called as hook(username, seconds) when an account starts to wait, known or not; the
        # notification work adds the one that emails the user (it must look the user up itself).
        self.waiting_hooks: list[Callable[[str, int], None]] = []
        login = app.view_functions["auth.login"]
        app.view_functions["auth.login"] = self.limiter.limit(
            address_limits, methods=["POST"], deduct_when=lambda response: response.status_code != 303,
        )(login)
        app.extensions["pvb_signin"] = self
        app.register_error_handler(RateLimitExceeded, self._address_refused)

    @property
    def storage(self) -> Any:
        """The limits storage (memory or Redis) the counts live in."""
        return self.limiter.storage

    def _key(self, *parts: str) -> str:
        return ":".join((self.prefix, "signin", *parts))

    def account_wait(self, username: str, generation: int) -> int:
        """Seconds before the account may be tried again (0: now)."""
        key = self._key("wait", _user_key(username, generation))
        if self.storage.get(key) <= 0:
            return 0
        return max(1, math.ceil(self.storage.get_expiry(key) - time.time()))

    def failed(self, username: str, generation: int) -> None:
        """Count a failed sign-in (unknown usernames alike); start the account's delay if due."""
        failures = self.storage.incr(self._key("failures", _user_key(username, generation)), FAILURE_MEMORY)
        delay = delay_after(failures, self.first_delay, self.max_delay)
        if delay:
            self.storage.incr(self._key("wait", _user_key(username, generation)), delay)
            for hook in self.waiting_hooks:
                hook(username, delay)
        self.count("failed")

    def succeeded(self, username: str, generation: int) -> None:
        """The password was right: the account's failures and delay are forgotten."""
        self.storage.clear(self._key("failures", _user_key(username, generation)))
        self.storage.clear(self._key("wait", _user_key(username, generation)))

    def count(self, kind: str, day: date | None = None) -> None:
        """Add one to today's count of 'failed' or 'refused' sign-ins."""
        day = day or datetime.now(UTC).date()
        self.storage.incr(self._key(kind, day.isoformat()), COUNT_MEMORY)

    def counts(self, day: date) -> tuple[int, int]:
        """The day's (failed, refused) sign-ins, as far as this store knows."""
        return (int(self.storage.get(self._key("failed", day.isoformat()))),
                int(self.storage.get(self._key("refused", day.isoformat()))))

    def _address_refused(self, error: RateLimitExceeded) -> Any:
        self.count("refused")
        retry = max(1, math.ceil(error.limit.limit.get_expiry())) if error.limit else 60
        message = (f"There have been too many failed sign-ins from your network. Try again in "
                   f"{_duration(retry)}.")
        if request.endpoint != "auth.login":  # only the sign-in form is limited today
            return message, 429, {"Retry-After": str(retry)}
        html = render_template("login.html", error=message, username=request.form.get("username", ""))
        return html, 429, {"Retry-After": str(retry)}


def _duration(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = math.ceil(seconds / 60)
    return f"{minutes} minutes"


def account_wait_message(seconds: int) -> str:
    """What the sign-in form says while an account must wait."""
    return (f"There have been too many failed sign-ins to this account. Wait {_duration(seconds)} and "
            f"try again, or ask an administrator to unlock it.")


class DailySummary:
    """A thread writing yesterday's sign-in counts at SUMMARY_AT (UTC) every day."""

    def __init__(self, write: Callable[[date], None], now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._write, self._now = write, now
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pvb-sign-in-summary", daemon=True)

    def start(self) -> None:
        """Start waiting for the next fixed time."""
        self._thread.start()

    def stop(self) -> None:
        """Stop waiting."""
        self._stop.set()

    def seconds_to_next(self) -> float:
        """Seconds from now to the next SUMMARY_AT."""
        now = self._now()
        at = datetime.combine(now.date(), SUMMARY_AT, tzinfo=UTC)
        if at <= now:
            at += timedelta(days=1)
        return (at - now).total_seconds()

    def _run(self) -> None:
        while not self._stop.wait(self.seconds_to_next()):
            try:
                self._write(self._now().date() - timedelta(days=1))
            except Exception:  # the database may be down: the day goes unsummarised, logged
                log.exception("could not write yesterday's sign-in summary")
            self._stop.wait(1)  # past the minute, so the next wait is a day
