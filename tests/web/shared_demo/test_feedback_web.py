from __future__ import annotations

from datetime import date, timedelta

from domain.period import Quarter


def test_a_regulator_gives_feedback_through_the_form_and_the_independent_chair_responds(client, auth, app):
    ledger = app.extensions["pvb"].ledger
    auth.login("cqc")
    page = client.get("/feedback").get_data(as_text=True)
    assert "Give feedback to the Independent Chair" in page and "Comment on how the PVB" in page
    before = ledger.max_position()
    bad = client.post("/feedback", data={"organisation": "NVH", "tenor": "mixed", "summary": "x",
                                          "example_1_positions": "3"})
    assert bad.status_code == 422 and "describe the example" in bad.get_data(as_text=True)
    assert ledger.max_position() == before
    last_week = (date.today() - timedelta(days=7)).isoformat()
    response = client.post("/feedback", data={
        "organisation": "NVH", "tenor": "concerning", "summary": "Critical emails copied widely",
        "citations": "B-1", "example_1_occurred_on": last_week,
        "example_1_description": "<b>Email</b> copied to fourteen people", "example_1_positions": "2 3",
    })
    assert response.status_code == 302
    detail = client.get(response.location).get_data(as_text=True)
    assert "&lt;b&gt;Email&lt;/b&gt; copied to fourteen people" in detail and last_week in detail
    assert "has not responded yet" in detail and "Respond" not in detail and "Correct this feedback" in detail
    auth.logout()
    auth.login("ichair")
    assert "Record response" in client.get(response.location).get_data(as_text=True)
    answered = client.post(response.location + "/responses", data={
        "action": "raised_with_chair", "response": "Raised with Margaret Ashby"})
    assert answered.status_code == 302
    detail = client.get(response.location).get_data(as_text=True)
    assert "Raised with chair" in detail and "Raised with Margaret Ashby" in detail


def test_the_feedback_page_shows_the_demo_year_by_organisation_regulator_and_quarter(client, auth):
    auth.login("lead")
    page = client.get("/feedback").get_data(as_text=True)
    assert 'id="by-organisation"' in page and 'id="by-regulator"' in page
    assert "Care Quality Commission on Nene Valley Hospitals" in page
    assert "Give feedback to the Independent Chair" not in page  # a governance lead does not give it
    quarter = Quarter.of(date.today() - timedelta(days=364 - 330))
    filtered = client.get(f"/feedback?quarter={quarter.key}&tenor=concerning").get_data(as_text=True)
    assert "Critical emails about partners continue" in filtered
    assert "Leaders speak openly" not in filtered
    auth.logout()
    auth.login("staff.nvh")
    assert client.get("/feedback").status_code == 403


def test_the_feedback_api_gives_lists_responds_corrects_and_summarises(client, auth):
    cqc, chair, lead = auth.token("cqc"), auth.token("ichair"), auth.token("lead")
    body = {"organisation": "rfh", "tenor": "mixed", "summary": "Challenging but fair",
            "examples": [{"occurred_on": date.today().isoformat(), "description": "Spoke up", "positions": [1]}],
            "citations": ["B-2"]}
    created = client.post("/api/v1/feedback", json=body, headers=cqc)
    assert created.status_code == 201, created.get_json()
    fid = created.get_json()["id"]
    assert client.post("/api/v1/feedback", json=body, headers=lead).status_code == 403
    assert client.post(f"/api/v1/feedback/{fid}/responses", json={"action": "acknowledged", "response": "ok"},
                       headers=cqc).status_code == 403
    responded = client.post(f"/api/v1/feedback/{fid}/responses",
                            json={"action": "action_agreed", "response": "Agreed a briefing"}, headers=chair)
    assert responded.status_code == 201
    corrected = client.post(f"/api/v1/feedback/{fid}/corrections",
                            json={"tenor": "positive", "reason": "on reflection"}, headers=cqc)
    assert corrected.status_code == 201
    item = client.get(f"/api/v1/feedback/{fid}", headers=lead).get_json()
    assert (item["organisation"], item["tenor"], item["citations"], item["corrections"]) == (
        "RFH", "positive", ["B-2"], 1)
    assert [(r["action"], r["response"]) for r in item["response_list"]] == [("action_agreed", "Agreed a briefing")]
    assert item["examples"] == [{"seq": 1, "occurred_on": date.today().isoformat(), "description": "Spoke up",
                                 "person_id": None, "positions": [1]}]
    page = client.get("/api/v1/feedback?organisation=RFH&from_organisation=CQC&per_page=200", headers=lead).get_json()
    assert fid in [i["id"] for i in page["items"]] and all(i["organisation"] == "RFH" for i in page["items"])
    summary = client.get("/api/v1/feedback/summary", headers=lead).get_json()
    assert any(r["organisation"] == "RFH" and r["positive"] >= 1 for r in summary["by_organisation"])
    invalid = client.post("/api/v1/feedback", json={**body, "tenor": "fine"}, headers=cqc)
    assert invalid.status_code == 422 and "tenor" in invalid.get_json()["errors"]
    missing = client.get("/api/v1/feedback/00000000-0000-0000-0000-000000000000", headers=lead)
    assert missing.status_code == 404
