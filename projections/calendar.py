"""The "what is due" view: the paper's calendar, what was done when, and what is overdue for whom.

The cadence: every quarter a Programme Board review, a staff panel survey and the Independent
Chair's meeting with the Chairs (each due by the quarter's end); every six months the
Independent Chair's report (due by the end of the month after the half-year); every year a
PVB objective for each senior leader (due by the end of the financial year's first quarter,
from each organisation's Chair). The calendar runs from the earliest act of the programme
recorded: the framework's adoption, a paper to a Board, a review or a Chairs' meeting.

A quarter's panel survey is done when responses to a panel survey for that quarter are first
imported; each duty names what it is about (``subject``: the quarter, half-year, survey code or
organisation), so a page can link it to where the duty is done.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, ClassVar

from domain.adoption import Adoption
from domain.chair_meeting import ChairsMeeting
from domain.framework import Framework
from domain.periods import financial_year_of, half_of, periods_from, quarter_of
from domain.report import Report
from domain.review import Review
from domain.survey import Survey
from projections.base import View, handles
from projections.store import SqlCursor

REVIEW, PANEL_SURVEY, CHAIRS_MEETING = "programme_board_review", "panel_survey", "chairs_meeting"
SIX_MONTHLY_REPORT, ANNUAL_OBJECTIVES = "six_monthly_report", "annual_objectives"
QUARTERLY = (
    (REVIEW, "Programme Board quarterly review", "the Programme Board (governance lead)"),
    (PANEL_SURVEY, "Staff survey panel, quarterly survey", "the governance lead"),
    (CHAIRS_MEETING, "Independent Chair's meeting with the Chairs", "the Independent Chair"),
)
STATUS_ORDER = {"overdue": 0, "due": 1, "done": 2}


def _report_due(end: date) -> date:
    """The end of the month after the half-year ends."""
    first_after = end + timedelta(days=1)
    month_after_next = date(first_after.year + first_after.month // 12, first_after.month % 12 + 1, 1)
    return month_after_next - timedelta(days=1)


class CalendarView(View):
    """When each recurring duty was done; what is due and overdue is worked out when asked."""

    name = "calendar"
    tables: ClassVar[dict[str, str]] = {
        "cal_programme": "key TEXT PRIMARY KEY, started_on TEXT NOT NULL",
        "cal_done": "kind TEXT NOT NULL, period TEXT NOT NULL, done_on TEXT NOT NULL, "
        "ref TEXT NOT NULL, PRIMARY KEY (kind, period)",
        "cal_surveys": "id TEXT PRIMARY KEY, code TEXT NOT NULL, kind TEXT NOT NULL, period TEXT NOT NULL",
    }

    @handles(Framework.Adopted, Adoption.PaperTaken)
    def _programme_act(self, c: SqlCursor, e: Any) -> None:
        self._started(c, e.occurred_on)

    @handles(Review.Held)
    def _review(self, c: SqlCursor, e: Any) -> None:
        self._started(c, e.occurred_on)
        self.record_done(c, REVIEW, e.quarter, e.occurred_on, e.quarter)

    @handles(ChairsMeeting.Held)
    def _chairs_meeting(self, c: SqlCursor, e: Any) -> None:
        self._started(c, e.occurred_on)
        self.record_done(c, CHAIRS_MEETING, e.quarter, e.occurred_on, e.quarter)

    def _started(self, c: SqlCursor, day: date) -> None:
        """The calendar starts at the earliest act of the programme recorded (whatever the order)."""
        c.execute(
            "INSERT INTO cal_programme (key, started_on) VALUES ('start', ?) ON CONFLICT (key) DO "
            "UPDATE SET started_on = CASE WHEN excluded.started_on < cal_programme.started_on "
            "THEN excluded.started_on ELSE cal_programme.started_on END",
            (day.isoformat(),),
        )

    @handles(Survey.Opened)
    def _survey_opened(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "INSERT INTO cal_surveys (id, code, kind, period) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (str(e.originator_id), e.code, e.kind, e.period),
        )

    @handles(Survey.ResponsesImported)
    def _survey_imported(self, c: SqlCursor, e: Any) -> None:
        row = c.execute("SELECT code, kind, period FROM cal_surveys WHERE id = ?", (str(e.originator_id),)).fetchone()
        if row is not None and row["kind"] == "panel" and e.responses:
            self.record_done(c, PANEL_SURVEY, row["period"], e.occurred_on, row["code"])

    @handles(Report.Published)
    def _report(self, c: SqlCursor, e: Any) -> None:
        period = e.content["period"]
        self.record_done(c, SIX_MONTHLY_REPORT, period, e.occurred_on, period)

    def record_done(self, c: SqlCursor, kind: str, period: str, done_on: date, ref: str) -> None:
        """Record that a duty for a period was done (the first time counts)."""
        c.execute(
            "INSERT INTO cal_done (kind, period, done_on, ref) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, period) DO NOTHING",
            (kind, period, done_on.isoformat(), ref),
        )

    # Queries
    def started_on(self) -> date | None:
        """The day the programme's calendar starts (the framework's adoption)."""
        with self.view.transaction(commit=False) as c:
            row = c.execute("SELECT started_on FROM cal_programme WHERE key = 'start'").fetchone()
        return None if row is None else date.fromisoformat(row["started_on"])

    def due(self, today: date, objectives: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
        """Every duty from the start to today: done, due or overdue, and for whom.

        ``objectives`` is the objectives view's coverage as of today (organisation, chair_name
        and gaps per organisation), which the annual-objectives duty is judged by.
        """
        start = self.started_on()
        if start is None:
            return []
        with self.view.transaction(commit=False) as c:
            done = {
                (r["kind"], r["period"]): r
                for r in c.execute(
                    "SELECT kind, period, done_on, ref FROM cal_done WHERE done_on >= ?",
                    (quarter_of(start).start.isoformat(),),
                ).fetchall()
            }
            panels = {r["period"]: r["code"] for r in c.execute(
                "SELECT period, MIN(code) AS code FROM cal_surveys WHERE kind = 'panel' GROUP BY period").fetchall()}
        items = []
        for q in periods_from(quarter_of(start), today):
            for kind, title, who in QUARTERLY:
                item = _item(kind, title, q.key, q.label, q.end, who, done.get((kind, q.key)), today)
                if kind == PANEL_SURVEY and item["status"] != "done":
                    item["subject"] = panels.get(q.key)
                    item["detail"] = (f"survey {item['subject']} is open: import its responses" if item["subject"]
                                      else "no panel survey has been opened for this quarter")
                items.append(item)
        for h in periods_from(half_of(start), today):
            items.append(_item(
                SIX_MONTHLY_REPORT, "Independent Chair's six-monthly report", h.key, h.label,
                _report_due(h.end), "the Independent Chair", done.get((SIX_MONTHLY_REPORT, h.key)), today,
            ))
        items.extend(_objective_items(today, objectives or []))
        items.sort(key=lambda i: (STATUS_ORDER[i["status"]], i["due_on"] if i["status"] != "done" else "", i["kind"]))
        return items

    def counts(self, items: list[dict[str, Any]]) -> dict[str, int]:
        """How many duties are overdue, due or done."""
        counts = {status: 0 for status in STATUS_ORDER}
        for item in items:
            counts[item["status"]] += 1
        return counts


def _item(
    kind: str, title: str, period: str, label: str, due_on: date, who: str,
    done: dict[str, Any] | None, today: date,
) -> dict[str, Any]:
    status = "done" if done is not None else ("overdue" if today > due_on else "due")
    return {
        "kind": kind, "title": title, "period": period, "period_label": label,
        "due_on": due_on.isoformat(), "status": status, "responsible": who,
        "done_on": done["done_on"] if done else None, "detail": "",
        "subject": done["ref"] if done else (None if kind == PANEL_SURVEY else period),
    }


def _objective_items(today: date, coverage: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One item per organisation for this financial year's PVB objectives."""
    year = financial_year_of(today)
    due_on = quarter_of(year.start).end
    items = []
    for org in coverage:
        gaps = org.get("gaps", [])
        chair = org.get("chair_name") or "no Chair in office"
        status = "done" if not gaps else ("overdue" if today > due_on else "due")
        detail = (
            f"{len(gaps)} of {org['leaders']} senior leaders without a current PVB objective: "
            + ", ".join(g["name"] for g in gaps)
        ) if gaps else f"all {org['leaders']} senior leaders have a current PVB objective"
        items.append({
            "kind": ANNUAL_OBJECTIVES, "title": f"PVB objectives for {org['code']}'s senior leaders",
            "period": year.key, "period_label": year.label, "due_on": due_on.isoformat(),
            "status": status, "responsible": f"the Chair of {org['code']} ({chair})",
            "done_on": None, "detail": detail, "subject": org["code"],
        })
    return items
