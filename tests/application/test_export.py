"""Export bundles, and the standalone verifier that checks them offline with only cryptography."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import importlib.util
import io
import json
import subprocess
from dataclasses import asdict
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.seal_export import VERIFIER_SOURCE, ExportError
from application.signing import public_raw, write_new_key
from domain.errors import ValidationError
from domain.seal import checkpoint_body, cosignature_body, key_id
from domain.values import Actor, Role
from tests.application.seal_helpers import add_events, open_ledger, raw

CQC = Actor("cqc", Role.REGULATOR, "CQC")
FILES = ["checkpoints.json", "events.jsonl", "keys.json", "manifest.json", "proofs.json", "README.txt",
         "verify_bundle.py"]


def load_verifier():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("verify_bundle", VERIFIER_SOURCE)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


verifier = load_verifier()


def check(bundle: Path, *args: str) -> tuple[int, str]:
    """Run the verifier in this process (fast); the clean-environment test runs it for real."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = verifier.main([str(bundle), *args])
    return code, out.getvalue()


@pytest.fixture
def ledger(database_url, tmp_path):  # type: ignore[no-untyped-def]
    ledger = open_ledger(database_url, tmp_path / "key.pem")
    add_events(ledger, people=6)
    witness = write_new_key(str(tmp_path / "cqc.pem"))
    checkpoint = ledger.latest_checkpoint()
    signature = witness.sign(cosignature_body(checkpoint.body.encode()))
    ledger.record_witness(CQC, checkpoint.size, base64.b64encode(witness.public_bytes).decode(),
                          base64.b64encode(signature).decode(), "Care Quality Commission")
    ledger.add_person(CQC.__class__("admin", Role.ADMIN), name="Late", organisation="RFH", title="Chair")
    yield ledger
    ledger.close()


