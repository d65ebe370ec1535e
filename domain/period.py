"""Quarters of the NHS financial year (April to March): the period adherence is reported by."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from domain.errors import ValidationError

KEY_PATTERN = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")
MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


@dataclass(frozen=True, order=True)
class Quarter:
    """One quarter: Q1 is April to June; ``year`` is the financial year's first calendar year."""

    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> Quarter:
        """The quarter a date falls in."""
        if day.month >= 4:
            return cls(day.year, (day.month - 4) // 3 + 1)
        return cls(day.year - 1, 4)

    @classmethod
    def parse(cls, key: str, field: str = "quarter") -> Quarter:
        """The quarter with a key like '2026-27-Q1', or ValidationError naming the field."""
        match = KEY_PATTERN.match((key or "").strip())
        if match is None:
            raise ValidationError(
                f"quarter {key!r} is not of the form 2026-27-Q1 (financial year, then Q1 to Q4)",
                field=field,
            )
        year = int(match.group(1))
        if int(match.group(2)) != (year + 1) % 100:
            raise ValidationError(f"quarter {key!r}: {year}-{match.group(2)} is not a financial year", field=field)
        return cls(year, int(match.group(3)))

    @property
    def key(self) -> str:
        """The stable, sortable key: '2026-27-Q1'."""
        return f"{self.year}-{(self.year + 1) % 100:02d}-Q{self.number}"

    @property
    def first_day(self) -> date:
        """The quarter's first day."""
        month = 3 * (self.number - 1) + 4
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        """The quarter's last day."""
        return self.next().first_day - timedelta(days=1)

    @property
    def label(self) -> str:
        """For people: 'Q1 2026/27 (Apr–Jun 2026)'."""
        first, last = MONTHS[3 * (self.number - 1)], MONTHS[3 * (self.number - 1) + 2]
        return f"Q{self.number} {self.year}/{(self.year + 1) % 100:02d} ({first}–{last} {self.last_day.year})"

    @property
    def short_label(self) -> str:
        """For chart axes: 'Q1 26/27'."""
        return f"Q{self.number} {self.year % 100:02d}/{(self.year + 1) % 100:02d}"

    def next(self) -> Quarter:
        """The following quarter."""
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> Quarter:
        """The quarter before."""
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def __str__(self) -> str:
        return self.key


def quarters_between(first: Quarter, last: Quarter) -> list[Quarter]:
    """Every quarter from first to last inclusive (empty if last is before first)."""
    quarters, current = [], first
    while current <= last:
        quarters.append(current)
        current = current.next()
    return quarters
