"""The objectives pages and API show the Independent Chair's concerns until the individual's next review."""

from __future__ import annotations


def test_the_independent_chairs_concerns_show_beside_the_person_until_the_review_records_them(client, auth):
    headers = auth.token("ichair", "read")
    rfh = client.get("/api/v1/objectives/review-concerns/rfh", headers=headers).get_json()
    owen = next(c for c in rfh["concerns"] if c["person_name"] == "Owen Carter")
    assert (owen["closed_how"], owen["performance_related_pay"], owen["discussed_on"] is not None) == (
        "reflected", "reflected", True)
    assert owen["url"] == f"/concerns/{owen['concern_ref']}"
    nvh = client.get("/api/v1/objectives/review-concerns/NVH", headers=headers).get_json()
    helen = next(c for c in nvh["concerns"] if c["person_name"] == "Helen Marsh")
    assert (helen["closed_on"], helen["discussed_on"] is not None, nvh["pending"]) == (None, True, 1)
    assert client.get("/api/v1/objectives/review-concerns/NOPE", headers=headers).status_code == 404
    coverage = client.get("/api/v1/objectives/coverage", headers=headers).get_json()["organisations"]
    assert {r["code"]: r["concerns_for_next_review"] for r in coverage}["NVH"] == 1
    auth.login("chair.nvh")
    page = client.get("/objectives/NVH").get_data(as_text=True)
    assert 'id="review-concerns-table"' in page and f'href="/concerns/{helen["concern_ref"]}"' in page
    assert "pending the next review" in page
    auth.logout()
    auth.login("staff.nvh")
    assert client.get("/api/v1/objectives/review-concerns/NVH", headers=auth.token("staff.nvh", "read")).status_code == 403
