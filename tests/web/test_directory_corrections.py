"""Correcting the directory through the API and the organisation page's forms."""

from __future__ import annotations

from tests.conftest import LEAD


def test_api_corrects_a_person_a_leaving_an_organisation_and_an_appointment(client, auth, app):
    headers = auth.token("lead")
    created = client.post("/api/v1/people", json={"name": "Rosa Frankln", "organisation": "NVH",
                                                  "title": "Directr"}, headers=headers)
    pid = created.get_json()["id"]
    response = client.post(f"/api/v1/people/{pid}/correction", headers=headers, json={
        "name": "Rosa Franklin", "title": "Director", "senior_leader": True, "reason": "typed in a hurry"})
    assert response.status_code == 201
    assert response.get_json() == {"id": pid, "position": app.extensions["pvb"].ledger.max_position()}
    person = client.get(f"/api/v1/people/{pid}", headers=headers).get_json()
    assert (person["name"], person["title"], person["senior_leader"]) == ("Rosa Franklin", "Director", True)

    app.extensions["pvb"].ledger.record_leaver(LEAD, pid)
    assert client.get(f"/api/v1/people/{pid}", headers=headers).get_json()["left_on"] is not None
    again = client.post(f"/api/v1/people/{pid}/leaving/correction", json={"reason": "wrong row"}, headers=headers)
    assert again.status_code == 201
    assert client.get(f"/api/v1/people/{pid}", headers=headers).get_json()["left_on"] is None
    twice = client.post(f"/api/v1/people/{pid}/leaving/correction", json={"reason": "x"}, headers=headers)
    assert twice.status_code == 409 and "has not left" in twice.get_json()["message"]

    client.post("/api/v1/organisations/NVH/offices", json={"office": "chair", "person_id": pid}, headers=headers)
    before = {o["office"]: o["person_id"] for o in
              client.get("/api/v1/organisations/NVH", headers=headers).get_json()["offices"]}
    assert before["chair"] == pid
    fixed = client.post("/api/v1/organisations/NVH/offices/correction", headers=headers,
                        json={"office": "chair", "reason": "Rosa was never appointed"})
    assert fixed.status_code == 201
    after = {o["office"]: o["person_id"] for o in
             client.get("/api/v1/organisations/NVH", headers=headers).get_json()["offices"]}
    assert after.get("chair") != pid

    org = client.get("/api/v1/organisations/NVH", headers=headers).get_json()
    renamed = client.post("/api/v1/organisations/nvh/correction", headers=headers,
                          json={"name": org["name"] + " NHS Trust", "kind": org["kind"], "reason": "full name"})
    assert renamed.status_code == 201
    assert client.get("/api/v1/organisations/NVH", headers=headers).get_json()["name"] == org["name"] + " NHS Trust"
    history = client.get("/api/v1/organisations/NVH/corrections", headers=headers).get_json()
    assert sorted(k["what"] for k in history) == ["appointment", "details", "leaving", "registration"]
    assert {k["reason"] for k in history} >= {"typed in a hurry", "wrong row", "full name"}


def test_api_correction_errors_are_4xx_with_field_messages(client, auth):
    headers = auth.token("lead")
    pid = client.get("/api/v1/people?organisation=NVH", headers=headers).get_json()["items"][0]["id"]
    bad = client.post(f"/api/v1/people/{pid}/correction", headers=headers,
                      json={"name": "", "title": "T", "reason": "", "colour": "red"})
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) >= {"name", "reason", "colour"}
    missing = client.post("/api/v1/organisations/NVH/correction", headers=headers, json={"name": "N"})
    assert missing.status_code == 422 and set(missing.get_json()["errors"]) == {"kind", "reason"}
    unknown = client.post("/api/v1/organisations/ZZZ/offices/correction", headers=headers,
                          json={"office": "chair", "reason": "r"})
    assert unknown.status_code == 404
    assert client.get("/api/v1/organisations/ZZZ/corrections", headers=headers).status_code == 404
    forbidden = client.post(f"/api/v1/people/{pid}/leaving/correction", json={"reason": "r"},
                            headers=auth.token("cqc"))
    assert forbidden.status_code == 403


def test_the_organisation_page_corrects_records_and_shows_the_history(client, auth):
    auth.login("lead")
    page = client.get("/organisations/NVH").get_data(as_text=True)
    assert "Correct a record" in page and "No record of this organisation" in page
    headers = auth.token("lead", "read")
    person = client.get("/api/v1/people?organisation=NVH", headers=headers).get_json()["items"][0]
    response = client.post("/organisations/NVH/people/correction", data={
        "person_id": person["id"], "name": person["name"] + "-Smith", "title": person["title"],
        "reason": "double-barrelled name left out"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/organisations/NVH#corrections")
    page = client.get("/organisations/NVH").get_data(as_text=True)
    assert person["name"] + "-Smith" in page and "double-barrelled name left out" in page
    empty = client.post("/organisations/NVH/correction", data={"name": "N", "kind": "acute_trust", "reason": ""})
    assert empty.status_code == 422 and "Missing data for required field" in empty.get_data(as_text=True)
    same = client.post("/organisations/NVH/correction", data={
        "name": client.get("/api/v1/organisations/NVH", headers=headers).get_json()["name"],
        "kind": "acute_trust", "reason": "nothing"})
    assert same.status_code == 422 and "changes nothing" in same.get_data(as_text=True)


def test_readers_see_the_history_but_not_the_forms(client, auth):
    auth.login("staff.nvh")
    page = client.get("/organisations/NVH").get_data(as_text=True)
    assert "Corrections" in page and "Correct a record" not in page
    assert client.post("/organisations/NVH/correction", data={"name": "X", "kind": "ccg", "reason": "r"}).status_code == 403
