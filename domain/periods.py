"""The paper's calendar in NHS financial years: quarters, half-years and years, as pure functions.

Keys follow the ledger's quarter convention (``2026-27-Q1`` is April to June 2026, as in
domain/period.py's adherence quarters), so that reviews, reports and surveys line up:
``2026-27-H1`` is April to September 2026 and ``2026-27`` the whole financial year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import ValidationError

_KEY = re.compile(r"^(\d{4})-(\d{2})(?:-([QH])([1-4]))?$")
_MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")
QUARTER, HALF, YEAR = "quarter", "half", "year"
_SIZE = {QUARTER: 3, HALF: 6, YEAR: 12}


@dataclass(frozen=True, order=True)
class Period:
    """A quarter, half-year or financial year: its first day, last day, key and kind."""

    start: date
    end: date
    key: str
    kind: str

    def contains(self, day: date) -> bool:
        """True if day falls within the period."""
        return self.start <= day <= self.end

    def next(self) -> Period:
        """The period of the same kind that follows this one."""
        return period_of(self.kind, self.end + timedelta(days=1))

    def previous(self) -> Period:
        """The period of the same kind before this one."""
        return period_of(self.kind, self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        """For people: 'Q1 2026/27 (Apr–Jun 2026)', 'H2 2026/27 (Oct–Mar 2027)' or '2026/27'."""
        fy = f"{self.start.year if self.start.month >= 4 else self.start.year - 1}"
        fy = f"{fy}/{(int(fy) + 1) % 100:02d}"
        if self.kind == YEAR:
            return fy
        first = _MONTHS[(self.start.month - 4) % 12]
        last = _MONTHS[(self.end.month - 4) % 12]
        return f"{self.key[-2:]} {fy} ({first}–{last} {self.end.year})"

    def __str__(self) -> str:
        return self.key


def _fy_start(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def period_of(kind: str, day: date) -> Period:
    """The period of a kind (quarter, half, year) containing day."""
    size = _SIZE[kind]
    year = _fy_start(day)
    index = ((day.month - 4) % 12) // size  # 0-based within the financial year
    first_month = 4 + index * size
    start = date(year + (first_month > 12), (first_month - 1) % 12 + 1, 1)
    after_month = first_month + size
    after = date(year + (after_month > 12), (after_month - 1) % 12 + 1, 1)
    key = f"{year}-{(year + 1) % 100:02d}"
    if kind != YEAR:
        key += f"-{'Q' if kind == QUARTER else 'H'}{index + 1}"
    return Period(start, after - timedelta(days=1), key, kind)


def quarter_of(day: date) -> Period:
    """The financial quarter containing day (Q1 is April to June)."""
    return period_of(QUARTER, day)


def half_of(day: date) -> Period:
    """The financial half-year containing day (H1 is April to September)."""
    return period_of(HALF, day)


def financial_year_of(day: date) -> Period:
    """The NHS financial year containing day (1 April to 31 March)."""
    return period_of(YEAR, day)


def parse_period(key: str, kind: str | None = None, field: str = "period") -> Period:
    """The period with a key like 2026-27-Q1, 2026-27-H2 or 2026-27 (of the kind, if given)."""
    m = _KEY.match((key or "").strip().upper())
    examples = {QUARTER: "2026-27-Q1", HALF: "2026-27-H1", YEAR: "2026-27"}
    wanted = examples[kind] if kind else "2026-27-Q1, 2026-27-H1 or 2026-27"
    if m is None or (int(m.group(1)) + 1) % 100 != int(m.group(2)):
        raise ValidationError(f"{key!r} is not a period of the form {wanted}", field=field)
    year, letter, number = int(m.group(1)), m.group(3), int(m.group(4) or 1)
    found = YEAR if letter is None else (QUARTER if letter == "Q" else HALF)
    if (kind and found != kind) or (found == HALF and number > 2) or not 2000 <= year <= 2200:
        raise ValidationError(f"{key!r} is not a period of the form {wanted}", field=field)
    month = 4 + (number - 1) * _SIZE[found]
    return period_of(found, date(year + (month > 12), (month - 1) % 12 + 1, 1))


def periods_from(first: Period, last_day: date) -> list[Period]:
    """first and every following period of its kind that starts on or before last_day."""
    periods, period = [], first
    while period.start <= last_day:
        periods.append(period)
        period = period.next()
    return periods
