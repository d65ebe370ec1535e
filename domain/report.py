"""The Independent Chair's six-monthly report to the Programme Board, drafted, edited, published.

The ledger drafts the figures from its views; the Independent Chair writes the narrative
(their assessment, actions taken and proposed) and publishes. Publishing freezes the whole
content in the event with its SHA-256 hash, so what was published can always be shown
exactly, and checked, however the ledger changes afterwards. The content ends with the signed
checkpoint of the sealed log (size, root hash, time, key id and signature) current when the
figures were drawn, so a reader can check offline that the log the figures came from is the one
the ledger still proves. Figures carry no names: a
published report must not hold personal data that erasure could not reach.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.periods import Period
from domain.values import Actor

SIX_MONTHLY = "six_monthly"
KINDS = (SIX_MONTHLY,)
MAX_NARRATIVE = 20_000


def report_id(kind: str, period: str) -> UUID:
    """The stable aggregate id of the report of a kind for a period (one each)."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:report:{kind}:{period}")


def canonical_json(content: dict[str, Any]) -> bytes:
    """The content as canonical JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(content: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of the content, in hex."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


class Report(LedgerAggregate):
    """One report for one period: its draft figures, its narrative, and once published, frozen."""

    class Drafted(LedgerAggregate.Created):
        """The ledger drafted the report's figures from its views."""

        kind: str
        period: str
        period_start: date
        period_end: date
        figures: dict[str, Any]
        position: int  # the log position the figures were drawn from
        checkpoint: dict[str, Any]  # the signed checkpoint current when they were drawn

        def apply(self, r: Report) -> None:
            r.kind, r.period = self.kind, self.period
            r.period_start, r.period_end = self.period_start, self.period_end
            r.figures, r.position, r.narrative = self.figures, self.position, ""
            r.checkpoint = self.checkpoint
            r.published_on, r.content, r.hash = None, None, None

    class Redrafted(LedgerAggregate.Event):
        """The figures were drawn again from the ledger as it now stands."""

        figures: dict[str, Any]
        position: int
        checkpoint: dict[str, Any]

        def apply(self, r: Report) -> None:
            r.figures, r.position, r.checkpoint = self.figures, self.position, self.checkpoint

    class NarrativeEdited(LedgerAggregate.Event):
        """The Independent Chair wrote or changed the narrative."""

        narrative: str

        def apply(self, r: Report) -> None:
            r.narrative = self.narrative

    class Published(LedgerAggregate.Event):
        """The report was published to the Programme Board; its content is frozen here."""

        content: dict[str, Any]
        content_hash: str

        def apply(self, r: Report) -> None:
            r.published_on, r.content, r.hash = self.occurred_on, self.content, self.content_hash

    kind: str
    period: str
    period_start: date
    period_end: date
    figures: dict[str, Any]
    position: int
    checkpoint: dict[str, Any]
    narrative: str
    published_on: date | None
    content: dict[str, Any] | None
    hash: str | None

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def draft(
        cls, kind: str, period: Period, figures: dict[str, Any], position: int, checkpoint: dict[str, Any],
        actor: Actor, occurred_on: date,
    ) -> Report:
        """Record the first draft of a report."""
        if kind not in KINDS:
            raise ValidationError(f"kind must be one of: {', '.join(KINDS)}", field="kind")
        if period.start > occurred_on:
            raise ValidationError(f"{period.label} has not begun yet", field="period")
        return cls._start(
            cls.Drafted, actor, occurred_on, id=report_id(kind, period.key), kind=kind,
            period=period.key, period_start=period.start, period_end=period.end,
            figures=figures, position=position, checkpoint=_check_checkpoint(checkpoint),
        )

    def redraft(
        self, figures: dict[str, Any], position: int, checkpoint: dict[str, Any], actor: Actor, occurred_on: date
    ) -> None:
        """Draw the figures again from the ledger as it now stands."""
        self._check_unpublished()
        self._record(self.Redrafted, actor, occurred_on, figures=figures, position=position,
                     checkpoint=_check_checkpoint(checkpoint))

    def edit_narrative(self, narrative: str, actor: Actor, occurred_on: date) -> None:
        """Record the narrative as the Independent Chair now has it."""
        self._check_unpublished()
        text = check_text(narrative, "narrative", max_length=MAX_NARRATIVE)
        if text == self.narrative:
            raise RuleViolationError("the narrative is unchanged")
        self._record(self.NarrativeEdited, actor, occurred_on, narrative=text)

    def publish(self, actor: Actor, occurred_on: date) -> str:
        """Freeze the content and record its hash; returns the hash."""
        self._check_unpublished()
        if not self.narrative:
            raise RuleViolationError(
                f"write the narrative of the {self.period} report before publishing it"
            )
        content = {
            "kind": self.kind,
            "period": self.period,
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "figures": self.figures,
            "narrative": self.narrative,
            "drawn_from_position": self.position,
            "published_on": occurred_on.isoformat(),
            "published_by": actor.user_id,
            "checkpoint": self.checkpoint,
        }
        digest = content_hash(content)
        self._record(self.Published, actor, occurred_on, content=content, content_hash=digest)
        return digest

    @property
    def is_published(self) -> bool:
        """True once the report has been published and frozen."""
        return self.published_on is not None

    def _check_unpublished(self) -> None:
        if self.published_on is not None:
            raise RuleViolationError(
                f"the {self.period} report was published on {self.published_on} and is frozen"
            )


CHECKPOINT_FIELDS = ("origin", "size", "root_hash", "time", "key_id", "signature", "body")


def _check_checkpoint(checkpoint: dict[str, Any]) -> dict[str, Any]:
    """A report is drawn from a signed checkpoint: refuse one that lacks any of its parts."""
    missing = [f for f in CHECKPOINT_FIELDS if checkpoint.get(f) in (None, "")]
    if missing:
        raise ValidationError(f"the checkpoint the report is drawn from lacks: {', '.join(missing)}",
                              field="checkpoint")
    return {f: checkpoint[f] for f in CHECKPOINT_FIELDS}
