"""Dates for the figures: NHS financial quarters and halves, working days, medians.

Dates are ISO strings (``YYYY-MM-DD``), as records hold them, and compare as strings. Working
days are weekdays that are not bank holidays; the bank holidays are an input (the report
freezes the list it used), so the same figures come out wherever they are computed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, timedelta
from statistics import median

_PERIOD = re.compile(r"^(\d{4})-(\d{2})(?:-([QH])([1-4]))?$")


def quarter_of(day: str) -> str:
    """The NHS financial-year quarter of an ISO date: '2026-04-01' -> '2026-27-Q1'."""
    year, month = int(day[:4]), int(day[5:7])
    start = year if month >= 4 else year - 1
    return f"{start}-{(start + 1) % 100:02d}-Q{(month - 4) % 12 // 3 + 1}"


def quarter_label(key: str) -> str:
    """'2026-27-Q1' -> 'Q1 26/27', for tables and chart axes."""
    return f"{key[-2:]} {key[2:4]}/{key[5:7]}"


def period_bounds(key: str) -> tuple[str, str]:
    """The first and last day of a quarter, half-year or financial year key, as ISO dates."""
    m = _PERIOD.match(key)
    if m is None:
        raise ValueError(f"{key!r} is not a period key such as 2026-27-Q1, 2026-27-H1 or 2026-27")
    year, letter, number = int(m.group(1)), m.group(3), int(m.group(4) or 1)
    months = {None: 12, "Q": 3, "H": 6}[letter]
    first = 4 + (number - 1) * months
    start = date(year + (first > 12), (first - 1) % 12 + 1, 1)
    after = first + months
    end = date(year + (after > 12), (after - 1) % 12 + 1, 1) - timedelta(days=1)
    return start.isoformat(), end.isoformat()


def quarters_in(start: str, end: str) -> list[str]:
    """The quarter keys from the one holding start to the one holding end."""
    keys, day = [], date.fromisoformat(start)
    last = quarter_of(end)
    while True:
        key = quarter_of(day.isoformat())
        keys.append(key)
        if key >= last:
            return keys
        day = date.fromisoformat(period_bounds(key)[1]) + timedelta(days=1)


def quarters_before(key: str, count: int) -> list[str]:
    """The count quarters before a quarter key, oldest first."""
    keys, day = [], date.fromisoformat(period_bounds(key)[0])
    for _ in range(count):
        day -= timedelta(days=1)
        keys.append(quarter_of(day.isoformat()))
        day = date.fromisoformat(period_bounds(keys[-1])[0])
    return list(reversed(keys))


def working_days_between(start: str, end: str, holidays: frozenset[str]) -> int:
    """Working days after start up to and including end (0 if end is not after start)."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    if last <= first:
        return 0
    full_weeks, extra = divmod((last - first).days, 7)
    count, day = full_weeks * 5, first + timedelta(days=full_weeks * 7)
    for _ in range(extra):
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    return count - sum(1 for h in holidays if start < h <= end and date.fromisoformat(h).weekday() < 5)


def years_spanned(days: Iterable[str | None]) -> list[int]:
    """The calendar years from the earliest to the latest of some ISO dates."""
    years = [int(d[:4]) for d in days if d]
    return list(range(min(years), max(years) + 1)) if years else []


def median_of(values: list[int]) -> float | None:
    """The median (a whole number or a half), or None for no values."""
    return float(median(values)) if values else None


def share(part: int, whole: int) -> int | None:
    """A whole-number percentage (None when there is no whole)."""
    return round(100 * part / whole) if whole else None
