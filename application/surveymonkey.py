"""Read a SurveyMonkey response export (CSV or XLSX) as SurveyMonkey writes it. Pure: bytes in, data out.

The export has two header rows: the question text (written once, over the first of a question's
columns), then "Response", "Open-Ended Response" or the option or row each column holds. The first
nine columns are fixed. Personal identifiers (IP address, email, first and last name) are dropped
as each row is read and never leave this module.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.errors import ValidationError

FIXED_COLUMNS = (
    "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
    "Email Address", "First Name", "Last Name", "Custom Data 1",
)
RESPONDENT, CUSTOM_DATA = 0, 8
MAX_PROBLEMS = 50
EXPORT_HINT = (
    "export 'All individual responses' from SurveyMonkey as CSV or XLSX with expanded columns "
    "and actual answer text, and upload it unchanged"
)


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class FileProblem:
    """One thing wrong with a file, where a person can find it."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(p for p in (f"row {self.row}" if self.row else "", f"column {self.column}" if self.column else "") if p)
        return f"{where}: {self.message}" if where else self.message


class FileRejectedError(ValidationError):
    """The file cannot be used; nothing from it was recorded. ``problems`` says where and why."""

    def __init__(self, problems: list[FileProblem], what: str = "the file") -> None:
        self.problems = problems[:MAX_PROBLEMS]
        more = len(problems) - len(self.problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(f"{what} was not imported ({count}; nothing was recorded): {problems[0]}"
                         + (f" (and {more} more not listed)" if more else ""), field="file")


@dataclass(frozen=True)
class ExportColumn:
    """A question column: its heading (first header row) and option (second header row)."""

    index: int
    heading: str
    option: str

    @property
    def letter(self) -> str:
        """The column's spreadsheet letter."""
        return column_letter(self.index)

    @property
    def free_text(self) -> bool:
        """True for open-ended and 'other, please specify' columns (never imported)."""
        option = self.option.lower()
        return option.startswith("open-ended") or "please specify" in option


@dataclass(frozen=True)
class ExportRow:
    """One response: its Respondent ID, Custom Data 1 and its question cells, without personal identifiers."""

    row: int
    respondent_id: str
    custom_data: str
    cells: tuple[str, ...]

    def cell(self, column: ExportColumn) -> str:
        """This response's answer in a question column ('' if none)."""
        return self.cells[column.index - len(FIXED_COLUMNS)]


@dataclass(frozen=True)
class SurveyExport:
    """A parsed export: the question columns and the responses."""

    columns: tuple[ExportColumn, ...]
    rows: tuple[ExportRow, ...]
    sha256: str
    file_format: str

    def column(self, heading: str, option: str) -> ExportColumn | None:
        """The column with this heading and option, if the export has it."""
        return next((c for c in self.columns if (c.heading, c.option) == (heading, option)), None)

    def answers(self, column: ExportColumn) -> list[tuple[str, int]]:
        """The distinct answers given in a column, most frequent first, with their counts."""
        counts = Counter(r.cell(column) for r in self.rows if r.cell(column))
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    def custom_data_values(self) -> list[tuple[str, int]]:
        """The distinct Custom Data 1 values, most frequent first."""
        counts = Counter(r.custom_data for r in self.rows if r.custom_data)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def parse_export(data: bytes, filename: str = "") -> SurveyExport:
    """Parse a SurveyMonkey export, or raise FileRejectedError listing each problem by row and column."""
    if not data:
        raise FileRejectedError([FileProblem(None, None, f"the file is empty; {EXPORT_HINT}")])
    is_xlsx = data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")
    rows = _xlsx_rows(data) if is_xlsx else _csv_rows(data)
    columns = _header(rows)
    problems: list[FileProblem] = []
    parsed = _responses(rows, len(FIXED_COLUMNS) + len(columns), problems)
    if problems:
        raise FileRejectedError(problems)
    return SurveyExport(tuple(columns), tuple(parsed), hashlib.sha256(data).hexdigest(), "xlsx" if is_xlsx else "csv")


def _csv_rows(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        row = data[: e.start].count(b"\n") + 1
        raise FileRejectedError([FileProblem(row, None, f"the file is not UTF-8 text (byte {e.start}); {EXPORT_HINT}")]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    try:
        for record in reader:
            rows.append(record)
    except csv.Error as e:
        raise FileRejectedError([FileProblem(len(rows) + 1, None, f"the CSV is malformed ({e}); {EXPORT_HINT}")]) from None
    return rows


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds for a broken workbook
        raise FileRejectedError([FileProblem(None, None, f"the file is not a readable XLSX workbook ({type(e).__name__}); {EXPORT_HINT}")]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    width = max((len(r) for r in rows[:2]), default=0)
    for r in rows[:2]:  # a sheet's header rows may be stored short of the sheet's width
        r.extend([""] * (width - len(r)))
    return rows


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return str(value)


def _header(rows: list[list[str]]) -> list[ExportColumn]:
    if len(rows) < 2:
        raise FileRejectedError([FileProblem(len(rows) + 1, None, f"the file has fewer than the two header rows; {EXPORT_HINT}")])
    first, second = [c.strip() for c in rows[0]], [c.strip() for c in rows[1]]
    problems = _fixed_column_problems(first)
    if problems:
        raise FileRejectedError(problems)
    problems = _second_row_problems(first, second)
    if problems:
        raise FileRejectedError(problems)
    columns: list[ExportColumn] = []
    seen: dict[tuple[str, str], str] = {}
    heading = ""
    for index in range(len(FIXED_COLUMNS), len(first)):
        heading = first[index] or heading
        column = ExportColumn(index, heading, second[index])
        key = (column.heading, column.option)
        if key in seen:
            problems.append(FileProblem(2, column.letter, f"the question {heading!r} / {column.option!r} appears twice (also column {seen[key]}); the mapping could not tell them apart"))
        seen[key] = column.letter
        columns.append(column)
    if problems:
        raise FileRejectedError(problems)
    return columns


def _fixed_column_problems(first: list[str]) -> list[FileProblem]:
    normal = [c.lower() for c in first]
    for index, expected in enumerate(FIXED_COLUMNS):
        found = normal[index] if index < len(normal) else ""
        if found == expected.lower():
            continue
        if expected.lower() not in normal:
            message = f"the column {expected!r} is missing (found {first[index]!r} here)" if found else f"the column {expected!r} is missing"
        else:
            message = f"expected {expected!r} here, found {first[index]!r}"
        fixed = ", ".join(FIXED_COLUMNS)
        return [FileProblem(1, column_letter(index), f"{message}; the export must begin with SurveyMonkey's columns {fixed}; {EXPORT_HINT}")]
    if len(first) == len(FIXED_COLUMNS):
        return [FileProblem(1, column_letter(len(first)), "the export has no question columns")]
    if not first[len(FIXED_COLUMNS)]:
        return [FileProblem(1, column_letter(len(FIXED_COLUMNS)), "the first question column has no question text")]
    return []


def _second_row_problems(first: list[str], second: list[str]) -> list[FileProblem]:
    if len(second) != len(first):
        return [FileProblem(2, None, f"the second header row has {len(second)} cells, the first {len(first)}")]
    for index in range(len(FIXED_COLUMNS)):
        if second[index]:
            return [FileProblem(2, column_letter(index), f"found {second[index]!r} where the second header row (answer options or 'Response') should be blank; is the export missing its second header row? {EXPORT_HINT}")]
    for index in range(len(FIXED_COLUMNS), len(second)):
        if not second[index]:
            return [FileProblem(2, column_letter(index), f"the second header row is blank over the question {first[index]!r}; it should say 'Response' or name an option; {EXPORT_HINT}")]
    return []


def _responses(rows: list[list[str]], width: int, problems: list[FileProblem]) -> list[ExportRow]:
    parsed: list[ExportRow] = []
    first_seen: dict[str, int] = {}
    for number, cells in enumerate(rows[2:], start=3):
        if not any(c.strip() for c in cells):
            continue  # a blank line
        if len(cells) < width:
            problems.append(FileProblem(number, column_letter(len(cells)), f"the row has {len(cells)} cells but the header has {width}; the row ends early"))
            continue
        extra = [i for i in range(width, len(cells)) if cells[i].strip()]
        if extra:
            problems.append(FileProblem(number, column_letter(extra[0]), f"a value beyond the last header column ({len(cells)} cells, header {width})"))
            continue
        respondent = cells[RESPONDENT].strip()
        if not re.fullmatch(r"\d{1,20}", respondent):
            problems.append(FileProblem(number, "A", f"Respondent ID {respondent!r} is not a SurveyMonkey respondent number" if respondent else "Respondent ID is blank"))
            continue
        if respondent in first_seen:
            problems.append(FileProblem(number, "A", f"Respondent ID {respondent} appears twice in this file (first on row {first_seen[respondent]})"))
            continue
        first_seen[respondent] = number
        # Columns B-H, including the personal identifiers, are dropped here and go no further.
        parsed.append(ExportRow(number, respondent, cells[CUSTOM_DATA].strip(), tuple(c.strip() for c in cells[len(FIXED_COLUMNS):width])))
    return parsed
