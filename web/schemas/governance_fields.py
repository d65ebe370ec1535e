"""Fields shared by the governance schemas."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import fields, validate

PERIOD_HALF = r"^\d{4}-\d{2}-[Hh][12]$"
PERIOD_QUARTER = r"^\d{4}-\d{2}-[Qq][1-4]$"


class StringList(fields.List):
    """A list of short strings; a form's single value (or comma-separated text) is accepted too."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(max=50))
        super().__init__(fields.String(validate=validate.Length(1, 100)), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


class LinesList(fields.List):
    """A list of texts; a form's textarea is accepted too, one item per line."""

    def __init__(self, max_length: int = 2000, **kwargs: Any) -> None:
        super().__init__(fields.String(validate=validate.Length(1, max_length)), **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            value = [line.strip() for line in value.splitlines() if line.strip()]
        return super()._deserialize(value, attr, data, **kwargs)


def text(max_length: int = 4000, required: bool = True, **kwargs: Any) -> fields.String:
    """A free-text field of bounded length."""
    if required:
        return fields.String(required=True, validate=validate.Length(1, max_length), **kwargs)
    return fields.String(load_default="", validate=validate.Length(0, max_length), **kwargs)


# Dates the ledger accepts: wide enough for any real record, narrow enough for date arithmetic.
DATE_RANGE = validate.Range(min=date(2000, 1, 1), max=date(2100, 12, 31))


def day(required: bool = False, **kwargs: Any) -> fields.Date:
    """A date between 2000 and 2100."""
    if required:
        return fields.Date(required=True, validate=DATE_RANGE, **kwargs)
    return fields.Date(load_default=None, allow_none=True, validate=DATE_RANGE, **kwargs)


def occurred_on() -> fields.Date:
    """When the act happened in the world (defaults to today)."""
    return day(metadata={"description": "when it happened; defaults to today"})
