from __future__ import annotations

from datetime import date

import pytest

from domain.values import Actor, Role

NARRATIVE = "Sent critical emails about our discharge team to the whole system group."


def person_id(app, org: str, name: str) -> str:  # type: ignore[no-untyped-def]
    people, _ = app.extensions["pvb"].projections["directory"].list_people(org, limit=500)
    return next(p["id"] for p in people if p["name"] == name)


def raise_by_api(client, auth, app, confidential: bool = True) -> str:  # type: ignore[no-untyped-def]
    body = {"subject_id": person_id(app, "RFH", "Owen Carter"), "catalogue_items": ["B-1", "V-3"],
            "narrative": NARRATIVE, "examples": "Three emails in a week.", "confidential": confidential}
    response = client.post("/api/v1/concerns", json=body, headers=auth.token("staff.nvh"))
    assert response.status_code == 201, response.get_json()
    return str(response.get_json()["id"])


def test_staff_raise_a_concern_through_the_form_and_see_their_options(client, auth, app):
    auth.login("staff.nvh")
    chooser = client.get("/concerns/new?organisation=RFH").get_data(as_text=True)
    assert "Owen Carter" in chooser and "B-1" in chooser and "We send critical and unhelpful emails" in chooser
    response = client.post("/concerns/new", data={
        "organisation": "RFH", "subject_id": person_id(app, "RFH", "Owen Carter"), "catalogue_items": "B-1",
        "narrative": NARRATIVE, "examples": "Three emails in a week.", "confidential": "true",
    })
    assert response.status_code == 302 and response.location.endswith("/concerns/C-20")
    page = client.get("/concerns/C-20").get_data(as_text=True)
    assert "With the Chief Executives" in page and "Daniel Okafor, Chief Executive, NVH" in page
    assert "Withdraw the concern" in page and "Add a note" in page
    assert "Record the Chief Executives&#39; discussion" not in page
    assert "C-20" in client.get("/concerns").get_data(as_text=True)


