"""pvb backup and pvb restore: one consistent copy of the ledger's database, verified."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from application import Database
from application.backup import (
    BackupError,
    LedgerNotEmptyError,
    Verified,
    postgres_backup,
    postgres_restore,
    sqlite_backup,
    sqlite_restore,
)

EXIT_FAILURE, EXIT_USAGE = 1, 2


def _report(verified: Verified, what: str) -> None:
    click.echo(f"{what}: {verified.summary}")
    if not verified.intact:
        sys.exit(EXIT_FAILURE)


def register_backup_commands(cli: click.Group, pass_ctx: Callable, handle_errors: Callable) -> None:
    """Attach 'pvb backup' and 'pvb restore' to the pvb CLI."""

    @cli.command()
    @click.argument("file", type=click.Path(dir_okay=False))
    @pass_ctx
    @handle_errors
    def backup(ctx, file):  # type: ignore[no-untyped-def]
        """Copy the ledger to FILE while it runs, then verify the copy.

        SQLite: SQLite's online backup API (one consistent snapshot), verified as 'pvb verify' does.
        PostgreSQL: pg_dump -Fc of the ledger's schema; check it with 'pvb restore' into a fresh database.
        The signing key is not in the copy: back it up separately (docs/deployment.md).
        """
        database = Database.parse(ctx.settings.database_url, ctx.settings.encryption_key)
        try:
            if database.engine == "sqlite":
                verified = sqlite_backup(database, file)
                click.echo(f"backed up {database.path} to {file}")
                _report(verified, "verify of the copy")
            else:
                postgres_backup(database, file)
                click.echo(f"pg_dump of {database.name} schema {database.schema} written to {file}; check it "
                           "with 'pvb restore FILE' against a fresh database (docs/deployment.md)")
        except BackupError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(EXIT_FAILURE)

    @cli.command()
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--force", is_flag=True, help="Replace a ledger that already holds events.")
    @pass_ctx
    @handle_errors
    def restore(ctx, file, force):  # type: ignore[no-untyped-def]
        """Restore the ledger from FILE (made by 'pvb backup'), then verify it.

        Refuses to overwrite a ledger that holds events unless --force. Stop the app first.
        """
        database = Database.parse(ctx.settings.database_url, ctx.settings.encryption_key)
        try:
            if database.engine == "sqlite":
                verified = sqlite_restore(database, file, force)
            else:
                verified = postgres_restore(database, file, force)
        except LedgerNotEmptyError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(EXIT_USAGE)
        except BackupError as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(EXIT_FAILURE)
        click.echo(f"restored {file} into {database.path or database.name}")
        _report(verified, "verify")
