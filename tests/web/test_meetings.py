"""Meeting pages and API over the demo ledger."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import LEAD


def people(app, *names: str) -> list[str]:  # type: ignore[no-untyped-def]
    directory = app.extensions["pvb"].projections["directory"]
    rows, _ = directory.list_people(limit=500)
    by_name = {r["name"]: r["id"] for r in rows}
    return [by_name[n] for n in names]


@pytest.fixture
def meeting(app) -> str:  # type: ignore[no-untyped-def]
    """A Programme Board meeting held three days ago, with no items recorded yet."""
    chair, nvh, rfh = people(app, "Dame Judith Carrow", "Daniel Okafor", "Aisha Bello")
    return app.extensions["pvb"].ledger.record_meeting(
        LEAD, body="PB", title="Programme Board, extraordinary", chair_person_id=chair, attendee_ids=[nvh, rfh],
        held_on=date.today() - timedelta(days=3),
    )


def test_the_meetings_page_lists_the_demo_year_and_filters_by_organisation(client, auth):
    auth.login("lead")
    page = client.get("/meetings").get_data(as_text=True)
    assert "19 meetings" in page and "Programme Board" in page and "Record a meeting" in page
    digital = client.get("/meetings?body=DIGI").get_data(as_text=True)
    assert "4 meetings" in digital and "anonymous tally" in digital
    assert client.get("/meetings?quarter=bad").status_code == 422
    bodies = client.get("/meeting-bodies").get_data(as_text=True)
    assert "Digital and Shared Care Record Sub-Committee" in bodies and "not yet updated" in bodies


def test_the_record_a_meeting_form_lists_whoever_joined_since_and_keeps_what_was_chosen(app, client, auth):
    auth.login("lead")
    first = client.get("/meetings").get_data(as_text=True)
    assert "Daniel Okafor (NVH, " in first and "Ottoline Pemberton-Quayle" not in first
    fields = first.split('id="chair_person_id"')[1]  # after the form's signed, timed CSRF token
    assert client.get("/meetings").get_data(as_text=True).split('id="chair_person_id"')[1] == fields  # kept
    joined = app.extensions["pvb"].ledger.add_person(LEAD, name="Ottoline Pemberton-Quayle", organisation="NVH", title="Chief Nurse")
    page = client.get("/meetings").get_data(as_text=True)
    assert f'<option value="{joined}">Ottoline Pemberton-Quayle (NVH, Chief Nurse)</option>' in page
    assert f'value="{joined}">' in page.split('id="attendee_ids"')[1]
    (nvh,) = people(app, "Daniel Okafor")
    refused = client.post("/meetings", data={"body": "PB", "title": "", "chair_person_id": joined,
                                             "attendee_ids": [nvh]})
    again = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "There is a problem" in again
    assert f'<option value="{joined}" selected>' in again and f'value="{nvh}" checked>' in again
    assert " selected>Ottoline" not in client.get("/meetings").get_data(as_text=True).split('id="record"')[1]


def test_recording_the_opening_check_votes_and_closing_through_the_pages(app, client, auth, meeting):
    auth.login("lead")
    ledger = app.extensions["pvb"].ledger
    _, nvh, rfh = people(app, "Dame Judith Carrow", "Daniel Okafor", "Aisha Bello")
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert "Record opening check" in page and "Record vote" in page and "Daniel Okafor" in page
    response = client.post(f"/meetings/{meeting}/opening-check",
                           data={"all_views_represented": "false", "missing_views": "primary care\npatients"})
    assert response.status_code == 302
    client.post(f"/meetings/{meeting}/corrective-steps",
                data={"step": "Invite the LMC", "missing_view": "primary care", "owner_organisation": "NCCG"})
    client.post(f"/meetings/{meeting}/votes", data={"person_id": nvh, "verdict": "adhered", "catalogue_items": "b-2, V-3"})
    client.post(f"/meetings/{meeting}/votes", data={"person_id": rfh, "verdict": "not_adhered", "comment": "Reopened"})
    refused = client.post(f"/meetings/{meeting}/votes/correction",  # only the voter or the secretary corrects
                          data={"person_id": rfh, "verdict": "partly_adhered", "reason": "Minutes corrected"})
    assert refused.status_code == 403 and "only the voter or the secretary of PB" in refused.get_data(as_text=True)
    auth.logout()
    auth.login("secretary")
    client.post(f"/meetings/{meeting}/votes/correction",
                data={"person_id": rfh, "verdict": "partly_adhered", "reason": "Minutes corrected"})
    assert client.post(f"/meetings/{meeting}/close").status_code == 302
    details = ledger.get_meeting(meeting)
    assert details.opening_check["missing"] == ["primary care", "patients"]
    assert [(v.verdict, v.catalogue_items, v.corrections) for v in details.votes] == [
        ("adhered", ("B-2", "V-3"), 0), ("partly_adhered", (), 1)]
    assert details.closed_on == date.today() - timedelta(days=3)
    page = client.get(f"/meetings/{meeting}").get_data(as_text=True)
    assert 'id="event-7"' in page and "VoteCorrected" in page and "Record vote" not in page


def test_a_vote_without_a_verdict_shows_the_error_and_records_nothing(app, client, auth, meeting):
    auth.login("lead")
    ledger = app.extensions["pvb"].ledger
    before = ledger.max_position()
    (nvh,) = people(app, "Daniel Okafor")
    response = client.post(f"/meetings/{meeting}/votes", data={"person_id": nvh, "catalogue_items": "B-2"})
    assert response.status_code == 422 and "There is a problem" in response.get_data(as_text=True)
    response = client.post(f"/meetings/{meeting}/votes", data={"person_id": nvh, "verdict": "adhered", "catalogue_items": "Z-9"})
    assert response.status_code == 422
    assert ledger.max_position() == before


def test_a_board_member_records_only_their_own_vote(app, client, auth):
    tom, rachel, chair = people(app, "Tom Whitlock", "Rachel Obi", "Michael Thorne")
    mid = app.extensions["pvb"].ledger.record_meeting(
        LEAD, body="FPC", title="Finance, special", chair_person_id=chair, attendee_ids=[tom, rachel])
    auth.login("board.nvh")
    page = client.get(f"/meetings/{mid}").get_data(as_text=True)
    assert "Record vote" in page and "Record opening check" not in page and "Rachel Obi (NCCG)</option>" not in page
    refused = client.post(f"/meetings/{mid}/votes", data={"person_id": rachel, "verdict": "adhered"})
    assert refused.status_code == 403 and "you may record only your own vote" in refused.get_data(as_text=True)
    assert client.post(f"/meetings/{mid}/votes", data={"person_id": tom, "verdict": "adhered"}).status_code == 302
    assert client.post(f"/meetings/{mid}/close").status_code == 403


def test_staff_and_regulators_do_not_see_meetings(client, auth):
    for username in ("staff.nvh", "cqc"):
        auth.login(username)
        assert client.get("/meetings").status_code == 403
        auth.logout()


def test_the_api_records_a_meeting_its_votes_and_a_correction(app, client, auth):
    headers = auth.token("lead")
    chair, nvh, rfh = people(app, "Dame Judith Carrow", "Daniel Okafor", "Aisha Bello")
    held = (date.today() - timedelta(days=1)).isoformat()
    created = client.post("/api/v1/meetings", headers=headers, json={
        "body": "PB", "title": "PB via API", "held_on": held, "chair_person_id": chair, "attendee_ids": [nvh, rfh]})
    assert created.status_code == 201
    mid = created.get_json()["id"]
    assert client.post(f"/api/v1/meetings/{mid}/opening-check", headers=headers,
                       json={"all_views_represented": True}).status_code == 201
    vote = client.post(f"/api/v1/meetings/{mid}/votes", headers=headers,
                       json={"person_id": nvh, "verdict": "not_adhered", "catalogue_items": ["B-1"], "comment": "Emails"})
    assert vote.status_code == 201
    again = client.post(f"/api/v1/meetings/{mid}/votes", headers=headers, json={"person_id": nvh, "verdict": "adhered"})
    assert again.status_code == 409 and "record a correction instead" in again.get_json()["message"]
    refused = client.post(f"/api/v1/meetings/{mid}/votes/{nvh}/corrections", headers=headers,
                          json={"verdict": "partly_adhered", "reason": "misheard"})
    assert refused.status_code == 403  # the governance lead records votes, but only the voter or secretary corrects
    assert client.post(f"/api/v1/meetings/{mid}/votes/{nvh}/corrections", headers=auth.token("secretary"),
                       json={"verdict": "partly_adhered", "reason": "misheard"}).status_code == 201
    assert client.post(f"/api/v1/meetings/{mid}/close", headers=headers, json={}).status_code == 201
    body = client.get(f"/api/v1/meetings/{mid}", headers=headers).get_json()
    assert body["votes"] == [{"person_id": nvh, "organisation": "NVH", "verdict": "partly_adhered", "catalogue_items": [],
                              "comment": None, "corrections": 1, "voted_on": held}]
    assert [t["event"] for t in body["timeline"]] == ["Recorded", "RepresentationChecked", "VoteCast", "VoteCorrected",
                                                     "VotingClosed"]
    listed = client.get("/api/v1/meetings?organisation=nvh&per_page=5", headers=headers).get_json()
    assert listed["items"][0]["id"] == mid and listed["per_page"] == 5
    assert client.get("/api/v1/meetings?nonsense=1", headers=headers).status_code == 422


def test_the_api_sets_up_bodies_and_their_terms_of_reference(client, auth):
    headers = auth.token("lead")
    created = client.post("/api/v1/meeting-bodies", headers=headers, json={
        "code": "UEC", "name": "Urgent and Emergency Care Board", "kind": "committee", "reports_to": "PB"})
    assert created.status_code == 201 and created.get_json()["id"] == "UEC"
    assert client.post("/api/v1/meeting-bodies/UEC/terms-of-reference", headers=headers,
                       json={"reference": "UEC ToR v1", "summary": "Reflects the PVB"}).status_code == 201
    bodies = {b["code"]: b for b in client.get("/api/v1/meeting-bodies", headers=headers).get_json()}
    assert bodies["UEC"]["terms_reference"] == "UEC ToR v1" and bodies["PB"]["meetings"] == 9
    orphan = client.post("/api/v1/meeting-bodies", headers=headers, json={"code": "X1", "name": "X", "kind": "committee"})
    assert orphan.status_code == 422 and "must report to a body" in orphan.get_json()["message"]
