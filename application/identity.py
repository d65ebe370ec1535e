"""Users, passwords, roles and API tokens: who is acting."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from eventsourcing.persistence import IntegrityError

from application.base import Commands
from application.details import NewToken, TokenDetails, UserDetails
from application.sessions import SessionPolicy, SessionStore
from domain.errors import DomainError, NotFoundError, RuleViolationError, ValidationError
from domain.permissions import acts_as_person
from domain.sign_ins import SignInDay, sign_in_day_id
from domain.user import User, check_password, user_id
from domain.values import SYSTEM, Actor, Role

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
    """Add users, sign them in, keep their sessions, and issue and check API tokens."""

    sessions: SessionStore
    recorder: Any

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
        person_id = self._check_person_link(the_role, organisation or None, person_id)
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
        self, actor: Actor, username: str, *, role: str, organisation: str | None = None,
        person_id: str | None = None,
    ) -> None:
        """Record a change of a user's role (and organisation, and person); their sessions end."""
        self._authorise(actor, "users.manage")
        try:
            the_role = Role.parse(role)
        except ValueError as e:
            raise ValidationError(str(e), field="role") from None
        user = self._user(username)
        if organisation:
            organisation = self.get_organisation(organisation).code  # type: ignore[attr-defined]
        person = self._check_person_link(the_role, organisation or None, person_id or user.person_id)
        when = self._occurred(None)
        if (the_role, organisation or None) != (user.role, user.organisation):
            user.change_role(the_role, organisation or None, actor, when)
        if person and person != user.person_id:
            user.link_person(person, actor, when)
        if not user.pending_events:
            raise RuleViolationError(f"user {username} already has that role")
        self.save(user)
        self.sessions.end_all(user.username)

    def set_password(self, actor: Actor, username: str, password: str, keep_session: str | None = None) -> None:
        """Set a user's password (their own, or anyone's for an administrator); every other
        session of theirs ends (keep_session: the one the user changed it from)."""
        if actor.user_id != username:
            self._authorise(actor, "users.manage")
        user = self._user(username)
        check_password(password, username)
        user.set_password(_hasher.hash(password), actor, self._occurred(None))
        self.save(user)
        self.sessions.end_all(user.username, keep=keep_session if actor.user_id == username else None)

    def disable_user(self, actor: Actor, username: str, reason: str) -> None:
        """Disable an account: it can no longer sign in or use its tokens, and its sessions end."""
        self._authorise(actor, "users.manage")
        user = self._user(username)
        if actor.user_id == user.username:
            raise RuleViolationError("you cannot disable your own account; ask another administrator")
        user.disable(reason, actor, self._occurred(None))
        self.save(user)
        self.sessions.end_all(user.username)

    def enable_user(self, actor: Actor, username: str, reason: str) -> None:
        """Let a disabled account sign in again."""
        self._authorise(actor, "users.manage")
        user = self._user(username)
        user.enable(reason, actor, self._occurred(None))
        self.save(user)

    def unlock_user(self, actor: Actor, username: str, reason: str) -> None:
        """Clear the sign-in delay failed sign-ins built up on an account (a new count starts)."""
        self._authorise(actor, "users.manage")
        user = self._user(username)
        user.unlock(reason, actor, self._occurred(None))
        self.save(user)

    def sign_in_generation(self, username: str) -> int:
        """How many times the account was unlocked (0 for a username nobody has): failed
        sign-ins are counted afresh after each unlock."""
        try:
            return self._user(username).unlock_count
        except (NotFoundError, ValueError):
            return 0

    def authenticate(self, username: str, password: str) -> Actor:
        """Check a password sign-in; a success is recorded, a failure is not (it is counted
        outside the log, so the log's size never tells whether a username exists)."""
        generic = AuthenticationError("the username or password is not right")
        try:
            user = self._user(username)
        except (NotFoundError, ValidationError, ValueError):
            _verify(_DUMMY_HASH, password)
            raise generic from None
        ok = _verify(user.password_hash, password)
        if user.disabled or not ok:
            raise generic
        user.record_sign_in(True, self._occurred(None))
        self.save(user)
        return user.as_actor()

    def start_session(self, actor: Actor, policy: SessionPolicy) -> str:
        """A new server-side session for a user who just signed in; returns its id."""
        return self.sessions.start(actor.user_id, self._now(), policy)

    def session_actor(self, session_id: str, policy: SessionPolicy) -> Actor | None:
        """The actor of a live session, with the user's role, organisation and person as the
        ledger has them now; None if the session is over or the account disabled."""
        username = self.sessions.user_of(session_id, self._now(), policy)
        if username is None:
            return None
        return self.current_actor(username)

    def current_actor(self, username: str) -> Actor | None:
        """The user as they act now, or None if there is no such user or the account is disabled."""
        try:
            user = self._user(username)
        except (NotFoundError, ValueError):
            return None
        return None if user.disabled else user.as_actor()

    def end_session(self, session_id: str) -> None:
        """End one session (signing out)."""
        self.sessions.end(session_id)

    def record_sign_out(self, actor: Actor) -> None:
        """Record that the user signed out."""
        user = self._user(actor.user_id)
        user.record_sign_out(self._occurred(None))
        self.save(user)

    def summarise_sign_ins(self, day: date, failed: int, refused: int) -> bool:
        """Write a day's summary of failed and refused sign-ins; False if it was already written."""
        if self._exists(sign_in_day_id(day)):
            return False
        summary = SignInDay.summarise(day=day, failed=failed, refused=refused, actor=SYSTEM,
                                      occurred_on=self._now().date())
        try:
            self.save(summary)
        except IntegrityError:  # another process wrote it first
            return False
        return True

    def list_users(self, *, unlinked: bool = False) -> list[UserDetails]:
        """Every login account by username (unlinked: only those whose role acts as a person
        and who are not linked to one)."""
        topic = f"{User.Added.__module__}:{User.Added.__qualname__}"
        ids, start = [], 1
        while True:
            batch = self.recorder.select_notifications(start, 1000, topics=[topic])
            ids += [n.originator_id for n in batch]
            if len(batch) < 1000:
                break
            start = batch[-1].id + 1
        users = [self._load(User, uid, "user", read_only=True) for uid in ids]
        if unlinked:
            users = [u for u in users if acts_as_person(u.role) and not u.person_id]
        return sorted((self._details(u) for u in users), key=lambda d: d.username)

    def _check_person_link(self, role: Role, organisation: str | None, person_id: str | None) -> str | None:
        """An account whose role acts as a person (raises, votes, nominates, takes a Chief
        Executive's or Chair's step) must be linked to a current person of its organisation."""
        if not person_id:
            if acts_as_person(role):
                raise ValidationError(
                    f"a {role.value} account acts as a person: link it to the person it is with "
                    f"--person (their id in the directory: pvb people list)",
                    field="person_id",
                )
            return None
        try:
            person = self.get_person(person_id)  # type: ignore[attr-defined]
        except (NotFoundError, ValueError):
            raise ValidationError(f"no person {person_id} in the directory", field="person_id") from None
        if person.left_on is not None:
            raise ValidationError(f"{person.name} left on {person.left_on}", field="person_id")
        if organisation and person.organisation != organisation:
            raise ValidationError(
                f"{person.name} is at {person.organisation}, not {organisation}", field="person_id"
            )
        return person.id

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
        return self._details(self._user(username))

    @staticmethod
    def _details(user: User) -> UserDetails:
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

