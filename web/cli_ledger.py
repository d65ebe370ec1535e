"""pvb subcommands for tamper evidence: seal, verify, export, checkpoints, proofs and witnesses."""

from __future__ import annotations

import base64
import json
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Any

import click

from application.seal_export import ExportError
from application.seal_proofs import SealIncompleteError
from application.seal_store import SealConflictError
from application.signing import SigningKeyError, load_key, public_pem, write_new_key
from domain.merkle import verify_consistency
from domain.seal import cosignature_body

EXIT_FAILURE = 1


def _key_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A key or seal problem is a failure (exit 1) with its message, not a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (SigningKeyError, ExportError, SealIncompleteError, SealConflictError) as e:
            click.echo(f"error: {e}", err=True)
            sys.exit(EXIT_FAILURE)

    return wrapper


def report_kind(period: str) -> str:
    """six_monthly for a half-year key (2026-27-H1), quarterly for a quarter (2026-27-Q2); else a usage error."""
    key = period.strip().upper()
    if re.match(r"^\d{4}-\d{2}-H[12]$", key):
        return "six_monthly"
    if re.match(r"^\d{4}-\d{2}-Q[1-4]$", key):
        return "quarterly"
    raise click.BadParameter(f"{period!r} is not a report period: a half-year such as 2026-27-H1 (six-monthly) "
                             "or a quarter such as 2026-27-Q2 (quarterly)", param_hint="--report")


