"""Users, passwords, roles and API tokens: who is acting."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from application.base import Commands
from application.details import NewToken, TokenDetails, UserDetails
from domain.errors import DomainError, NotFoundError, ValidationError
from domain.user import User, check_password, user_id
from domain.values import Actor, Role

_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile
_DUMMY_HASH = _hasher.hash("not-a-real-password-0")


def use_password_hasher(hasher: PasswordHasher) -> None:
    """Choose argon2 parameters (tests use cheap ones; hashes carry their own parameters)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash("not-a-real-password-0")
MAX_TOKEN_DAYS = 365


class AuthenticationError(DomainError):
    """Sign-in failed; the message never says whether the user exists."""


def hash_token_secret(secret: str) -> str:
    """The stored form of a token's secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


class IdentityCommands(Commands):
    """Add users, sign them in, and issue and check API tokens."""

    def add_user(
        self,
        actor: Actor,
        *,
        username: str,
        password: str,
        role: str,
        organisation: str | None = None,
        person_id: str | None = None,
    ) -> str:
        """Add a login account; returns the username."""
        self._authorise(actor, "users.manage")
        try:
            the_role = Role.parse(role)
        except ValueError as e:
            raise ValidationError(str(e), field="role") from None
        check_password(password, username)
        if organisation:
            organisation = self.get_organisation(organisation).code  # type: ignore[attr-defined]
        user = User.add(
            username=username,
            role=the_role,
            organisation=organisation or None,
            person_id=person_id,
            password_hash=_hasher.hash(password),
            actor=actor,
            occurred_on=self._occurred(None),
        )
        if self._exists(user.id):
            raise ValidationError(f"username {username} is taken", field="username")
        self.save(user)
        return username

    def change_role(
        self, actor: Actor, username: str, *, role: str, organisation: str | None = None
    ) -> None:
        """Record a change of a user's role (and organisation)."""
        self._authorise(actor, "users.manage")
        try:
            the_role = Role.parse(role)
        except ValueError as e:
            raise ValidationError(str(e), field="role") from None
        user = self._user(username)
        user.change_role(the_role, organisation or None, actor, self._occurred(None))
        self.save(user)

    def set_password(self, actor: Actor, username: str, password: str) -> None:
        """Set a user's password (their own, or anyone's for an administrator)."""
        if actor.user_id != username:
            self._authorise(actor, "users.manage")
        user = self._user(username)
        check_password(password, username)
        user.set_password(_hasher.hash(password), actor, self._occurred(None))
        self.save(user)

    def disable_user(self, actor: Actor, username: str, reason: str) -> None:
        """Disable an account; it can no longer sign in or use its tokens."""
        self._authorise(actor, "users.manage")
        user = self._user(username)
        user.disable(reason, actor, self._occurred(None))
        self.save(user)

    def authenticate(self, username: str, password: str) -> Actor:
        """Check a password sign-in, record the attempt, and return the actor."""
        generic = AuthenticationError("the username or password is not right, or the account is locked")
        try:
            user = self._user(username)
        except (NotFoundError, ValidationError):
            _verify(_DUMMY_HASH, password)
            raise generic from None
        ok = _verify(user.password_hash, password)
        now = self._now()
        if user.disabled or user.is_locked(now) or not ok:
            user.record_sign_in(False, now.date())
            self.save(user)
            raise generic
        user.record_sign_in(True, now.date())
        self.save(user)
        return user.as_actor()

    def record_sign_out(self, actor: Actor) -> None:
        """Record that the user signed out."""
        user = self._user(actor.user_id)
        user.record_sign_out(self._occurred(None))
        self.save(user)

    def create_token(
        self, actor: Actor, username: str, *, scope: str = "read", days: int = 90, label: str = ""
    ) -> NewToken:
        """Issue an API token; the secret is returned once and only its hash is kept."""
        if actor.user_id != username:
            self._authorise(actor, "users.manage")
        else:
            self._authorise(actor, "tokens.own")
        if not 1 <= days <= MAX_TOKEN_DAYS:
            raise ValidationError(f"days must be between 1 and {MAX_TOKEN_DAYS}", field="days")
        user = self._user(username)
        token_id = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        expires_at = self._now() + timedelta(days=days)
        user.create_token(
            token_id=token_id,
            token_hash=hash_token_secret(secret),
            scope=scope,
            expires_at=expires_at,
            label=label,
            actor=actor,
            occurred_on=self._occurred(None),
        )
        self.save(user)
        return NewToken(token_id, f"pvb_{user.id.hex}_{token_id}_{secret}", scope, expires_at)

    def revoke_token(self, actor: Actor, username: str, token_id: str) -> None:
        """Revoke an API token."""
        if actor.user_id != username:
            self._authorise(actor, "users.manage")
        user = self._user(username)
        user.revoke_token(token_id, actor, self._occurred(None))
        self.save(user)

    def authenticate_token(self, token: str) -> tuple[Actor, str]:
        """Check a bearer token; return the actor and the token's scope."""
        bad = AuthenticationError("the API token is not valid, has expired or was revoked")
        parts = (token or "").split("_", 3)
        if len(parts) != 4 or parts[0] != "pvb":
            raise bad
        try:
            user = self._load(User, UUID(hex=parts[1]), "user")
        except (ValueError, NotFoundError):
            raise bad from None
        details = user.tokens.get(parts[2])
        if (
            details is None
            or details["revoked"]
            or user.disabled
            or details["expires_at"] <= self._now()
            or not hmac.compare_digest(details["hash"], hash_token_secret(parts[3]))
        ):
            raise bad
        return user.as_actor(), details["scope"]

    def get_user(self, username: str) -> UserDetails:
        """A login account with its tokens (never their secrets)."""
        user = self._user(username)
        tokens = tuple(
            TokenDetails(tid, t["label"], t["scope"], t["expires_at"], t["revoked"], t["created_at"])
            for tid, t in user.tokens.items()
        )
        return UserDetails(
            user.username, user.role.value, user.organisation, user.person_id, user.disabled, tokens
        )

    def user_exists(self, username: str) -> bool:
        """True if the username is taken."""
        try:
            return self._exists(user_id(username))
        except ValueError:
            return False

    def _user(self, username: str) -> User:
        return self._load(User, user_id(username or ""), f"user {username}")


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False

