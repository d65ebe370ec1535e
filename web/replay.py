"""Replays on the web: one helper every view page calls, and the moments people type.

A page adopts replay in two steps:

1. get its view with ``view_for("name")`` instead of ``services.projections["name"]``; when the
   request carries ``?known_at=...`` and/or ``?as_of=...`` (and the user may replay) this is the
   same View class built in a private database as of then, so the page's queries are unchanged;
2. put ``{% include "replay_control.html" %}`` near the top of its template, and hide its forms
   when ``replaying()`` is true (nothing can be written into the past).
"""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import abort, current_app, g, request

from domain.permissions import is_allowed
from projections.replay import Replay, Replayer
from web.security import ForbiddenError, require_actor

LONDON = ZoneInfo("Europe/London")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LOCK = threading.Lock()
MOMENT_HELP = (
    "a date and time like 2026-03-31T17:00 (UK time unless it ends with Z or an offset such as "
    "+01:00), or a date like 2026-03-31 meaning the end of that day"
)


def parse_moment(text: str, field: str = "known_at") -> datetime:
    """A moment of system time typed by a person, in UTC; ValueError says what is expected."""
    value = (text or "").strip()
    try:
        if _DATE.match(value):
            return datetime.combine(date.fromisoformat(value), time.max, LONDON).astimezone(UTC)
        moment = datetime.fromisoformat(value)
    except (ValueError, OverflowError):
        raise ValueError(f"{field} must be {MOMENT_HELP}; got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise ValueError(f"{field} is out of range; got {value!r}") from None


def parse_day(text: str, field: str = "as_of") -> date:
    """A date in the world (YYYY-MM-DD); ValueError says what is expected."""
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ValueError(f"{field} must be a date like 2026-03-31; got {text!r}") from None


def show_moment(moment: datetime | None) -> str:
    """A moment for people: UK time, to the second."""
    if moment is None:
        return ""
    return moment.astimezone(LONDON).strftime("%d %b %Y %H:%M:%S %Z")


def replayer() -> Replayer:
    """This app's replayer (one per process, made on first use)."""
    extensions = current_app.extensions
    with _LOCK:
        if "pvb_replayer" not in extensions:
            services = extensions["pvb"]
            extensions["pvb_replayer"] = Replayer.for_projections(services.projections)
    return extensions["pvb_replayer"]  # type: ignore[no-any-return]


def replay_args() -> tuple[datetime | None, date | None]:
    """The request's ?known_at= and ?as_of=, parsed; a 422 page or answer if malformed."""
    known_at, as_of = request.args.get("known_at", ""), request.args.get("as_of", "")
    try:
        moment = parse_moment(known_at) if known_at.strip() else None
        day = parse_day(as_of) if as_of.strip() else None
    except ValueError as e:
        abort(422, description=str(e))
    return moment, day


def view_for(name: str) -> Any:
    """The view a page shows: live, or replayed when the request asks and the user may."""
    g.pvb_replay_allowed = is_allowed(require_actor().role, "replay")
    g.pvb_replay = None
    moment, day = replay_args()
    if moment is None and day is None:
        return current_app.extensions["pvb"].projections[name]
    if not g.pvb_replay_allowed:
        raise ForbiddenError(f"a user acting as {require_actor().role.value} may not replay views")
    made = g.setdefault("pvb_replays", {})  # a page asking for a view twice replays it once
    replay = made.get((name, moment, day))
    if replay is None:
        replay = made[(name, moment, day)] = replayer().replay(name, known_at=moment, as_of=day)
    g.pvb_replay = describe(replay)
    return replay.view


def replaying() -> bool:
    """True while the current page shows a replayed view."""
    return g.get("pvb_replay") is not None


def describe(replay: Replay) -> dict[str, Any]:
    """What a page says about the replay it shows."""
    live_args = {k: v for k, v in request.args.items() if k not in ("known_at", "as_of")}
    return {
        "view": replay.name,
        "position": replay.position,
        "known_at": show_moment(replay.known_at),
        "as_of": replay.as_of.isoformat() if replay.as_of else "",
        "started_from": replay.started_from,
        "live_url": request.path + ("?" + urlencode(live_args) if live_args else ""),
    }
