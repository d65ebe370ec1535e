"""Commands and questions about the Board's reports: drawn from the log, drafted, published, corrected.

The figures are drawn by domain/figures from the log's own records up to a position (the same
functions an export bundle's verifier runs), counted to a day with the bank holidays of the years
they touch and the escalation targets in force. Each drawing also takes the signed checkpoint of
the sealed log current at that moment, which the report ends with.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Any

from application.base import Commands
from application.governance_details import ReportDetails
from application.report_log import ReportLog
from application.signing import SigningKeyError
from domain.errors import NotFoundError, RuleViolationError
from domain.figures import QUARTERLY, draw
from domain.figures.days import years_spanned
from domain.periods import HALF, QUARTER, Period, parse_period
from domain.report import SIX_MONTHLY, Report, report_id
from domain.values import Actor
from domain.working_days import bank_holidays

if TYPE_CHECKING:
    from application.seal_details import CheckpointDetails

DEFAULT_TARGETS = {s: 10 for s in ("chief_executives", "accountable_officer", "independent_chair", "chair",
                                   "discussion", "performance_review")}
MAX_EDITIONS = 50


class ReportCommands(Commands):
    """Draft the six-monthly report from the log; the Independent Chair edits, publishes and corrects it."""

    escalation_targets: dict[str, int] = DEFAULT_TARGETS  # noqa: RUF012  # set by the wiring from settings
    recorder: Any
    mapper: Any

    if TYPE_CHECKING:

        def max_position(self) -> int: ...

        def latest_checkpoint(self, reason: str = "published") -> CheckpointDetails: ...

        def get_checkpoint(self, size: int) -> CheckpointDetails: ...

    @cached_property
    def report_log(self) -> ReportLog:
        """The log as reports read it."""
        return ReportLog(self.recorder, self.mapper)

    def draw_report_figures(
        self, kind: str, period: str, *, upto: int | None = None, as_of: date | None = None,
    ) -> dict[str, Any]:
        """The figures of a report of a kind (six_monthly or quarterly) for a period, from the log up to a position."""
        found = parse_period(period, HALF if kind == SIX_MONTHLY else QUARTER)
        position = self.max_position() if upto is None else upto
        day = min(as_of or self._now().date(), found.end)
        records = self.report_log.records(position)
        years = years_spanned([r["state"].get("occurred_on") for r in records if r["topic"].startswith("domain.concern:")]
                              + [day.isoformat()])
        return draw(kind if kind == SIX_MONTHLY else QUARTERLY, found.key, records, position=position,
                    as_of=day.isoformat(), bank_holidays=bank_holidays(years),
                    escalation_target_days=self.escalation_targets)

    def draft_six_monthly_report(self, actor: Actor, *, period: str, occurred_on: date | None = None) -> str:
        """Draw the first edition's figures from the ledger; returns the period key."""
        self._authorise(actor, "reports.draft")
        half = parse_period(period, HALF)
        if self._exists(report_id(SIX_MONTHLY, half.key)):
            raise RuleViolationError(f"the {half.label} report is already drafted; redraft it to refresh its figures")
        figures, position, checkpoint = self._draw(half)
        self.save(Report.draft(SIX_MONTHLY, half, figures, position, checkpoint, actor, self._occurred(occurred_on)))
        return half.key

    def draft_corrected_edition(
        self, actor: Actor, *, period: str, reason: str, occurred_on: date | None = None
    ) -> int:
        """Draft an edition to supersede the latest published one, saying why; returns its edition number."""
        self._authorise(actor, "reports.draft")
        latest = self._latest(period)
        figures, position, checkpoint = self._draw(parse_period(latest.period, HALF))
        edition = latest.draft_correction(reason, figures, position, checkpoint, actor, self._occurred(occurred_on))
        self.save(edition)
        return edition.edition

    def redraft_six_monthly_report(self, actor: Actor, *, period: str, occurred_on: date | None = None) -> str:
        """Draw the latest edition's figures again from the ledger as it now stands."""
        self._authorise(actor, "reports.draft")
        report = self._latest(period)
        report._check_unpublished()
        figures, position, checkpoint = self._draw(parse_period(report.period, HALF))
        report.redraft(figures, position, checkpoint, actor, self._occurred(occurred_on))
        self.save(report)
        return report.period

    def edit_six_monthly_narrative(
        self, actor: Actor, *, period: str, narrative: str, occurred_on: date | None = None
    ) -> str:
        """Record the Independent Chair's narrative of the latest edition."""
        self._authorise(actor, "reports.publish")
        report = self._latest(period)
        report.edit_narrative(narrative, actor, self._occurred(occurred_on))
        self.save(report)
        return report.period

    def publish_six_monthly_report(
        self, actor: Actor, *, period: str, public_summary: str, drawn_at: int | None = None,
        occurred_on: date | None = None,
    ) -> str:
        """Publish the latest edition, freezing its content; returns the content's SHA-256.

        drawn_at is the position of the figures the publisher checked: if they were redrawn since,
        publishing is refused so that nothing is frozen that the publisher did not see.
        """
        self._authorise(actor, "reports.publish")
        report = self._latest(period)
        if drawn_at is not None and drawn_at != report.position:
            raise RuleViolationError(
                f"the figures were redrawn (now at position {report.position}, not {drawn_at}) since you "
                "checked them: check them again before publishing"
            )
        report.check_publishable()
        names, usernames = self.report_log.directory_names(self.max_position())
        superseded = None
        if report.supersedes is not None:
            superseded = self._load(Report, report_id(SIX_MONTHLY, report.period, report.supersedes), report.period)
        digest = report.publish(public_summary, actor, self._occurred(occurred_on), names=names,
                                usernames=usernames, superseded=superseded)
        self.save(report, superseded) if superseded is not None else self.save(report)
        return digest

    def get_six_monthly_report(self, period: str, edition: int | None = None) -> ReportDetails:
        """An edition of a report (the latest if none is named): as drafted, or as published."""
        r = self._latest(period) if edition is None else self._edition(period, edition)
        return ReportDetails(
            kind=r.kind, period=r.period, period_start=r.period_start, period_end=r.period_end,
            figures=r.figures, narrative=r.narrative, position=r.position, published_on=r.published_on,
            content=r.content, content_hash=r.hash, checkpoint=r.checkpoint, edition=r.edition,
            supersedes=r.supersedes, reason=r.reason, superseded_by=r.superseded_by,
        )

    def figure_changes_since(self, position: int) -> int:
        """How many events the log holds after a position that could change a report's figures."""
        return self.report_log.changes_since(position, self.max_position())

    def quoted_text(self, position: int, field: str) -> str | None:
        """The text a report quotes, read from its event now (None once erased)."""
        return self.report_log.quoted(position, field)

    def report_checkpoint(self, size: int | None = None) -> dict[str, Any]:
        """The signed checkpoint current now (the pending events sealed first), as a report ends with it;
        or, for a report drawn from the first ``size`` events only, the checkpoint of that size."""
        try:
            found = self.latest_checkpoint("report") if size is None else self.get_checkpoint(size)
        except SigningKeyError as e:
            raise RuleViolationError(f"the report cannot be drawn: the log cannot be sealed here ({e})") from None
        return {"origin": found.origin, "size": found.size, "root_hash": found.root_hash, "time": found.time,
                "key_id": found.key_id, "signature": found.signature, "body": found.body}

    def _draw(self, half: Period) -> tuple[dict[str, Any], int, dict[str, Any]]:
        position = self.max_position()
        figures = self.draw_report_figures(SIX_MONTHLY, half.key, upto=position)
        return figures, position, self.report_checkpoint()

    def _edition(self, period: str, edition: int) -> Report:
        half = parse_period(period, HALF)
        try:
            return self._load(Report, report_id(SIX_MONTHLY, half.key, edition), half.key)
        except NotFoundError:
            raise NotFoundError(f"no edition {edition} of the six-monthly report for {half.label}") from None

    def _latest(self, period: str) -> Report:
        half = parse_period(period, HALF)
        try:
            report = self._load(Report, report_id(SIX_MONTHLY, half.key), half.key)
        except NotFoundError:
            raise NotFoundError(f"no six-monthly report is drafted for {half.label}") from None
        for edition in range(2, MAX_EDITIONS + 1):
            if not self._exists(report_id(SIX_MONTHLY, half.key, edition)):
                break
            report = self._load(Report, report_id(SIX_MONTHLY, half.key, edition), half.key)
        return report
