"""Commands and questions about the Independent Chair's six-monthly report.

The figures are drawn from the ledger's views by a ``ReportDrafter`` that the wiring hands
in (the application never imports the views): called with the report's kind, its period and
today, it returns the figures as plain JSON data. Each drawing also takes the signed checkpoint
of the sealed log current at that moment (``report_checkpoint``), which the report ends with.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from application.base import Commands
from application.governance_details import ReportDetails
from application.signing import SigningKeyError
from domain.errors import NotFoundError, RuleViolationError
from domain.periods import HALF, Period, parse_period
from domain.report import SIX_MONTHLY, Report, report_id
from domain.values import Actor

if TYPE_CHECKING:
    from application.seal_details import CheckpointDetails

ReportDrafter = Callable[[str, Period, date], dict[str, Any]]


class ReportCommands(Commands):
    """Draft the six-monthly report from the views; the Independent Chair edits and publishes it."""

    report_drafter: ReportDrafter | None = None

    if TYPE_CHECKING:

        def latest_checkpoint(self, reason: str = "published") -> CheckpointDetails: ...

        def get_checkpoint(self, size: int) -> CheckpointDetails: ...

    def draft_six_monthly_report(
        self, actor: Actor, *, period: str, occurred_on: date | None = None
    ) -> str:
        """Draw the report's figures from the ledger; returns the period key."""
        self._authorise(actor, "reports.draft")
        kind, half = SIX_MONTHLY, parse_period(period, HALF)
        if self._exists(report_id(kind, half.key)):
            raise RuleViolationError(
                f"the {half.label} report is already drafted; redraft it to refresh its figures"
            )
        when = self._occurred(occurred_on)
        figures, position, checkpoint = self._draw_report_figures(kind, half)
        report = Report.draft(kind, half, figures, position, checkpoint, actor, when)
        self.save(report)
        return report.period

    def redraft_six_monthly_report(
        self, actor: Actor, *, period: str, occurred_on: date | None = None
    ) -> str:
        """Draw the figures again from the ledger as it now stands."""
        self._authorise(actor, "reports.draft")
        report = self._load_report(period)
        report._check_unpublished()
        figures, position, checkpoint = self._draw_report_figures(report.kind, parse_period(report.period, HALF))
        report.redraft(figures, position, checkpoint, actor, self._occurred(occurred_on))
        self.save(report)
        return report.period

    def edit_six_monthly_narrative(
        self, actor: Actor, *, period: str, narrative: str, occurred_on: date | None = None
    ) -> str:
        """Record the Independent Chair's narrative."""
        self._authorise(actor, "reports.publish")
        report = self._load_report(period)
        report.edit_narrative(narrative, actor, self._occurred(occurred_on))
        self.save(report)
        return report.period

    def publish_six_monthly_report(
        self, actor: Actor, *, period: str, occurred_on: date | None = None
    ) -> str:
        """Publish the report, freezing its content; returns the content's SHA-256."""
        self._authorise(actor, "reports.publish")
        report = self._load_report(period)
        digest = report.publish(actor, self._occurred(occurred_on))
        self.save(report)
        return digest

    def get_six_monthly_report(self, period: str) -> ReportDetails:
        """A report as drafted, or once published with its frozen content and hash."""
        r = self._load_report(period)
        return ReportDetails(
            kind=r.kind, period=r.period, period_start=r.period_start, period_end=r.period_end,
            figures=r.figures, narrative=r.narrative, position=r.position,
            published_on=r.published_on, content=r.content, content_hash=r.hash, checkpoint=r.checkpoint,
        )

    def report_checkpoint(self, size: int | None = None) -> dict[str, Any]:
        """The signed checkpoint current now (the pending events sealed first), as a report ends with it;
        or, for a report drawn from the first ``size`` events only, the checkpoint of that size."""
        try:
            found = self.latest_checkpoint("report") if size is None else self.get_checkpoint(size)
        except SigningKeyError as e:
            raise RuleViolationError(f"the report cannot be drawn: the log cannot be sealed here ({e})") from None
        return {"origin": found.origin, "size": found.size, "root_hash": found.root_hash, "time": found.time,
                "key_id": found.key_id, "signature": found.signature, "body": found.body}

    def _draw_report_figures(self, kind: str, period: Period) -> tuple[dict[str, Any], int, dict[str, Any]]:
        if self.report_drafter is None:
            raise RuleViolationError(
                "the report cannot be drafted here: no views are wired to draw its figures from"
            )
        position = self.max_position()  # type: ignore[attr-defined]
        figures = self.report_drafter(kind, period, self._now().date())
        return figures, position, self.report_checkpoint()

    def _load_report(self, period: str) -> Report:
        half = parse_period(period, HALF)
        try:
            return self._load(Report, report_id(SIX_MONTHLY, half.key), half.key)
        except NotFoundError:
            raise NotFoundError(f"no six-monthly report is drafted for {half.label}") from None
