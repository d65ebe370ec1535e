from __future__ import annotations

import json
import sqlite3

import pytest
from click.testing import CliRunner

from domain.values import SYSTEM
from tests.conftest import LEAD
from web.cli import cli
from web.wiring import build_services


@pytest.fixture
def pvb(sqlite_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Run pvb commands against a small SQLite ledger; returns (run, moment after the first org)."""
    monkeypatch.chdir(tmp_path)
    services = build_services(sqlite_url)
    services.ledger.init_framework(SYSTEM)
    services.ledger.register_organisation(LEAD, code="NVH", name="Nene Valley", kind="acute_trust")
    moment = services.projections["timeline"].get(services.ledger.max_position())["recorded_at"]
    services.ledger.register_organisation(LEAD, code="RFH", name="Rockingham", kind="acute_trust")
    services.close()
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), env={"PVB_DATABASE_URL": sqlite_url})

    return run, moment


def test_pvb_replay_shows_a_view_as_known_at_a_moment(pvb, tmp_path):
    run, moment = pvb
    result = run("replay", "directory", "--known-at", moment, "--table", "dir_organisations", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["position"], data["head"]) == (2, 3)
    assert [r["code"] for r in data["tables"]["dir_organisations"]["rows"]] == ["NVH"]
    now = run("replay", "directory", "--out", str(tmp_path / "copy.sqlite"))
    assert now.exit_code == 0 and "directory now: position 3 of 3" in now.output and "Rockingham" in now.output
    with sqlite3.connect(tmp_path / "copy.sqlite") as saved:
        assert saved.execute("SELECT COUNT(*) FROM dir_organisations").fetchone() == (2,)
    long_ago = run("replay", "directory", "--as-of", "2001-01-01", "--json")
    assert json.loads(long_ago.output)["tables"]["dir_organisations"]["total"] == 0


def test_pvb_replay_refuses_bad_input_with_exit_2(pvb):
    run, _ = pvb
    unknown = run("replay", "nope")
    assert unknown.exit_code == 2 and "no such view 'nope'; views: directory" in unknown.output
    bad = run("replay", "directory", "--known-at", "teatime")
    assert bad.exit_code == 2 and "--known-at must be a date and time" in bad.output
    assert run("replay", "directory", "--as-of", "31/03/2026").exit_code == 2


def test_pvb_replay_checkpoints_reports_what_it_kept(pvb):
    run, _ = pvb
    result = run("replay-checkpoints", "directory", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"made": {"directory": 0}, "checkpoints": []}
    assert run("replay-checkpoints", "nope").exit_code == 2
