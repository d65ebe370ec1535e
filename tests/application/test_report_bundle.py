"""A report's bundle proves every figure: the verifier recomputes them from the bundle's events alone.

The demo year is exported once as the bundle of its corrected six-monthly report; each test works on
a copy. A changed frozen figure is named; an event altered behind the seal and re-sealed with a key
the verifier is told to trust passes the seal and fails the figure check; an unaltered bundle
verifies, every figure matching, in a clean environment with only cryptography.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from application.demo import run_demo
from application.report_export import FIGURES_SOURCE
from application.signing import public_raw
from domain.figures.days import quarter_label, quarter_of
from domain.merkle import CompactRange, leaf_hash
from domain.report import content_hash
from domain.seal import checkpoint_body, encode_leaf, key_id
from domain.values import SYSTEM
from tests.application.test_export import rewrite_manifest, verifier
from web.wiring import build_services


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """The demo on SQLite, its first half-year's report bundle (the corrected edition) and its key id."""
    base = tmp_path_factory.mktemp("report-bundle")
    services = build_services(f"sqlite:///{base / 'ledger.sqlite'}", inline=True)
    try:
        services.ledger.init_framework(SYSTEM)
        run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
        period = services.projections["reports"].published()[0]["period"]
        services.ledger.export_report_bundle(str(base / "bundle"), "six_monthly", period)
        key = services.ledger.public_keys()[-1].key_id
    finally:
        services.close()
    return {"bundle": base / "bundle", "key": key, "period": period}


@pytest.fixture
def bundle(exported, tmp_path) -> Path:  # type: ignore[no-untyped-def]
    copy = tmp_path / "bundle"
    shutil.copytree(exported["bundle"], copy)
    return copy


