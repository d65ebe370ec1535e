"""pvb surveys: open, map and import from the command line, idempotently, with problems by row and column."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from application.demo_meetings import demo_export, panel_mapping
from web.cli import cli


@pytest.fixture
def pvb(sqlite_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Run pvb commands against a fresh SQLite ledger with the six partner organisations."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), env={"PVB_DATABASE_URL": sqlite_url})

    run("init")
    from application import Database, Ledger
    from tests.conftest import LEAD

    ledger = Ledger(Database.parse(sqlite_url))
    for code in ("NVH", "RFH", "WNC", "NCCG", "CKCCG", "SCC"):
        ledger.register_organisation(LEAD, code=code, name=code, kind="acute_trust")
    ledger.close()
    return run


def test_open_map_and_import_twice_adds_nothing_the_second_time(pvb, tmp_path):
    export = tmp_path / "panel.csv"
    export.write_bytes(demo_export(1))
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps(panel_mapping()))
    assert pvb("surveys", "open", "panel-q1", "--kind", "panel", "--period", "2026-27-Q1", "--title", "Panel").exit_code == 0
    assert "4 question(s)" in pvb("surveys", "map", "PANEL-Q1", str(mapping)).output
    preview = pvb("surveys", "import", str(export), "--survey", "PANEL-Q1", "--preview", "--json")
    assert json.loads(preview.output) == {"survey": "PANEL-Q1", "in_file": 50, "new": 50, "already_held": 0, "problems": []}
    first = pvb("surveys", "import", str(export), "--survey", "PANEL-Q1", "--json")
    assert first.exit_code == 0 and json.loads(first.output) == {"survey": "PANEL-Q1", "added": 50, "already_held": 0, "in_file": 50}
    second = pvb("surveys", "import", str(export), "--survey", "panel-q1")
    assert second.exit_code == 0 and "0 new imported, 50 already held" in second.output
    listed = json.loads(pvb("surveys", "list", "--json").output)
    assert [(s["code"], s["responses"]) for s in listed] == [("PANEL-Q1", 50)]


def test_a_malformed_export_exits_2_listing_each_problem(pvb, tmp_path):
    pvb("surveys", "open", "P2", "--kind", "panel", "--period", "2026-27-Q1", "--title", "Panel")
    broken = tmp_path / "broken.csv"
    broken.write_bytes(demo_export(1).replace(b"Respondent ID", b"Respondent", 1))
    result = pvb("surveys", "import", str(broken), "--survey", "P2")
    assert result.exit_code == 2
    assert "nothing was recorded" in result.output and "row 1, column A: the column 'Respondent ID' is missing" in result.output
    assert pvb("surveys", "import", str(broken), "--survey", "NOPE").exit_code == 2


def test_all_staff_results_import_from_csv(pvb, tmp_path):
    pvb("surveys", "open", "STAFF-1", "--kind", "all_staff", "--period", "2026-27-Q1", "--title", "Pulse")
    results = tmp_path / "results.csv"
    results.write_text("organisation,question,answer,count\nNVH,q1,Agree,10\nNVH,q2,Disagree,3\n")
    assert "2 new imported" in pvb("surveys", "import", str(results), "--survey", "STAFF-1").output
    shown = json.loads(pvb("surveys", "show", "STAFF-1", "--json").output)
    assert shown["results"] == {"NVH": {"q1": {"Agree": 10}, "q2": {"Disagree": 3}}}
