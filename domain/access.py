"""Access beyond one's place: cases granted to regulators, and reads of confidential records.

Regulators and the Health and Wellbeing Board see concerns only as anonymised statistics; an
investigator may grant one of their users a case (``CaseAccess.Granted``) and revoke it later.
Reading a confidential record (a concern's narrative, a confidential raiser's identity, an
investigator's timeline) is recorded in ``RecordReads``: one aggregate per record per day,
holding one event per reader (and per new kind of thing read) that day, so that a page records
its first read and every refresh after it writes nothing.
"""

from __future__ import annotations

from datetime import date
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.values import Actor, Role

GRANTABLE_ROLES = (Role.REGULATOR, Role.HWB, Role.INVESTIGATOR)
_NAMESPACE = uuid5(NAMESPACE_URL, "https://pvb-ledger/access")


def case_access_id(concern_id: str) -> UUID:
    """The id of a concern's CaseAccess aggregate."""
    return uuid5(_NAMESPACE, f"case-access:{concern_id}")


def concern_record(reference: str) -> str:
    """The key under which a concern's reads are recorded."""
    return f"concern:{reference.upper()}"


def record_reads_id(record: str, day: date) -> UUID:
    """The id of the aggregate holding a record's reads on one day."""
    return uuid5(_NAMESPACE, f"reads:{record}:{day.isoformat()}")


class CaseAccess(LedgerAggregate):
    """Which regulator and HWB users an investigator has granted one concern to."""

    class Opened(LedgerAggregate.Created):
        """The first grant on a concern opens its access list."""

        concern_id: str
        reference: str

        def apply(self, a: CaseAccess) -> None:
            a.concern_id, a.reference, a.grants = self.concern_id, self.reference, {}

    class Granted(LedgerAggregate.Event):
        """An investigator let a regulator or HWB user read the case."""

        user_id: str
        user_role: str
        reason: str

        def apply(self, a: CaseAccess) -> None:
            a.grants[self.user_id] = self.occurred_on

    class Revoked(LedgerAggregate.Event):
        """An investigator withdrew a grant."""

        user_id: str
        reason: str

        def apply(self, a: CaseAccess) -> None:
            a.grants.pop(self.user_id, None)

    concern_id: str
    reference: str
    grants: dict[str, date]

    def __init__(self) -> None:
        """State is set by the events' apply methods."""

    @classmethod
    def open(cls, *, concern_id: str, reference: str, actor: Actor, occurred_on: date) -> CaseAccess:
        """The (empty) access list of a concern."""
        return cls._start(
            cls.Opened, actor, occurred_on, id=case_access_id(concern_id),
            concern_id=concern_id, reference=reference,
        )

    def grant(self, actor: Actor, user_id: str, user_role: Role, reason: str, occurred_on: date) -> None:
        """Grant the case to a regulator or HWB user (who may then read it), or to another
        investigator (who may then know a confidential raiser)."""
        if user_role not in GRANTABLE_ROLES:
            raise ValidationError(
                f"{user_id} is a {user_role.value}: cases are granted only to regulators, the "
                "Health and Wellbeing Board and investigators; others read a concern by their place in its chain",
                field="username",
            )
        if user_id == actor.user_id:
            raise RuleViolationError("a case is granted to you by another investigator, not by yourself")
        if user_id in self.grants:
            raise RuleViolationError(f"{user_id} already has access to {self.reference}")
        reason = check_text(reason, "reason", max_length=2000)
        self._record(self.Granted, actor, occurred_on, user_id=user_id, user_role=user_role.value, reason=reason)

    def revoke(self, actor: Actor, user_id: str, reason: str, occurred_on: date) -> None:
        """Withdraw a grant."""
        if user_id not in self.grants:
            raise RuleViolationError(f"{user_id} has no access to {self.reference} to revoke")
        reason = check_text(reason, "reason", max_length=2000)
        self._record(self.Revoked, actor, occurred_on, user_id=user_id, reason=reason)


class RecordReads(LedgerAggregate):
    """Who read one confidential record on one day, and what of it they saw."""

    class FirstRead(LedgerAggregate.Created):
        """The record's first read of the day."""

        record: str
        day: date
        what: list[str]

        def apply(self, r: RecordReads) -> None:
            r.record, r.day = self.record, self.day
            r.readers = {self.actor_id: set(self.what)}

    class Read(LedgerAggregate.Event):
        """Someone else read it that day, or the same reader saw more of it."""

        what: list[str]

        def apply(self, r: RecordReads) -> None:
            r.readers.setdefault(self.actor_id, set()).update(self.what)

    record: str
    day: date
    readers: dict[str, set[str]]

    def __init__(self) -> None:
        """State is set by the events' apply methods."""

    @classmethod
    def first(cls, *, record: str, day: date, actor: Actor, what: list[str]) -> RecordReads:
        """The day's first read of a record."""
        return cls._start(
            cls.FirstRead, actor, day, id=record_reads_id(record, day), record=record, day=day,
            what=sorted(set(what)),
        )

    def read(self, actor: Actor, what: list[str]) -> bool:
        """Note a read; False (and nothing recorded) if this reader saw all of it today already."""
        new = set(what) - self.readers.get(actor.user_id, set())
        if not new:
            return False
        self._record(self.Read, actor, self.day, what=sorted(new))
        return True