def check(bundle: Path, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = verifier.main([str(bundle), *args])
    return code, out.getvalue()


def test_a_report_bundle_holds_the_log_up_to_the_report_the_frozen_report_and_the_figure_functions(bundle, exported):
    report = json.loads((bundle / "report.json").read_text())
    events = [json.loads(line) for line in (bundle / "events.jsonl").read_text().splitlines()]
    assert (report["kind"], report["period"], report["edition"], report["status"]) == (
        "six_monthly", exported["period"], 2, "published")
    assert events[-1]["position"] >= report["published_at_position"] > report["figures"]["position"]
    assert report["content"]["supersedes"]["edition"] == 1 and content_hash(report["content"]) == report["content_hash"]
    shipped = sorted(p.name for p in (bundle / "figures").glob("*.py"))
    assert shipped == sorted(p.name for p in FIGURES_SOURCE.glob("*.py"))
    assert all((bundle / "figures" / n).read_bytes() == (FIGURES_SOURCE / n).read_bytes() for n in shipped)
    figures = report["figures"]
    assert figures["bank_holidays"] and figures["as_of"] == figures["period_end"]
    assert set(json.loads((bundle / "manifest.json").read_text())["files"]) >= {"report.json", "figures/report.py"}
    code, out = check(bundle, "--public-key", exported["key"])
    assert code == 0 and out.startswith("VERIFIED:") and "FIGURES MATCH: all" in out
    assert "  matches: Escalations and how they ended: Resolved in the period = " in out


def test_a_changed_frozen_figure_is_named_and_the_verifier_exits_1(bundle, exported):
    path = bundle / "report.json"
    report = json.loads(path.read_text())
    section = next(s for s in report["figures"]["sections"] if s["key"] == "escalations")
    was = section["figures"]["Resolved in the period"]
    section["figures"]["Resolved in the period"] = was + 1
    path.write_text(json.dumps(report))
    rewrite_manifest(bundle)
    code, out = check(bundle, "--public-key", exported["key"])
    assert code == 1
    assert (f"DIFFERS: Escalations and how they ended: Resolved in the period: the report says {was + 1}, "
            f"the events give {was}") in out
    assert "FIGURES DIFFER: 1 of" in out


def reseal(bundle: Path, key: Ed25519PrivateKey) -> str:
    """What a forger with the signing key does: recompute every leaf and root, re-sign, rewrite the keys."""
    raw_key = public_raw(key.public_key())
    kid = key_id(raw_key)
    lines = [json.loads(line) for line in (bundle / "events.jsonl").read_text().splitlines()]
    report = json.loads((bundle / "report.json").read_text())
    sizes = {cp["size"] for cp in json.loads((bundle / "checkpoints.json").read_text())} | {
        report["checkpoint"]["size"], len(lines)}
    roots, edge = {}, CompactRange()

    def sign(size: int) -> dict[str, Any]:
        body = checkpoint_body(size, roots[size], "2026-01-01T00:00:00+00:00", kid)
        return {"origin": "pvb-ledger", "size": size, "root_hash": roots[size].hex(), "time": "2026-01-01T00:00:00+00:00",
                "key_id": kid, "signature": base64.b64encode(key.sign(body)).decode(), "body": body.decode()}

    for line in lines:
        if line["position"] == report.get("published_at_position"):  # the publication holds the report's checkpoint
            report["checkpoint"] = report["content"]["checkpoint"] = sign(report["checkpoint"]["size"])
            report["content"]["figures"] = report["figures"]
            report["content_hash"] = content_hash(report["content"])
            line["state"]["content"], line["state"]["content_hash"] = report["content"], report["content_hash"]
            line["state_text"] = json.dumps(line["state"], separators=(",", ":"))
        edge.append(leaf_hash(encode_leaf(line["position"], line["originator_id"], line["originator_version"],
                                          line["topic"], line["state_text"].encode())))
        if edge.size in sizes:
            roots[edge.size] = edge.root()
    (bundle / "events.jsonl").write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
    (bundle / "report.json").write_text(json.dumps(report))
    (bundle / "checkpoints.json").write_text(json.dumps([sign(size) for size in sorted(sizes)]))
    (bundle / "keys.json").write_text(json.dumps([{
        "key_id": kid, "algorithm": "Ed25519", "public_key": base64.b64encode(raw_key).decode(), "public_key_pem": "",
        "created_at": "2026-01-01T00:00:00+00:00", "retired_at": None, "endorsement": None, "current": True}]))
    (bundle / "proofs.json").write_text(json.dumps({"consistency": [], "inclusion": []}))
    manifest = json.loads((bundle / "manifest.json").read_text())
    manifest.update(tree_size=len(lines), root_hash=roots[len(lines)].hex(), key_id=kid)
    (bundle / "manifest.json").write_text(json.dumps(manifest))
    rewrite_manifest(bundle)
    return kid


def test_an_altered_vote_re_sealed_with_a_trusted_key_passes_the_seal_and_fails_the_figure_check(bundle):
    report = json.loads((bundle / "report.json").read_text())
    start, drawn = report["figures"]["period_start"], report["figures"]["position"]
    lines = (bundle / "events.jsonl").read_text().splitlines()
    meetings = {}
    for n, text in enumerate(lines):
        line = json.loads(text)
        if line["topic"].endswith("Meeting.Recorded"):
            meetings[line["originator_id"]] = line["state"]["occurred_on"]["_data_"]
        elif (line["topic"].endswith("Meeting.VoteCast") and line["position"] <= drawn
              and line["state"]["verdict"] == "adhered" and meetings.get(line["originator_id"], "") >= start):
            line["state"]["verdict"] = "not_adhered"
            line["state_text"] = json.dumps(line["state"], separators=(",", ":"))
            lines[n] = json.dumps(line, separators=(",", ":"))
            organisation, quarter = line["state"]["organisation"], quarter_of(meetings[line["originator_id"]])
            break
    (bundle / "events.jsonl").write_text("\n".join(lines) + "\n")
    kid = reseal(bundle, Ed25519PrivateKey.generate())
    code, out = check(bundle, "--public-key", kid)
    assert code == 1
    assert out.startswith(f"VERIFIED: {len(lines)} events")  # the seal passes: the forger holds the key
    named = (f"DIFFERS: Adherence by organisation: Votes and ratings by organisation and quarter: {organisation}, "
             f"{quarter_label(quarter)}: Not adhered")
    assert named in out and "FIGURES DIFFER" in out


def test_a_concerns_resolution_date_moved_out_of_the_period_is_named_by_the_figure_check(bundle):
    report = json.loads((bundle / "report.json").read_text())
    figures = report["figures"]
    lines = [json.loads(text) for text in (bundle / "events.jsonl").read_text().splitlines()]
    for line in lines:
        state = line["state"]
        if (line["topic"].endswith(("DiscussedByChiefExecutives", "DecidedByAccountableOfficer", "HandledByChair",
                                    "ResolvedByIndependentChair")) and state.get("stage") == "resolved"
                and figures["period_start"] <= state["occurred_on"]["_data_"] <= figures["period_end"]
                and line["position"] <= figures["position"]):
            state["occurred_on"]["_data_"] = "2099-01-01"
            line["state_text"] = json.dumps(state, separators=(",", ":"))
            break
    else:
        pytest.fail("the demo resolved no concern in the period")
    (bundle / "events.jsonl").write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines))
    kid = reseal(bundle, Ed25519PrivateKey.generate())
    code, out = check(bundle, "--public-key", kid)
    assert code == 1 and out.startswith("VERIFIED:")
    assert "DIFFERS: Escalations and how they ended: Resolved in the period" in out


def test_an_unaltered_report_bundle_verifies_in_a_clean_environment_with_every_figure_matching(clean_python, bundle, exported):
    script = str(bundle / "verify_bundle.py")
    run = subprocess.run([*clean_python, script, ".", "--public-key", exported["key"]], cwd=bundle,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr
    assert run.stdout.startswith("VERIFIED:") and "FIGURES MATCH: all" in run.stdout and "DIFFERS" not in run.stdout
    digest = hashlib.sha256()
    for path in sorted(FIGURES_SOURCE.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    assert f"figure functions SHA-256 {digest.hexdigest()}" in run.stdout
