from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.concern_routes import financial_quarter
from domain.working_days import is_working_day, overdue_cutoff, working_days_between


def test_easter_bank_holidays_are_not_working_days():
    # Thursday 2 April 2026 to Tuesday 7 April: Good Friday and Easter Monday do not count.
    assert working_days_between(date(2026, 4, 2), date(2026, 4, 7)) == 1
    assert not is_working_day(date(2026, 4, 3)) and not is_working_day(date(2026, 4, 6))


def test_a_friday_to_monday_wait_is_one_working_day_and_a_same_day_wait_is_none():
    assert working_days_between(date(2026, 1, 9), date(2026, 1, 12)) == 1
    assert working_days_between(date(2026, 1, 9), date(2026, 1, 9)) == 0
    assert working_days_between(date(2026, 1, 12), date(2026, 1, 9)) == 0


def test_christmas_and_the_new_year_span_years():
    # Wed 23 Dec 2026 to Mon 4 Jan 2027: 25, 26 (Sat), 28 (Boxing Day observed) and 1 Jan are out.
    assert working_days_between(date(2026, 12, 23), date(2027, 1, 4)) == 5


@pytest.mark.parametrize("target", [0, 1, 10, 15])
def test_the_overdue_cutoff_agrees_with_counting_working_days(target):
    today = date(2026, 4, 10)  # the Friday after Easter
    cutoff = overdue_cutoff(today, target)
    for offset in range(-40, 3):
        start = cutoff + timedelta(days=offset)
        assert (working_days_between(start, today) > target) == (start < cutoff), start


def test_quarters_are_the_nhs_financial_year():
    assert [financial_quarter(date(2026, m, 1)) for m in (3, 4, 7, 10, 1)] == [
        "2025/26 Q4", "2026/27 Q1", "2026/27 Q2", "2026/27 Q3", "2025/26 Q4",
    ]
