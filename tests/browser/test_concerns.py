"""A real browser raises a concern and escalates it to the Accountable Officer through the pages."""

from __future__ import annotations

import pytest

from tests.browser.test_directory import sign_in

pytestmark = pytest.mark.browser


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.click(".pvb-signout button[type=submit]")
    page.wait_for_selector("#username")


def test_staff_raise_a_concern_and_the_chief_executive_escalates_it_to_the_accountable_officer(
    browser_page, live_server
):
    page = browser_page
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)

    sign_in(page, "staff.nvh")
    page.goto("/concerns")
    page.click("#raise-concern")
    page.select_option("#organisation", "RFH")
    page.click("#choose-organisation")
    page.select_option("#subject_id", label="Owen Carter, Director of Strategy")
    page.check("#item-B-1")
    page.check("#item-V-3")
    page.fill("#narrative", "Critical emails about our discharge team went to the whole system group.")
    page.fill("#examples", "Three emails last week, none raised with us face to face first.")
    page.check("#confidential")
    page.click("#submit-concern")
    page.wait_for_selector("#timeline")
    reference = page.url.rsplit("/", 1)[-1]
    assert reference.startswith("C-")
    assert "Daniel Okafor, Chief Executive, NVH" in page.inner_text("#holder")
    assert page.locator("#form-chief_executives_discussion").count() == 0

    sign_out(page)
    sign_in(page, "ceo.nvh")
    page.goto(f"/concerns/{reference}")
    assert "Gareth Lyle" in page.inner_text("#raiser")
    page.check("#chief_executives_discussion-outcome-difference_of_view")
    page.fill("#chief_executives_discussion-account", "Aisha Bello sees the emails as fair challenge; we differ.")
    page.click("#submit-chief_executives_discussion")
    page.wait_for_selector("#event-2")
    assert "With the Accountable Officer" in page.inner_text("#stage")
    assert "Michael Thorne, Accountable Officer" in page.inner_text("#holder")
    assert "A difference of view" in page.inner_text("#event-2")

    sign_out(page)
    sign_in(page, "lead")
    page.goto("/concerns/board")
    column = page.inner_text("#column-accountable_officer")
    assert reference in column and "Michael Thorne" in column
    page.click(f"#column-accountable_officer >> text={reference}")
    page.wait_for_selector("#timeline")
    assert "a member of staff at" in page.inner_text("#raiser")
    assert outside == [] and errors == []
