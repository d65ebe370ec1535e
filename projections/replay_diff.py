"""The difference of a view between two replays, computed in SQL over their private files."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from projections.replay import Replay

_TABLE_KEY = re.compile(r"PRIMARY\s+KEY\s*\(([^)]*)\)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"^\s*(\w+)\s+[^,]*?PRIMARY\s+KEY", re.IGNORECASE)


def primary_key(columns_sql: str) -> list[str]:
    """The primary key columns named in a view's column SQL (empty: compare whole rows)."""
    found = _TABLE_KEY.search(columns_sql)
    if found:
        return [name.strip() for name in found.group(1).split(",") if name.strip()]
    for part in columns_sql.split(","):
        column = _COLUMN_KEY.match(part)
        if column:
            return [column.group(1)]
    return []


@dataclass
class TableDiff:
    """Rows added, removed and changed (same key, other values) in one table."""

    table: str
    key: list[str]
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, dict[str, Any]]] = field(default_factory=list)
    truncated: bool = False

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.added or self.removed or self.changed)


def diff_replays(
    before: Replay, after: Replay, *, mentions: Sequence[str] = (), limit: int = 100
) -> list[TableDiff]:
    """Compare two replays of the same view table by table.

    With ``mentions``, only rows with some column equal to one of them are compared (the rows
    about an investigation's subject); at most ``limit`` rows are listed per kind of change.
    """
    if before.name != after.name:
        raise ValueError("compare two replays of the same view")
    if before.store is None or after.store is None:
        if before.store is not None or after.store is not None:
            raise ValueError(f"the live {after.name} view is catching up; compare again in a moment")
        return [_diff_cuts(before, after, table, mentions, limit) for table in after.tables()]
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    try:
        connection.execute("ATTACH DATABASE ? AS a", (before.path,))
        connection.execute("ATTACH DATABASE ? AS b", (after.path,))
        specs = {t: sql for v in after.views.values() for t, sql in v.tables.items()}
        return [
            _diff_table(connection, table, after.columns(table), primary_key(specs[table]), mentions, limit)
            for table in after.tables()
        ]
    finally:
        connection.close()


def _diff_table(
    connection: sqlite3.Connection,
    table: str,
    columns: list[str],
    key: list[str],
    mentions: Sequence[str],
    limit: int,
) -> TableDiff:
    where, params = "1 = 1", []
    if mentions:
        terms = [f"{c} = ?" for c in columns for _ in mentions]
        where = "(" + " OR ".join(terms) + ")"
        params = [m for _ in columns for m in mentions]
    names = ", ".join(columns)

    def minus(first: str, second: str) -> list[dict[str, Any]]:
        sql = (
            f"SELECT {names} FROM {first}.{table} WHERE {where} EXCEPT "
            f"SELECT {names} FROM {second}.{table} WHERE {where} ORDER BY {names} LIMIT ?"
        )
        return [dict(r) for r in connection.execute(sql, [*params, *params, limit + 1])]

    new, old = minus("b", "a"), minus("a", "b")
    diff = TableDiff(table, key, truncated=len(new) > limit or len(old) > limit)
    new, old = new[:limit], old[:limit]
    if key:
        old_by_key = {tuple(r[k] for k in key): r for r in old}
        for row in new:
            previous = old_by_key.pop(tuple(row[k] for k in key), None)
            if previous is None:
                diff.added.append(row)
            else:
                diff.changed.append({"before": previous, "after": row})
        diff.removed = list(old_by_key.values())
    else:
        diff.added, diff.removed = new, old
    return diff


def _diff_cuts(before: Replay, after: Replay, table: str, mentions: Sequence[str], limit: int) -> TableDiff:
    """Two cuts of an append-only view: rows are only ever added, so compare the cuts."""
    columns = after.columns(table)
    first, first_params = before.cut()
    second, second_params = after.cut()
    where, params = "1 = 1", []
    if mentions:
        where = "(" + " OR ".join(f"CAST({c} AS TEXT) = ?" for c in columns for _ in mentions) + ")"
        params = [m for _ in columns for m in mentions]
    diff = TableDiff(table, ["position", *[c for c in columns if c != "position"]])
    with after.view.view.transaction(commit=False) as c:
        for into, inside, inside_params, outside, outside_params in (
            (diff.added, second, second_params, first, first_params),
            (diff.removed, first, first_params, second, second_params),
        ):
            rows = c.execute(
                f"SELECT * FROM {table} WHERE {inside} AND NOT ({outside}) AND {where} "
                "ORDER BY position LIMIT ?",
                [*inside_params, *outside_params, *params, limit + 1],
            ).fetchall()
            diff.truncated = diff.truncated or len(rows) > limit
            into.extend(dict(r) for r in rows[:limit])
    return diff
