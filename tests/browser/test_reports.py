"""A real browser: the Independent Chair writes the narrative of the six-monthly report, checks what
will be frozen and publishes it through the check page; the page then confirms it, shows the report
as published with its content hash, ending with the signed checkpoint it was drawn from, and its PDF
holds each section's headline figure."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from domain.figures import HEADLINES
from domain.periods import half_of
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """The browser test runs over the demo on SQLite (PostgreSQL is covered by the API tests)."""
    return sqlite_url


def sign_in(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("button[type=submit]")


def test_the_independent_chair_publishes_the_six_monthly_report(browser_page, live_server, app):
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    period = half_of(date.today()).previous().key
    sign_in(page, "ichair")
    page.wait_for_selector("#directory")
    page.goto("/reports")
    row = page.locator("#six-monthly-reports tr", has_text=period)
    assert "draft" in row.inner_text()
    row.locator("a").click()
    page.wait_for_selector("#draft-status")
    assert page.locator("svg.pvb-chart").count() >= 1  # server-rendered charts
    page.fill("#narrative-form textarea[name=narrative]", "Adherence improved across the partnership.\n\nI propose <b>two</b> actions.")
    page.click("#narrative-form button[type=submit]")
    page.wait_for_selector("#narrative")
    assert "I propose <b>two</b> actions." in page.inner_text("#narrative")
    page.click("#publish-link")
    page.wait_for_selector("#frozen")  # the check page: what will be frozen
    assert "Adherence by organisation" in page.inner_text("#frozen") and page.locator("#undrawn").count() == 0
    page.click("#publish-form button[type=submit]")  # without a public summary: the error summary
    page.wait_for_selector(".nhsuk-error-summary")
    assert "public summary" in page.inner_text(".nhsuk-error-summary")
    page.fill("#publish-form textarea[name=public_summary]", "The partners kept to the principles in most meetings.")
    page.click("#publish-form button[type=submit]")
    page.wait_for_selector("#published-panel")
    assert "Report published" in page.inner_text("#published-panel")
    digest = page.inner_text("#content-hash")
    assert len(digest) == 64 and "matches its hash" in page.inner_text("#publication")
    assert page.locator("#narrative-form").count() == 0 and page.locator("#publish-form").count() == 0
    assert len(page.inner_text("#checkpoint-root")) == 64 and page.inner_text("#checkpoint-signature")
    with page.expect_download() as download:
        page.click("#download-pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(open(download.value.path(), "rb").read())).pages).split())
    content = app.extensions["pvb"].projections["reports"].get_report(period)["content"]
    assert digest in text.replace(" ", "") and "Adherence improved across the partnership." in text
    for section in content["figures"]["sections"]:  # each section's headline figure is in the PDF
        label = HEADLINES[section["key"]]
        value = section["figures"][label]
        assert f"{label} {'–' if value is None else value}" in text, (section["key"], label, value)
    page.goto("/reports")
    published = page.locator("#six-monthly-reports tr", has_text=period).inner_text()
    assert "published" in published and digest in published
    assert [e for e in errors if "status of 422" not in e] == []  # the 422 is the refused empty summary
