"""The governance API over the demo, on SQLite and PostgreSQL: every act, its rules, its views."""

from __future__ import annotations

from datetime import date, timedelta

from domain.periods import financial_year_of, half_of, quarter_of
from domain.report import content_hash

TODAY = date.today()


def test_each_act_is_recorded_through_the_api_and_shows_in_its_view(client, auth, app):
    lead, ichair = auth.token("lead"), auth.token("ichair")
    chair, ceo = auth.token("chair.rfh"), auth.token("ceo.nvh")
    people = {p["name"]: p["id"] for p in client.get("/api/v1/people?per_page=200", headers=lead).get_json()["items"]}

    # Adoption: the Council's Cabinet supports the framework.
    assert client.post("/api/v1/adoption/papers", json={"organisation": "SCC", "body": "Cabinet"}, headers=lead).status_code == 201
    written = client.post("/api/v1/adoption/decisions", json={"organisation": "SCC", "decision": "supported"}, headers=lead)
    assert written.status_code == 201 and written.get_json()["id"] == "SCC"
    bodies = {b["code"]: b for b in client.get("/api/v1/adoption", headers=auth.token("cqc", "read")).get_json()["bodies"]}
    assert (bodies["SCC"]["step"], bodies["SCC"]["outstanding"]) == ("supported", None)

    # Objectives: RFH's Chair closes a gap; the coverage names one gap fewer.
    year = financial_year_of(TODAY)
    before = {r["code"]: r for r in client.get("/api/v1/objectives/coverage", headers=chair).get_json()["organisations"]}
    created = client.post("/api/v1/objectives", headers=chair, json={
        "person_id": people["Owen Carter"], "text": "Share information", "citations": ["SL-5"],
        "period_start": year.start.isoformat(), "period_end": year.end.isoformat()})
    assert created.status_code == 201
    after = {r["code"]: r for r in client.get("/api/v1/objectives/coverage", headers=chair).get_json()["organisations"]}
    assert after["RFH"]["covered"] == before["RFH"]["covered"] + 1
    assert "Owen Carter" not in [g["name"] for g in after["RFH"]["gaps"]]
    oid = created.get_json()["id"]
    assert client.post(f"/api/v1/objectives/{oid}/assessment", json={"outcome": "met"}, headers=chair).status_code == 201
    assert client.get(f"/api/v1/objectives/{oid}", headers=lead).get_json()["outcome"] == "met"
    refused = client.post("/api/v1/objectives", headers=auth.token("chair.nvh"), json={
        "person_id": people["Martin Greaves"], "text": "x", "citations": ["SL-5"],
        "period_start": year.start.isoformat(), "period_end": year.end.isoformat()})
    assert refused.status_code == 403 and "only the chair of RFH" in refused.get_json()["message"]

    # Reviews: a decision with an action, then the action is dropped; overdue flags as of a day.
    quarter = quarter_of(TODAY).key
    if client.get(f"/api/v1/reviews/{quarter}", headers=lead).status_code == 404:
        assert client.post("/api/v1/reviews", json={"summary": "Reviewed"}, headers=lead).status_code == 201
    decision = client.post(f"/api/v1/reviews/{quarter}/decisions", headers=lead, json={
        "decided": "Escalate less", "actions": [{"text": "Brief the Boards", "owner_person_id": people["Fiona Drummond"],
                                                  "due_on": (TODAY + timedelta(days=7)).isoformat()}]})
    assert decision.status_code == 201
    actions = client.get(f"/api/v1/review-actions?quarter={quarter}&per_page=200", headers=lead).get_json()["items"]
    mine = next(a for a in actions if a["text"] == "Brief the Boards")
    assert (mine["owner_name"], mine["overdue"]) == ("Fiona Drummond", False)
    later = (TODAY + timedelta(days=8)).isoformat()
    overdue = client.get(f"/api/v1/review-actions?overdue=true&today={later}&per_page=200", headers=lead).get_json()["items"]
    assert mine["ref"] in [a["ref"] for a in overdue]
    dropped = client.post(f"/api/v1/reviews/{quarter}/actions/{mine['number']}", headers=lead,
                          json={"status": "dropped", "note": "Done another way"})
    assert dropped.status_code == 201 and dropped.get_json()["id"] == mine["ref"]
    assert client.post(f"/api/v1/reviews/{quarter}/actions/{mine['number']}", headers=lead,
                       json={"status": "done"}).status_code == 409

    # Commendations, the Chairs' meeting, development.
    nominated = client.post("/api/v1/commendations", headers=ceo, json={
        "nominee_id": people["Robert Hale"], "citations": ["B-8"], "examples": ["Stood by RFH in the outbreak"]})
    assert nominated.status_code == 201
    cid = nominated.get_json()["id"]
    assert client.post(f"/api/v1/commendations/{cid}/decision", json={"decision": "commended"}, headers=ichair).status_code == 201
    assert client.get(f"/api/v1/commendations/{cid}", headers=ceo).get_json()["examples"] == ["Stood by RFH in the outbreak"]
    meetings = client.get("/api/v1/chairs-meetings", headers=ichair).get_json()
    assert meetings and all(set(m) >= {"attendees", "absent", "actions"} for m in meetings)
    assert client.post("/api/v1/development/pledges", json={"text": "Listen first", "citations": ["B-2"]},
                       headers=ceo).status_code == 201
    assert client.get("/api/v1/development", headers=ichair).get_json()["summary"]["pledges"] >= 1

    # The six-monthly report: narrative, publication, frozen content with its hash.
    period = half_of(TODAY).previous().key
    assert client.post(f"/api/v1/reports/six-monthly/{period}/narrative", json={"narrative": "Steady progress."},
                       headers=ichair).status_code == 201
    assert client.post(f"/api/v1/reports/six-monthly/{period}/publication", json={}, headers=ichair).get_json()[
        "errors"].keys() == {"public_summary"}
    published = client.post(f"/api/v1/reports/six-monthly/{period}/publication", headers=ichair,
                            json={"public_summary": "Steady progress across the partners."})
    assert published.status_code == 201
    report = client.get(f"/api/v1/reports/six-monthly/{period}", headers=auth.token("cqc", "read")).get_json()
    assert report["status"] == "published" and report["content_hash"] == published.get_json()["content_hash"]
    assert content_hash(report["content"]) == report["content_hash"] and report["narrative"] == "Steady progress."
    assert report["checkpoint"] == report["content"]["checkpoint"]  # frozen: the one current when drawn
    assert app.extensions["pvb"].ledger.get_checkpoint(report["checkpoint"]["size"]).body == report["checkpoint"]["body"]

    # What is due: the calendar counts what is overdue and says for whom.
    due = client.get("/api/v1/calendar/due?status=overdue", headers=lead).get_json()
    assert due["counts"]["overdue"] == len(due["items"]) > 0
    assert all(i["status"] == "overdue" and i["responsible"] for i in due["items"])


