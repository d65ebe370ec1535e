"""A report's export bundle: the whole log up to the report, its frozen figures, and the figure functions.

The bundle is the seal's bundle (application/seal_export.py) of every event up to the later of the
position the figures were drawn at and the report's publication, with three more things:
report.json (the frozen report: its figures with the day counted to, the bank holidays and targets
used, its checkpoint, and if published its content, hash and the publication event's position),
figures/ (domain/figures, copied as it is) and the verifier's figure check, which recomputes every
figure from the bundle's events with those same functions.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.utils import get_topic

from application.reports import ReportCommands
from application.seal_details import ExportSummary
from domain.errors import NotFoundError, RuleViolationError
from domain.figures import FORMAT, QUARTERLY
from domain.periods import HALF, QUARTER, parse_period
from domain.report import SIX_MONTHLY, Report, report_id

FIGURES_SOURCE = Path(__file__).resolve().parent.parent / "domain" / "figures"
REPORT_FORMAT = "pvb-ledger-report/1"

if TYPE_CHECKING:
    from application.governance_details import ReportDetails

class ReportExportCommands(ReportCommands):
    """Export a report with everything needed to prove its figures offline."""

    _sealing: Any  # SealingCommands's

    if TYPE_CHECKING:

        def export_bundle(
            self, out: str, until: int | None = None, extra: Callable[[Path], list[str]] | None = None
        ) -> ExportSummary: ...

    def export_report_bundle(self, out: str, kind: str, period: str, edition: int | None = None) -> ExportSummary:
        """Write a report's bundle into a new directory: six_monthly (an edition, or the current one) or quarterly."""
        self.latest_checkpoint("export")  # everything written so far is sealed
        if kind == QUARTERLY:
            report = self._quarterly_report(period)
        elif kind == SIX_MONTHLY:
            report = self._six_monthly_report(period, edition)
        else:
            raise NotFoundError(f"no report of kind {kind!r}: six_monthly or quarterly")
        last = max(int(report["figures"]["position"]), int(report.get("published_at_position") or 0))
        size = max(int(report["checkpoint"]["size"]), self._leaves_up_to(last))

        def extra(directory: Path) -> list[str]:
            (directory / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                                                   encoding="utf-8")
            names = ["report.json"]
            (directory / "figures").mkdir()
            for source in sorted(FIGURES_SOURCE.glob("*.py")):
                shutil.copyfile(source, directory / "figures" / source.name)
                names.append(f"figures/{source.name}")
            return names

        return self.export_bundle(out, size, extra)

    def _quarterly_report(self, period: str) -> dict[str, Any]:
        quarter = parse_period(period, QUARTER, field="report")
        position = self.max_position()
        return {"format": REPORT_FORMAT, "kind": QUARTERLY, "period": quarter.key, "status": "drawn for this export",
                "figures": self.draw_report_figures(QUARTERLY, quarter.key, upto=position),
                "checkpoint": self.report_checkpoint()}

    def _six_monthly_report(self, period: str, edition: int | None) -> dict[str, Any]:
        half = parse_period(period, HALF, field="report")
        found: ReportDetails = self.get_six_monthly_report(half.key, edition)
        if edition is None and found.published_on is None and found.supersedes is not None:
            found = self.get_six_monthly_report(half.key, found.supersedes)  # the current edition is the published one
        report: dict[str, Any] = {
            "format": REPORT_FORMAT, "kind": SIX_MONTHLY, "period": half.key, "edition": found.edition,
            "status": "published" if found.published_on else "draft", "figures": found.figures,
            "checkpoint": found.checkpoint,
        }
        if not found.checkpoint:
            raise RuleViolationError(f"the {half.label} report names no checkpoint: redraw it first")
        if found.figures.get("format") != FORMAT:
            raise RuleViolationError(
                f"edition {found.edition} of the {half.label} report was drawn before reports were drawn from the "
                "log, so its figures cannot be recomputed; 'pvb export' still proves the log it came from, and a "
                "corrected edition can be published with figures that can")
        if found.content is not None:
            report.update(content=found.content, content_hash=found.content_hash,
                          published_at_position=self._published_position(report_id(SIX_MONTHLY, half.key, found.edition)))
        return report

    def _published_position(self, aggregate_id: Any) -> int:
        topic = get_topic(Report.Published)
        start = 1
        while True:
            batch = self.recorder.select_notifications(start=start, limit=500, topics=[topic])
            for n in batch:
                if str(n.originator_id) == str(aggregate_id):
                    return int(n.id)
            if len(batch) < 500:
                raise NotFoundError("the report's publication is not in the log")
            start = batch[-1].id + 1

    def _leaves_up_to(self, position: int) -> int:
        store = self._sealing.store
        with store.transaction(commit=False) as c:
            row = store.leaf_by_position(c, position)
        if row is None:
            raise RuleViolationError(f"the event at position {position} is not sealed yet: seal the log first")
        return int(row["leaf_index"]) + 1
