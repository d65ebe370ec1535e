"""pvb people erase and pvb retention: personal data under UK GDPR in an immutable ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import click


def register_people_commands(cli: click.Group, pass_ctx: Callable, handle_errors: Callable, emit: Callable) -> None:
    """Attach erasure and retention commands."""
    people = cli.commands["people"]
    assert isinstance(people, click.Group)

    @people.command("erase")
    @click.argument("person_id")
    @click.option("--reason", required=True, help="Why, e.g. the erasure request's reference.")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @pass_ctx
    @handle_errors
    def people_erase(ctx, person_id, reason, yes):  # type: ignore[no-untyped-def]
        """Erase a person's personal data for ever by destroying their key (recorded as an event)."""
        ledger = ctx.services().ledger
        person = ledger.get_person(person_id)
        if not yes:
            click.confirm(f"Erase {person.name} ({person.organisation}) for ever?", abort=True)
        ledger.erase_person(ctx.actor, person_id, reason)
        click.echo(f"person {person_id} erased; the log still verifies, pages now show [erased]")

    @cli.command()
    @click.option("--years", type=click.IntRange(0, 100), help="Override PVB_RETENTION_PERSON_YEARS.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_ctx
    @handle_errors
    def retention(ctx, years, as_json):  # type: ignore[no-untyped-def]
        """List personal data due for an erasure decision; nothing is erased by this command."""
        years = ctx.settings.retention_person_years if years is None else years
        today = date.today()
        cutoff = today.replace(year=today.year - years) if not (today.month == 2 and today.day == 29) \
            else today.replace(year=today.year - years, day=28)
        rows = ctx.services().projections["directory"].people_left_before(cutoff.isoformat())
        data = [{"kind": "person", **row, "due_since": cutoff.isoformat()} for row in rows]
        emit(data, as_json, lambda: (
            click.echo(f"people who left on or before {cutoff} ({years} years): {len(rows)}"),
            [click.echo(f"  {r['id']}  {r['organisation']:<6} left {r['left_on']}  {r['title']}") for r in rows],
            click.echo("decide each with 'pvb people erase PERSON_ID --reason ...'") if rows else None,
        ))
