"""The Independent Chair's six-monthly report to the Programme Board: drafted, edited, published, corrected.

The ledger draws the figures from its log (domain/figures); the Independent Chair writes the
narrative and, on publishing, a public summary. Publishing freezes the content in the event with
its SHA-256 hash: the figures (counts, medians, ratings, shares), references to any quoted text
(event positions and fields, never the text, which is personal data an erasure must reach), the
log position and signed checkpoint the figures were drawn at, the day they were counted to and
the bank holidays used. A published edition is never changed: a mistake is put right by a corrected
edition, drafted and published the same way, which names the edition it supersedes and why; the
superseded edition stays readable and is marked so (``Superseded``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.figures import undrawn
from domain.periods import Period
from domain.values import Actor

SIX_MONTHLY = "six_monthly"
KINDS = (SIX_MONTHLY,)
MAX_NARRATIVE = 20_000
MAX_SUMMARY = 2_000
MAX_REASON = 2_000


def report_id(kind: str, period: str, edition: int = 1) -> UUID:
    """The stable aggregate id of an edition of the report of a kind for a period."""
    suffix = "" if edition == 1 else f":edition-{edition}"
    return uuid5(NAMESPACE_URL, f"pvb-ledger:report:{kind}:{period}{suffix}")


def canonical_json(content: dict[str, Any]) -> bytes:
    """The content as canonical JSON bytes: sorted keys, no spaces, UTF-8."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def content_hash(content: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of the content, in hex."""
    return hashlib.sha256(canonical_json(content)).hexdigest()


def names_in(text: str, names: Iterable[str], usernames: Iterable[str]) -> list[str]:
    """The directory's names (any case) and usernames (as written) that a text contains as whole words."""
    found = []
    for name in sorted({n.strip() for n in names if n and n.strip()}):
        if re.search(rf"(?<![\w]){re.escape(name)}(?![\w])", text, re.IGNORECASE):
            found.append(name)
    for username in sorted({u for u in usernames if u}):
        if re.search(rf"(?<![\w.@-]){re.escape(username)}(?![\w.@-])", text):
            found.append(username)
    return found


