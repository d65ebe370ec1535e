"""The records every figure is computed from, and the one decoder of a stored event's state.

A record is plain JSON: ``{"position", "originator_id", "version", "topic", "recorded_at",
"state"}``. The state is the event's stored JSON with the ledger's encoded values made plain:
dates and times as ISO strings, UUIDs as text, and personal data (encrypted under its
subject's own key) as ``None``: encrypted fields are never figures, so no key is needed.
The ledger builds records from its stored events and an export bundle from its events.jsonl,
with this same decoder, so the app and an offline verifier compute from the same input.

Standard library only: this package is copied into export bundles as it is.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

Record = dict[str, Any]

PLAIN_TYPES = {"date_iso", "datetime_iso", "decimal_str"}


def plain(value: Any) -> Any:
    """A stored JSON value with the ledger's encoded values made plain (personal data as None)."""
    if isinstance(value, dict):
        if len(value) == 2 and "_type_" in value and "_data_" in value:
            kind, data = value["_type_"], value["_data_"]
            if kind in PLAIN_TYPES:
                return data
            if kind == "uuid_hex":
                return str(uuid.UUID(data))
            return None  # personal data, or a value this decoder does not read: never a figure
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def decode_state(stored: bytes | str | dict[str, Any]) -> dict[str, Any]:
    """The state of a stored event (its bytes, its text, or its JSON already parsed), made plain."""
    data = json.loads(stored) if isinstance(stored, (bytes, str)) else stored
    if not isinstance(data, dict):
        raise ValueError("an event's state is a JSON object")
    return plain(data)  # type: ignore[no-any-return]


def originator_text(originator_id: Any) -> str:
    """An originator id as canonical UUID text (hex with dashes), whatever form it was read in."""
    if isinstance(originator_id, uuid.UUID):
        return str(originator_id)
    if isinstance(originator_id, (bytes, bytearray)) and len(originator_id) == 16:
        return str(uuid.UUID(bytes=bytes(originator_id)))
    text = str(originator_id)
    try:
        return str(uuid.UUID(text))
    except ValueError:
        return text


def make_record(position: int, originator_id: Any, version: int, topic: str,
                stored: bytes | str | dict[str, Any]) -> Record:
    """One record from a stored event's columns."""
    state = decode_state(stored)
    return {
        "position": int(position), "originator_id": originator_text(originator_id), "version": int(version),
        "topic": topic, "recorded_at": state.get("timestamp"), "state": state,
    }


def aggregate_of(topic: str) -> str:
    """'domain.concern:Concern.Raised' -> 'Concern'."""
    return topic.split(":", 1)[-1].split(".")[0]


def event_name(topic: str) -> str:
    """'domain.concern:Concern.Raised' -> 'Raised'."""
    return topic.split(":", 1)[-1].split(".", 1)[-1]


# The aggregates whose events the figures read: the ledger reads only these from its log.
AGGREGATES = (
    "Concern", "Meeting", "Survey", "Feedback", "Person", "Organisation", "Objective", "Review",
    "ChairsMeeting", "Commendation", "LearningSession", "Pledge", "Adoption", "MeetingBody",
)


def wanted(topic: str) -> bool:
    """True for the events some figure is computed from."""
    return aggregate_of(topic) in AGGREGATES
