"""Working days in England and Wales: weekdays that are not bank holidays."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    # England and Wales share one list of bank holidays; the package calls it "ENG".
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """True for a weekday that is not an England and Wales bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """Working days elapsed after start up to and including end (0 if end <= start).

    Something that reached a stage on a Friday and is still there on Monday has
    spent one working day at it.
    """
    if end <= start:
        return 0
    full_weeks, extra = divmod((end - start).days, 7)
    count = full_weeks * 5
    day = start + timedelta(days=full_weeks * 7)
    for _ in range(extra):
        day += timedelta(days=1)
        if day.weekday() < 5:
            count += 1
    holidays_in_range = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in _bank_holidays(year)
        if start < holiday <= end and holiday.weekday() < 5
    )
    return count - holidays_in_range


def overdue_cutoff(today: date, target: int) -> date:
    """The earliest start date not yet overdue against a target of working days.

    Whatever reached a stage before this date has spent more than target working
    days there by today (working_days_between(start, today) > target): an overdue
    filter becomes a plain date comparison in SQL.
    """
    day, counted = today, 0
    while True:
        if is_working_day(day):
            if counted == target:
                return day
            counted += 1
        day -= timedelta(days=1)


def bank_holidays(years: list[int]) -> list[str]:
    """The England and Wales bank holidays of some years, as ISO dates in order (a report freezes them)."""
    return sorted(day.isoformat() for year in years for day in _bank_holidays(year))
