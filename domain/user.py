"""Users who sign in, the role they act in, and their API tokens."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.passwords import MIN_PASSWORD_LENGTH, check_password
from domain.values import Actor, Role

__all__ = ["MIN_PASSWORD_LENGTH", "USERNAME_PATTERN", "User", "check_password", "user_id"]
USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,39}$")
TOKEN_SCOPES = ("read", "write")


def user_id(username: str) -> UUID:
    """The stable aggregate id of a username."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:user:{username}")


class _AsRole:
    """A user's role, always a Role: a snapshot (every 50 events) keeps only its text in JSON."""

    def __get__(self, user: Any, owner: Any = None) -> Any:
        return self if user is None else Role(user.__dict__["role"])

    def __set__(self, user: Any, value: Any) -> None:
        user.__dict__["role"] = Role(value)


class User(LedgerAggregate):
    """A login account acting in one role, optionally for one organisation."""

    class Added(LedgerAggregate.Created):
        """An administrator added the user."""

        username: str
        role: str
        organisation: str | None
        person_id: str | None
        password_hash: str

        def apply(self, user: User) -> None:
            user.username, user.role = self.username, Role(self.role)
            user.organisation, user.person_id = self.organisation, self.person_id
            user.password_hash, user.tokens, user.disabled = self.password_hash, {}, False
            user.failed_attempts, user.last_failed_at = 0, None

    class PasswordSet(LedgerAggregate.Event):
        """The user's password was changed (only its hash is kept)."""

        password_hash: str

        def apply(self, user: User) -> None:
            user.password_hash = self.password_hash

    class RoleChanged(LedgerAggregate.Event):
        """The user's role or organisation changed."""

        role: str
        organisation: str | None
        previous_role: str

        def apply(self, user: User) -> None:
            user.role, user.organisation = Role(self.role), self.organisation

    class TokenCreated(LedgerAggregate.Event):
        """An API token was issued; only its hash is kept."""

        token_id: str
        token_hash: str
        scope: str
        expires_at: datetime
        label: str

        def apply(self, user: User) -> None:
            user.tokens[self.token_id] = {
                "hash": self.token_hash,
                "scope": self.scope,
                "expires_at": self.expires_at,
                "label": self.label,
                "revoked": False,
                "created_at": self.timestamp,
            }

    class TokenRevoked(LedgerAggregate.Event):
        """An API token was revoked."""

        token_id: str

        def apply(self, user: User) -> None:
            user.tokens[self.token_id]["revoked"] = True

    class SignedIn(LedgerAggregate.Event):
        """The user signed in to the web UI."""

        def apply(self, user: User) -> None:
            user.failed_attempts, user.last_failed_at = 0, None

    class SignInFailed(LedgerAggregate.Event):
        """A sign-in with this username failed (recorded before issue 31; failures are now
        counted outside the log and summarised once a day, see SignInDay)."""

        def apply(self, user: User) -> None:
            user.failed_attempts += 1
            user.last_failed_at = self.timestamp

    class SignedOut(LedgerAggregate.Event):
        """The user signed out."""

        def apply(self, user: User) -> None:
            pass

    class Disabled(LedgerAggregate.Event):
        """The account was disabled; it can no longer sign in or use tokens."""

        reason: str

        def apply(self, user: User) -> None:
            user.disabled = True

    class Enabled(LedgerAggregate.Event):
        """A disabled account was enabled again."""

        reason: str

        def apply(self, user: User) -> None:
            user.disabled = False

    class Unlocked(LedgerAggregate.Event):
        """An administrator cleared the account's sign-in delay after failed sign-ins."""

        reason: str

        def apply(self, user: User) -> None:
            user.unlocks = user.unlock_count + 1

    class PersonLinked(LedgerAggregate.Event):
        """The account was linked to the person in the directory it acts as."""

        person_id: str

        def apply(self, user: User) -> None:
            user.person_id = self.person_id

    username: str
    role = _AsRole()
    organisation: str | None
    person_id: str | None
    password_hash: str
    tokens: dict[str, dict]
    disabled: bool
    failed_attempts: int
    last_failed_at: datetime | None
    unlocks: int

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def add(
        cls,
        *,
        username: str,
        role: Role,
        organisation: str | None,
        person_id: str | None,
        password_hash: str,
        actor: Actor,
        occurred_on: date,
    ) -> User:
        """Add a login account."""
        if not USERNAME_PATTERN.match(username or ""):
            raise ValidationError(
                "username must be 2-40 lower-case letters, digits, dots, dashes or underscores, "
                "starting with a letter",
                field="username",
            )
        return cls._start(
            cls.Added,
            actor,
            occurred_on,
            id=user_id(username),
            username=username,
            role=role.value,
            organisation=organisation,
            person_id=person_id,
            password_hash=password_hash,
        )

    def as_actor(self) -> Actor:
        """The actor this user acts as."""
        return Actor(self.username, self.role, self.organisation, self.person_id)

    def set_password(self, password_hash: str, actor: Actor, occurred_on: date) -> None:
        """Record a new password hash."""
        self._record(self.PasswordSet, actor, occurred_on, password_hash=password_hash)

    def change_role(
        self, role: Role, organisation: str | None, actor: Actor, occurred_on: date
    ) -> None:
        """Record a change of role or organisation."""
        if role == self.role and organisation == self.organisation:
            raise RuleViolationError(f"user {self.username} already has that role")
        self._record(
            self.RoleChanged,
            actor,
            occurred_on,
            role=role.value,
            organisation=organisation,
            previous_role=self.role.value,
        )

    def create_token(
        self,
        *,
        token_id: str,
        token_hash: str,
        scope: str,
        expires_at: datetime,
        label: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Record a new API token by its hash."""
        self._check_enabled()
        if scope not in TOKEN_SCOPES:
            raise ValidationError(f"scope must be one of {', '.join(TOKEN_SCOPES)}", field="scope")
        self._record(
            self.TokenCreated,
            actor,
            occurred_on,
            token_id=token_id,
            token_hash=token_hash,
            scope=scope,
            expires_at=expires_at,
            label=label[:100],
        )

    def revoke_token(self, token_id: str, actor: Actor, occurred_on: date) -> None:
        """Record that a token may no longer be used."""
        token = self.tokens.get(token_id)
        if token is None:
            raise NotFoundError(f"user {self.username} has no token {token_id}")
        if token["revoked"]:
            raise RuleViolationError(f"token {token_id} is already revoked")
        self._record(self.TokenRevoked, actor, occurred_on, token_id=token_id)

    def record_sign_in(self, succeeded: bool, occurred_on: date) -> None:
        """Record a sign-in attempt by this user."""
        event = self.SignedIn if succeeded else self.SignInFailed
        self._record(event, self.as_actor(), occurred_on)

    def record_sign_out(self, occurred_on: date) -> None:
        """Record a sign-out."""
        self._record(self.SignedOut, self.as_actor(), occurred_on)

    def disable(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record that the account is disabled."""
        self._check_enabled()
        self._record(self.Disabled, actor, occurred_on, reason=check_text(reason, "reason", max_length=500))

    def enable(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record that a disabled account may sign in again."""
        if not self.disabled:
            raise RuleViolationError(f"user {self.username} is not disabled")
        self._record(self.Enabled, actor, occurred_on, reason=check_text(reason, "reason", max_length=500))

    def unlock(self, reason: str, actor: Actor, occurred_on: date) -> None:
        """Record that the sign-in delay built up by failed sign-ins is cleared."""
        self._record(self.Unlocked, actor, occurred_on, reason=check_text(reason, "reason", max_length=500))

    def link_person(self, person_id: str, actor: Actor, occurred_on: date) -> None:
        """Record the person in the directory this account acts as."""
        if person_id == self.person_id:
            raise RuleViolationError(f"user {self.username} is already linked to that person")
        self._record(self.PersonLinked, actor, occurred_on, person_id=person_id)

    @property
    def unlock_count(self) -> int:
        """How many times the account was unlocked (snapshots taken before issue 31 lack it)."""
        return int(self.__dict__.get("unlocks", 0))

    def _check_enabled(self) -> None:
        if self.disabled:
            raise RuleViolationError(f"user {self.username} is disabled")
