"""The adherence view's other signals: concerns about an organisation's people, and external feedback.

Both are shown beside the votes and surveys and never change the rating (domain/rating.py). A concern
counts in the quarter it was raised, against the organisation of the person it is about, with how it
ended (resolved, at which level, or withdrawn); feedback counts in the quarter it was given, against
the organisation it is about, by its giver's tenor (positive, mixed or concerning). Each row keeps its
aggregate id and last event version, so the figures link to the events behind them. Nothing personal
is kept: no names, narratives or examples, only references, dates, routes, outcomes and tenors.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.concern import MOVES, Concern
from domain.concern_routes import Stage
from domain.feedback import Feedback
from domain.period import Quarter
from projections.base import handles
from projections.store import SqlCursor

SIGNAL_TABLES: dict[str, str] = {
    "adh_concerns": "concern_id TEXT PRIMARY KEY, reference TEXT NOT NULL, organisation TEXT NOT NULL, "
    "quarter TEXT NOT NULL, raised_on TEXT NOT NULL, route TEXT NOT NULL, stage TEXT NOT NULL, "
    "outcome TEXT, resolution_level TEXT, closed_on TEXT, closing_version INTEGER, version INTEGER NOT NULL",
    "adh_feedback": "feedback_id TEXT PRIMARY KEY, kind TEXT NOT NULL, organisation TEXT NOT NULL, "
    "quarter TEXT NOT NULL, given_on TEXT NOT NULL, source TEXT NOT NULL, source_kind TEXT NOT NULL, "
    "tenor TEXT NOT NULL, corrections INTEGER NOT NULL, version INTEGER NOT NULL",
}
SIGNAL_INDEXES = (
    "CREATE INDEX IF NOT EXISTS adh_concerns_org ON adh_concerns (organisation, quarter)",
    "CREATE INDEX IF NOT EXISTS adh_feedback_org ON adh_feedback (organisation, quarter)",
)


class AdherenceSignals:
    """Handlers filling adh_concerns and adh_feedback; mixed into the adherence view."""

    @handles(Concern.Raised)
    def _concern_raised(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO adh_concerns (concern_id, reference, organisation, quarter, raised_on, route, stage, "
            "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (concern_id) DO NOTHING",
            (str(e.originator_id), e.reference, e.subject_organisation, Quarter.of(e.occurred_on).key,
             e.occurred_on.isoformat(), e.route, e.stage, e.originator_version),
        )

    @handles(*MOVES)
    def _concern_moved(self, c: SqlCursor, e: Any) -> None:
        stage = Stage(e.stage)
        if stage.is_open:  # still open, or reopened: no outcome yet
            c.execute(
                "UPDATE adh_concerns SET stage = ?, outcome = NULL, resolution_level = NULL, closed_on = NULL, "
                "closing_version = NULL, version = ? WHERE concern_id = ?",
                (stage.value, e.originator_version, str(e.originator_id)),
            )
            return
        c.execute(
            "UPDATE adh_concerns SET stage = ?, outcome = ?, resolution_level = ?, closed_on = ?, "
            "closing_version = ?, version = ? WHERE concern_id = ?",
            (stage.value, stage.value, getattr(e, "resolution_level", None), e.occurred_on.isoformat(),
             e.originator_version, e.originator_version, str(e.originator_id)),
        )

    @handles(Concern.StepCorrected)
    def _concern_corrected(self, c: SqlCursor, e: Any) -> None:
        cid, day = str(e.originator_id), e.corrected_occurred_on
        c.execute("UPDATE adh_concerns SET version = ? WHERE concern_id = ?", (e.originator_version, cid))
        if day is None:
            return
        if e.corrects == 1:  # the date it was raised: it may move to another quarter
            c.execute("UPDATE adh_concerns SET raised_on = ?, quarter = ? WHERE concern_id = ?",
                      (day.isoformat(), Quarter.of(day).key, cid))
        c.execute("UPDATE adh_concerns SET closed_on = ? WHERE concern_id = ? AND closing_version = ?",
                  (day.isoformat(), cid, e.corrects))

    @handles(Feedback.Given, Feedback.ImplementationCommented)
    def _feedback_given(self, c: SqlCursor, e: Any) -> None:
        kind = "implementation" if isinstance(e, Feedback.ImplementationCommented) else "adherence"
        given_on: date = e.occurred_on
        c.execute(
            "INSERT INTO adh_feedback (feedback_id, kind, organisation, quarter, given_on, source, source_kind, "
            "tenor, corrections, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?) ON CONFLICT (feedback_id) DO NOTHING",
            (str(e.originator_id), kind, e.organisation, Quarter.of(given_on).key, given_on.isoformat(),
             e.from_organisation, e.from_kind, e.tenor, e.originator_version),
        )

    @handles(Feedback.Corrected)
    def _feedback_corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE adh_feedback SET tenor = ?, corrections = corrections + 1, version = ? WHERE feedback_id = ?",
            (e.tenor, e.originator_version, str(e.originator_id)),
        )
