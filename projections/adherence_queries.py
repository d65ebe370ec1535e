"""Questions over the adherence view: aggregated in SQL by organisation and quarter, never the whole log."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from domain.rating import Rating, overall, rate_survey, rate_votes
from projections.base import remembered

EVIDENCE_LIMIT = 500


@dataclass(frozen=True)
class AdherenceCell:
    """One organisation in one quarter: every figure side by side, with the published ratings."""

    organisation: str
    quarter: str
    adhered: int = 0
    partly_adhered: int = 0
    not_adhered: int = 0
    panel_favourable: int = 0
    panel_answers: int = 0
    panel_respondents: int = 0
    staff_favourable: int = 0
    staff_answers: int = 0
    staff_respondents: int = 0
    concerns: int = 0
    concerns_open: int = 0
    concerns_resolved: int = 0
    concerns_withdrawn: int = 0
    feedback: int = 0
    feedback_positive: int = 0
    feedback_mixed: int = 0
    feedback_concerning: int = 0

    @property
    def votes(self) -> int:
        """How many closing votes (named and tallied) the organisation's attendees gave."""
        return self.adhered + self.partly_adhered + self.not_adhered

    def share(self, count: int) -> float | None:
        """A vote count as a share of all votes (None when there are none)."""
        return count / self.votes if self.votes else None

    @property
    def panel_share(self) -> float | None:
        """The panel's favourable share."""
        return self.panel_favourable / self.panel_answers if self.panel_answers else None

    @property
    def staff_share(self) -> float | None:
        """The all-staff questions' favourable share."""
        return self.staff_favourable / self.staff_answers if self.staff_answers else None

    @property
    def vote_rating(self) -> Rating:
        """The votes rated by the published rule."""
        return rate_votes(self.adhered, self.partly_adhered, self.not_adhered)

    @property
    def panel_rating(self) -> Rating:
        """The panel survey rated by the published rule."""
        return rate_survey(self.panel_favourable, self.panel_answers, self.panel_respondents)

    @property
    def staff_rating(self) -> Rating:
        """The all-staff questions rated by the published rule."""
        return rate_survey(self.staff_favourable, self.staff_answers, self.staff_respondents)

    @property
    def rating(self) -> Rating:
        """The overall rating: the worst rated signal."""
        return overall([self.vote_rating, self.panel_rating, self.staff_rating])

    def as_dict(self) -> dict[str, Any]:
        """Plain data for the API, ratings included."""
        data = dict(self.__dict__)
        data["votes"] = self.votes
        for name in ("vote_rating", "panel_rating", "staff_rating", "rating"):
            r = getattr(self, name)
            data[name] = {"colour": r.colour, "reason": r.reason}
        return data


