"""A real browser: a regulator cannot reach a concern's narrative, only the anonymised statistics."""

from __future__ import annotations

import pytest

from tests.browser.test_directory import sign_in

pytestmark = pytest.mark.browser
NARRATIVE = "Blamed RFH clinicians in a public meeting"  # C-6 in the demo (confidential)


def test_a_regulator_sees_statistics_and_is_refused_the_board_the_concern_and_the_api(browser_page, live_server):
    page = browser_page
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server) else None)
    sign_in(page, "cqc")
    page.wait_for_selector("nav, main")

    page.goto("/concerns")
    assert "An investigator has granted you no cases" in page.inner_text("#granted")
    assert NARRATIVE not in page.content()

    board = page.goto("/concerns/board")
    assert board is not None and board.status == 403
    assert NARRATIVE not in page.content()

    for reference in ("C-6", "C-1"):
        concern = page.goto(f"/concerns/{reference}")
        assert concern is not None and concern.status == 403, reference
        text = page.inner_text("main")
        assert "anonymised statistics" in text and NARRATIVE not in page.content()

    api = page.goto("/api/v1/concerns/C-6")  # the session does not open the API: tokens do
    assert api is not None and api.status in (401, 403) and NARRATIVE not in page.content()
    listing = page.goto("/api/v1/concerns")
    assert listing is not None and listing.status in (401, 403)

    stats = page.goto("/concerns/statistics")
    assert stats is not None and stats.status == 200
    content = page.content()
    assert NARRATIVE not in content and "Priya Raman" not in content and "withheld" not in content
    assert outside == []
