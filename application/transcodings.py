"""How values that JSON does not know are written into stored events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from eventsourcing.persistence import DatetimeAsISO, JSONTranscoder, Transcoding


class DateAsISO(Transcoding):
    """Dates (occurred_on and the like) as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class LedgerTranscoder(JSONTranscoder):
    """The library's JSON transcoder with a quicker hook for the values it decodes.

    Every dict in a stored event passes through the hook (about four an event): most are plain,
    and most of the rest are the timestamp and dates. The hook tells them apart with a lookup or
    two and decodes dates and times directly, as the library's transcodings do; a dict it does
    not recognise goes to the library's own hook, which raises its own errors.
    """

    def _decode_obj(self, d: dict[str, Any]) -> Any:
        if len(d) != 2:
            return d
        name = d.get("_type_")
        if name is None:
            return d
        data = d.get("_data_")
        if type(data) is str:
            if name == DatetimeAsISO.name:
                return _datetime_from_iso(data)
            if name == DateAsISO.name:
                return _date_from_iso(data)
        transcoding = self.names.get(name)
        if transcoding is None or "_data_" not in d:
            return super()._decode_obj(d)
        return transcoding.decode(data)


_date_from_iso = date.fromisoformat
_datetime_from_iso = datetime.fromisoformat
