from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from web.cli import cli


@pytest.fixture
def pvb(sqlite_url, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """Run pvb commands against a fresh SQLite ledger."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        return runner.invoke(cli, list(args), env={"PVB_DATABASE_URL": sqlite_url}, input=input)

    return run


def test_init_then_demo_then_demo_again_adds_nothing(pvb):
    assert "framework adopted" in pvb("init").output
    first = pvb("demo")
    assert first.exit_code == 0 and "demo logins (password pvb-demo-2026)" in first.output
    assert "lead" in first.output and "investigator" in first.output
    printed = [line.split()[0] for line in first.output.split("demo logins")[1].splitlines()[1:] if line.strip()]
    assert {"ceo.wnc", "chair.scc", "nhsei", "chair.ckccg"} <= set(printed)
    for username in printed:  # every login printed exists
        assert pvb("users", "show", username).exit_code == 0, username
    head = json.loads(pvb("projections", "status", "--json").output)[0]["head"]
    second = pvb("demo")
    assert "demo loaded: 0 records added" in second.output
    assert json.loads(pvb("projections", "status", "--json").output)[0]["head"] == head  # not one event more


def test_demo_if_empty_leaves_a_used_ledger_alone(pvb):
    pvb("init")
    pvb("demo")
    again = pvb("demo", "--if-empty")
    assert again.exit_code == 0 and "already holds data" in again.output


def test_organisations_and_people_list_as_json(pvb):
    pvb("init")
    pvb("demo")
    orgs = json.loads(pvb("organisations", "list", "--json").output)
    assert {o["code"] for o in orgs} >= {"NVH", "RFH", "STP", "CQC", "HWB"}
    people = json.loads(pvb("people", "list", "--org", "nvh", "--json").output)
    assert len(people) == 6 and all(p["organisation"] == "NVH" for p in people)
    members = json.loads(pvb("people", "members", "--json").output)  # the Programme Board's, by default
    assert {m["name"] for m in members} >= {"Dame Judith Carrow", "Daniel Okafor", "Margaret Ashby", "Cllr Brian Naylor"}
    assert all(m["body"] == "PB" and m["current"] for m in members)
    text = pvb("people", "members").output
    lines = text.splitlines()
    assert lines[0].split() == ["Independent", "Chair", "Dame", "Judith", "Carrow"]
    assert lines[1].split() == ["Accountable", "Officer", "Michael", "Thorne"]
    assert "members of STP Programme Board: 15" in text
    assert len(json.loads(pvb("people", "members", "--body", "fpc", "--json").output)) == 7
    assert pvb("people", "members", "--body", "NOPE").exit_code == 2


def test_users_and_tokens(pvb):
    pvb("init")
    pvb("organisations", "list")
    added = pvb("users", "add", "dana", "--role", "investigator", input="long-enough-pw-1\nlong-enough-pw-1\n")
    assert added.exit_code == 0, added.output
    token = json.loads(pvb("tokens", "create", "dana", "--scope", "read", "--json").output)
    assert token["token"].startswith("pvb_") and token["scope"] == "read"
    assert pvb("tokens", "revoke", "dana", token["id"]).exit_code == 0
    again = pvb("tokens", "revoke", "dana", token["id"])
    assert again.exit_code == 2 and "already revoked" in again.output


def test_bad_input_exits_2_with_a_message(pvb):
    pvb("init")
    weak = pvb("users", "add", "erin", "--role", "regulator", input="short\nshort\n")
    assert weak.exit_code == 2 and "error: password must be at least 12 characters" in weak.output
    common = pvb("users", "add", "erin", "--role", "regulator", "--password-stdin", input="password1234\n")
    assert common.exit_code == 2 and "one of the passwords people use most" in common.output
    unlinked = pvb("users", "add", "fred", "--role", "staff", input="long-enough-pw-1\nlong-enough-pw-1\n")
    assert unlinked.exit_code == 2 and "acts as a person: link it to the person" in unlinked.output
    assert pvb("users", "add", "erin", "--role", "regulator", "--password", "x").exit_code == 2  # never on argv
    missing = pvb("tokens", "create", "nobody")
    assert missing.exit_code == 2 and "user nobody not found" in missing.output
    assert pvb("users", "add", "x", "--role", "king").exit_code == 2


def test_projections_status_and_rebuild(pvb):
    pvb("init")
    pvb("demo")
    status = json.loads(pvb("projections", "status", "--json").output)
    assert status[0]["name"] == "directory" and status[0]["lag"] == 0
    head = status[0]["head"]
    assert {s["position"] for s in status} == {head} and head > 100
    rebuilt = pvb("projections", "rebuild", "directory")
    assert rebuilt.exit_code == 0, rebuilt.output
    bar, summary = rebuilt.output.splitlines()[:2]  # the progress bar (its label, when not on a terminal)
    assert bar.strip() == "directory"
    assert summary == f"rebuilt directory: {head} events read, head {head}"
    assert json.loads(pvb("projections", "status", "--json").output) == status
    assert pvb("projections", "rebuild", "nope").exit_code == 2


def test_a_bad_database_url_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["init"], env={"PVB_DATABASE_URL": "mysql://x/y"})
    assert result.exit_code == 2 and "unsupported scheme 'mysql'" in result.output


def commands(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    """Every pvb command and group, with the words that invoke it."""
    found: list[tuple[tuple[str, ...], click.Command]] = [(path, group)]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += commands(command, (*path, name))
        else:
            found.append(((*path, name), command))
    return found


def test_every_command_has_help():
    runner = CliRunner()
    every = commands()
    assert {("init",), ("demo",), ("serve",), ("users", "add"), ("tokens", "create"), ("tokens", "revoke"),
            ("organisations", "list"), ("people", "list"), ("projections", "status"), ("projections", "rebuild"),
            ("projections", "run")} <= {path for path, _ in every}
    for path, _ in every:
        result = runner.invoke(cli, [*path, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, path


def test_every_command_that_lists_or_reports_has_json():
    reporting = [path for path, command in commands() if path and path[-1] in ("list", "show", "status")]
    assert {("organisations", "list"), ("people", "list"), ("users", "show"), ("projections", "status")} <= set(
        reporting)
    for path, command in commands():
        if path in reporting:
            assert "--json" in [o for p in command.params for o in p.opts], path


def test_erase_a_person_and_the_retention_report(pvb):
    pvb("init")
    pvb("demo")
    people = json.loads(pvb("people", "list", "--org", "NVH", "--json").output)
    target = next(p for p in people if p["name"] == "Gareth Lyle")
    assert json.loads(pvb("retention", "--json").output) == []
    erased = pvb("people", "erase", target["id"], "--reason", "request R-1", "--yes")
    assert erased.exit_code == 0, erased.output
    names = [p["name"] for p in json.loads(pvb("people", "list", "--org", "NVH", "--json").output)]
    assert "Gareth Lyle" not in names and "[erased]" in names
    again = pvb("people", "erase", target["id"], "--reason", "again", "--yes")
    assert again.exit_code == 2 and "already erased" in again.output


def test_after_an_erasure_the_log_verifies_and_replays_and_exports_show_erased(pvb, tmp_path):
    pvb("init")
    pvb("demo")
    people = json.loads(pvb("people", "list", "--org", "NVH", "--json").output)
    target = next(p for p in people if p["name"] == "Gareth Lyle")
    before = pvb("replay", "directory", "--table", "dir_people")
    assert before.exit_code == 0 and "Gareth Lyle" in before.output
    assert pvb("people", "erase", target["id"], "--reason", "request R-2", "--yes").exit_code == 0
    verified = pvb("verify")
    assert verified.exit_code == 0 and "intact" in verified.output  # the seal covers the ciphertext
    for args in ([], ["--as-of", "2020-01-01"]):  # now, and as of a date before the person joined
        replay = pvb("replay", "directory", "--table", "dir_people", *args)
        assert replay.exit_code == 0 and "Gareth Lyle" not in replay.output
    assert "[erased]" in pvb("replay", "directory", "--table", "dir_people").output
    bundle = tmp_path / "bundle"
    exported = pvb("export", "--out", str(bundle))
    assert exported.exit_code == 0, exported.output
    for path in bundle.rglob("*"):
        if path.is_file():
            assert b"Gareth Lyle" not in path.read_bytes(), path


def test_encryption_at_rest_keeps_plaintext_out_of_the_database(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    made = runner.invoke(cli, ["keys", "new-encryption-key"])
    assert made.exit_code == 0, made.output
    key = made.output.strip()
    url = f"sqlite:///{tmp_path / 'enc.sqlite'}"
    env = {"PVB_DATABASE_URL": url, "PVB_ENCRYPTION_KEY": key}
    assert runner.invoke(cli, ["init"], env=env).exit_code == 0
    assert runner.invoke(cli, ["demo"], env=env).exit_code == 0
    import sqlite3

    with sqlite3.connect(tmp_path / "enc.sqlite") as db:
        payloads = b"".join(row[0] for row in db.execute("SELECT state FROM stored_events"))
    assert len(payloads) > 1000 and b"Nene Valley" not in payloads and b"password_hash" not in payloads
    listed = runner.invoke(cli, ["organisations", "list", "--json"], env=env)
    assert "Nene Valley Hospitals" in listed.output
    bad = runner.invoke(cli, ["init"], env={**env, "PVB_ENCRYPTION_KEY": "not-a-key"})
    assert bad.exit_code == 2 and "PVB_ENCRYPTION_KEY must be" in bad.output


def test_administrators_disable_enable_unlock_and_reset_accounts_each_an_event(pvb, sqlite_url):
    from application import Database, Ledger
    from domain.user import User
    from domain.values import SYSTEM, Role

    pvb("init")
    assert pvb("users", "add", "rita", "--role", "regulator", "--password-stdin", input="quartz-meadow-lantern\n").exit_code == 0
    ledger = Ledger(Database.parse(sqlite_url))
    try:
        before = ledger.max_position()
        for args in (("disable", "rita", "--reason", "Left CQC"), ("enable", "rita", "--reason", "Back"),
                     ("unlock", "rita", "--reason", "Identity checked by phone")):
            done = pvb("users", *args)
            assert done.exit_code == 0, done.output
        reset = pvb("users", "reset-password", "rita", input="otter-lantern-quilt\notter-lantern-quilt\n")
        assert reset.exit_code == 0 and "sessions were ended" in reset.output
        assert ledger.max_position() == before + 4
        assert ledger.authenticate("rita", "otter-lantern-quilt").user_id == "rita"
        assert pvb("users", "enable", "rita", "--reason", "x").exit_code == 2  # not disabled
        # an account made before accounts that act as a person had to be linked to one
        legacy = User.add(username="old.staff", role=Role.STAFF, organisation=None, person_id=None,
                          password_hash="x", actor=SYSTEM, occurred_on=ledger.clock().date())
        ledger.save(legacy)
    finally:
        ledger.close()
    unlinked = json.loads(pvb("users", "list", "--unlinked", "--json").output)
    assert [u["username"] for u in unlinked] == ["old.staff"]
    everyone = pvb("users", "list")
    assert "rita" in everyone.output and "old.staff" in everyone.output
