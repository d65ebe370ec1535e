"""What every section is drawn from: the records by aggregate, the period, and the report's inputs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from .days import quarters_in
from .records import Record, aggregate_of

Section = dict[str, Any]


class Context:
    """The records up to the report's position, grouped by aggregate, and the inputs they are read with.

    ``start`` and ``end`` bound the period; ``as_of`` is the day time-dependent figures are counted
    to (the period's end, or the day drawn if earlier); ``holidays`` the bank holidays used for
    working days; ``targets`` the working days a concern may stay at each stage. Folds over the
    records that several sections need are made once and kept.
    """

    def __init__(self, records: Iterable[Record], start: str, end: str, as_of: str,
                 holidays: Iterable[str], targets: dict[str, int]) -> None:
        self.by_aggregate: dict[str, list[Record]] = defaultdict(list)
        for r in sorted(records, key=lambda r: r["position"]):
            self.by_aggregate[aggregate_of(r["topic"])].append(r)
        self.start, self.end, self.as_of = start, end, as_of
        self.holidays = frozenset(holidays)
        self.targets = dict(targets)
        self.quarters = quarters_in(start, as_of)
        self._kept: dict[str, Any] = {}

    def records(self, *aggregates: str) -> list[Record]:
        """The records of some aggregates, in log order."""
        if len(aggregates) == 1:
            return self.by_aggregate.get(aggregates[0], [])
        found = [r for a in aggregates for r in self.by_aggregate.get(a, [])]
        return sorted(found, key=lambda r: r["position"])

    def kept(self, name: str, make: Callable[[Context], Any]) -> Any:
        """A fold made once per drawing."""
        if name not in self._kept:
            self._kept[name] = make(self)
        return self._kept[name]

    def in_period(self, day: str | None) -> bool:
        """True for a day from the period's start up to the day counted to."""
        return bool(day) and self.start <= str(day) <= self.as_of


def section(key: str, title: str, **parts: Any) -> Section:
    """A report section in the common shape (see report.py)."""
    return {
        "key": key, "title": title, "note": parts.get("note", ""), "figures": parts.get("figures", {}),
        "tables": parts.get("tables", []), "charts": parts.get("charts", []),
        "lists": parts.get("lists", {}), "quotes": parts.get("quotes", []),
    }


def table(title: str, columns: list[str], rows: list[list[Any]], key_columns: int = 1) -> dict[str, Any]:
    """A table: its title, column headings and rows; the first key_columns cells name a row."""
    return {"title": title, "columns": columns, "rows": rows, "key_columns": key_columns}


def bars(title: str, items: list[list[Any]], unit: str = "", maximum: float | None = None) -> dict[str, Any]:
    """A horizontal bar chart of [label, value] items."""
    return {"type": "bars", "title": title, "unit": unit, "max": maximum, "items": items}
