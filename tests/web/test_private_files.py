"""Files the ledger makes are its owner's alone (0600; directories 0700): the SQLite database and
its WAL, backups, exports, replay files and the signing key, whatever the caller's umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_the_ledger_makes_is_readable_by_its_owner_only(tmp_path):
    db = tmp_path / "ledger.sqlite"
    env = {**os.environ, "PVB_DATABASE_URL": f"sqlite:///{db}", "PVB_NEW_PASSWORD": "quartz-meadow-lantern"}

    def pvb(*args: str) -> None:
        # a permissive umask, as a shell might have: the process sets its own at start
        subprocess.run(["sh", "-c", 'umask 022; exec "$@"', "pvb", str(BIN / "pvb"), *args], env=env,
                       cwd=tmp_path, check=True, capture_output=True, timeout=120)

    pvb("init")
    pvb("users", "add", "root", "--role", "admin")
    pvb("backup", str(tmp_path / "copy.sqlite"))
    pvb("export", "--out", str(tmp_path / "bundle"))
    pvb("replay", "directory", "--out", str(tmp_path / "replayed.sqlite"))
    made = [db, tmp_path / "ledger_signing_key.pem", tmp_path / "copy.sqlite", tmp_path / "replayed.sqlite",
            *(p for p in (tmp_path / "bundle").rglob("*") if p.is_file())]
    made += [p for p in tmp_path.glob("ledger.sqlite-*")]  # the WAL and shared memory, if still there
    assert len(made) > 5
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in made} == {
        str(p.relative_to(tmp_path)): oct(0o600) for p in made
    }
    assert mode(tmp_path / "bundle") == 0o700


def test_the_database_and_wal_a_web_worker_makes_are_private_too(sqlite_url, tmp_path):
    from tests.conftest import ADMIN
    from web import create_app

    old = os.umask(0o022)  # as gunicorn might start with
    try:
        app = create_app({"PVB_DATABASE_URL": sqlite_url, "PVB_SECRET_KEY": "k", "PVB_PROJECTIONS": "inline",
                          "TESTING": True})
        services = app.extensions["pvb"]
        services.ledger.register_organisation(ADMIN, code="NVH", name="N", kind="acute_trust")
        path = Path(sqlite_url.removeprefix("sqlite:///"))
        wal = Path(f"{path}-wal")
        assert wal.exists() and (mode(path), mode(wal)) == (0o600, 0o600)
        services.close()
    finally:
        os.umask(old)
