"""A real browser records a meeting's closing vote and sees the adherence dashboard change."""

from __future__ import annotations

import re
from datetime import date

import pytest

from domain.period import Quarter
from tests.conftest import DEMO_PASSWORD, LEAD

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def votes_in(text: str) -> int:
    match = re.search(r"(\d+) votes?", text)
    return int(match.group(1)) if match else 0


def test_recording_a_closing_vote_changes_the_dashboard(browser_page, live_server, app):
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    rows, _ = app.extensions["pvb"].projections["directory"].list_people(limit=500)
    ids = {r["name"]: r["id"] for r in rows}
    meeting_id = app.extensions["pvb"].ledger.record_meeting(
        LEAD, body="PB", title="Programme Board, browser test", chair_person_id=ids["Dame Judith Carrow"],
        attendee_ids=[ids["Daniel Okafor"], ids["Cllr Brian Naylor"]],
    )
    cell = f"#cell-SCC-{Quarter.of(date.today()).key}"
    sign_in(page, "lead")
    page.goto("/adherence")
    page.wait_for_selector("#heatmap svg")
    before = page.inner_text(cell)

    page.goto(f"/meetings/{meeting_id}")
    page.select_option("#person_id", ids["Cllr Brian Naylor"])
    page.click("label[for=vote-not_adhered]")
    page.fill("#catalogue_items", "B-2")
    page.fill("#comment", "Challenge came after the meeting, not in it")
    page.click("#vote-form button[type=submit]")
    page.wait_for_selector("#votes >> text=Cllr Brian Naylor")
    page.click("#close button[type=submit]")
    page.wait_for_selector("#vote-status >> text=closed")
    assert "VotingClosed" in page.inner_text("#events")

    page.goto("/adherence")
    page.wait_for_selector("#heatmap svg")
    after = page.inner_text(cell)
    assert votes_in(after) == votes_in(before) + 1
    page.click(f"{cell} a")
    page.wait_for_selector("#vote-evidence")
    assert "Programme Board, browser test" in page.inner_text("#vote-evidence")
    assert errors == []
