"""Back up and restore the one ledger database: SQLite's online backup API, or pg_dump and pg_restore.

Every copy is verified (the whole seal recomputed from the copied events) before it is reported good.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from application.settings import Database

EVENTS_TABLE = "stored_events"  # the library's SQLite events table
POSTGRES_EVENTS_TABLE = "pvb_events"  # on PostgreSQL it is named after the application


class BackupError(Exception):
    """A backup or restore cannot go ahead or failed; the message says why and what to do."""


class LedgerNotEmptyError(BackupError):
    """A restore would overwrite a ledger that holds events (pass --force to replace it)."""


@dataclass(frozen=True)
class Verified:
    """What verifying a copy found."""

    events: int
    intact: bool
    summary: str


def verify_copy(database: Database) -> Verified:
    """Recompute the seal of the ledger at database, as ``pvb verify`` does."""
    from application.ledger import Ledger

    ledger = Ledger(database)
    try:
        report = ledger.verify_log()
        return Verified(ledger.max_position(), report.intact, report.summary)
    finally:
        ledger.close()


# SQLite.
def sqlite_copy(source: str, target: str) -> None:
    """Copy the SQLite database at source into target with SQLite's online backup API.

    The copy is one consistent snapshot even while other processes write to source; target is
    written through SQLite (its journal and write-ahead log stay consistent), page by page.
    """
    if not Path(source).is_file():
        raise BackupError(f"{source} does not exist")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    try:
        _check_sqlite(src, source)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    except sqlite3.Error as e:
        raise BackupError(f"cannot copy {source} to {target}: {e}") from e
    finally:
        src.close()


def _check_sqlite(conn: sqlite3.Connection, path: str) -> None:
    try:
        found = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                             (EVENTS_TABLE,)).fetchone()
    except sqlite3.DatabaseError as e:
        raise BackupError(f"{path} is not a SQLite database: {e}") from e
    if found is None:
        raise BackupError(f"{path} holds no ledger (no {EVENTS_TABLE} table)")


def sqlite_events(path: str) -> int:
    """How many events the SQLite ledger at path holds (0 if it is missing or empty)."""
    if not Path(path).is_file() or Path(path).stat().st_size == 0:
        return 0
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30) as conn:
        try:
            return int(conn.execute(f"SELECT COUNT(*) FROM {EVENTS_TABLE}").fetchone()[0])
        except sqlite3.OperationalError:
            return 0


def sqlite_backup(database: Database, file: str) -> Verified:
    """Copy the live SQLite ledger to file (which must not exist) and verify the copy."""
    if Path(file).exists():
        raise BackupError(f"{file} already exists; choose a new file name")
    sqlite_copy(database.path, file)
    return verify_copy(Database.parse(f"sqlite:///{os.path.abspath(file)}", database.encryption_key))


def sqlite_restore(database: Database, file: str, force: bool) -> Verified:
    """Replace the SQLite ledger with the backup in file, once the backup verifies; then verify."""
    held = sqlite_events(database.path)
    if held and not force:
        raise LedgerNotEmptyError(
            f"the ledger at {database.path} already holds {held} events; restoring would replace them. "
            "Stop the app, keep a backup of it, and pass --force to replace it"
        )
    staging = Path(tempfile.mkdtemp(prefix="pvb-restore-"))
    try:
        copy = str(staging / "restore.sqlite")
        sqlite_copy(file, copy)
        checked = verify_copy(Database.parse(f"sqlite:///{copy}", database.encryption_key))
        if not checked.intact:
            raise BackupError(f"{file} does not verify, nothing restored: {checked.summary}")
        Path(database.path).parent.mkdir(parents=True, exist_ok=True)
        sqlite_copy(copy, database.path)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return verify_copy(database)


# PostgreSQL.
def _pg_env(database: Database) -> dict[str, str]:
    env = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if database.password:
        env["PGPASSWORD"] = database.password
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed (on Debian: apt install postgresql-client, matching the server's "
            f"major version); or back up by hand as in docs/deployment.md"
        )
    return found


def _pg_target(database: Database) -> list[str]:
    return ["-h", database.host, "-p", str(database.port), "-U", database.user]


def _run(args: list[str], database: Database) -> None:
    done = subprocess.run(args, env=_pg_env(database), capture_output=True, text=True, timeout=24 * 3600)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed (exit {done.returncode}): {done.stderr.strip()[-2000:]}")


def postgres_dump_command(database: Database, file: str) -> list[str]:
    """The pg_dump command line for the ledger's schema (events, views, keys and seals all live in it)."""
    return [_pg_tool("pg_dump"), "-Fc", "--no-owner", "--no-privileges", *_pg_target(database),
            "-n", database.schema, "-f", file, database.name]


def postgres_backup(database: Database, file: str) -> None:
    """pg_dump -Fc the ledger to file (which must not exist)."""
    if Path(file).exists():
        raise BackupError(f"{file} already exists; choose a new file name")
    _run(postgres_dump_command(database, file), database)


def postgres_events(database: Database) -> int:
    """How many events the PostgreSQL ledger holds (0 if it has no events table yet)."""
    import psycopg

    with psycopg.connect(host=database.host, port=database.port, user=database.user,
                         password=database.password or None, dbname=database.name, connect_timeout=10) as conn:
        table = f'"{database.schema}".{POSTGRES_EVENTS_TABLE}'
        row = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
        if row is None or row[0] is None:
            return 0
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])  # type: ignore[index]


def postgres_restore(database: Database, file: str, force: bool) -> Verified:
    """pg_restore file into the ledger's database (refusing a non-empty ledger unless force); verify."""
    if not Path(file).is_file():
        raise BackupError(f"{file} does not exist")
    held = postgres_events(database)
    if held and not force:
        raise LedgerNotEmptyError(
            f"the ledger in {database.name} (schema {database.schema}) already holds {held} events; "
            "restoring would replace them. Stop the app, keep a backup of it, and pass --force"
        )
    restore = _pg_tool("pg_restore")
    listing = subprocess.run([restore, "-l", file], capture_output=True, text=True, timeout=600)
    if listing.returncode != 0:
        raise BackupError(f"{file} is not a pg_dump -Fc archive: {listing.stderr.strip()[-500:]}")
    schemas = set()
    for line in listing.stdout.splitlines():  # e.g. "255; 1259 28403 TABLE myschema stored_events owner"
        words = line.split()
        if "TABLE" in words and words.index("TABLE") + 2 < len(words):
            at = words.index("TABLE")
            if words[at - 1] != "DATA" and words[at + 2] == POSTGRES_EVENTS_TABLE:
                schemas.add(words[at + 1])
    if schemas != {database.schema}:
        raise BackupError(
            f"{file} holds the ledger of schema {', '.join(sorted(schemas)) or '(none)'}, but PVB_DATABASE_URL "
            f"names schema {database.schema}; set ?schema= to match"
        )
    _run([restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--clean",
          "--if-exists", *_pg_target(database), "-d", database.name, file], database)
    return verify_copy(database)
