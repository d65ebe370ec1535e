"""What every API write answers: the new id and its log position, once views include it."""

from __future__ import annotations

from flask import current_app


def written(identifier: str) -> dict[str, object]:
    """Wait (bounded) until views include this thread's last write, then describe it."""
    services = current_app.extensions["pvb"]
    position = services.ledger.last_write_position
    services.after_write(position, current_app.config["PVB_SETTINGS"].read_your_writes_timeout)
    return {"id": identifier, "position": position}