class AdherenceQueries:
    """Query methods of the adherence view."""

    view: Any

    @remembered
    def cells(self, first: str, last: str, organisation: str | None = None) -> dict[tuple[str, str], AdherenceCell]:
        """Every organisation-quarter with any figure between two quarter keys (inclusive)."""
        figures: dict[tuple[str, str], dict[str, int]] = {}
        org_clause, params = ("AND organisation = ?", [first, last, organisation]) if organisation else ("", [first, last])

        def add(rows: list[dict[str, Any]], *names: str) -> None:
            for r in rows:
                cell = figures.setdefault((r["organisation"], r["quarter"]), {})
                for name in names:
                    cell[name] = cell.get(name, 0) + int(r[name] or 0)

        where = f"quarter BETWEEN ? AND ? {org_clause}"
        with self.view.transaction(commit=False) as c:
            add(c.execute(
                "SELECT organisation, quarter, SUM(CASE WHEN verdict = 'adhered' THEN 1 ELSE 0 END) AS adhered, "
                "SUM(CASE WHEN verdict = 'partly_adhered' THEN 1 ELSE 0 END) AS partly_adhered, "
                "SUM(CASE WHEN verdict = 'not_adhered' THEN 1 ELSE 0 END) AS not_adhered "
                f"FROM adh_votes WHERE {where} GROUP BY organisation, quarter", params).fetchall(),
                "adhered", "partly_adhered", "not_adhered")
            add(c.execute(
                "SELECT organisation, quarter, SUM(adhered) AS adhered, SUM(partly_adhered) AS partly_adhered, "
                f"SUM(not_adhered) AS not_adhered FROM adh_tallies WHERE {where} GROUP BY organisation, quarter",
                params).fetchall(), "adhered", "partly_adhered", "not_adhered")
            for kind, prefix in (("panel", "panel"), ("all_staff", "staff")):
                add(c.execute(
                    f"SELECT organisation, quarter, SUM(favourable * n) AS {prefix}_favourable, SUM(n) AS {prefix}_answers "
                    f"FROM adh_answers WHERE kind = ? AND organisation <> '' AND {where} GROUP BY organisation, quarter",
                    [kind, *params]).fetchall(), f"{prefix}_favourable", f"{prefix}_answers")
                add(c.execute(
                    f"SELECT organisation, quarter, SUM(most) AS {prefix}_respondents FROM (SELECT survey_id, "
                    "organisation, quarter, MAX(n) AS most FROM adh_respondents WHERE kind = ? AND organisation <> '' "
                    f"AND {where} GROUP BY survey_id, organisation, quarter) per_survey GROUP BY organisation, quarter",
                    [kind, *params]).fetchall(), f"{prefix}_respondents")
            add(c.execute(
                "SELECT organisation, quarter, COUNT(*) AS concerns, "
                "SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS concerns_open, "
                "SUM(CASE WHEN outcome = 'resolved' THEN 1 ELSE 0 END) AS concerns_resolved, "
                "SUM(CASE WHEN outcome = 'withdrawn' THEN 1 ELSE 0 END) AS concerns_withdrawn "
                f"FROM adh_concerns WHERE {where} GROUP BY organisation, quarter", params).fetchall(),
                "concerns", "concerns_open", "concerns_resolved", "concerns_withdrawn")
            add(c.execute(
                "SELECT organisation, quarter, COUNT(*) AS feedback, "
                "SUM(CASE WHEN tenor = 'positive' THEN 1 ELSE 0 END) AS feedback_positive, "
                "SUM(CASE WHEN tenor = 'mixed' THEN 1 ELSE 0 END) AS feedback_mixed, "
                "SUM(CASE WHEN tenor = 'concerning' THEN 1 ELSE 0 END) AS feedback_concerning "
                f"FROM adh_feedback WHERE {where} GROUP BY organisation, quarter", params).fetchall(),
                "feedback", "feedback_positive", "feedback_mixed", "feedback_concerning")
        return {key: AdherenceCell(key[0], key[1], **values) for key, values in sorted(figures.items())}

    def panel_results(self, organisation: str, quarter: str, kind: str = "panel") -> list[dict[str, Any]]:
        """Per survey question: the answers given by the organisation's respondents, with counts."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute(
                "SELECT s.code, s.title, a.question, q.label, q.answers AS scale, q.catalogue_items, a.answer, "
                "a.favourable, a.n "
                "FROM adh_answers a JOIN adh_surveys s ON s.survey_id = a.survey_id "
                "JOIN adh_questions q ON q.survey_id = a.survey_id AND q.question = a.question "
                "WHERE a.organisation = ? AND a.quarter = ? AND a.kind = ? ORDER BY s.code, a.question, a.answer",
                (organisation, quarter, kind),
            ).fetchall()
        questions: dict[tuple[str, str], dict[str, Any]] = {}
        for r in rows:
            q = questions.setdefault((r["code"], r["question"]), {
                "survey": r["code"], "survey_title": r["title"], "question": r["question"], "label": r["label"],
                "catalogue_items": json.loads(r["catalogue_items"]), "answers": {}, "favourable": 0, "total": 0,
            })
            q["answers"][r["answer"]] = int(r["n"])
            q["total"] += int(r["n"])
            q["favourable"] += int(r["n"]) * int(r["favourable"])
            q["scale"] = json.loads(r["scale"])
        for q in questions.values():  # answers in the question's own order, as it was asked
            scale = q.pop("scale")
            q["answers"] = {a: q["answers"][a] for a in sorted(q["answers"], key=lambda a: (a not in scale, scale.index(a) if a in scale else 0, a))}
        return list(questions.values())

    def vote_evidence(self, organisation: str, quarter: str) -> list[dict[str, Any]]:
        """The named votes behind an organisation-quarter, each with the meeting and event version."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT v.meeting_id, m.title, m.body, m.held_on, v.person_id, v.verdict, v.corrections, v.version "
                "FROM adh_votes v JOIN adh_meetings m ON m.meeting_id = v.meeting_id "
                "WHERE v.organisation = ? AND v.quarter = ? ORDER BY m.held_on, m.title, v.person_id LIMIT ?",
                (organisation, quarter, EVIDENCE_LIMIT),
            ).fetchall()

    def tally_evidence(self, organisation: str, quarter: str) -> list[dict[str, Any]]:
        """The anonymous tallies behind an organisation-quarter."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT t.meeting_id, m.title, m.body, m.held_on, t.adhered, t.partly_adhered, t.not_adhered, "
                "t.corrections, t.version FROM adh_tallies t JOIN adh_meetings m ON m.meeting_id = t.meeting_id "
                "WHERE t.organisation = ? AND t.quarter = ? ORDER BY m.held_on, m.title LIMIT ?",
                (organisation, quarter, EVIDENCE_LIMIT),
            ).fetchall()

    def survey_evidence(self, organisation: str, quarter: str) -> list[dict[str, Any]]:
        """The survey events (imports, all-staff results) behind an organisation-quarter."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT s.code, s.kind, s.title, e.version, e.event, e.detail, e.recorded_on "
                "FROM adh_survey_events e JOIN adh_surveys s ON s.survey_id = e.survey_id "
                "WHERE e.organisation = ? AND e.quarter = ? ORDER BY s.code, e.version LIMIT ?",
                (organisation, quarter, EVIDENCE_LIMIT),
            ).fetchall()

    def concern_evidence(self, organisation: str, quarter: str) -> list[dict[str, Any]]:
        """Concerns raised about the organisation's people in the quarter, with how each ended (no names)."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT concern_id, reference, raised_on, route, stage, outcome, resolution_level, closed_on, "
                "version FROM adh_concerns WHERE organisation = ? AND quarter = ? "
                "ORDER BY raised_on, reference LIMIT ?", (organisation, quarter, EVIDENCE_LIMIT),
            ).fetchall()

    def feedback_evidence(self, organisation: str, quarter: str) -> list[dict[str, Any]]:
        """Regulator and HWB feedback on the organisation in the quarter, with its tenor."""
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT feedback_id, kind, given_on, source, source_kind, tenor, corrections, version "
                "FROM adh_feedback WHERE organisation = ? AND quarter = ? ORDER BY given_on, feedback_id LIMIT ?",
                (organisation, quarter, EVIDENCE_LIMIT),
            ).fetchall()

    def quarter_range(self) -> tuple[str, str] | None:
        """The first and last quarter holding any figure, or None."""
        with self.view.transaction(commit=False) as c:
            row = c.execute(
                "SELECT MIN(q) AS first, MAX(q) AS last FROM (SELECT quarter AS q FROM adh_meetings UNION ALL "
                "SELECT quarter AS q FROM adh_surveys WHERE quarter <> '' UNION ALL SELECT quarter AS q FROM adh_concerns "
                "UNION ALL SELECT quarter AS q FROM adh_feedback) quarters"
            ).fetchone()
        if row is None or row["first"] is None:
            return None
        return str(row["first"]), str(row["last"])
