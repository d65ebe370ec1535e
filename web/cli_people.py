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

    @people.command("members")
    @click.option("--body", help="A meeting body's code (default: the Programme Board).")
    @click.option("--current", is_flag=True, help="Leave out members who have left the directory.")
    @click.option("--json", "as_json", is_flag=True, help="Print JSON.")
    @pass_ctx
    @handle_errors
    def people_members(ctx, body, current, as_json):  # type: ignore[no-untyped-def]
        """List the members of the Programme Board (or of another meeting body), with the STP roles."""
        directory = ctx.services().projections["directory"]
        roles = directory.stp_roles()
        code = (body or roles["programme_board"] or "").upper()
        if body and not directory.body_exists(code):
            raise click.BadParameter(f"meeting body {code} not found", param_hint="--body")
        rows = directory.body_members(code, include_left=not current) if code else []

        def show() -> None:
            for office in ("independent_chair", "accountable_officer"):
                holder = roles[office]
                click.echo(f"{office.replace('_', ' ').title():<22} {holder['name'] if holder else '(not recorded)'}")
            click.echo(f"members of {rows[0]['body_name'] if rows else code or 'the Programme Board'}: {len(rows)}")
            for r in rows:
                status = "" if r["current"] else f"  (left {r['left_on']}; not yet stood down)"
                click.echo(f"  {r['organisation']:<8} {r['name']:<28} since {r['since']}  [{r['person_id']}]{status}")

        emit(rows, as_json, show)

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
