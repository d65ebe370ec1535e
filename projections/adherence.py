"""The per-organisation adherence view: votes, surveys, concerns and feedback by organisation and quarter.

Each row remembers the event behind it (aggregate id and version), so that every figure on the
dashboard can link to the events it was drawn from.

Concerns about an organisation's people and regulator and HWB feedback on it are kept beside these
by projections/adherence_signals.py; the dashboard shows them, and neither changes the rating.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from domain.meeting import Meeting
from domain.period import Quarter
from domain.survey import Survey
from projections.adherence_queries import AdherenceQueries
from projections.adherence_signals import SIGNAL_INDEXES, SIGNAL_TABLES, AdherenceSignals
from projections.base import View, handles
from projections.store import SqlCursor

NO_ORGANISATION = ""  # panel responses whose organisation was not given


class AdherenceView(AdherenceQueries, AdherenceSignals, View):
    """For each organisation and quarter: votes, surveys, concerns and feedback, with their events."""

    name = "adherence"
    tables: ClassVar[dict[str, str]] = {
        "adh_meetings": "meeting_id TEXT PRIMARY KEY, body TEXT NOT NULL, title TEXT NOT NULL, "
        "held_on TEXT NOT NULL, quarter TEXT NOT NULL",
        "adh_votes": "meeting_id TEXT NOT NULL, person_id TEXT NOT NULL, organisation TEXT NOT NULL, "
        "quarter TEXT NOT NULL, verdict TEXT NOT NULL, corrections INTEGER NOT NULL, version INTEGER NOT NULL, "
        "PRIMARY KEY (meeting_id, person_id)",
        "adh_tallies": "meeting_id TEXT NOT NULL, organisation TEXT NOT NULL, quarter TEXT NOT NULL, "
        "adhered INTEGER NOT NULL, partly_adhered INTEGER NOT NULL, not_adhered INTEGER NOT NULL, "
        "corrections INTEGER NOT NULL, version INTEGER NOT NULL, PRIMARY KEY (meeting_id, organisation)",
        "adh_surveys": "survey_id TEXT PRIMARY KEY, code TEXT NOT NULL, kind TEXT NOT NULL, title TEXT NOT NULL, "
        "quarter TEXT NOT NULL",
        "adh_questions": "survey_id TEXT NOT NULL, question TEXT NOT NULL, label TEXT NOT NULL, "
        "answers TEXT NOT NULL, favourable TEXT NOT NULL, catalogue_items TEXT NOT NULL, "
        "PRIMARY KEY (survey_id, question)",
        "adh_answers": "survey_id TEXT NOT NULL, organisation TEXT NOT NULL, question TEXT NOT NULL, "
        "answer TEXT NOT NULL, quarter TEXT NOT NULL, kind TEXT NOT NULL, favourable INTEGER NOT NULL, "
        "n INTEGER NOT NULL, PRIMARY KEY (survey_id, organisation, question, answer)",
        "adh_respondents": "survey_id TEXT NOT NULL, organisation TEXT NOT NULL, question TEXT NOT NULL, "
        "quarter TEXT NOT NULL, kind TEXT NOT NULL, n INTEGER NOT NULL, "
        "PRIMARY KEY (survey_id, organisation, question)",
        "adh_survey_events": "survey_id TEXT NOT NULL, version INTEGER NOT NULL, organisation TEXT NOT NULL, "
        "quarter TEXT NOT NULL, event TEXT NOT NULL, detail TEXT NOT NULL, recorded_on TEXT NOT NULL, "
        "PRIMARY KEY (survey_id, version, organisation)",
        **SIGNAL_TABLES,
    }
    indexes = (
        "CREATE INDEX IF NOT EXISTS adh_votes_org ON adh_votes (organisation, quarter)",
        # the dashboard's quarters for every organisation, read from the index alone (no table rows)
        "CREATE INDEX IF NOT EXISTS adh_votes_quarter ON adh_votes (quarter, organisation, verdict)",
        "CREATE INDEX IF NOT EXISTS adh_tallies_org ON adh_tallies (organisation, quarter)",
        "CREATE INDEX IF NOT EXISTS adh_answers_org ON adh_answers (organisation, quarter)",
        "CREATE INDEX IF NOT EXISTS adh_respondents_org ON adh_respondents (organisation, quarter)",
        "CREATE INDEX IF NOT EXISTS adh_survey_events_org ON adh_survey_events (organisation, quarter)",
        *SIGNAL_INDEXES,
    )

    def apply_events(self, c: SqlCursor, events: list[Any], positions: Sequence[int] | None = None) -> None:
        """As one by one, with the batch's meetings, votes and tallies written by one statement each.

        The meetings' quarters are read once for the batch and kept as the rows are added.
        Only a vote's correction reads what these write, so the rows gathered so far are
        written before it; every other handler writes other tables, so it runs in place.
        """
        quarters = _meeting_quarters(c, {str(e.originator_id) for e in events if type(e) in GATHERED})
        meetings: list[tuple[Any, ...]] = []
        votes: list[tuple[Any, ...]] = []
        tallies: list[tuple[Any, ...]] = []
        for e in events:
            kind = type(e)
            if kind is Meeting.VoteCast:
                mid = str(e.originator_id)
                votes.append(_vote_row(e, quarters.get(mid) or Quarter.of(e.occurred_on).key))
            elif kind is Meeting.Recorded:
                row = _meeting_row(e)
                quarters.setdefault(row[0], row[4])  # the first row of a meeting stays, as ON CONFLICT keeps it
                meetings.append(row)
            elif kind in (Meeting.TallyRecorded, Meeting.TallyCorrected):
                tallies.append(_tally_row(e, quarters.get(str(e.originator_id)) or Quarter.of(e.occurred_on).key))
            else:
                if kind is Meeting.VoteCorrected:
                    _write(c, meetings, votes, tallies)
                self.apply(c, e)
        _write(c, meetings, votes, tallies)

    # Meetings and their closing votes.
    @handles(Meeting.Recorded)
    def _meeting(self, c: SqlCursor, e: Any) -> None:
        _write(c, [_meeting_row(e)], [], [])

    @handles(Meeting.VoteCast)
    def _vote(self, c: SqlCursor, e: Any) -> None:
        _write(c, [], [_vote_row(e, _meeting_quarter(c, e))], [])

    @handles(Meeting.VoteCorrected)
    def _vote_corrected(self, c: SqlCursor, e: Any) -> None:
        c.execute(
            "UPDATE adh_votes SET verdict = ?, corrections = corrections + 1, version = ? "
            "WHERE meeting_id = ? AND person_id = ?",
            (e.verdict, e.originator_version, str(e.originator_id), e.person_id),
        )

    @handles(Meeting.TallyRecorded, Meeting.TallyCorrected)
    def _tally(self, c: SqlCursor, e: Any) -> None:
        _write(c, [], [], [_tally_row(e, _meeting_quarter(c, e))])

    # Surveys: the questions with their favourable answers, then the answers counted.
    @handles(Survey.Opened)
    def _survey(self, c: SqlCursor, e: Any) -> None:
        sid = str(e.originator_id)
        c.execute(
            "INSERT INTO adh_surveys (survey_id, code, kind, title, quarter) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (survey_id) DO NOTHING",
            (sid, e.code, e.kind, e.title, e.period),
        )
        self._questions(c, sid, e.questions)

    @handles(Survey.MappingSaved)
    def _mapping(self, c: SqlCursor, e: Any) -> None:
        sid = str(e.originator_id)
        c.execute("DELETE FROM adh_questions WHERE survey_id = ?", (sid,))
        self._questions(c, sid, e.mapping["questions"])

    @staticmethod
    def _questions(c: SqlCursor, sid: str, questions: list[dict[str, Any]]) -> None:
        c.executemany(
            "INSERT INTO adh_questions (survey_id, question, label, answers, favourable, catalogue_items) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (survey_id, question) DO NOTHING",
            [(sid, q["key"], q["label"], json.dumps(q["answers"]), json.dumps(q["favourable"]),
              json.dumps(q["catalogue_items"])) for q in questions],
        )

    @handles(Survey.ResponsesImported)
    def _responses(self, c: SqlCursor, e: Any) -> None:
        sid, (quarter, kind) = str(e.originator_id), _survey(c, e)
        favourable = _favourable(c, sid)
        answers: dict[tuple[str, str, str], int] = {}
        respondents: dict[tuple[str, str], int] = {}
        per_org: dict[str, int] = {}
        for r in e.responses:
            org = r["organisation"] or NO_ORGANISATION
            per_org[org] = per_org.get(org, 0) + 1
            for question, answer in r["answers"].items():
                answers[(org, question, answer)] = answers.get((org, question, answer), 0) + 1
                respondents[(org, question)] = respondents.get((org, question), 0) + 1
        self._add_answers(c, sid, quarter, kind, favourable, answers)
        self._add_respondents(c, sid, quarter, kind, respondents)
        detail = "{n} response(s) imported from " + e.source_name
        self._survey_events(c, e, quarter, {org: detail.format(n=n) for org, n in per_org.items()})

    @handles(Survey.AllStaffResultsRecorded, Survey.AllStaffResultsCorrected)
    def _all_staff(self, c: SqlCursor, e: Any) -> None:
        sid, (quarter, kind) = str(e.originator_id), _survey(c, e)
        c.execute("DELETE FROM adh_answers WHERE survey_id = ? AND organisation = ? AND question = ?",
                  (sid, e.organisation, e.question))
        c.execute("DELETE FROM adh_respondents WHERE survey_id = ? AND organisation = ? AND question = ?",
                  (sid, e.organisation, e.question))
        favourable = _favourable(c, sid)
        self._add_answers(c, sid, quarter, kind, favourable,
                          {(e.organisation, e.question, a): n for a, n in e.counts.items() if n})
        self._add_respondents(c, sid, quarter, kind, {(e.organisation, e.question): sum(e.counts.values())})
        what = "corrected" if type(e).__name__ == "AllStaffResultsCorrected" else "recorded"
        self._survey_events(c, e, quarter, {e.organisation: f"{e.question}: {sum(e.counts.values())} answers {what}"})

    @staticmethod
    def _add_answers(
        c: SqlCursor, sid: str, quarter: str, kind: str, favourable: dict[str, set[str]],
        answers: dict[tuple[str, str, str], int],
    ) -> None:
        c.executemany(
            "INSERT INTO adh_answers (survey_id, organisation, question, answer, quarter, kind, favourable, n) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (survey_id, organisation, question, answer) "
            "DO UPDATE SET n = adh_answers.n + excluded.n",
            [(sid, org, q, a, quarter, kind, int(a in favourable.get(q, ())), n) for (org, q, a), n in answers.items()],
        )

    @staticmethod
    def _add_respondents(c: SqlCursor, sid: str, quarter: str, kind: str, counts: dict[tuple[str, str], int]) -> None:
        c.executemany(
            "INSERT INTO adh_respondents (survey_id, organisation, question, quarter, kind, n) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (survey_id, organisation, question) DO UPDATE SET n = adh_respondents.n + excluded.n",
            [(sid, org, q, quarter, kind, n) for (org, q), n in counts.items()],
        )

    @staticmethod
    def _survey_events(c: SqlCursor, e: Any, quarter: str, details: dict[str, str]) -> None:
        c.executemany(
            "INSERT INTO adh_survey_events (survey_id, version, organisation, quarter, event, detail, recorded_on) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (survey_id, version, organisation) DO NOTHING",
            [(str(e.originator_id), e.originator_version, org, quarter, type(e).__name__, detail,
              e.occurred_on.isoformat()) for org, detail in details.items()],
        )


GATHERED = frozenset({Meeting.Recorded, Meeting.VoteCast, Meeting.TallyRecorded, Meeting.TallyCorrected})


def _meeting_row(e: Any) -> tuple[Any, ...]:
    return (str(e.originator_id), e.body, e.title, e.occurred_on.isoformat(), Quarter.of(e.occurred_on).key)


def _vote_row(e: Any, quarter: str) -> tuple[Any, ...]:
    return (str(e.originator_id), e.person_id, e.organisation, quarter, e.verdict, e.originator_version)


def _tally_row(e: Any, quarter: str) -> tuple[Any, ...]:
    corrected = int(type(e).__name__ == "TallyCorrected")
    return (str(e.originator_id), e.organisation, quarter, e.adhered, e.partly_adhered, e.not_adhered, corrected,
            e.originator_version)


def _write(
    c: SqlCursor, meetings: list[tuple[Any, ...]], votes: list[tuple[Any, ...]], tallies: list[tuple[Any, ...]]
) -> None:
    """Write gathered meetings, votes and tallies (each in its own table, in order), and empty the lists."""
    if meetings:
        c.executemany(
            "INSERT INTO adh_meetings (meeting_id, body, title, held_on, quarter) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (meeting_id) DO NOTHING",
            meetings,
        )
    if votes:
        c.executemany(
            "INSERT INTO adh_votes (meeting_id, person_id, organisation, quarter, verdict, corrections, version) "
            "VALUES (?, ?, ?, ?, ?, 0, ?) ON CONFLICT (meeting_id, person_id) DO NOTHING",
            votes,
        )
    if tallies:
        c.executemany(
            "INSERT INTO adh_tallies (meeting_id, organisation, quarter, adhered, partly_adhered, not_adhered, "
            "corrections, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (meeting_id, organisation) DO UPDATE "
            "SET adhered = excluded.adhered, partly_adhered = excluded.partly_adhered, "
            "not_adhered = excluded.not_adhered, corrections = adh_tallies.corrections + excluded.corrections, "
            "version = excluded.version",
            tallies,
        )
    for rows in (meetings, votes, tallies):
        rows.clear()


def _meeting_quarters(c: SqlCursor, ids: set[str]) -> dict[str, str]:
    """The quarter of each of some meetings the view holds."""
    found: dict[str, str] = {}
    ordered = sorted(ids)
    for i in range(0, len(ordered), 500):
        chunk = ordered[i:i + 500]
        rows = c.execute(
            f"SELECT meeting_id, quarter FROM adh_meetings WHERE meeting_id IN ({', '.join('?' for _ in chunk)})", chunk
        ).fetchall()
        found.update((r["meeting_id"], str(r["quarter"])) for r in rows)
    return found


def _meeting_quarter(c: SqlCursor, e: Any) -> str:
    row = c.execute("SELECT quarter FROM adh_meetings WHERE meeting_id = ?", (str(e.originator_id),)).fetchone()
    return Quarter.of(e.occurred_on).key if row is None else str(row["quarter"])


def _survey(c: SqlCursor, e: Any) -> tuple[str, str]:
    row = c.execute("SELECT quarter, kind FROM adh_surveys WHERE survey_id = ?", (str(e.originator_id),)).fetchone()
    return ("", "") if row is None else (str(row["quarter"]), str(row["kind"]))


def _favourable(c: SqlCursor, sid: str) -> dict[str, set[str]]:
    rows = c.execute("SELECT question, favourable FROM adh_questions WHERE survey_id = ?", (sid,)).fetchall()
    return {r["question"]: set(json.loads(r["favourable"])) for r in rows}
