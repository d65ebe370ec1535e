"""The pvb command: set up, load the demo, serve, and administer the ledger."""

from __future__ import annotations

import getpass
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

import click
from eventsourcing.persistence import PersistenceError

from application import ConfigurationError, Database
from application.demo import DEMO_PASSWORD, demo_logins, run_demo
from application.settings import busy_message, database_busy
from domain.errors import DomainError
from domain.values import Actor, Role
from web.config import PRIVATE_UMASK, SETTINGS_HELP, Settings
from web.wiring import Services, services_for

EXIT_FAILURE, EXIT_USAGE = 1, 2


class Context:
    """Settings and lazily opened services for one CLI invocation."""

    def __init__(self) -> None:
        self.settings = Settings.from_env()
        self._services: Services | None = None

    def services(self, mode: str = "inline") -> Services:
        """Open the ledger (and views) once; mode as PVB_PROJECTIONS ("external": views are read only)."""
        if self._services is None:
            self._services = services_for(self.settings, mode)
        return self._services

    @property
    def actor(self) -> Actor:
        """The operator at the terminal acts as an administrator, named by their OS login."""
        return Actor(f"cli:{getpass.getuser()}", Role.ADMIN)


def handle_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn failures into a message on stderr and the documented exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (DomainError, ConfigurationError, KeyError) as e:
            message = e.args[0] if isinstance(e, KeyError) and e.args else str(e)
            click.echo(f"error: {message}", err=True)
            sys.exit(EXIT_USAGE)
        except PersistenceError as e:
            if database_busy(e):
                click.echo(f"error: {busy_message(Database.parse(Settings.from_env().database_url))}", err=True)
            else:
                click.echo(f"error: the database is not reachable or refused the write: {e}", err=True)
            sys.exit(EXIT_FAILURE)

    return wrapper


def emit(data: Any, as_json: bool, lines: Callable[[], None]) -> None:
    """Print data as JSON, or call lines() to print it for people."""
    if as_json:
        click.echo(json.dumps(data, indent=2, default=str))
    else:
        lines()


pass_ctx = click.make_pass_decorator(Context, ensure=True)
SETTINGS_EPILOG = "Settings (environment):\n\n" + "\n\n".join(
    f"{k}: {v}" for k, v in SETTINGS_HELP.items()
)


@click.group(epilog=SETTINGS_EPILOG)
@click.version_option(package_name="pvb-ledger")
def cli() -> None:
    """pvb-ledger: the event-sourced audit ledger of the STP's principles, values and behaviours."""


@cli.command()
@pass_ctx
@handle_errors
def init(ctx: Context) -> None:
    """Create the ledger if missing and adopt the paper's framework catalogue."""
    services = ctx.services()
    adopted = services.ledger.init_framework(ctx.actor)
    where = services.ledger.database.url
    click.echo(f"ledger ready at {where}; framework {'adopted' if adopted else 'already adopted'}")
    key_id = services.ledger.ensure_signing_key()
    click.echo(f"signing key {key_id} in {services.ledger.signing_key_file}")


@cli.command()
@click.option("--if-empty", is_flag=True, help="Only load the demo into an empty ledger.")
@pass_ctx
@handle_errors
def demo(ctx: Context, if_empty: bool) -> None:
    """Load a year of realistic demo activity (running it twice adds nothing)."""
    services = ctx.services()
    ledger = services.ledger
    if if_empty and services.projections["directory"].list_organisations():
        click.echo("the ledger already holds data; demo not loaded")
    else:
        total = run_demo(
            ledger,
            services.projections["directory"],
            date.today(),
            lambda name, n: click.echo(f"  {name}: {n} added"),
        )
        click.echo(f"demo loaded: {total} records added")
    if not ledger.user_exists("admin"):
        return
    click.echo(f"demo logins (password {DEMO_PASSWORD}):")
    for username, role, org in demo_logins():
        click.echo(f"  {username:<14} {role}{' at ' + org if org else ''}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@pass_ctx
@handle_errors
def serve(ctx: Context, host: str, port: int, threads: int) -> None:
    """Serve the web UI and the API (waitress); use gunicorn in production."""
    from waitress import serve as waitress_serve

    from web import create_app

    app = create_app(services=ctx.services(ctx.settings.projections_mode))
    # waitress calls logging.basicConfig(), which would print each of the app's lines a second time
    # through the root logger: the root takes the app's handler instead, and the app stops propagating.
    app_log = logging.getLogger("pvb")
    logging.getLogger().handlers[:] = app_log.handlers
    app_log.propagate = False
    click.echo(f"pvb-ledger on http://{host}:{port}/  (API docs: http://{host}:{port}/api/v1/docs)")
    # With PVB_PROXY_COUNT set, the app reads X-Forwarded-For through that many proxies itself
    # (ProxyFix), so waitress must pass the header on rather than drop it.
    waitress_serve(app, host=host, port=port, threads=threads, ident="pvb-ledger",
                   clear_untrusted_proxy_headers=not ctx.settings.proxy_count)


from web.cli_admin import register_admin_commands, register_key_commands  # noqa: E402

register_admin_commands(cli, pass_ctx, handle_errors, emit)
register_key_commands(cli)

from web.cli_replay import register_replay_commands  # noqa: E402

register_replay_commands(cli, pass_ctx, handle_errors, emit)

from web.cli_people import register_people_commands  # noqa: E402

register_people_commands(cli, pass_ctx, handle_errors, emit)

from web.cli_ledger import register_ledger_commands  # noqa: E402

register_ledger_commands(cli, pass_ctx, handle_errors, emit)

from web.cli_surveys import register_surveys_commands  # noqa: E402

register_surveys_commands(cli, pass_ctx, handle_errors, emit)

from web.cli_backup import register_backup_commands  # noqa: E402

register_backup_commands(cli, pass_ctx, handle_errors)


def main() -> None:
    """Entry point of the pvb console script."""
    os.umask(PRIVATE_UMASK)  # the database, its WAL, backups, exports and keys: owner only (0600)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cli(standalone_mode=True)
    except ConfigurationError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_USAGE)

