"""Concerns outside their own pages: a reference, a name or a raiser only for those who may read the concern.

The Independent Chair's concern about Helen Marsh (NVH) is in the demo: the Independent Chair raised it
with NVH's Chair. It may be read by investigators, its chain, the governance lead, and NVH's Chief
Executive and Chair; another organisation's Chair, a regulator and staff see it only as a count.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.period import Quarter


def _helens(client: Any, auth: Any) -> dict[str, Any]:
    body = client.get("/api/v1/objectives/review-concerns/NVH", headers=auth.token("investigator", "read")).get_json()
    return next(c for c in body["concerns"] if c["person_name"] == "Helen Marsh")


def _as(auth: Any, username: str) -> Any:
    auth.logout()
    auth.login(username)


def test_the_objectives_page_and_api_name_a_concern_only_to_those_who_may_read_it(client, auth):  # type: ignore[no-untyped-def]
    helen = _helens(client, auth)
    ref, link = helen["concern_ref"], f'href="/concerns/{helen["concern_ref"]}"'
    for reader in ("chair.nvh", "ichair", "investigator", "lead"):
        _as(auth, reader)
        page = client.get("/objectives/NVH").get_data(as_text=True)
        assert link in page and "Helen Marsh</td>" in page, reader
        body = client.get("/api/v1/objectives/review-concerns/NVH", headers=auth.token(reader, "read")).get_json()
        assert ref in {c["concern_ref"] for c in body["concerns"]}, reader
    for outsider in ("chair.rfh", "board.nvh"):
        _as(auth, outsider)
        response = client.get("/objectives/NVH")
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and link not in page and f">{ref}<" not in page, outsider
        assert "Helen Marsh</td>" not in page and 'id="withheld-concerns"' in page, outsider
        body = client.get("/api/v1/objectives/review-concerns/NVH", headers=auth.token(outsider, "read")).get_json()
        assert body["concerns"] == [] and body["withheld"] >= 1 and body["pending"] >= 1, outsider
        assert ref not in str(body), outsider
    for refused in ("cqc", "staff.nvh"):  # no objectives at all for regulators and staff
        _as(auth, refused)
        assert client.get("/objectives/NVH").status_code == 403, refused
        assert client.get("/api/v1/objectives/review-concerns/NVH",
                          headers=auth.token(refused, "read")).status_code == 403, refused
    auth.logout()


def test_adherence_evidence_lists_a_concern_only_to_those_who_may_read_it(client, auth):  # type: ignore[no-untyped-def]
    helen = _helens(client, auth)
    ref = helen["concern_ref"]
    quarter = Quarter.of(date.fromisoformat(helen["linked_on"])).key
    url = f"/api/v1/adherence/NVH/{quarter}"
    for reader in ("chair.nvh", "ichair", "investigator"):
        body = client.get(url, headers=auth.token(reader, "read")).get_json()
        assert ref in {c["reference"] for c in body["concerns"]}, reader
        _as(auth, reader)
        assert f'href="/concerns/{ref}#event-' in client.get(f"/adherence/NVH/{quarter}").get_data(as_text=True)
    for outsider in ("chair.rfh", "cqc", "staff.wnc"):
        body = client.get(url, headers=auth.token(outsider, "read")).get_json()
        assert ref not in str(body) and body["concerns_withheld"] >= 1, outsider
        assert body["cell"]["concerns"] == len(body["concerns"]) + body["concerns_withheld"], outsider
        _as(auth, outsider)
        page = client.get(f"/adherence/NVH/{quarter}").get_data(as_text=True)
        assert f"/concerns/{ref}" not in page and f">{ref}<" not in page and 'id="withheld-concerns"' in page
    auth.logout()


def _replayed(client: Any, headers: dict[str, str], view: str, table: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/v1/replay/{view}?table={table}&per_page=1000", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["tables"][0]["rows"]  # type: ignore[no-any-return]


def test_replayed_tables_hold_only_the_concerns_the_reader_may_read(client, auth, app):  # type: ignore[no-untyped-def]
    ref = _helens(client, auth)["concern_ref"]
    every = _replayed(client, auth.token("investigator", "read"), "adherence", "adh_concerns")
    assert ref in {r["reference"] for r in every}
    # a regulator: counts only, except cases an investigator granted it (another test may grant one)
    granted = {r["reference"] for r in every if "cqc" in app.extensions["pvb"].ledger.case_grants(r["reference"])}
    rows = _replayed(client, auth.token("cqc", "read"), "adherence", "adh_concerns")
    hidden = [r for r in rows if r["reference"] is None]
    assert len(rows) == len(every) and len(hidden) == len(every) - len(granted) and ref not in str(rows)
    assert all(r["concern_id"] is None and r["route"] is None and r["organisation"] for r in hidden)
    assert {r["concern_ref"] for r in _replayed(client, auth.token("ichair", "read"), "objectives",
                                                "obj_review_concerns")} >= {ref}
    rows = _replayed(client, auth.token("admin", "read"), "objectives", "obj_review_concerns")  # admin reads no concern
    assert rows and all(r["concern_ref"] is None and r["person_id"] is None for r in rows)
    # the governance lead and an investigator without a grant read every concern but not a
    # confidential raiser (C-14 is confidential): only the raiser's own Chief Executive knows them
    lead = {r["id"]: r for r in _replayed(client, auth.token("lead", "read"), "escalation", "esc_concerns")}
    inv = {r["id"]: r for r in _replayed(client, auth.token("investigator", "read"), "escalation", "esc_concerns")}
    c14 = next(r for r in inv.values() if r["reference"] == "C-14")
    assert c14["raiser_id"] is None and lead[c14["id"]]["raiser_id"] is None and lead[c14["id"]]["subject_id"]
    open_ones = [r for r in inv.values() if not r["confidential"]]
    assert open_ones and all(lead[r["id"]]["raiser_id"] == r["raiser_id"] for r in open_ones)


def test_an_investigator_grants_and_revokes_a_case_through_the_concerns_page(client, auth, app):  # type: ignore[no-untyped-def]
    ledger = app.extensions["pvb"].ledger
    _as(auth, "cqc")
    assert client.get("/concerns/C-12").status_code == 403
    _as(auth, "lead")  # not an investigator: the form is refused before anything is read
    assert client.post("/concerns/C-12/grants", data={"username": "cqc", "reason": "a review"}).status_code == 403
    assert client.post("/concerns/C-12/grants/hwb/revoke", data={"reason": "done"}).status_code == 403
    _as(auth, "investigator")
    page = client.get("/concerns/C-12").get_data(as_text=True)  # the day's read is recorded here, once
    assert 'id="form-grant"' in page
    before = ledger.max_position()
    for data, field, words in (
        ({"username": "cqc", "reason": ""}, "reason", ""),
        ({"username": "", "reason": "a review"}, "username", ""),
        ({"username": "staff.nvh", "reason": "a review"}, "username", "only to regulators"),
    ):
        bad = client.post("/concerns/C-12/grants", data=data)
        text = bad.get_data(as_text=True)
        assert bad.status_code == 422 and "nhsuk-error-message" in text and words in text, (data, bad.status_code)
        assert f'for="grant-{field}"' in text and "nhsuk-form-group--error" in text
    nothing = client.post("/concerns/C-12/grants/cqc/revoke", data={"reason": "never granted"})
    assert nothing.status_code == 404 and "no access to revoke" in nothing.get_data(as_text=True)
    assert ledger.max_position() == before and "cqc" not in ledger.case_grants("C-12")
    granted = client.post("/concerns/C-12/grants", data={"username": "cqc", "reason": "CQC's well-led review"})
    assert granted.status_code == 302 and granted.headers["Location"].endswith("/concerns/C-12#access")
    assert "cqc" in ledger.case_grants("C-12")
    assert "CQC&#39;s well-led review" in client.get("/concerns/C-12").get_data(as_text=True)
    _as(auth, "cqc")
    page = client.get("/concerns/C-12")
    assert page.status_code == 200 and "Committed WNC to the crisis line" in page.get_data(as_text=True)
    _as(auth, "investigator")
    bad = client.post("/concerns/C-12/grants/cqc/revoke", data={"reason": ""})
    assert bad.status_code == 422 and "cqc" in ledger.case_grants("C-12")
    revoked = client.post("/concerns/C-12/grants/cqc/revoke", data={"reason": "the review is done"})
    assert revoked.status_code == 302 and "cqc" not in ledger.case_grants("C-12")
    _as(auth, "cqc")
    refused = client.get("/concerns/C-12")
    assert refused.status_code == 403 and "Committed WNC to the crisis line" not in refused.get_data(as_text=True)
    auth.logout()
