"""A real browser (Debian's Chromium via Playwright) signs in and sees the directory."""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_governance_lead_signs_in_and_sees_the_directory(browser_page, live_server):
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    sign_in(page, "lead")
    page.wait_for_selector("#directory")
    assert "Nene Valley Hospitals NHS Foundation Trust" in page.inner_text("#directory")
    assert page.locator(".nhsuk-header").count() == 1
    page.click("text=Nene Valley Hospitals NHS Foundation Trust")
    page.wait_for_selector("#offices")
    assert "Daniel Okafor" in page.inner_text("#offices")
    assert outside == [] and errors == []
