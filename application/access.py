"""Cases granted to regulators and the HWB, and the recorded reads of confidential records."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from application.base import Commands
from domain.access import CaseAccess, RecordReads, case_access_id, record_reads_id
from domain.concern_routes import concern_id, parse_reference
from domain.errors import NotFoundError, ValidationError
from domain.values import Actor, Role

if TYPE_CHECKING:
    from domain.concern import Concern
    from domain.user import User

READ_ATTEMPTS = 3
A = TypeVar("A")


class AccessCommands(Commands):
    """Grant and revoke a regulator's access to a case; record who read a confidential record."""

    if TYPE_CHECKING:

        def _concern(self, reference: str) -> Concern: ...
        def _user(self, username: str) -> User: ...

    def grant_case_access(
        self, actor: Actor, reference: str, *, username: str, reason: str, occurred_on: date | None = None
    ) -> str:
        """An investigator lets a regulator or HWB user read one concern; returns its reference."""
        self._authorise(actor, "concerns.grant")
        when = self._occurred(occurred_on)
        concern = self._concern(reference)
        user = self._grantee(username)
        access = self._case_access(str(concern.id))
        if access is None:
            access = CaseAccess.open(concern_id=str(concern.id), reference=concern.reference, actor=actor,
                                     occurred_on=when)
        access.grant(actor, user.username, user.role, reason, when)
        self.save(access)
        return concern.reference

    def revoke_case_access(
        self, actor: Actor, reference: str, *, username: str, reason: str, occurred_on: date | None = None
    ) -> str:
        """An investigator withdraws a grant; returns the concern's reference."""
        self._authorise(actor, "concerns.grant")
        when = self._occurred(occurred_on)
        concern = self._concern(reference)
        access = self._case_access(str(concern.id))
        if access is None or username.strip().lower() not in access.grants:
            raise NotFoundError(f"{username} has no access to {concern.reference} to revoke")
        access.revoke(actor, username.strip().lower(), reason, when)
        self.save(access)
        return concern.reference

    def case_grants(self, reference: str) -> dict[str, date]:
        """The users a concern is granted to now, with the day of each grant."""
        try:
            cid = str(concern_id(parse_reference(reference)))
        except NotFoundError:
            return {}
        access = self._case_access(cid)
        return dict(access.grants) if access else {}

    def record_read(self, actor: Actor, record: str, what: list[str]) -> bool:
        """Record that the actor read a confidential record today; False if already recorded today.

        One aggregate per record per day keeps each check to one small load; a concurrent first
        read of the same record is retried against the aggregate the other request saved.
        """
        if not what:
            return False
        day = self._now().date()
        for attempt in range(READ_ATTEMPTS):
            reads = self._reads(record, day)
            if reads is None:
                reads = RecordReads.first(record=record, day=day, actor=actor, what=what)
            elif not reads.read(actor, what):
                return False
            try:
                self.save(reads)
            except IntegrityError:
                if attempt + 1 == READ_ATTEMPTS:
                    raise
                continue
            return True
        raise AssertionError("unreachable")  # pragma: no cover

    def _grantee(self, username: str) -> User:
        name = (username or "").strip().lower()
        if not name:
            raise ValidationError("username must name a regulator or HWB user", field="username")
        try:
            return self._user(name)
        except (NotFoundError, ValueError):
            raise ValidationError(f"no user called {name!r}", field="username") from None

    def _case_access(self, cid: str) -> CaseAccess | None:
        return self._maybe(CaseAccess, case_access_id(cid))

    def _reads(self, record: str, day: date) -> RecordReads | None:
        return self._maybe(RecordReads, record_reads_id(record, day))

    def _maybe(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or None if it was never saved (one read either way)."""
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None
        return aggregate if isinstance(aggregate, cls) else None


def is_grantee_role(role: Role) -> bool:
    """True for the roles that see concerns only when granted a case."""
    return role in (Role.REGULATOR, Role.HWB)