def register_ledger_commands(
    cli: click.Group, pass_ctx: Callable, handle_errors: Callable, emit: Callable
) -> None:
    """Attach 'pvb verify', 'pvb export' and the 'pvb ledger' group to the pvb CLI."""
    json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")

    @cli.command()
    @json_option
    @pass_ctx
    @handle_errors
    @_key_errors
    def verify(ctx, as_json):  # type: ignore[no-untyped-def]
        """Recompute the whole seal from the stored events; exit 1 naming the first mismatch."""
        report = ctx.services("external").ledger.verify_log()
        data = asdict(report) | {"summary": report.summary}

        def lines() -> None:
            click.echo(report.summary)
            for problem in report.problems[1:]:
                click.echo(f"  also: {problem}")
            click.echo(f"  {report.checkpoints_checked} signed checkpoint(s) checked")
            for line in (*report.witnesses, *report.notes):
                click.echo(f"  {line}")

        emit(data, as_json, lines)
        if not report.intact:
            sys.exit(EXIT_FAILURE)

    @cli.command()
    @click.option("--out", required=True, type=click.Path(file_okay=False), help="A new directory.")
    @click.option("--until", type=click.IntRange(0), help="Checkpoint size to stop at (default: now).")
    @click.option("--report", "report", metavar="PERIOD",
                  help="A report's bundle: 2026-27-H1 (six-monthly) or 2026-27-Q2 (quarterly), as in its address.")
    @click.option("--edition", type=click.IntRange(1), help="With a six-monthly --report: that edition (default: current).")
    @pass_ctx
    @handle_errors
    @_key_errors
    def export(ctx, out, until, report, edition):  # type: ignore[no-untyped-def]
        """Write a self-contained bundle a regulator can verify offline (verify_bundle.py).

        With --report, the bundle holds the whole log up to the report, the frozen report and the
        figure functions, and verify_bundle.py recomputes every figure of the report.
        """
        ledger = ctx.services("external").ledger
        if report is None:
            if edition is not None:
                raise click.UsageError("--edition goes with --report")
            summary = ledger.export_bundle(out, until)
        else:
            if until is not None:
                raise click.UsageError("--until does not go with --report: a report's bundle ends at the report")
            kind = report_kind(report)
            if kind == "quarterly" and edition is not None:
                raise click.UsageError("--edition goes with a six-monthly report (2026-27-H1), not a quarter")
            summary = ledger.export_report_bundle(out, kind, report, edition)
        click.echo(
            f"exported {summary.events} events to {summary.directory}, checkpoint {summary.checkpoint.size} "
            f"root {summary.checkpoint.root_hash}; check it with: python3 {Path(out) / 'verify_bundle.py'} "
            f"{out} --public-key {summary.checkpoint.key_id}"
        )

    @cli.group()
    def ledger() -> None:
        """The seal: public key, checkpoints, proofs, witnesses and key rotation."""

    @ledger.command("public-key")
    @json_option
    @pass_ctx
    @handle_errors
    @_key_errors
    def public_key(ctx, as_json):  # type: ignore[no-untyped-def]
        """Print the ledger's current public key (PEM), or every key as JSON."""
        keys = ctx.services("external").ledger.public_keys()
        emit([asdict(k) for k in keys], as_json, lambda: click.echo(
            f"# key {keys[-1].key_id} (Ed25519)\n{keys[-1].public_key_pem}".rstrip()
        ))

    @ledger.command("seal")
    @click.option("--follow", is_flag=True, help="Keep sealing new events until stopped.")
    @click.option("--interval", type=click.FloatRange(0.05, 3600), help="Seconds between seals "
                  "(default PVB_SEAL_INTERVAL).")
    @pass_ctx
    @handle_errors
    @_key_errors
    def seal(ctx, follow, interval):  # type: ignore[no-untyped-def]
        """Seal events not yet sealed (production: run with --follow beside the web workers)."""
        ledger_ = ctx.services("external").ledger
        if not follow:
            click.echo(f"sealed {ledger_.seal_pending()} event(s)")
            return
        every = interval or ctx.settings.seal_interval
        click.echo(f"sealing {ledger_.database.url} every {every}s (Ctrl-C to stop)")
        ledger_.ensure_signing_key()
        stop = threading.Event()
        try:
            ledger_.follow_seal(stop, every)
        except KeyboardInterrupt:
            stop.set()

    @ledger.command("status")
    @json_option
    @pass_ctx
    @handle_errors
    def status(ctx, as_json):  # type: ignore[no-untyped-def]
        """How many events are sealed, and how many wait."""
        s = ctx.services("external").ledger.seal_status()
        emit(asdict(s), as_json, lambda: click.echo(
            f"{s.sealed} events sealed (to position {s.last_sealed_position}), log head {s.log_head}, "
            f"{s.unsealed} waiting; head signed {s.head_time or 'never'} by key {s.key_id or '-'}"
        ))

    @ledger.command("checkpoint")
    @click.option("--size", type=click.IntRange(0), help="The tree size (default: the latest).")
    @pass_ctx
    @handle_errors
    @_key_errors
    def checkpoint(ctx, size):  # type: ignore[no-untyped-def]
        """Print a signed checkpoint as JSON: keep it to check later that the log only grew."""
        ledger_ = ctx.services("external").ledger
        cp = ledger_.latest_checkpoint() if size is None else ledger_.get_checkpoint(size)
        click.echo(json.dumps(asdict(cp), indent=2))

    @ledger.command("consistency")
    @click.argument("first", type=click.IntRange(1))
    @click.argument("second", type=click.IntRange(1), required=False)
    @pass_ctx
    @handle_errors
    @_key_errors
    def consistency(ctx, first, second):  # type: ignore[no-untyped-def]
        """Print the proof (JSON) that the log at SECOND (default: now) extends the log at FIRST."""
        click.echo(json.dumps(asdict(ctx.services("external").ledger.consistency_proof(first, second)), indent=2))

    @ledger.command("inclusion")
    @click.argument("position", type=click.IntRange(1))
    @click.option("--size", type=click.IntRange(1), help="The tree size (default: the latest).")
    @pass_ctx
    @handle_errors
    @_key_errors
    def inclusion(ctx, position, size):  # type: ignore[no-untyped-def]
        """Print the proof (JSON) that the event at POSITION is in the log."""
        click.echo(json.dumps(asdict(ctx.services("external").ledger.inclusion_proof(position, size)), indent=2))

    @ledger.command("witness")
    @click.option("--key", "key_file", required=True, type=click.Path(dir_okay=False),
                  help="The witness's own Ed25519 private key (PEM).")
    @click.option("--name", required=True, help="Who is witnessing, e.g. 'Care Quality Commission'.")
    @click.option("--size", type=click.IntRange(1), help="The checkpoint to countersign (default: latest).")
    @click.option("--create-key", is_flag=True, help="Create the key file (0600) if it is missing.")
    @json_option
    @pass_ctx
    @handle_errors
    @_key_errors
    def witness(ctx, key_file, name, size, create_key, as_json):  # type: ignore[no-untyped-def]
        """Countersign a checkpoint with a witness key, after checking the log only grew since
        the last checkpoint this key countersigned (kept in KEY.witnessed.json)."""
        if create_key and not Path(key_file).exists():
            write_new_key(key_file)
        key = load_key(key_file)
        ledger_ = ctx.services("external").ledger
        cp = ledger_.latest_checkpoint("witnessed") if size is None else ledger_.get_checkpoint(size)
        _check_extends(ledger_, Path(key_file + ".witnessed.json"), cp)
        signature = key.sign(cosignature_body(cp.body.encode()))
        w = ledger_.record_witness(
            ctx.actor, cp.size, base64.b64encode(key.public_bytes).decode(),
            base64.b64encode(signature).decode(), name,
        )
        Path(key_file + ".witnessed.json").write_text(json.dumps(asdict(cp), indent=2))
        emit(asdict(w) | {"size": cp.size}, as_json, lambda: click.echo(
            f"checkpoint {cp.size} (root {cp.root_hash}) countersigned by {name}, key {w.key_id}"
        ))

    @ledger.command("rotate-key")
    @click.option("--old-key-lost", is_flag=True, help="Start a new key without the old one's "
                  "endorsement (verifiers are told to confirm it out of band).")
    @click.confirmation_option(prompt="Replace the ledger's signing key?")
    @pass_ctx
    @handle_errors
    @_key_errors
    def rotate_key(ctx, old_key_lost):  # type: ignore[no-untyped-def]
        """Sign with a new key from now on; the old public key stays, and endorses the new one."""
        ledger_ = ctx.services("external").ledger
        old, new = ledger_.rotate_signing_key(ctx.actor, old_key_lost=old_key_lost)
        raw = base64.b64decode(ledger_.public_keys()[-1].public_key)
        click.echo(f"signing key rotated: {old} -> {new} (written to {ledger_.signing_key_file})")
        click.echo(public_pem(raw).rstrip())


def _check_extends(ledger_: Any, state: Path, cp: Any) -> None:
    """Refuse to countersign a checkpoint that does not extend the one countersigned before."""
    if not state.exists():
        return
    before = json.loads(state.read_text())
    if before["size"] > cp.size:
        raise click.ClickException(f"you already countersigned checkpoint {before['size']}, newer than {cp.size}")
    proof = ledger_.consistency_proof(before["size"], cp.size) if before["size"] else None
    if proof is not None and not verify_consistency(
        before["size"], cp.size, bytes.fromhex(before["root_hash"]), bytes.fromhex(cp.root_hash),
        [bytes.fromhex(h) for h in proof.proof],
    ):
        click.echo(
            f"error: the log at {cp.size} does not extend checkpoint {before['size']} that you "
            "countersigned: its history was rewritten; not countersigning", err=True,
        )
        sys.exit(EXIT_FAILURE)
