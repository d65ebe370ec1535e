"""Replays: any view as known at a moment of system time and as of a date in the world."""

from __future__ import annotations

from flask import abort
from flask_smorest import Blueprint
from marshmallow import RAISE

from domain.permissions import is_allowed, view_permission
from web.access import redact_concern_rows
from web.investigations import note_read
from web.replay import replayer
from web.schemas.replay import ReplayableViewSchema, ReplayQueryArgsSchema, ReplaySchema
from web.security import ForbiddenError, permission, require_actor

PREFIX = "/replay"
blp = Blueprint(
    "api_replay", __name__,
    description="Replay a view to a past moment in a private database; live views are never "
    "touched. known_at: only what the ledger held then; as_of: only what had happened by then "
    "in the world, as known now, corrections included.",
)


@blp.route("")
@permission("replay")
@blp.response(200, ReplayableViewSchema(many=True))
def list_views():  # type: ignore[no-untyped-def]
    """The views that can be replayed, their tables, and the positions of their checkpoints."""
    r = replayer()
    kept: dict[str, list[int]] = {}
    for checkpoint in r.checkpoints.list():
        kept.setdefault(checkpoint.view, []).append(checkpoint.position)
    return [
        {"name": name, "tables": list(r.classes[name].tables), "checkpoints": kept.get(name, [])}
        for name in r.names
        if is_allowed(require_actor().role, view_permission(name))
    ]


@blp.route("/<view>")
@permission("replay")
@blp.arguments(ReplayQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, ReplaySchema)
def replay_view(args, view):  # type: ignore[no-untyped-def]
    """A view's tables as known at a moment (default now) and as of a date, a page at a time."""
    r = replayer()
    if view not in r.names:
        abort(404, description=f"no such view {view!r}; views: {', '.join(r.names)}")
    needed = view_permission(view)
    if not is_allowed(require_actor().role, needed):
        raise ForbiddenError(f"replaying the {view} view needs the permission {needed!r}, which your role lacks")
    replay = r.replay(view, known_at=args.get("known_at"), as_of=args.get("as_of"))
    if needed == "investigate":  # the timeline of every event (and who read what): a recorded read
        note_read(require_actor(), {"read": "replay", "subject": {"kind": "replay", "key": view},
                                    "known_at": replay.known_at, "as_of": replay.as_of})
    page, per_page = args["page"], args["per_page"]
    names = replay.tables()
    if args.get("table"):
        if args["table"] not in names:
            abort(404, description=f"view {view} has no table {args['table']!r}; it has {', '.join(names)}")
        names = [args["table"]]
    tables = []
    for name in names:
        rows, total = replay.rows(name, limit=per_page, offset=(page - 1) * per_page)
        tables.append({"name": name, "columns": replay.columns(name), "total": total,
                       "rows": redact_concern_rows(name, rows)})  # concerns: only what the reader may read
    return {
        "view": view,
        "position": replay.position,
        "head": r.head(),
        "known_at": replay.known_at.isoformat() if replay.known_at else None,
        "as_of": replay.as_of.isoformat() if replay.as_of else None,
        "started_from": replay.started_from,
        "events_applied": replay.events_applied,
        "page": page,
        "per_page": per_page,
        "tables": tables,
    }
