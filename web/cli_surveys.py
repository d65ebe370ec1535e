"""pvb surveys: open surveys, save their mappings and import SurveyMonkey exports or all-staff results."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import click
from marshmallow import ValidationError as SchemaError

from application.surveymonkey import FileRejectedError
from domain.survey import SURVEY_KINDS
from web.schemas.surveys import MappingSchema

EXIT_USAGE = 2


def _rejected(error: FileRejectedError) -> None:
    click.echo("error: the file was not imported and nothing was recorded:", err=True)
    for problem in error.problems:
        click.echo(f"  {problem}", err=True)
    sys.exit(EXIT_USAGE)


def register_surveys_commands(
    cli: click.Group, pass_ctx: Callable, handle_errors: Callable, emit: Callable
) -> None:
    """Attach the 'pvb surveys' group to the pvb CLI."""
    json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")

    @cli.group()
    def surveys() -> None:
        """Staff surveys: open, map, import (SurveyMonkey CSV or XLSX; all-staff results CSV), list."""

    @surveys.command("list")
    @click.option("--kind", type=click.Choice(SURVEY_KINDS))
    @json_option
    @pass_ctx
    @handle_errors
    def surveys_list(ctx, kind, as_json):  # type: ignore[no-untyped-def]
        """List surveys, newest quarter first."""
        rows, _ = ctx.services().projections["meetings"].list_surveys(kind, limit=1000)
        emit(rows, as_json, lambda: [
            click.echo(f"{r['code']:<24} {r['kind']:<10} {r['period']:<11} "
                       f"{r['responses'] if r['kind'] == 'panel' else r['results']:>5}  {r['title']}")
            for r in rows
        ])

    @surveys.command("open")
    @click.argument("code")
    @click.option("--kind", required=True, type=click.Choice(SURVEY_KINDS))
    @click.option("--period", required=True, help="The quarter, e.g. 2026-27-Q1 (April to June 2026).")
    @click.option("--title", required=True)
    @pass_ctx
    @handle_errors
    def surveys_open(ctx, code, kind, period, title):  # type: ignore[no-untyped-def]
        """Open a survey (all-staff surveys get the two PVB questions)."""
        code = ctx.services().ledger.open_survey(ctx.actor, code=code, kind=kind, title=title, period=period)
        click.echo(f"survey {code} opened")

    @surveys.command("map")
    @click.argument("code")
    @click.argument("mapping_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @pass_ctx
    @handle_errors
    def surveys_map(ctx, code, mapping_file):  # type: ignore[no-untyped-def]
        """Save a panel survey's mapping from a JSON file (see GET /api/v1/surveys/CODE for its shape)."""
        try:
            mapping = MappingSchema().load(json.loads(mapping_file.read_text(encoding="utf-8")))
        except (ValueError, SchemaError) as e:
            click.echo(f"error: {mapping_file} is not a valid mapping: {e}", err=True)
            sys.exit(EXIT_USAGE)
        mapping.pop("occurred_on", None)
        ctx.services().ledger.save_survey_mapping(ctx.actor, code, mapping)
        click.echo(f"mapping saved for {code.upper()}: {len(mapping['questions'])} question(s)")

    @surveys.command("import")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--survey", "code", required=True, help="The survey's code.")
    @click.option("--preview", is_flag=True, help="Only say what would be imported; record nothing.")
    @json_option
    @pass_ctx
    @handle_errors
    def surveys_import(ctx, file, code, preview, as_json):  # type: ignore[no-untyped-def]
        """Import a SurveyMonkey export (CSV or XLSX) or an all-staff results CSV; only new responses are added."""
        data, ledger = file.read_bytes(), ctx.services().ledger
        try:
            if preview:
                p = ledger.preview_survey_import(ctx.actor, code, data, file.name)
                result = {"survey": p.survey.code, "in_file": p.responses, "new": p.new, "already_held": p.already_held,
                          "problems": [str(x) for x in p.problems]}
                emit(result, as_json, lambda: click.echo(
                    f"{file.name}: {p.responses} in the file, {p.new} new, {p.already_held} already held"
                    + "".join(f"\n  problem: {x}" for x in p.problems)))
                if p.problems:
                    sys.exit(EXIT_USAGE)
                return
            imported = ledger.import_survey_file(ctx.actor, code, data, file.name)
        except FileRejectedError as e:
            _rejected(e)
        emit(asdict(imported), as_json, lambda: click.echo(
            f"{imported.survey}: {imported.added} new imported, {imported.already_held} already held "
            f"({imported.in_file} in {file.name})"))

    @surveys.command("show")
    @click.argument("code")
    @json_option
    @pass_ctx
    @handle_errors
    def surveys_show(ctx, code, as_json):  # type: ignore[no-untyped-def]
        """Show a survey, its mapping or questions, and what it holds."""
        details = ctx.services().ledger.get_survey(code)
        emit(asdict(details), as_json, lambda: click.echo(
            f"{details.code} ({details.kind}, {details.period}): {details.title}; "
            f"{details.responses} responses, {len(details.questions)} questions, "
            f"mapping {'saved' if details.mapping else 'not saved'}"))
