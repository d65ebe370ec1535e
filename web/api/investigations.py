"""Investigations: the timeline of an organisation, a person or an aggregate, and view diffs."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import RAISE

from web.investigations import compare, note_read, subject_of, timeline
from web.schemas.replay import (
    DiffQueryArgsSchema,
    DiffSchema,
    TimelinePageSchema,
    TimelineQueryArgsSchema,
)
from web.security import permission, require_actor

PREFIX = "/investigations"
blp = Blueprint(
    "api_investigations", __name__,
    description="Every event about a subject, filtered by type and actor, cut at a moment; and "
    "a view's difference between two moments.",
)


@blp.route("/timeline")
@permission("investigate")
@blp.arguments(TimelineQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, TimelinePageSchema)
def get_timeline(args):  # type: ignore[no-untyped-def]
    """A page of the timeline (newest first), with who acted and when."""
    subject = subject_of(args)
    note_read(require_actor(), {"read": "timeline", **{k: str(v) for k, v in args.items()}})
    return timeline(
        subject, event_type=args.get("event_type"), actor=args.get("actor"),
        known_at=args.get("known_at"), as_of=args.get("as_of"), page=args["page"],
        per_page=args["per_page"], oldest_first=args["oldest_first"],
    )


@blp.route("/diff")
@permission("investigate")
@blp.arguments(DiffQueryArgsSchema, location="query", unknown=RAISE)
@blp.response(200, DiffSchema)
def get_diff(args):  # type: ignore[no-untyped-def]
    """A view replayed at two moments, and the rows added, removed and changed between them."""
    subject = subject_of(args)
    note_read(require_actor(), {"read": "diff", **{k: str(v) for k, v in args.items()}})
    return compare(args["view"], subject, args["before"], args.get("after"), args.get("as_of"), args["limit"])
