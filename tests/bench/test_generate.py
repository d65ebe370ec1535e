"""bench/generate.py makes a real ledger: it verifies, every view rebuilds from it and none is empty."""

from __future__ import annotations

from click.testing import CliRunner

from application import Database, Ledger
from bench.generate import generate
from projections import ALL_VIEWS, Projections
from web.cli import cli

# Views the generator feeds on purpose (others, e.g. replay checkpoints' guard, hold no rows of their own).
EXPECTED = ("directory", "timeline", "feedback", "meetings", "adherence", "escalation", "objectives", "reviews")


def test_a_generated_ledger_verifies_and_rebuilds_every_view(database_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    key = str(tmp_path / "keys" / "ledger.pem")
    ledger = Ledger(Database.parse(database_url))
    ledger.use_signing_key(key)
    counts = generate(ledger, 3000, batch=500)
    ledger.seal_pending()
    head = ledger.max_position()
    assert head >= 3000 and counts.by_kind["meeting"] > counts.by_kind["sign-in"] > counts.by_kind["concern"] > 0
    assert {"objective", "feedback", "survey", "review"} <= set(counts.by_kind)
    ledger.close()

    env = {"PVB_DATABASE_URL": database_url, "PVB_SIGNING_KEY_FILE": key}
    verified = CliRunner().invoke(cli, ["verify"], env=env)
    assert verified.exit_code == 0, verified.output
    assert "intact" in verified.output.lower()
    rebuilt = CliRunner().invoke(cli, ["projections", "rebuild"], env=env)
    assert rebuilt.exit_code == 0, rebuilt.output

    ledger = Ledger(Database.parse(database_url))
    projections = Projections(ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema)
    assert all(status.lag == 0 for status in projections.status())
    with ledger.datastore.transaction(commit=False) as cursor:
        for name in EXPECTED:
            view = projections[name]
            rows = 0
            for table in view.tables:
                if projections[name].view.postgres:
                    cursor.execute(f'SELECT COUNT(*) AS n FROM "{ledger.database.schema}".{table}')
                else:
                    cursor.execute(f"SELECT COUNT(*) AS n FROM {table}")
                rows += cursor.fetchone()["n"]
            assert rows > 0, f"view {name} is empty"
    ledger.close()
