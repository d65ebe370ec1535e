"""Cases granted to regulators, and reads of confidential records recorded once per reader per day."""

from __future__ import annotations


def test_an_investigator_grants_a_regulator_a_case_and_revokes_it(client, auth, app):  # type: ignore[no-untyped-def]
    ledger = app.extensions["pvb"].ledger
    hwb, inv = auth.token("hwb", "read"), auth.token("investigator")
    refused = client.get("/api/v1/concerns/C-12", headers=hwb)
    assert refused.status_code == 403 and "anonymised statistics" in refused.get_json()["message"]
    assert client.get("/api/v1/concerns/C-99999", headers=hwb).status_code == 404
    assert client.post("/api/v1/concerns/C-12/grants", json={"username": "hwb", "reason": "x"},
                       headers=auth.token("lead")).status_code == 403
    wrong = client.post("/api/v1/concerns/C-12/grants", json={"username": "staff.nvh", "reason": "x"}, headers=inv)
    assert wrong.status_code == 422 and "only to regulators" in wrong.get_json()["errors"]["username"][0]
    granted = client.post("/api/v1/concerns/C-12/grants", json={"username": "hwb", "reason": "the Board's review"},
                          headers=inv)
    assert granted.status_code == 201
    again = client.post("/api/v1/concerns/C-12/grants", json={"username": "hwb", "reason": "twice"}, headers=inv)
    assert again.status_code == 409
    body = client.get("/api/v1/concerns/C-12", headers=hwb).get_json()
    assert body["narrative"].startswith("Committed WNC to the crisis line") and body["raiser"] == "a member of staff at RFH"
    assert [g["user_id"] for g in body["granted_to"]] == ["hwb"]
    auth.login("hwb")
    index = client.get("/concerns").get_data(as_text=True)
    assert "Cases granted to you (1)" in index and "/concerns/C-12" in index
    auth.logout()
    revoked = client.post("/api/v1/concerns/C-12/grants/hwb/revocation", json={"reason": "review done"}, headers=inv)
    assert revoked.status_code == 201
    assert client.get("/api/v1/concerns/C-12", headers=hwb).status_code == 403
    assert client.post("/api/v1/concerns/C-12/grants/hwb/revocation", json={"reason": "again"},
                       headers=inv).status_code == 404
    assert "hwb" not in ledger.case_grants("C-12")


def test_reading_a_concern_is_recorded_once_per_reader_per_day_and_shown(client, auth, app):  # type: ignore[no-untyped-def]
    ledger = app.extensions["pvb"].ledger
    auth.login("chair.nvh")  # C-14 was raised in NVH (confidential, not by its Chair): NVH's Chair may read it
    before = ledger.max_position()
    page = client.get("/concerns/C-14").get_data(as_text=True)
    assert ledger.max_position() == before + 1  # the day's first read is one event
    assert 'id="read-by"' in page and "chair.nvh" in page and "a member of staff at NVH" in page
    client.get("/concerns/C-14")
    assert ledger.max_position() == before + 1  # a refresh writes nothing
    auth.logout()
    auth.login("staff.nvh")  # its raiser: their own reads are not recorded (they would name them)
    before = ledger.max_position()  # signing in and out are events too
    client.get("/concerns/C-14")
    assert ledger.max_position() == before
    auth.logout()
    body = client.get("/api/v1/concerns/C-14", headers=auth.token("investigator", "read")).get_json()
    readers = {(r["reader"], tuple(r["what"])) for r in body["read_by"]}
    assert ("investigator", ("narrative",)) in readers and ("chair.nvh", ("narrative",)) in readers
    assert "staff.nvh" not in {r["reader"] for r in body["read_by"]}
    events = [e for e in app.extensions["pvb"].projections["timeline"].events(None, limit=5)[0]]
    assert any(e["event_type"].endswith("Read") for e in events), events


def test_an_investigators_reads_of_the_timeline_are_recorded(client, auth, app):  # type: ignore[no-untyped-def]
    reads = app.extensions["pvb"].projections["access"]
    auth.login("investigator")
    assert client.get("/investigations/organisations/RFH").status_code == 200
    client.get("/investigations/organisations/RFH")
    rows, total = reads.reads("investigation:organisation:RFH")
    assert total == 1 and rows[0]["reader"] == "investigator" and rows[0]["what"] == ["investigation"]


def test_replaying_a_view_needs_the_permission_of_its_pages(client, auth):  # type: ignore[no-untyped-def]
    cqc = auth.token("cqc", "read")
    names = {v["name"] for v in client.get("/api/v1/replay", headers=cqc).get_json()}
    assert "directory" in names and not names & {"escalation", "timeline", "objectives", "access"}
    refused = client.get("/api/v1/replay/escalation", headers=cqc)
    assert refused.status_code == 403 and "concerns.board" in refused.get_json()["message"]