def test_roles_outside_the_matrix_are_refused_by_the_api(client, auth):
    staff = auth.token("staff.nvh")
    assert client.post("/api/v1/reviews", json={"summary": "x"}, headers=staff).status_code == 403
    assert client.post("/api/v1/adoption/papers", json={"organisation": "SCC", "body": "x"}, headers=staff).status_code == 403
    assert client.get("/api/v1/objectives/coverage", headers=auth.token("hwb", "read")).status_code == 403
    period = half_of(TODAY).previous().key
    assert client.post(f"/api/v1/reports/six-monthly/{period}/publication", json={"public_summary": "x"},
                       headers=auth.token("lead")).status_code == 403


def test_a_committee_is_sent_the_paper_and_its_terms_of_reference_show_in_the_adoption_view(client, auth):
    lead, reader = auth.token("lead"), auth.token("cqc", "read")

    def committees() -> dict:
        return {c["code"]: c for c in client.get("/api/v1/adoption", headers=reader).get_json()["committees"]}

    assert (committees()["DIGI"]["notified_on"] is not None, committees()["DIGI"]["terms_updated_on"]) == (True, None)
    assert client.post("/api/v1/meeting-bodies", headers=lead, json={
        "code": "UEC", "name": "Urgent Care Board", "kind": "committee", "reports_to": "PB"}).status_code == 201
    assert committees()["UEC"]["outstanding"] == "send it the paper and ask it to update its terms of reference"
    sent = client.post("/api/v1/adoption/committees", headers=lead, json={"body": "uec", "note": "With the minutes"})
    assert sent.status_code == 201 and sent.get_json()["id"] == "UEC"
    again = client.post("/api/v1/adoption/committees", headers=lead, json={"body": "UEC"})
    assert again.status_code == 409 and "already sent the paper" in again.get_json()["message"]
    assert client.post("/api/v1/adoption/committees", headers=lead, json={"body": "NOPE"}).status_code == 404
    assert client.post("/api/v1/adoption/committees", headers=lead, json={}).get_json()["errors"].keys() == {"body"}
    assert client.post("/api/v1/meeting-bodies/UEC/terms-of-reference", headers=lead, json={
        "reference": "UEC ToR v1", "summary": "Adds the PVB"}).status_code == 201
    uec = committees()["UEC"]
    assert (uec["terms_reference"], uec["terms_updates"], uec["outstanding"]) == ("UEC ToR v1", 1, None)
    auth.login("lead")
    page = client.get("/adoption").get_data(as_text=True)
    assert 'id="committee-UEC"' in page and "UEC ToR v1" in page and "Send the paper to a committee" in page
