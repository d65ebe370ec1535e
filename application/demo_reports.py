"""Demo: the Independent Chair's six-monthly reports, drawn once the year is recorded.

The first half-year's report is published with a narrative that misreads one of its own figures,
then put right by a corrected edition that says why; the latest half-year's report is drafted and
waits for the Independent Chair (so the calendar shows it due or overdue).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.periods import Period, half_of, periods_from
from domain.report import SIX_MONTHLY, report_id


def build_reports(ledger: Any, cast: Any) -> int:
    """Draft, publish and correct the demo year's six-monthly reports; returns how many records were added."""
    today = cast.start + timedelta(days=364)
    ended = [h for h in periods_from(half_of(cast.day(10)), today) if h.end < today]
    if not ended or ledger._exists(report_id(SIX_MONTHLY, ended[0].key)):
        return 0
    lead, ichair = cast.actors["lead"], cast.actors["ichair"]
    added = 0
    for i, half in enumerate(ended):
        drafted = min(max(half.end + timedelta(days=10), cast.day(12)), today)
        ledger.draft_six_monthly_report(lead, period=half.key, occurred_on=drafted)
        added += 1
        if i == len(ended) - 1 and len(ended) > 1:
            continue  # the latest report waits for the Independent Chair
        added += _publish_and_correct(ledger, lead, ichair, half, drafted, today)
    return added


def _figure(figures: dict[str, Any], section: str, label: str) -> Any:
    found = next(s for s in figures["sections"] if s["key"] == section)
    return found["figures"][label]


def _publish_and_correct(ledger: Any, lead: Any, ichair: Any, half: Period, drafted: date, today: date) -> int:
    figures = ledger.get_six_monthly_report(half.key).figures
    votes = _figure(figures, "adherence", "Closing votes")
    adhered = _figure(figures, "adherence", "Votes saying adhered (%)")
    raised = _figure(figures, "escalations", "Concerns raised in the period")
    resolved = _figure(figures, "escalations", "Resolved in the period")
    local = _figure(figures, "escalations", "Resolved locally, between the Chief Executives")
    coverage = _figure(figures, "objectives", "Coverage (%)")

    def narrative(locally: int) -> str:
        return (
            f"Partners cast {votes} closing votes at cross-organisational meetings; {adhered}% said the principles, "
            f"values and behaviours were adhered to. {resolved} concerns were resolved in the half-year, {locally} of "
            "them locally between the Chief Executives.\n\n"
            f"Coverage of PVB objectives among senior leaders stands at {coverage}%. I have asked the Chairs of the "
            "organisations with gaps to close them by the next quarter, and the Programme Board to review the "
            "concerns still open at its next meeting."
        )

    summary = (f"In {half.label}, partners cast {votes} closing votes at cross-organisational meetings, {adhered}% "
               f"saying the principles were adhered to; {raised} concerns were raised and {resolved} resolved. "
               f"Coverage of PVB objectives among senior leaders stands at {coverage}%.")
    published = min(drafted + timedelta(days=7), today)
    ledger.edit_six_monthly_narrative(ichair, period=half.key, narrative=narrative(local + 1), occurred_on=drafted)
    ledger.publish_six_monthly_report(ichair, period=half.key, public_summary=summary, occurred_on=published)
    corrected = min(published + timedelta(days=21), today)
    ledger.draft_corrected_edition(
        ichair, period=half.key, occurred_on=corrected,
        reason=f"Edition 1's narrative said {local + 1} concerns were resolved locally between the Chief "
               f"Executives; its own figures show {local}.")
    ledger.edit_six_monthly_narrative(ichair, period=half.key, narrative=narrative(local), occurred_on=corrected)
    ledger.publish_six_monthly_report(ichair, period=half.key, public_summary=summary, occurred_on=corrected)
    return 6
