"""The calendar's periods follow the NHS financial year."""

from __future__ import annotations

from datetime import date

import pytest

from domain.errors import ValidationError
from domain.periods import financial_year_of, half_of, parse_period, periods_from, quarter_of


def test_quarters_halves_and_years_follow_the_financial_year():
    day = date(2026, 1, 5)
    assert (quarter_of(day).key, half_of(day).key, financial_year_of(day).key) == ("2025-26-Q4", "2025-26-H2", "2025-26")
    assert (quarter_of(day).start, quarter_of(day).end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (half_of(date(2026, 9, 30)).start, half_of(date(2026, 9, 30)).end) == (date(2026, 4, 1), date(2026, 9, 30))
    assert quarter_of(day).label == "Q4 2025/26 (Jan–Mar 2026)" and financial_year_of(day).label == "2025/26"
    assert quarter_of(day).next().key == "2026-27-Q1" and half_of(day).previous().key == "2025-26-H1"


def test_periods_parse_from_their_keys_and_bad_keys_say_how_to_write_them():
    assert parse_period("2026-27-q3") == quarter_of(date(2026, 10, 1))
    assert parse_period("2026-27", "year") == financial_year_of(date(2026, 4, 1))
    for bad in ("2026-28-Q1", "2026-27-H3", "2026-27-Q5", "Q1", ""):
        with pytest.raises(ValidationError, match="is not a period of the form"):
            parse_period(bad)
    with pytest.raises(ValidationError, match="2026-27-H1"):
        parse_period("2026-27-Q1", "half")


def test_periods_from_a_start_run_to_the_period_containing_the_last_day():
    keys = [p.key for p in periods_from(quarter_of(date(2025, 11, 27)), date(2026, 4, 2))]
    assert keys == ["2025-26-Q3", "2025-26-Q4", "2026-27-Q1"]