@pytest.fixture
def bundle(ledger, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path / "bundle"
    ledger.export_bundle(str(out))
    return out


def rewrite_manifest(bundle: Path) -> None:
    """What a careful forger does after editing a file: make the manifest agree."""
    manifest = json.loads((bundle / "manifest.json").read_text())
    for name in manifest["files"]:
        data = (bundle / name).read_bytes()
        manifest["files"][name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    (bundle / "manifest.json").write_text(json.dumps(manifest))


def test_an_export_holds_every_sealed_event_its_checkpoints_keys_proofs_and_a_manifest(ledger, bundle):
    assert sorted(p.name for p in bundle.iterdir()) == sorted(FILES)
    manifest = json.loads((bundle / "manifest.json").read_text())
    checkpoint = ledger.get_checkpoint(manifest["tree_size"])
    assert manifest["tree_size"] == manifest["events"] == ledger.max_position() == 11
    assert manifest["root_hash"] == checkpoint.root_hash
    for name, described in manifest["files"].items():
        data = (bundle / name).read_bytes()
        assert described == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    lines = [json.loads(line) for line in (bundle / "events.jsonl").read_text().splitlines()]
    first = lines[0]
    assert (first["index"], first["position"], first["topic"]) == (0, 1, "domain.framework:Framework.Adopted")
    assert first["state"] == json.loads(first["state_text"])
    assert (bundle / "verify_bundle.py").read_bytes() == VERIFIER_SOURCE.read_bytes()
    checkpoints = json.loads((bundle / "checkpoints.json").read_text())
    assert [w["name"] for cp in checkpoints for w in cp["witnesses"]] == ["Care Quality Commission"]
    assert checkpoints[-1] == json.loads(json.dumps(asdict(checkpoint)))


def test_the_verifier_accepts_a_good_bundle_and_reports_witnesses_and_summaries(ledger, bundle):
    key = ledger.public_keys()[-1]
    code, out = check(bundle, "--public-key", key.public_key)
    assert code == 0, out
    assert out.startswith(f"VERIFIED: 11 events, root {ledger.get_checkpoint(11).root_hash}")
    assert "countersigned by Care Quality Commission" in out
    assert "Events by organisation and type:" in out and "NVH" in out
    code, out = check(bundle, "--json")
    data = json.loads(out)
    assert code == 0 and data["verified"] and data["events"] == 11
    assert any("no --public-key given" in n for n in data["notes"])
    assert data["summaries"]["events_by_organisation"]["RFH"] == {
        "Organisation.Registered": 1, "Person.Joined": 3,
    }


def test_a_changed_event_is_rejected_even_with_a_rewritten_manifest(bundle):
    events = bundle / "events.jsonl"
    lines = events.read_text().splitlines()
    line = json.loads(lines[4])
    line["state_text"] = line["state_text"].replace("Director", "Directos")
    line["state"] = json.loads(line["state_text"])
    lines[4] = json.dumps(line)
    events.write_text("\n".join(lines) + "\n")
    code, out = check(bundle)
    assert code == 1 and out.startswith("NOT VERIFIED: events.jsonl does not match the manifest")
    rewrite_manifest(bundle)
    code, out = check(bundle)
    assert code == 1 and "do not give checkpoint" in out


def test_a_readable_copy_that_differs_from_the_stored_bytes_is_rejected(bundle):
    events = bundle / "events.jsonl"
    lines = events.read_text().splitlines()
    line = json.loads(lines[5])
    line["state"]["title"] = "Something the bytes do not say"
    lines[5] = json.dumps(line)
    events.write_text("\n".join(lines) + "\n")
    rewrite_manifest(bundle)
    code, out = check(bundle)
    assert code == 1 and "its readable 'state' differs from its stored bytes" in out


def test_a_removed_line_is_rejected(bundle):
    events = bundle / "events.jsonl"
    lines = events.read_text().splitlines()
    events.write_text("\n".join(lines[:3] + lines[4:]) + "\n")
    rewrite_manifest(bundle)
    code, out = check(bundle)
    assert code == 1 and "events are missing, repeated or out of order" in out


def test_a_forged_checkpoint_is_rejected(bundle):
    path = bundle / "checkpoints.json"
    checkpoints = json.loads(path.read_text())
    checkpoints[-1]["root_hash"] = "00" * 32
    checkpoints[-1]["body"] = checkpoint_body(
        checkpoints[-1]["size"], bytes(32), checkpoints[-1]["time"], checkpoints[-1]["key_id"]
    ).decode()
    path.write_text(json.dumps(checkpoints))
    rewrite_manifest(bundle)
    code, out = check(bundle)
    assert code == 1 and "does not carry a valid signature: it was forged or altered" in out


def test_a_bundle_re_signed_with_another_key_fails_against_the_pinned_key(ledger, bundle):
    pinned = ledger.public_keys()[-1].public_key
    forger = Ed25519PrivateKey.generate()
    raw_key = public_raw(forger.public_key())
    keys = [{"key_id": key_id(raw_key), "algorithm": "Ed25519",
             "public_key": base64.b64encode(raw_key).decode(), "public_key_pem": "", "created_at": "x",
             "retired_at": None, "endorsement": None, "current": True}]
    (bundle / "keys.json").write_text(json.dumps(keys))
    path = bundle / "checkpoints.json"
    checkpoints = json.loads(path.read_text())
    for cp in checkpoints:
        cp["key_id"] = key_id(raw_key)
        cp["witnesses"] = []
        body = checkpoint_body(cp["size"], bytes.fromhex(cp["root_hash"]), cp["time"], cp["key_id"])
        cp["body"], cp["signature"] = body.decode(), base64.b64encode(forger.sign(body)).decode()
    path.write_text(json.dumps(checkpoints))
    rewrite_manifest(bundle)
    assert check(bundle)[0] == 0  # trusting the bundle's own keys, as the report warns
    code, out = check(bundle, "--public-key", pinned)
    assert code == 1 and "the pinned public key is not among the bundle's keys" in out


def test_an_export_until_an_earlier_checkpoint_verifies_and_extends_a_kept_checkpoint(ledger, tmp_path):
    kept = tmp_path / "kept.json"
    kept.write_text(json.dumps(asdict(ledger.get_checkpoint(4))))
    out = tmp_path / "until7"
    summary = ledger.export_bundle(str(out), until=7)
    assert summary.events == 7 and summary.checkpoint.size == 7
    code, text = check(out, "--checkpoint", str(kept))
    assert code == 0 and "this bundle extends your checkpoint 4" in text
    proofs = json.loads((out / "proofs.json").read_text())
    assert {(p["first"], p["second"]) for p in proofs["consistency"]} >= {(4, 7)}
    other = open_ledger(f"sqlite:///{tmp_path / 'other.sqlite'}", tmp_path / "key.pem")
    add_events(other, people=1)
    other.add_person(CQC.__class__("admin", Role.ADMIN), name="Someone else", organisation="SCC", title="X")
    forked = tmp_path / "forked.json"
    forked.write_text(json.dumps(asdict(other.get_checkpoint(6))))
    code, text = check(out, "--checkpoint", str(forked))
    assert code == 1 and "does not extend your checkpoint 6: history was rewritten" in text
    other.close()


def test_export_refuses_a_log_that_no_longer_matches_its_seal_and_a_used_directory(ledger, tmp_path):
    used = tmp_path / "used"
    used.mkdir()
    (used / "x").write_text("x")
    with pytest.raises(ValidationError, match="is not an empty directory"):
        ledger.export_bundle(str(used))
    raw(ledger, "UPDATE EVENTS SET topic = 'x' WHERE POS = 3")
    with pytest.raises(ExportError, match="position 3 does not match its seal"):
        ledger.export_bundle(str(tmp_path / "new"))


# The summaries rebuilt from events' JSON, with events shaped as other features record them.
def ev(topic: str, originator: str, **state):  # type: ignore[no-untyped-def]
    return {"position": 0, "originator_id": originator, "version": 1, "topic": topic, "state": state}


def day(iso: str) -> dict:
    return {"_type_": "date_iso", "_data_": iso}


def test_the_views_are_rebuilt_from_events_as_the_ledger_records_them():
    events = [
        ev("domain.organisation:Organisation.Registered", "o1", code="NVH"),
        ev("domain.organisation:Organisation.Renamed", "o1", name="x"),
        ev("domain.concern:Concern.Raised", "c1", reference="C-1", subject_organisation="RFH",
           raiser_organisation="NVH", route="cross_organisation", stage="chief_executives",
           occurred_on=day("2026-04-10")),
        {**ev("domain.concern:Concern.DiscussedByChiefExecutives", "c1", stage="resolved",
              resolution_level="chief_executives", occurred_on=day("2026-04-20")), "version": 2},
        {**ev("domain.concern:Concern.StepCorrected", "c1", corrects=1, corrected_occurred_on=day("2026-03-30")),
         "version": 3},
        ev("domain.concern:Concern.Raised", "c2", reference="C-2", subject_organisation="RFH",
           raiser_organisation="RFH", route="about_leader", stage="chair", occurred_on=day("2026-05-01")),
        ev("domain.meeting:Meeting.Recorded", "m1", occurred_on=day("2026-05-05")),
        ev("domain.meeting:Meeting.VoteCast", "m1", person_id="p1", organisation="NVH", verdict="adhered"),
        ev("domain.meeting:Meeting.VoteCast", "m1", person_id="p2", organisation="NVH", verdict="not_adhered"),
        ev("domain.meeting:Meeting.VoteCorrected", "m1", person_id="p2", verdict="partly_adhered"),
        ev("domain.meeting:Meeting.Recorded", "m2", occurred_on=day("2026-07-01")),
        ev("domain.meeting:Meeting.TallyRecorded", "m2", organisation="SCC", adhered=3, partly_adhered=1,
           not_adhered=0),
        ev("domain.survey:Survey.Opened", "s1", kind="panel", period="2026-27-Q1",
           questions=[{"key": "q1", "favourable": ["Agree"]}]),
        ev("domain.survey:Survey.ResponsesImported", "s1", responses=[
            {"organisation": "NVH", "answers": {"q1": "Agree"}}, {"organisation": "NVH", "answers": {"q1": "No"}}]),
        ev("domain.feedback:Feedback.Given", "f1", organisation="NVH", from_organisation="CQC", from_kind="regulator",
           tenor="mixed", occurred_on=day("2026-06-02"), examples=[{"occurred_on": day("2026-05-20")}]),
        ev("domain.feedback:Feedback.Corrected", "f1", tenor="concerning"),
        ev("domain.feedback:Feedback.Responded", "f1", action="raised_with_chair", occurred_on=day("2026-06-09")),
        ev("domain.unknown:Thing.Happened", "t1"),
    ]
    data = verifier.summaries(events)
    esc = data["escalation"]
    assert [(c["reference"], c["stage"], c["status"], c["raised_on"], c["closed_on"], c["resolution_level"])
            for c in esc["concerns"]] == [
        ("C-1", "resolved", "resolved", "2026-03-30", "2026-04-20", "chief_executives"),
        ("C-2", "chair", "open", "2026-05-01", None, None)]
    assert esc["by_organisation"] == {"RFH": {"chair": 1, "resolved": 1}}
    assert data["adherence"] == {
        "NVH": {"2026-27-Q1": {"adhered": 1, "partly_adhered": 1, "panel_answers": 2, "panel_favourable": 1,
                               "panel_respondents": 2, "feedback": 1, "feedback_concerning": 1}},
        "RFH": {"2025-26-Q4": {"concerns": 1, "concerns_resolved": 1},  # raised on the corrected date
                "2026-27-Q1": {"concerns": 1, "concerns_open": 1}},
        "SCC": {"2026-27-Q2": {"adhered": 3, "partly_adhered": 1}},
    }
    fb = data["regulator_feedback"]
    assert (fb["responded"], fb["items"][0]["tenor"], fb["items"][0]["examples"], fb["items"][0]["responses"]) == (
        1, "concerning", ["2026-05-20"], [{"responded_on": "2026-06-09", "action": "raised_with_chair"}])
    assert fb["by_organisation"] == {"NVH": {"CQC": {"2026-27-Q1": {"concerning": 1, "responded": 1}}}}
    # Later events of an aggregate count for the organisation its earlier events named.
    assert data["events_by_organisation"]["NVH"]["Organisation.Renamed"] == 1
    assert data["events_by_organisation"]["NVH"]["Feedback.Responded"] == 1
    assert data["events_by_organisation"]["-"]["Thing.Happened"] == 1


# The verifier needs nothing but Python and cryptography: prove it in a clean environment
# (clean_python: tests/application/conftest.py).
def test_the_verifier_runs_in_a_clean_environment_and_rejects_a_doctored_bundle(clean_python, bundle, ledger):
    probe = subprocess.run([*clean_python, "-c", "import flask"] if "-I" in clean_python
                           else [*clean_python[:2], "-c", "import flask"], capture_output=True)
    assert probe.returncode != 0  # nothing of ours or of the project's dependencies is there
    pinned = ledger.public_keys()[-1].key_id
    script = str(bundle / "verify_bundle.py")
    good = subprocess.run([*clean_python, script, str(bundle), "--public-key", pinned],
                          capture_output=True, text=True, timeout=120)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.startswith("VERIFIED: 11 events")
    lines = (bundle / "events.jsonl").read_text().splitlines()
    (bundle / "events.jsonl").write_text("\n".join(lines[:-1]) + "\n")
    rewrite_manifest(bundle)
    bad = subprocess.run([*clean_python, script, str(bundle), "--public-key", pinned],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and bad.stdout.startswith("NOT VERIFIED")
