"""The STP roles and the Programme Board's members on the home page, their page, the API and the CLI."""

from __future__ import annotations

from application.demo_meetings import MEMBERS


def test_the_home_page_shows_the_programme_board_beside_the_independent_chair_and_accountable_officer(client, auth):
    auth.login("staff.nvh")
    page = client.get("/").get_data(as_text=True)
    roles = page.split('id="stp-roles"')[1].split("</dl>")[0]
    assert "Dame Judith Carrow" in roles and "Michael Thorne" in roles
    assert "Cllr Brian Naylor (SCC)" in roles and "Margaret Ashby (NVH)" in roles and "Daniel Okafor (NVH)" in roles


def test_the_programme_board_page_lists_every_member_and_offers_forms_only_to_the_directory_managers(client, auth):
    auth.login("ichair")
    page = client.get("/programme-board").get_data(as_text=True)
    table = page.split('id="programme-board"')[1].split("</table>")[0]
    chair, members = MEMBERS["PB"]
    assert all(name in table for name in [chair, *members])
    assert "Record appointment" not in page
    lead = client.application.test_client()
    assert lead.post("/login", data={"username": "lead", "password": "pvb-demo-2026"}).status_code == 303
    assert "Record appointment" in lead.get("/programme-board").get_data(as_text=True)
    refused = lead.post("/programme-board/members/stand-down", data={"person_id": "not-a-uuid", "reason": "x"})
    assert refused.status_code == 422 and "Not a valid UUID" in refused.get_data(as_text=True)


def test_the_api_lists_the_stp_roles_and_a_body_s_members(client, auth):
    headers = auth.token("cqc", "read")
    roles = client.get("/api/v1/stp-roles", headers=headers).get_json()
    assert roles["independent_chair"]["name"] == "Dame Judith Carrow"
    assert roles["accountable_officer"]["name"] == "Michael Thorne"
    assert roles["programme_board"] == "PB"
    names = {m["name"]: m for m in roles["programme_board_members"]}
    assert {MEMBERS["PB"][0], *MEMBERS["PB"][1]} <= set(names)
    assert names["Daniel Okafor"]["organisation"] == "NVH" and names["Daniel Okafor"]["current"] is True
    fpc = client.get("/api/v1/meeting-bodies/fpc/members", headers=headers).get_json()
    assert {m["name"] for m in fpc} >= {"Michael Thorne", "Tom Whitlock"}
    assert client.get("/api/v1/meeting-bodies/NOPE/members", headers=headers).status_code == 404
    assert client.post("/api/v1/meeting-bodies/PB/members", headers=headers, json={}).status_code == 403



def test_the_demo_shows_a_title_corrected_with_its_history(client, auth):
    from application.demo import MISRECORDED

    _, _, reason = MISRECORDED["Angela Price"]
    headers = auth.token("cqc", "read")
    people = client.get("/api/v1/people?organisation=SCC", headers=headers).get_json()
    titles = {p["name"]: p["title"] for p in people["items"]}
    assert titles["Angela Price"] == "Director of Adult Social Services"
    auth.login("lead")
    page = client.get("/organisations/SCC").get_data(as_text=True)
    history = page.split('id="corrections-list"')[1].split("</table>")[0]
    row = history.split(reason)[0].rsplit("<tr", 1)[1]
    assert "Angela Price" in row and "title" in row