class Report(LedgerAggregate):
    """One edition of the report for one period: its figures, narrative, and once published, frozen."""

    class Drafted(LedgerAggregate.Created):
        """The ledger drew the figures of the first edition."""

        kind: str
        period: str
        period_start: date
        period_end: date
        figures: dict[str, Any]
        position: int  # the log position the figures were drawn at
        checkpoint: dict[str, Any]  # the signed checkpoint current when they were drawn

        def apply(self, r: Report) -> None:
            r._begin(self, 1, None, "", "")

    class EditionDrafted(LedgerAggregate.Created):
        """A corrected edition was drafted to supersede a published one; its narrative starts as that one's."""

        kind: str
        period: str
        period_start: date
        period_end: date
        figures: dict[str, Any]
        position: int
        checkpoint: dict[str, Any]
        edition: int
        supersedes: int
        reason: str
        narrative: str

        def apply(self, r: Report) -> None:
            r._begin(self, self.edition, self.supersedes, self.reason, self.narrative)

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
        """The edition was published to the Programme Board; its content is frozen here."""

        content: dict[str, Any]
        content_hash: str

        def apply(self, r: Report) -> None:
            r.published_on, r.content, r.hash = self.occurred_on, self.content, self.content_hash

    class Superseded(LedgerAggregate.Event):
        """A corrected edition was published in this one's place; this one stays as it was published."""

        by_edition: int
        by_content_hash: str
        reason: str

        def apply(self, r: Report) -> None:
            r.superseded_by, r.superseded_on, r.superseded_reason = self.by_edition, self.occurred_on, self.reason

    kind: str
    period: str
    period_start: date
    period_end: date
    figures: dict[str, Any]
    position: int
    checkpoint: dict[str, Any]
    narrative: str
    edition: int
    supersedes: int | None
    reason: str
    published_on: date | None
    content: dict[str, Any] | None
    hash: str | None
    superseded_by: int | None
    superseded_on: date | None
    superseded_reason: str

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    def _begin(self, e: Any, edition: int, supersedes: int | None, reason: str, narrative: str) -> None:
        self.kind, self.period = e.kind, e.period
        self.period_start, self.period_end = e.period_start, e.period_end
        self.figures, self.position, self.checkpoint = e.figures, e.position, e.checkpoint
        self.edition, self.supersedes, self.reason, self.narrative = edition, supersedes, reason, narrative
        self.published_on, self.content, self.hash = None, None, None
        self.superseded_by, self.superseded_on, self.superseded_reason = None, None, ""

    @classmethod
    def draft(
        cls, kind: str, period: Period, figures: dict[str, Any], position: int, checkpoint: dict[str, Any],
        actor: Actor, occurred_on: date,
    ) -> Report:
        """Record the first draft of a report."""
        _check_period(kind, period, occurred_on)
        return cls._start(
            cls.Drafted, actor, occurred_on, id=report_id(kind, period.key), kind=kind,
            period=period.key, period_start=period.start, period_end=period.end,
            figures=figures, position=position, checkpoint=_check_checkpoint(checkpoint),
        )

    def draft_correction(
        self, reason: str, figures: dict[str, Any], position: int, checkpoint: dict[str, Any],
        actor: Actor, occurred_on: date,
    ) -> Report:
        """Draft the edition that will supersede this published one, saying why it is needed."""
        if self.published_on is None:
            raise RuleViolationError(
                f"edition {self.edition} of the {self.period} report is not published: change the draft itself"
            )
        if self.superseded_by is not None:
            raise RuleViolationError(
                f"edition {self.edition} of the {self.period} report is already superseded by edition "
                f"{self.superseded_by}"
            )
        edition = self.edition + 1
        return Report._start(
            Report.EditionDrafted, actor, occurred_on, id=report_id(self.kind, self.period, edition),
            kind=self.kind, period=self.period, period_start=self.period_start, period_end=self.period_end,
            figures=figures, position=position, checkpoint=_check_checkpoint(checkpoint), edition=edition,
            supersedes=self.edition, reason=check_text(reason, "reason", max_length=MAX_REASON),
            narrative=self.narrative,
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

    def check_publishable(self) -> None:
        """Refuse publishing without a narrative, or while a section of the figures could not be drawn."""
        self._check_unpublished()
        if not self.narrative:
            raise RuleViolationError(f"write the narrative of the {self.period} report before publishing it")
        missing = undrawn(self.figures)
        if missing:
            raise RuleViolationError(
                f"the figures of {len(missing)} section(s) could not be drawn ({'; '.join(missing)}): "
                "redraw the figures before publishing"
            )

    def publish(
        self, public_summary: str, actor: Actor, occurred_on: date, *,
        names: Iterable[str] = (), usernames: Iterable[str] = (), superseded: Report | None = None,
    ) -> str:
        """Freeze the content with its public summary and record its hash; returns the hash.

        The public summary goes on the public site: it may name no one in the directory (names and
        usernames are given by the caller). Publishing a corrected edition marks the one it supersedes.
        """
        self.check_publishable()
        summary = check_text(public_summary, "public_summary", max_length=MAX_SUMMARY)
        found = names_in(summary, names, usernames)
        if found:
            raise ValidationError(
                f"the public summary names someone in the directory ({', '.join(found)}): the public site "
                "carries no one's name or username", field="public_summary",
            )
        content: dict[str, Any] = {
            "kind": self.kind, "period": self.period, "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(), "figures": self.figures, "narrative": self.narrative,
            "drawn_from_position": self.position, "published_on": occurred_on.isoformat(),
            "published_by": actor.user_id, "checkpoint": self.checkpoint, "edition": self.edition,
            "public_summary": summary,
        }
        if self.supersedes is not None:
            if superseded is None or superseded.edition != self.supersedes or superseded.hash is None:
                raise RuleViolationError(f"edition {self.supersedes}, which this edition supersedes, is not published")
            content["supersedes"] = {"edition": self.supersedes, "content_hash": superseded.hash, "reason": self.reason}
        digest = content_hash(content)
        self._record(self.Published, actor, occurred_on, content=content, content_hash=digest)
        if superseded is not None:
            superseded._record(Report.Superseded, actor, occurred_on, by_edition=self.edition,
                               by_content_hash=digest, reason=self.reason)
        return digest

    @property
    def is_published(self) -> bool:
        """True once the edition has been published and frozen."""
        return self.published_on is not None

    def _check_unpublished(self) -> None:
        if self.published_on is not None:
            raise RuleViolationError(
                f"edition {self.edition} of the {self.period} report was published on {self.published_on} and "
                "is frozen: draft a corrected edition to put a mistake right"
            )


CHECKPOINT_FIELDS = ("origin", "size", "root_hash", "time", "key_id", "signature", "body")


def _check_period(kind: str, period: Period, occurred_on: date) -> None:
    if kind not in KINDS:
        raise ValidationError(f"kind must be one of: {', '.join(KINDS)}", field="kind")
    if period.start > occurred_on:
        raise ValidationError(f"{period.label} has not begun yet", field="period")


def _check_checkpoint(checkpoint: dict[str, Any]) -> dict[str, Any]:
    """A report is drawn from a signed checkpoint: refuse one that lacks any of its parts."""
    missing = [f for f in CHECKPOINT_FIELDS if checkpoint.get(f) in (None, "")]
    if missing:
        raise ValidationError(f"the checkpoint the report is drawn from lacks: {', '.join(missing)}",
                              field="checkpoint")
    return {f: checkpoint[f] for f in CHECKPOINT_FIELDS}
