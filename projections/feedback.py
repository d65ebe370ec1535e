"""The regulator feedback view: by organisation, by regulator, over time, with the responses."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from domain.feedback import Feedback
from domain.period import Quarter
from domain.person import Person
from domain.values import ERASED
from projections.base import View, handles, remembered
from projections.store import SqlCursor
from projections.timekeeping import recorded_at

FILTERS = ("organisation", "from_organisation", "quarter", "kind", "tenor")
INSERT_FEEDBACK = (
    "INSERT INTO fb_feedback (id, kind, organisation, from_organisation, from_kind, given_by, "
    "recipient_person_id, given_on, quarter, tenor, summary, assessment_kind, assessment, "
    "citations, framework_version, recorded_at, corrections, responses) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) ON CONFLICT (id) DO NOTHING"
)
INSERT_EXAMPLE = (
    "INSERT INTO fb_examples (feedback_id, seq, occurred_on, description, person_id, "
    "positions) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feedback_id, seq) DO NOTHING"
)
INSERT_RESPONSE = (
    "INSERT INTO fb_responses (feedback_id, version, responded_on, action, response, "
    "responder_person_id, actor_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (feedback_id, version) DO NOTHING"
)
COUNT_RESPONSES = (
    "UPDATE fb_feedback SET responses = responses + ?, first_response_on = COALESCE(first_response_on, ?), "
    "last_response_on = ?, last_response_action = ? WHERE id = ?"
)


class FeedbackView(View):
    """Feedback from regulators and the Health and Wellbeing Board, examples and responses."""

    name = "feedback"
    tables: ClassVar[dict[str, str]] = {
        "fb_feedback": "id TEXT PRIMARY KEY, kind TEXT NOT NULL, organisation TEXT NOT NULL, "
        "from_organisation TEXT NOT NULL, from_kind TEXT NOT NULL, given_by TEXT NOT NULL, "
        "recipient_person_id TEXT, given_on TEXT NOT NULL, quarter TEXT NOT NULL, "
        "tenor TEXT NOT NULL, summary TEXT NOT NULL, assessment_kind TEXT, assessment TEXT, "
        "citations TEXT NOT NULL, framework_version INTEGER NOT NULL, recorded_at TEXT NOT NULL, "
        "corrections INTEGER NOT NULL, last_correction_reason TEXT, responses INTEGER NOT NULL, "
        "first_response_on TEXT, last_response_on TEXT, last_response_action TEXT",
        "fb_examples": "feedback_id TEXT NOT NULL, seq INTEGER NOT NULL, occurred_on TEXT NOT NULL, "
        "description TEXT NOT NULL, person_id TEXT, positions TEXT NOT NULL, "
        "PRIMARY KEY (feedback_id, seq)",
        "fb_responses": "feedback_id TEXT NOT NULL, version INTEGER NOT NULL, responded_on TEXT NOT NULL, "
        "action TEXT NOT NULL, response TEXT NOT NULL, responder_person_id TEXT, actor_id TEXT NOT NULL, "
        "recorded_at TEXT NOT NULL, PRIMARY KEY (feedback_id, version)",
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS fb_feedback_org ON fb_feedback (organisation, given_on)",
        "CREATE INDEX IF NOT EXISTS fb_feedback_from ON fb_feedback (from_organisation, given_on)",
        "CREATE INDEX IF NOT EXISTS fb_feedback_quarter ON fb_feedback (quarter, organisation)",
        # the unfiltered listing, newest first (ORDER BY given_on DESC, id), without sorting the table
        "CREATE INDEX IF NOT EXISTS fb_feedback_given ON fb_feedback (given_on DESC, id)",
        "CREATE INDEX IF NOT EXISTS fb_examples_person ON fb_examples (person_id)",
    )
    handler_indexes = frozenset({"fb_examples_person"})  # an erasure finds the examples naming the person

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """As one by one, with the batch's feedback, examples and responses written by one statement each.

        Responses to a piece of feedback are counted into one UPDATE of it; the rows gathered so
        far are written before a response to feedback given later in the batch is counted (as
        one by one, it is counted only once the feedback is there), and before any other event.
        """
        batch = _Gathered()
        for e in events:
            kind = type(e)
            if kind in (Feedback.Given, Feedback.ImplementationCommented):
                if str(e.originator_id) in batch.responses:
                    batch.write(c)
                batch.given(e)
            elif kind is Feedback.Responded:
                batch.responded(e)
            else:
                batch.write(c)
                self.apply(c, e)
        batch.write(c)

    @handles(Feedback.Given, Feedback.ImplementationCommented)
    def _given(self, c: SqlCursor, e: Any) -> None:
        batch = _Gathered()
        batch.given(e)
        batch.write(c)

    @handles(Feedback.Corrected)
    def _corrected(self, c: SqlCursor, e: Any) -> None:
        fid = str(e.originator_id)
        c.execute(
            "UPDATE fb_feedback SET tenor = ?, summary = ?, corrections = corrections + 1, "
            "last_correction_reason = ? WHERE id = ?",
            (e.tenor, e.summary, e.reason, fid),
        )
        c.execute("DELETE FROM fb_examples WHERE feedback_id = ?", (fid,))
        self._examples(c, fid, e.examples)

    @handles(Feedback.Responded)
    def _responded(self, c: SqlCursor, e: Any) -> None:
        batch = _Gathered()
        batch.responded(e)
        batch.write(c)

    @handles(Person.Erased)
    def _erased(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE fb_examples SET description = ? WHERE person_id = ?", (ERASED, str(e.originator_id))
        )

    @staticmethod
    def _examples(c: SqlCursor, fid: str, examples: list[dict[str, Any]]) -> None:
        rows = _example_rows(fid, examples)
        if rows:
            c.executemany(INSERT_EXAMPLE, rows)

    # Queries: filtered, aggregated and paged in SQL.
    @remembered
    def list_feedback(
        self,
        *,
        organisation: str | None = None,
        from_organisation: str | None = None,
        quarter: str | None = None,
        kind: str | None = None,
        tenor: str | None = None,
        responded: bool | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """A page of feedback, newest first, with how many match."""
        values = {"organisation": organisation, "from_organisation": from_organisation,
                  "quarter": quarter, "kind": kind, "tenor": tenor}
        where, params = ["1 = 1"], []
        for name in FILTERS:
            if values[name]:
                where.append(f"{name} = ?")
                params.append(values[name])
        if responded is not None:
            where.append("responses > 0" if responded else "responses = 0")
        clause = " AND ".join(where)
        with self.view.transaction(commit=False) as c:
            total = c.execute(f"SELECT COUNT(*) AS n FROM fb_feedback WHERE {clause}", params).fetchone()
            rows = c.execute(
                f"SELECT * FROM fb_feedback WHERE {clause} ORDER BY given_on DESC, id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
            _attach(c, rows)
        return rows, int(total["n"]) if total else 0

    def get_feedback(self, feedback_id: str) -> dict[str, Any] | None:
        """One piece of feedback with its examples and every response."""
        with self.view.transaction(commit=False) as c:
            row = c.execute("SELECT * FROM fb_feedback WHERE id = ?", (feedback_id,)).fetchone()
            if row is None:
                return None
            _attach(c, [row])
        return row

    @remembered
    def tenor_by_quarter(
        self, organisation: str | None = None, kind: str | None = "adherence",
        quarters: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Count and tenor of feedback per organisation and quarter (for the adherence view); only in
        the quarters given, if any are."""
        where, params = ["1 = 1"], []
        if organisation:
            where.append("organisation = ?")
            params.append(organisation)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        _in_quarters(where, params, quarters)
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT organisation, quarter, COUNT(*) AS given, "
                "SUM(CASE WHEN tenor = 'positive' THEN 1 ELSE 0 END) AS positive, "
                "SUM(CASE WHEN tenor = 'mixed' THEN 1 ELSE 0 END) AS mixed, "
                "SUM(CASE WHEN tenor = 'concerning' THEN 1 ELSE 0 END) AS concerning, "
                "SUM(CASE WHEN responses > 0 THEN 1 ELSE 0 END) AS responded "
                f"FROM fb_feedback WHERE {' AND '.join(where)} "
                "GROUP BY organisation, quarter ORDER BY organisation, quarter",
                params,
            ).fetchall()

    @remembered
    def by_regulator(self, quarters: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """Count and tenor of feedback per giver and quarter; only in the quarters given, if any are."""
        where: list[str] = ["1 = 1"]
        params: list[Any] = []
        _in_quarters(where, params, quarters)
        with self.view.transaction(commit=False) as c:
            return c.execute(
                "SELECT from_organisation, quarter, COUNT(*) AS given, "
                "SUM(CASE WHEN tenor = 'positive' THEN 1 ELSE 0 END) AS positive, "
                "SUM(CASE WHEN tenor = 'mixed' THEN 1 ELSE 0 END) AS mixed, "
                "SUM(CASE WHEN tenor = 'concerning' THEN 1 ELSE 0 END) AS concerning, "
                "SUM(CASE WHEN responses > 0 THEN 1 ELSE 0 END) AS responded "
                f"FROM fb_feedback WHERE {' AND '.join(where)} GROUP BY from_organisation, quarter "
                "ORDER BY from_organisation, quarter",
                params,
            ).fetchall()

    @remembered
    def quarters(self) -> list[str]:
        """Quarters with feedback, newest first."""
        with self.view.transaction(commit=False) as c:
            rows = c.execute("SELECT DISTINCT quarter FROM fb_feedback ORDER BY quarter DESC").fetchall()
        return [r["quarter"] for r in rows]


def _in_quarters(where: list[str], params: list[Any], quarters: Sequence[str] | None) -> None:
    """Add 'quarter is one of these' to a WHERE clause, when quarters are given."""
    if quarters is not None:
        where.append(f"quarter IN ({', '.join('?' for _ in quarters) or 'NULL'})")
        params.extend(quarters)


def _attach(c: SqlCursor, rows: list[dict[str, Any]]) -> None:
    """Add each row's examples and responses (one query each for the whole page)."""
    if not rows:
        return
    ids = [r["id"] for r in rows]
    marks = ", ".join("?" for _ in ids)
    examples = c.execute(
        f"SELECT * FROM fb_examples WHERE feedback_id IN ({marks}) ORDER BY feedback_id, seq", ids
    ).fetchall()
    responses = c.execute(
        f"SELECT * FROM fb_responses WHERE feedback_id IN ({marks}) ORDER BY feedback_id, version",
        ids,
    ).fetchall()
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["citations"] = r["citations"].split() if r["citations"] else []
        r["examples"], r["response_list"] = [], []
    for ex in examples:
        ex["positions"] = [int(p) for p in ex["positions"].split()]
        by_id[ex.pop("feedback_id")]["examples"].append(ex)
    for resp in responses:
        by_id[resp.pop("feedback_id")]["response_list"].append(resp)


class _Gathered:
    """Rows of feedback given and responded to, gathered to be written with one statement each."""

    def __init__(self) -> None:
        self.feedback: list[tuple[Any, ...]] = []
        self.examples: list[tuple[Any, ...]] = []
        self.answers: list[tuple[Any, ...]] = []
        self.responses: dict[str, list[Any]] = {}  # id -> [how many, first on, last on, last action]

    def given(self, e: Any) -> None:
        """Gather the rows of a piece of feedback given (or of a comment on implementation)."""
        fid = str(e.originator_id)
        kind = "implementation" if isinstance(e, Feedback.ImplementationCommented) else "adherence"
        self.feedback.append((
            fid, kind, e.organisation, e.from_organisation, e.from_kind, e.actor_id, e.recipient_person_id,
            e.occurred_on.isoformat(), Quarter.of(e.occurred_on).key, e.tenor, e.summary,
            getattr(e, "assessment_kind", None), getattr(e, "assessment", None), " ".join(e.citations),
            e.framework_version, recorded_at(e.timestamp),
        ))
        self.examples += _example_rows(fid, e.examples)

    def responded(self, e: Any) -> None:
        """Gather a response and count it against its feedback."""
        fid, on = str(e.originator_id), e.occurred_on.isoformat()
        self.answers.append((fid, e.originator_version, on, e.action, e.response, e.responder_person_id,
                             e.actor_id, recorded_at(e.timestamp)))
        counted = self.responses.setdefault(fid, [0, on, on, e.action])
        counted[0], counted[2], counted[3] = counted[0] + 1, on, e.action

    def write(self, c: SqlCursor) -> None:
        """Write what was gathered, and start again."""
        for sql, rows in ((INSERT_FEEDBACK, self.feedback), (INSERT_EXAMPLE, self.examples),
                          (INSERT_RESPONSE, self.answers)):
            if rows:
                c.executemany(sql, rows)
                rows.clear()
        if self.responses:
            c.executemany(COUNT_RESPONSES, [(*counted, fid) for fid, counted in self.responses.items()])
            self.responses.clear()


def _example_rows(fid: str, examples: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(fid, seq, ex["occurred_on"].isoformat(), str(ex["description"]), ex.get("person_id"),
             " ".join(str(p) for p in ex.get("positions") or ())) for seq, ex in enumerate(examples, start=1)]
