"""Turn a parsed export into survey responses by a saved mapping, and read all-staff result CSVs. Pure."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from application.surveymonkey import (
    FIXED_COLUMNS,
    FileProblem,
    FileRejectedError,
    SurveyExport,
    column_letter,
)
from domain.survey import MAX_COUNT, SurveyResponse
from domain.survey_mapping import CUSTOM_DATA, QuestionMap, SurveyMapping

ALL_STAFF_HEADER = ("organisation", "question", "answer", "count")


def map_responses(export: SurveyExport, mapping: SurveyMapping) -> list[SurveyResponse]:
    """Every response of the export as the mapping reads it, or FileRejectedError with each problem."""
    problems: list[FileProblem] = []
    columns = {}
    for q in mapping.questions:
        column = export.column(q.heading, q.option)
        if column is None:
            problems.append(FileProblem(1, None, f"the mapped question {q.key} ({q.heading!r} / {q.option!r}) is not in this export"))
        else:
            columns[q.key] = column
    org_column = None
    if mapping.organisation.column is not None:
        org_column = export.column(*mapping.organisation.column)
        if org_column is None:
            problems.append(FileProblem(1, None, f"the organisation question {mapping.organisation.heading!r} is not in this export"))
    if problems:
        raise FileRejectedError(problems)
    responses = []
    for row in export.rows:
        if org_column is not None:
            where, given = org_column.letter, row.cell(org_column)
        else:
            where, given = column_letter(FIXED_COLUMNS.index("Custom Data 1")), row.custom_data
        organisation = mapping.organisation.answers.get(given) if given else None
        if given and organisation is None:
            problems.append(FileProblem(row.row, where, f"{given!r} is not mapped to an organisation"))
        answers = {}
        for q in mapping.questions:
            answer = row.cell(columns[q.key])
            if not answer:
                continue
            if answer not in q.answers:
                problems.append(FileProblem(row.row, columns[q.key].letter, _not_an_answer(answer, q)))
            answers[q.key] = answer
        responses.append(SurveyResponse(row.respondent_id, organisation, answers))
    if problems:
        raise FileRejectedError(problems)
    return responses


def _not_an_answer(answer: str, q: QuestionMap) -> str:
    return f"{answer!r} is not one of the answers mapped for {q.key} ({'; '.join(q.answers)})"


def organisation_source(mapping: SurveyMapping) -> str:
    """Where the mapping reads the organisation from, for people."""
    org = mapping.organisation
    return "Custom Data 1" if org.source == CUSTOM_DATA else f"{org.heading} / {org.option or 'Response'}"


@dataclass
class AllStaffResults:
    """All-staff results read from a CSV: counts by (organisation, question), with the row each came from."""

    counts: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)
    rows: dict[tuple[str, str, str], int] = field(default_factory=dict)


def parse_all_staff_csv(data: bytes) -> AllStaffResults:
    """Read 'organisation,question,answer,count' rows (a header row first), or raise FileRejectedError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileRejectedError([FileProblem(data[: e.start].count(b"\n") + 1, None, "the file is not UTF-8 text")]) from None
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as e:
        raise FileRejectedError([FileProblem(None, None, f"the CSV is malformed ({e})")]) from None
    if not records:
        raise FileRejectedError([FileProblem(None, None, "the file is empty")])
    header = tuple(c.strip().lower() for c in records[0])
    if header != ALL_STAFF_HEADER:
        raise FileRejectedError([FileProblem(1, None, f"the header row must be {','.join(ALL_STAFF_HEADER)}; found {','.join(header)}")])
    results, problems = AllStaffResults(), []
    for number, cells in enumerate(records[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(ALL_STAFF_HEADER):
            problems.append(FileProblem(number, column_letter(min(len(cells), 3)), f"the row has {len(cells)} cells, not 4"))
            continue
        organisation, question, answer, count = (c.strip() for c in cells)
        organisation = organisation.upper()
        if not (count.isascii() and count.isdigit()):  # '²' is a digit to str.isdigit, not to int()
            problems.append(FileProblem(number, "D", f"count {count!r} is not a whole number"))
            continue
        if int(count) > MAX_COUNT:
            problems.append(FileProblem(number, "D", f"count {count} is more than {MAX_COUNT:,}"))
            continue
        key = (organisation, question, answer)
        if key in results.rows:
            problems.append(FileProblem(number, "C", f"{organisation}, {question}, {answer!r} also appears on row {results.rows[key]}"))
            continue
        results.rows[key] = number
        results.counts.setdefault((organisation, question), {})[answer] = int(count)
    if problems:
        raise FileRejectedError(problems)
    return results
