"""Recording reads of confidential records from the web, and showing who read them.

Reads of a concern are recorded by the application's ``get_concern`` itself (so no page can
forget one). A read is recorded once per reader per record per day (``Ledger.record_read`` keeps one small
aggregate per record per day and writes only when a reader is new that day, or sees something
new such as a confidential raiser's name). So the first view of a page that day appends one
event and every refresh after it only reads: pages stay fast, GETs do not write on every
refresh, and the ledger still says who read what on which day. Investigators' reads of the
timeline and of view differences come here through ``web.investigations.READ_HOOKS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app

from domain.access import concern_record
from domain.values import Actor
from web.investigations import READ_HOOKS, subject_of
from web.security import require_actor


def _services():  # type: ignore[no-untyped-def]
    return current_app.extensions["pvb"]


def reads_of(record: str) -> dict[str, Any]:
    """Who read a record, by day, newest first (at most the latest hundred reader-days)."""
    rows, total = _services().projections["access"].reads(record)
    return {"items": rows, "total": total}


def investigation_record(what: dict[str, Any]) -> str:
    """The record an investigator's read was of: a subject's timeline, or the whole log."""
    subject = what.get("subject")
    if isinstance(subject, dict) and subject.get("kind"):
        return f"investigation:{subject['kind']}:{subject['key']}"
    found = subject_of(what)
    return f"investigation:{found.kind}:{found.key}" if found else "investigation:all"


def record_investigation_read(actor: Actor, what: dict[str, Any]) -> None:
    """READ_HOOKS entry: record an investigator's read of a timeline or a view's difference."""
    _services().ledger.record_read(actor, investigation_record(what), [str(what.get("read", "timeline"))])


if record_investigation_read not in READ_HOOKS:
    READ_HOOKS.append(record_investigation_read)


# Views' tables that name concerns: the column holding the reference, the columns withheld from a
# reader who may not read that concern, and those withheld from a reader who may read it but not
# see its confidential raiser. Replays of these tables go through ``redact_concern_rows``.
CONCERN_TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "adh_concerns": ("reference", ("concern_id", "reference", "route"), ()),
    "obj_review_concerns": ("concern_ref", ("concern_id", "concern_ref", "person_id"), ()),
    "esc_concerns": ("reference", ("id", "reference", "raiser_id", "subject_id"), ("raiser_id",)),
}


def readable_concerns(references: Iterable[str]) -> dict[str, bool]:
    """Of these concern references, those the signed-in user may read (the rule of
    ``Ledger._readable``), each with True if they also see who raised it."""
    refs = [r for r in references if r]
    if not refs:
        return {}
    return _services().ledger.readable_concerns(require_actor(), refs)  # type: ignore[no-any-return]


def split_readable(rows: list[dict[str, Any]], key: str) -> tuple[list[dict[str, Any]], int]:
    """The rows naming a concern the signed-in user may read, and how many others were left out."""
    readable = readable_concerns(r[key] for r in rows)
    shown = [r for r in rows if str(r[key]).upper() in readable]
    return shown, len(rows) - len(shown)


def redact_concern_rows(table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A replayed table's rows with what the reader may not see of each concern set to null."""
    if table not in CONCERN_TABLES:
        return rows
    key, unreadable, raiser = CONCERN_TABLES[table]
    readable = readable_concerns(str(r[key]) for r in rows if r.get(key))
    out = []
    for row in rows:
        ref = str(row.get(key) or "").upper()
        hidden = unreadable if ref not in readable else raiser if not readable[ref] else ()
        out.append({**row, **{column: None for column in hidden if column in row}})
    return out


__all__ = ["concern_record", "reads_of", "readable_concerns", "record_investigation_read", "redact_concern_rows",
           "split_readable"]
