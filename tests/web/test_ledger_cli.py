"""pvb verify, pvb export and pvb ledger …: the seal from the command line."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from application import Database, Ledger
from domain.organisation import organisation_id
from tests.application.seal_helpers import ADMIN
from web.cli import cli


@pytest.fixture
def pvb(sqlite_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Run pvb commands against a fresh SQLite ledger with its key in tmp_path/keys."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    env = {"PVB_DATABASE_URL": sqlite_url, "PVB_SIGNING_KEY_FILE": str(tmp_path / "keys" / "ledger.pem")}

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), env=env, input=input)

    run.env = env  # type: ignore[attr-defined]
    return run


def db_path(pvb) -> str:  # type: ignore[no-untyped-def]
    return pvb.env["PVB_DATABASE_URL"].removeprefix("sqlite:///")


def add_people(pvb, n: int) -> None:  # type: ignore[no-untyped-def]
    pvb("organisations", "list")
    ledger = Ledger(Database.parse(pvb.env["PVB_DATABASE_URL"]))
    if not ledger._exists(organisation_id("NVH")):
        ledger.register_organisation(ADMIN, code="NVH", name="Nene Valley", kind="acute_trust")
    for i in range(n):
        ledger.add_person(ADMIN, name=f"P{i}", organisation="NVH", title="T")
    ledger.close()


def test_init_creates_the_signing_key_readable_only_by_its_owner(pvb, tmp_path):
    result = pvb("init")
    key = tmp_path / "keys" / "ledger.pem"
    assert result.exit_code == 0 and f"in {key}" in result.output
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    again = pvb("init")
    assert again.output.splitlines()[-1] == result.output.splitlines()[-1]  # the same key


def test_verify_says_intact_then_names_the_first_tampered_event(pvb):
    pvb("init")
    add_people(pvb, 3)
    assert "4 event(s)" in pvb("ledger", "seal").output
    ok = pvb("verify")
    checkpoint = json.loads(pvb("ledger", "checkpoint").output)
    assert ok.exit_code == 0
    assert ok.output.splitlines()[0] == f"5 events, root {checkpoint['root_hash']}, intact"
    with sqlite3.connect(db_path(pvb)) as db:
        db.execute("""UPDATE stored_events SET state = replace(state, '"title":"T"', '"title":"X"')
                      WHERE rowid = 4""")
    bad = pvb("verify")
    assert bad.exit_code == 1
    assert bad.output.startswith("TAMPERED: event at position 4 (originator ")
    assert "its stored state bytes differ from those sealed" in bad.output.splitlines()[0]
    report = json.loads(pvb("verify", "--json").output)
    assert report["intact"] is False and report["size"] == 5


def test_public_key_status_checkpoint_and_proofs(pvb):
    pvb("init")
    add_people(pvb, 2)
    pem = pvb("ledger", "public-key")
    assert pem.exit_code == 0 and "-----BEGIN PUBLIC KEY-----" in pem.output
    keys = json.loads(pvb("ledger", "public-key", "--json").output)
    assert len(keys) == 1 and keys[0]["current"]
    status = json.loads(pvb("ledger", "status", "--json").output)
    assert (status["sealed"], status["unsealed"]) == (1, 3)  # written by a process that does not seal
    assert pvb("ledger", "seal").output == "sealed 3 event(s)\n"
    status = json.loads(pvb("ledger", "status", "--json").output)
    assert (status["sealed"], status["unsealed"], status["log_head"]) == (4, 0, 4)
    consistency = json.loads(pvb("ledger", "consistency", "2").output)
    assert consistency["first"] == 2 and consistency["second"] == 4
    inclusion = json.loads(pvb("ledger", "inclusion", "3").output)
    assert inclusion["leaf_index"] == 2 and inclusion["tree_size"] == 4
    assert pvb("ledger", "checkpoint", "--size", "99").exit_code == 2


def test_export_writes_a_bundle_the_standalone_verifier_accepts(pvb, tmp_path):
    pvb("init")
    add_people(pvb, 2)
    result = pvb("export", "--out", str(tmp_path / "bundle"))
    assert result.exit_code == 0 and "exported 4 events" in result.output
    verified = subprocess.run([sys.executable, str(tmp_path / "bundle" / "verify_bundle.py"),
                               str(tmp_path / "bundle")], capture_output=True, text=True)
    assert verified.returncode == 0 and verified.stdout.startswith("VERIFIED: 4 events")
    again = pvb("export", "--out", str(tmp_path / "bundle"))
    assert again.exit_code == 2 and "is not an empty directory" in again.output


def test_a_witness_countersigns_only_checkpoints_that_extend_the_last_it_signed(pvb, tmp_path):
    pvb("init")
    key = str(tmp_path / "cqc.pem")
    first = pvb("ledger", "witness", "--key", key, "--create-key", "--name", "CQC", "--json")
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["name"] == "CQC"
    add_people(pvb, 2)
    second = pvb("ledger", "witness", "--key", key, "--name", "CQC")
    assert second.exit_code == 0 and "checkpoint 4" in second.output and "countersigned by CQC" in second.output
    state = Path(key + ".witnessed.json")
    kept = json.loads(state.read_text())
    kept["root_hash"] = "11" * 32  # as if the ledger had shown a different history before
    state.write_text(json.dumps(kept))
    add_people(pvb, 1)
    refused = pvb("ledger", "witness", "--key", key, "--name", "CQC")
    assert refused.exit_code == 1 and "its history was rewritten; not countersigning" in refused.output
    verified = pvb("verify")
    assert verified.exit_code == 0 and "countersigned by CQC" in verified.output


def test_rotate_key_hands_over_and_the_log_still_verifies(pvb):
    pvb("init")
    old = json.loads(pvb("ledger", "public-key", "--json").output)[0]["key_id"]
    rotated = pvb("ledger", "rotate-key", "--yes")
    assert rotated.exit_code == 0 and f"signing key rotated: {old} -> " in rotated.output
    add_people(pvb, 1)
    keys = json.loads(pvb("ledger", "public-key", "--json").output)
    assert [k["current"] for k in keys] == [False, True] and keys[1]["endorsement"]
    assert pvb("verify").exit_code == 0


def test_a_missing_key_file_is_a_clear_failure(pvb, tmp_path):
    pvb("init")
    (tmp_path / "keys" / "ledger.pem").unlink()
    add_people(pvb, 1)
    result = pvb("ledger", "seal")
    assert result.exit_code == 1 and "the signing key file" in result.output and "is missing" in result.output


def test_seal_follow_seals_writes_from_other_processes_within_its_interval(pvb, tmp_path):
    pvb("init")
    env = {**os.environ, **pvb.env, "PVB_LOG_FORMAT": "text"}
    follower = subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "ledger", "seal", "--follow",
         "--interval", "0.1"],
        env=env, cwd=str(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        ledger = Ledger(Database.parse(pvb.env["PVB_DATABASE_URL"]))  # a writer that never seals
        ledger.register_organisation(ADMIN, code="RFH", name="Rockingham", kind="acute_trust")
        deadline = time.monotonic() + 30
        while ledger.seal_status().unsealed and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ledger.seal_status().unsealed == 0
        ledger.close()
    finally:
        follower.terminate()
        follower.wait(timeout=10)


def test_every_ledger_command_has_help():
    runner = CliRunner()
    for args in (["verify"], ["export"], ["ledger"], ["ledger", "seal"], ["ledger", "witness"],
                 ["ledger", "public-key"], ["ledger", "rotate-key"], ["ledger", "consistency"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output
