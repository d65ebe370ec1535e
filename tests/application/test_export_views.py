"""The standalone verifier rebuilds the escalation, adherence and regulator feedback views from a
bundle's events alone, in a clean environment holding only cryptography, and they equal the live views."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

import pytest

TODAY = date.today()
COMPARED = ("adhered", "partly_adhered", "not_adhered", "panel_favourable", "panel_answers", "panel_respondents",
            "staff_favourable", "staff_answers", "staff_respondents", "concerns", "concerns_open",
            "concerns_resolved", "concerns_withdrawn", "feedback", "feedback_positive", "feedback_mixed",
            "feedback_concerning")


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Over the demo year on SQLite: a bundle's contents do not depend on the engine, and export on
    PostgreSQL is covered by tests/application/test_export.py."""
    return sqlite_url


def live_views(services) -> dict:  # type: ignore[no-untyped-def]
    """The live views, reduced to what the verifier rebuilds."""
    adherence = services.projections["adherence"]
    first, last = adherence.quarter_range()
    cells: dict[str, dict[str, dict[str, int]]] = {}
    for (org, quarter), cell in adherence.cells(first, last).items():
        figures = {k: getattr(cell, k) for k in COMPARED if getattr(cell, k)}
        if figures:
            cells.setdefault(org, {})[quarter] = figures
    concerns, _ = services.projections["escalation"].list_concerns(TODAY, limit=10_000)
    feedback, _ = services.projections["feedback"].list_feedback(limit=10_000)
    return {
        "adherence": cells,
        "concerns": sorted((c["reference"], c["route"], c["subject_org"], c["stage"], c["raised_on"], c["closed_on"],
                            c["resolution_level"]) for c in concerns),
        "feedback": sorted((f["id"], f["organisation"], f["from_organisation"], f["quarter"], f["tenor"],
                            f["corrections"], f["responses"]) for f in feedback),
    }


def rebuilt_views(summaries: dict) -> dict:
    """The verifier's views, reduced the same way."""
    return {
        "adherence": summaries["adherence"],
        "concerns": sorted((c["reference"], c["route"], c["subject_organisation"], c["stage"], c["raised_on"],
                            c["closed_on"], c["resolution_level"]) for c in summaries["escalation"]["concerns"]),
        "feedback": sorted((f["id"], f["organisation"], f["from_organisation"], f["quarter"], f["tenor"],
                            f["corrections"], len(f["responses"])) for f in summaries["regulator_feedback"]["items"]),
    }


def test_the_shipped_verifier_rebuilds_the_three_views_equal_to_the_live_ones_in_a_clean_environment(
    demo, tmp_path, clean_python
):  # type: ignore[no-untyped-def]
    out = tmp_path / "bundle"
    demo.ledger.export_bundle(str(out))
    script = str(out / "verify_bundle.py")
    pinned = demo.ledger.public_keys()[0].key_id
    run = subprocess.run([*clean_python, script, str(out), "--public-key", pinned, "--json"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr
    result = json.loads(run.stdout)
    assert result["verified"] is True
    live, rebuilt = live_views(demo), rebuilt_views(result["summaries"])
    assert len(live["concerns"]) > 5 and len(live["feedback"]) > 3 and len(live["adherence"]) >= 6
    assert rebuilt == live
    printed = subprocess.run([*clean_python, script, str(out), "--public-key", pinned],
                             capture_output=True, text=True, timeout=300)
    assert printed.returncode == 0 and printed.stdout.startswith("VERIFIED: ")
    for heading in ("Escalation status view:", "Adherence view (by organisation and quarter",
                    "Regulator feedback view:"):
        assert heading in printed.stdout
    reference = live["concerns"][0][0]
    assert any(line.strip().startswith(reference + " ") for line in printed.stdout.splitlines())
    org, quarters = next(iter(live["adherence"].items()))
    assert any(line.split()[:2] == [org, next(iter(quarters))] for line in printed.stdout.splitlines())


def test_a_doctored_bundle_is_not_verified_but_its_views_are_still_printed_for_comparison(demo, tmp_path):
    from tests.application.test_export import check, rewrite_manifest

    out = tmp_path / "bundle"
    demo.ledger.export_bundle(str(out))
    lines = (out / "events.jsonl").read_text().splitlines()
    doctored = next(i for i, line in enumerate(lines) if '"tenor": "concerning"' in line or '"tenor":"concerning"' in line)
    lines[doctored] = lines[doctored].replace("concerning", "positive", 1)
    Path(out / "events.jsonl").write_text("\n".join(lines) + "\n")
    rewrite_manifest(out)
    code, text = check(out)
    assert code == 1 and text.startswith("NOT VERIFIED") and "Regulator feedback view:" in text
