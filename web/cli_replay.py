"""pvb replay: any view as known at a moment and as of a date; and its checkpoints."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from typing import Any

import click

from projections.replay import Replayer
from web.replay import MOMENT_HELP, parse_day, parse_moment


def _replayer(ctx: Any) -> Replayer:
    return Replayer.for_projections(ctx.services().projections)


def register_replay_commands(
    cli: click.Group, pass_ctx: Callable, handle_errors: Callable, emit: Callable
) -> None:
    """Attach `pvb replay` and `pvb replay-checkpoints` to the pvb CLI."""

    @cli.command("replay")
    @click.argument("view")
    @click.option("--known-at", "known_at", help=f"Only what the ledger held then: {MOMENT_HELP}.")
    @click.option("--as-of", "as_of", help="Only what had happened by this date in the world (YYYY-MM-DD).")
    @click.option("--table", help="Only this table of the view.")
    @click.option("--limit", default=1000, show_default=True, type=click.IntRange(0), help="Rows per table (0: all).")
    @click.option("--out", type=click.Path(dir_okay=False, writable=True), help="Also save the replayed tables as a SQLite file.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_ctx
    @handle_errors
    def replay(ctx, view, known_at, as_of, table, limit, out, as_json):  # type: ignore[no-untyped-def]
        """Show VIEW as known at a moment and/or as of a date, never touching the live views."""
        try:
            moment = parse_moment(known_at, "--known-at") if known_at else None
            day = parse_day(as_of, "--as-of") if as_of else None
        except ValueError as e:
            raise click.BadParameter(str(e)) from None
        replayer = _replayer(ctx)
        try:
            result = replayer.replay(view, known_at=moment, as_of=day)
            tables = [table] if table else result.tables()
            data: dict[str, Any] = {
                "view": view, "position": result.position, "head": replayer.head(),
                "known_at": moment.isoformat() if moment else None,
                "as_of": day.isoformat() if day else None,
                "started_from": result.started_from, "events_applied": result.events_applied,
                "tables": {},
            }
            for name in tables:
                rows, total = result.rows(name, limit=limit or 2**62)
                data["tables"][name] = {"columns": result.columns(name), "total": total, "rows": rows}
            if out:
                shutil.copyfile(result.path, out)
        finally:
            replayer.close()

        def lines() -> None:
            when = " ".join(p for p in (
                f"as known at {data['known_at']}" if moment else "", f"as of {data['as_of']}" if day else ""
            ) if p) or "now"
            click.echo(f"{view} {when}: position {data['position']} of {data['head']} "
                       f"(from {data['started_from']}, {data['events_applied']} events applied)")
            for name, found in data["tables"].items():
                click.echo(f"\n{name} ({found['total']} rows)")
                click.echo("  " + " | ".join(found["columns"]))
                for row in found["rows"]:
                    click.echo("  " + " | ".join("" if v is None else str(v) for v in row.values()))
            if out:
                click.echo(f"\nsaved to {out}")

        emit(data, as_json, lines)

    @cli.command("replay-checkpoints")
    @click.argument("views", nargs=-1)
    @click.option("--reset", is_flag=True, help="Delete the views' checkpoints first.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_ctx
    @handle_errors
    def replay_checkpoints(ctx, views, reset, as_json):  # type: ignore[no-untyped-def]
        """Make replay checkpoints up to the head of the log (run it nightly, or after a rebuild)."""
        replayer = _replayer(ctx)
        try:
            unknown = sorted(set(views) - set(replayer.names))
            if unknown:
                raise KeyError(f"no such view(s): {', '.join(unknown)}; views: {', '.join(replayer.names)}")
            if reset:
                for name in views or replayer.names:
                    replayer.checkpoints.clear(name)
            made = replayer.ensure_checkpoints(views or None)
            kept = replayer.checkpoints.list()
        finally:
            replayer.close()
        data = {
            "made": made,
            "checkpoints": [{"view": k.view, "position": k.position, "rows": k.rows_total} for k in kept],
        }
        emit(data, as_json, lambda: [
            click.echo(f"{name:<20} {n} new checkpoint(s); {sum(1 for k in kept if k.view == name)} kept")
            for name, n in made.items()
        ])