def test_a_bad_raise_form_gets_field_errors_and_records_nothing(client, auth, app):
    auth.login("staff.nvh")
    before = app.extensions["pvb"].ledger.max_position()
    response = client.post("/concerns/new", data={"organisation": "RFH", "narrative": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in page
    assert "catalogue items" in page and "subject id" in page
    own = client.post("/concerns/new", data={
        "organisation": "NVH", "subject_id": person_id(app, "NVH", "Helen Marsh"), "catalogue_items": ["B-1", "B-2"],
        "narrative": "x", "examples": "y",
    })
    assert own.status_code == 409 and "works in your own organisation (NVH)" in own.get_data(as_text=True)
    assert app.extensions["pvb"].ledger.max_position() == before


def test_the_chief_executive_sees_only_their_step_and_escalates_to_the_accountable_officer(client, auth, app):
    reference = raise_by_api(client, auth, app)
    auth.login("ceo.nvh")
    page = client.get(f"/concerns/{reference}").get_data(as_text=True)
    assert "Record the Chief Executives&#39; discussion" in page
    assert "Record the Accountable Officer&#39;s decision" not in page and "Withdraw the concern" not in page
    response = client.post(f"/concerns/{reference}/steps/chief_executives_discussion", data={
        "outcome": "difference_of_view", "account": "Aisha Bello sees the emails as fair challenge.",
    })
    assert response.status_code == 302
    page = client.get(f"/concerns/{reference}").get_data(as_text=True)
    assert "With the Accountable Officer" in page and "Michael Thorne, Accountable Officer" in page
    assert "A difference of view: escalated to the Accountable Officer" in page
    assert "By ceo.nvh (chief executive, as Chief Executive, NVH)" in page


def test_a_step_by_the_wrong_person_or_out_of_order_is_refused_on_the_page(client, auth, app):
    reference = raise_by_api(client, auth, app)
    auth.login("ceo.rfh")
    response = client.post(f"/concerns/{reference}/steps/chief_executives_discussion",
                           data={"outcome": "resolved", "account": "x"})
    assert response.status_code == 403
    assert "only the Chief Executive of NVH may record the Chief Executives" in response.get_data(as_text=True)
    auth.login("ichair")
    early = client.post(f"/concerns/{reference}/steps/independent_chair_resolution", data={"account": "x"})
    assert early.status_code == 409 and "no step may be skipped" in early.get_data(as_text=True)
    blank = client.post(f"/concerns/{reference}/steps/note", data={"text": ""})
    assert blank.status_code == 422 and "There is a problem" in blank.get_data(as_text=True)


def test_a_confidential_raiser_is_withheld_from_oversight_and_shown_to_the_chain(client, auth, app):
    reference = raise_by_api(client, auth, app, confidential=True)
    auth.login("lead")
    page = client.get(f"/concerns/{reference}").get_data(as_text=True)
    assert "Raised by</dt>" in page and 'id="raiser">a member of staff at NVH' in page
    assert "Gareth Lyle" not in page and "staff.nvh" not in page and NARRATIVE in page
    auth.login("ceo.nvh")  # the raiser's own Chief Executive
    assert "Gareth Lyle (NVH)" in client.get(f"/concerns/{reference}").get_data(as_text=True)
    for reader in ("ceo.rfh", "investigator"):  # the subject's Chief Executive; an investigator without a grant
        auth.login(reader)
        page = client.get(f"/concerns/{reference}").get_data(as_text=True)
        assert "a member of staff at NVH" in page and "Gareth Lyle" not in page


def test_a_confidential_raiser_is_withheld_in_the_api(client, auth, app):
    reference = raise_by_api(client, auth, app, confidential=True)
    withheld = client.get(f"/api/v1/concerns/{reference}", headers=auth.token("lead", "read")).get_json()
    assert (withheld["raiser"], withheld["raiser_id"]) == ("a member of staff at NVH", None)
    assert withheld["timeline"][0]["who"] == "a member of staff at NVH" and "Gareth" not in str(withheld)
    subject_ceo = client.get(f"/api/v1/concerns/{reference}", headers=auth.token("ceo.rfh", "read")).get_json()
    assert subject_ceo["raiser"] == "a member of staff at NVH" and "Gareth" not in str(subject_ceo)
    shown = client.get(f"/api/v1/concerns/{reference}", headers=auth.token("ceo.nvh", "read")).get_json()
    assert shown["raiser"] == "Gareth Lyle" and shown["timeline"][0]["who"] == "staff.nvh"


def test_those_outside_a_concern_get_404_and_regulators_get_only_statistics(client, auth, app):
    reference = raise_by_api(client, auth, app)
    for username in ("ceo.wnc", "board.nvh"):
        auth.login(username)
        assert client.get(f"/concerns/{reference}").status_code == 404
        assert client.get(f"/api/v1/concerns/{reference}", headers=auth.token(username, "read")).status_code == 404
    for username in ("cqc", "hwb"):
        auth.login(username)
        headers = auth.token(username, "read")
        assert client.get(f"/concerns/{reference}").status_code == 403
        assert client.get("/concerns/board").status_code == 403
        assert client.get("/api/v1/concerns", headers=headers).status_code == 403
        page = client.get("/concerns/statistics").get_data(as_text=True)
        stats = client.get("/api/v1/concerns/statistics", headers=headers).get_json()
        for text in (page, str(stats)):
            assert "Owen Carter" not in text and "Gareth" not in text and "emails" not in text
        assert "By the Accountable Officer" in page and "<svg" in page
        assert {r["level"] for r in stats["resolved_by_level"]} == {
            "chief_executives", "accountable_officer", "independent_chair", "chair"}


def test_the_board_has_a_column_per_stage_and_filters_by_overdue_route_and_organisation(client, auth):
    auth.login("lead")
    page = client.get("/concerns/board").get_data(as_text=True)
    for heading in ("With the Chief Executives", "With the Accountable Officer", "With the Independent Chair",
                    "With their Chair", "Chair to discuss with the individual", "Awaiting the performance review",
                    "Resolved", "Withdrawn"):
        assert heading in page
    assert 'href="/concerns/C-1"' in page
    overdue = client.get("/concerns/board?overdue=true").get_data(as_text=True)
    assert "C-14" in overdue and "C-19" not in overdue and "C-1\"" not in overdue
    about_leaders = client.get("/concerns/board?route=about_leader&organisation=WNC").get_data(as_text=True)
    assert 'href="/concerns/C-12"' in about_leaders and 'href="/concerns/C-16"' not in about_leaders
    assert client.get("/concerns/board?route=nonsense").status_code == 422


def test_every_concern_at_a_stage_is_reachable_a_page_at_a_time(client, auth, monkeypatch):
    import re

    from web.pages import concerns as pages

    auth.login("lead")
    monkeypatch.setattr(pages, "CARDS_PER_COLUMN", 1)
    monkeypatch.setattr(pages, "LIST_LIMIT", 2)
    board = client.get("/concerns/board").get_data(as_text=True)
    link = re.search(r'href="(/concerns/list\?stage=resolved[^"]*)">All (\d+) at this stage', board)
    assert link, "the board links a column with more concerns than cards to the full list"
    total, seen, url = int(link.group(2)), [], link.group(1).replace("&amp;", "&")
    while url:
        page = client.get(url).get_data(as_text=True)
        assert f"{total} concerns" in page
        seen += re.findall(r'<a href="/concerns/(C-\d+)">', page)
        older = re.search(r'href="([^"]+)"><span class="nhsuk-pagination__title">Older', page)
        url = older.group(1).replace("&amp;", "&") if older else ""
    assert len(seen) == len(set(seen)) == total > 2
    assert client.get("/concerns/list?stage=resolved&page=x").status_code == 422
    assert client.get("/concerns/list?stage=nonsense").status_code == 422


def test_the_api_raises_takes_steps_reads_and_lists_with_filters(client, auth, app):
    reference = raise_by_api(client, auth, app, confidential=False)
    ceo = auth.token("ceo.nvh")
    response = client.post(f"/api/v1/concerns/{reference}/chief-executives-discussion",
                           json={"outcome": "difference_of_view", "account": "We differ."}, headers=ceo)
    assert response.status_code == 201
    assert response.get_json() == {"id": reference, "position": app.extensions["pvb"].ledger.max_position()}
    ao = auth.token("ao")
    decided = client.post(f"/api/v1/concerns/{reference}/accountable-officer-decision",
                          json={"outcome": "resolved", "account": "Agreed a joint owner."}, headers=ao)
    assert decided.status_code == 201
    body = client.get(f"/api/v1/concerns/{reference}", headers=ao).get_json()
    assert (body["status"], body["resolution_level"], body["raiser"]) == ("resolved", "accountable_officer", "Gareth Lyle")
    assert [e["what"] for e in body["timeline"]] == ["Raised", "DiscussedByChiefExecutives", "DecidedByAccountableOfficer"]
    assert body["timeline"][2]["occurred_on"] == date.today().isoformat() and body["available_steps"] == ["reopen", "note", "correct"]
    again = client.post(f"/api/v1/concerns/{reference}/accountable-officer-decision",
                        json={"outcome": "resolved", "account": "Again."}, headers=ao)
    assert again.status_code == 409 and "already resolved" in again.get_json()["message"]
    listing = client.get("/api/v1/concerns?status=resolved&organisation=rfh&per_page=5",
                         headers=auth.token("lead", "read")).get_json()
    assert listing["items"][0]["reference"] == reference and listing["per_page"] == 5
    assert all(i["status"] == "resolved" for i in listing["items"])
    assert "raiser" not in listing["items"][0] and "raiser_id" not in listing["items"][0]
    overdue = client.get("/api/v1/concerns?overdue=true", headers=auth.token("lead", "read")).get_json()
    assert overdue["total"] >= 1 and all(i["overdue"] for i in overdue["items"])


def test_api_step_errors_name_their_fields(client, auth, app):
    reference = raise_by_api(client, auth, app)
    response = client.post(f"/api/v1/concerns/{reference}/chief-executives-discussion",
                           json={"outcome": "agreed"}, headers=auth.token("ceo.nvh"))
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"outcome", "account"}
    assert client.get("/api/v1/concerns?colour=red", headers=auth.token("lead", "read")).status_code == 422
    assert client.get("/api/v1/concerns/C-9999", headers=auth.token("lead", "read")).status_code == 404


@pytest.fixture
def patient_app(demo):  # type: ignore[no-untyped-def]
    from web import create_app

    return create_app({"TESTING": True, "WTF_CSRF_ENABLED": False, "PVB_SECRET_KEY": "k",
                       "PVB_LOG_FORMAT": "text", "PVB_ESCALATION_TARGET_DAYS": "300"}, services=demo)


def test_the_overdue_target_comes_from_the_configuration(patient_app):
    from tests.conftest import AuthActions

    client = patient_app.test_client()
    AuthActions(client, patient_app).login("lead")
    page = client.get("/concerns/board?overdue=true").get_data(as_text=True)
    assert "Overdue</strong>" not in page and 'href="/concerns/C-14"' not in page


def test_the_demo_has_every_route_stage_and_level_and_adds_nothing_twice(app):
    from application.demo_concerns import build_concerns

    services = app.extensions["pvb"]
    assert build_concerns(services.ledger, None) == 0
    rows, total = services.projections["escalation"].list_concerns(date.today(), limit=100)
    assert total == 19
    assert {r["route"] for r in rows} == {"cross_organisation", "about_leader", "independent_chair_concern"}
    assert {r["stage"] for r in rows} == {
        "chief_executives", "accountable_officer", "independent_chair", "chair", "discussion",
        "performance_review", "resolved", "withdrawn"}
    assert {r["resolution_level"] for r in rows if r["resolution_level"]} == {
        "chief_executives", "accountable_officer", "independent_chair", "chair"}
    assert any(r["overdue"] for r in rows) and not all(r["overdue"] for r in rows if r["status"] == "open")
    reopened = services.ledger.get_concern(Actor("investigator", Role.INVESTIGATOR), "C-5")
    assert "Reopened" in [e.what for e in reopened.timeline] and reopened.status == "resolved"
