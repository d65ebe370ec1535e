"""pvb subcommands for users, tokens, the directory and the projections."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import Any

import click

from domain.values import Role


def register_admin_commands(
    cli: click.Group, pass_ctx: Callable, handle_errors: Callable, emit: Callable
) -> None:
    """Attach the administration command groups to the pvb CLI."""
    json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")

    @cli.group()
    def users() -> None:
        """Add users and change their roles."""

    @users.command("add")
    @click.argument("username")
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--org", "organisation", help="Organisation code, e.g. NVH.")
    @click.option("--person", "person_id", help="Directory person id this user is (needed by roles that "
                  "act as a person: staff, board members, Chief Executives, Chairs, the governance lead).")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
    @pass_ctx
    @handle_errors
    def users_add(ctx, username, role, organisation, person_id, password_stdin):  # type: ignore[no-untyped-def]
        """Add a user who signs in with a password (asked for at a hidden prompt, never on the command line)."""
        password = read_new_password(password_stdin)
        ctx.services().ledger.add_user(
            ctx.actor, username=username, password=password, role=role,
            organisation=organisation, person_id=person_id,
        )
        click.echo(f"user {username} added as {role}")

    @users.command("role")
    @click.argument("username")
    @click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
    @click.option("--org", "organisation")
    @click.option("--person", "person_id", help="Directory person id the user acts as.")
    @pass_ctx
    @handle_errors
    def users_role(ctx, username, role, organisation, person_id):  # type: ignore[no-untyped-def]
        """Change a user's role (an event); their open sessions end at once."""
        ctx.services().ledger.change_role(ctx.actor, username, role=role, organisation=organisation,
                                          person_id=person_id)
        click.echo(f"user {username} is now {role}; their sessions were ended")

    @users.command("disable")
    @click.argument("username")
    @click.option("--reason", required=True, help="Why (recorded in the event).")
    @pass_ctx
    @handle_errors
    def users_disable(ctx, username, reason):  # type: ignore[no-untyped-def]
        """Disable an account: no sign-in, no API tokens, and its sessions end at once."""
        ctx.services().ledger.disable_user(ctx.actor, username, reason)
        click.echo(f"user {username} disabled; their sessions were ended")

    @users.command("enable")
    @click.argument("username")
    @click.option("--reason", required=True, help="Why (recorded in the event).")
    @pass_ctx
    @handle_errors
    def users_enable(ctx, username, reason):  # type: ignore[no-untyped-def]
        """Let a disabled account sign in again."""
        ctx.services().ledger.enable_user(ctx.actor, username, reason)
        click.echo(f"user {username} enabled")

    @users.command("reset-password")
    @click.argument("username")
    @click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
    @pass_ctx
    @handle_errors
    def users_reset_password(ctx, username, password_stdin):  # type: ignore[no-untyped-def]
        """Set a new password for a user (an event); their open sessions end at once."""
        password = read_new_password(password_stdin)
        ctx.services().ledger.set_password(ctx.actor, username, password)
        click.echo(f"password of {username} reset; their sessions were ended")

    @users.command("unlock")
    @click.argument("username")
    @click.option("--reason", required=True, help="Why (recorded in the event).")
    @pass_ctx
    @handle_errors
    def users_unlock(ctx, username, reason):  # type: ignore[no-untyped-def]
        """Clear the sign-in delay failed sign-ins built up on an account, in every web process."""
        ctx.services().ledger.unlock_user(ctx.actor, username, reason)
        click.echo(f"user {username} unlocked: failed sign-ins are counted afresh")

    @users.command("list")
    @click.option("--unlinked", is_flag=True, help="Only accounts that act as a person but are linked to none.")
    @json_option
    @pass_ctx
    @handle_errors
    def users_list(ctx, unlinked, as_json):  # type: ignore[no-untyped-def]
        """List login accounts."""
        from dataclasses import asdict

        rows = ctx.services().ledger.list_users(unlinked=unlinked)
        emit([{k: v for k, v in asdict(u).items() if k != "tokens"} for u in rows], as_json, lambda: [
            click.echo(f"{u.username:<20} {u.role:<20} {u.organisation or '-':<8} "
                       f"{u.person_id or 'no person'}{' (disabled)' if u.disabled else ''}") for u in rows
        ])

    @users.command("show")
    @click.argument("username")
    @json_option
    @pass_ctx
    @handle_errors
    def users_show(ctx, username, as_json):  # type: ignore[no-untyped-def]
        """Show a user and their tokens."""
        user = ctx.services().ledger.get_user(username)
        from dataclasses import asdict

        data = asdict(user)
        emit(data, as_json, lambda: click.echo(
            f"{user.username}: {user.role}{' at ' + user.organisation if user.organisation else ''}"
            f"{' (disabled)' if user.disabled else ''}; {len(user.tokens)} token(s)"
        ))

    @cli.group()
    def tokens() -> None:
        """Create and revoke API tokens."""

    @tokens.command("create")
    @click.argument("username")
    @click.option("--scope", type=click.Choice(["read", "write"]), default="read", show_default=True)
    @click.option("--days", type=click.IntRange(1, 365), default=90, show_default=True)
    @click.option("--label", default="", help="What the token is for.")
    @json_option
    @pass_ctx
    @handle_errors
    def tokens_create(ctx, username, scope, days, label, as_json):  # type: ignore[no-untyped-def]
        """Create a token; its secret is printed once and only its hash is kept."""
        token = ctx.services().ledger.create_token(ctx.actor, username, scope=scope, days=days, label=label)
        data = {"id": token.id, "token": token.token, "scope": token.scope, "expires_at": token.expires_at}
        emit(data, as_json, lambda: click.echo(token.token))

    @tokens.command("revoke")
    @click.argument("username")
    @click.argument("token_id")
    @pass_ctx
    @handle_errors
    def tokens_revoke(ctx, username, token_id):  # type: ignore[no-untyped-def]
        """Revoke a token by its id."""
        ctx.services().ledger.revoke_token(ctx.actor, username, token_id)
        click.echo(f"token {token_id} revoked")

    @cli.group()
    def organisations() -> None:
        """The directory's organisations."""

    @organisations.command("list")
    @json_option
    @pass_ctx
    @handle_errors
    def organisations_list(ctx, as_json):  # type: ignore[no-untyped-def]
        """List organisations."""
        rows = ctx.services().projections["directory"].list_organisations()
        emit(rows, as_json, lambda: [
            click.echo(f"{r['code']:<8} {r['kind']:<30} {r['people']:>4}  {r['name']}") for r in rows
        ])

    @cli.group()
    def people() -> None:
        """The directory's people."""

    @people.command("list")
    @click.option("--org", "organisation", help="Only this organisation.")
    @click.option("--senior", is_flag=True, help="Only senior leaders.")
    @json_option
    @pass_ctx
    @handle_errors
    def people_list(ctx, organisation, senior, as_json):  # type: ignore[no-untyped-def]
        """List people (current ones)."""
        rows, _ = ctx.services().projections["directory"].list_people(
            organisation.upper() if organisation else None, senior_only=senior, limit=100_000
        )
        emit(rows, as_json, lambda: [
            click.echo(f"{r['organisation']:<8} {r['name']:<28} {r['title']}  [{r['id']}]") for r in rows
        ])

    @cli.group()
    def projections() -> None:
        """The views: status, rebuild, and following the log."""

    @projections.command("status")
    @json_option
    @pass_ctx
    @handle_errors
    def projections_status(ctx, as_json):  # type: ignore[no-untyped-def]
        """Each projection's position and lag."""
        statuses = ctx.services("external").projections.status()
        data = [{"name": s.name, "position": s.position, "head": s.head, "lag": s.lag} for s in statuses]
        emit(data, as_json, lambda: [
            click.echo(f"{s.name:<20} position {s.position:>9}  head {s.head:>9}  lag {s.lag}")
            for s in statuses
        ])

    @projections.command("rebuild")
    @click.argument("names", nargs=-1)
    @pass_ctx
    @handle_errors
    def projections_rebuild(ctx, names):  # type: ignore[no-untyped-def]
        """Rebuild projections (all, or those named) from the first event."""
        services = ctx.services("external")
        head = services.projections.head()
        bars: dict[str, Any] = {}

        def progress(name: str, position: int, total: int) -> None:
            bar = bars.get(name)
            if bar is None:
                bar = bars[name] = click.progressbar(length=max(total, 1), label=f"{name:<20}")
                bar.__enter__()
            bar.update(position - bar.pos)

        applied = services.projections.rebuild(names or None, progress)
        for bar in bars.values():
            bar.__exit__(None, None, None)
        click.echo(f"rebuilt {', '.join(names or services.projections.views)}: {applied} events read, head {head}")

    @projections.command("run")
    @click.option("--poll", default=0.5, show_default=True, type=click.FloatRange(0.05, 60))
    @pass_ctx
    @handle_errors
    def projections_run(ctx, poll):  # type: ignore[no-untyped-def]
        """Follow the log and keep every projection up to date until stopped."""
        from web.follow import follow

        services = ctx.services("external")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())  # finish the batch, then exit
        click.echo(f"following the log of {services.ledger.database.url} (Ctrl-C to stop)")
        try:
            follow(services, stop, poll_interval=poll)
        except KeyboardInterrupt:
            stop.set()


def read_new_password(from_stdin: bool) -> str:
    """A new password from standard input (one line), PVB_NEW_PASSWORD (for automation), or a
    hidden prompt asked twice: never from the command line, where the process list shows it."""
    import os
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    from_env = os.environ.get("PVB_NEW_PASSWORD")
    if from_env:
        return from_env
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


def register_key_commands(cli: click.Group) -> None:
    """pvb keys: make new keys for settings."""

    @cli.group()
    def keys() -> None:
        """Make keys for PVB_ENCRYPTION_KEY and friends."""

    @keys.command("new-encryption-key")
    def new_encryption_key() -> None:
        """Print a new random AES-256 key for PVB_ENCRYPTION_KEY (base64)."""
        from eventsourcing.cryptography import AESCipher

        click.echo(AESCipher.create_key(32))
