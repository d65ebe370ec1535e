from __future__ import annotations

from tests.conftest import DEMO_PASSWORD


def test_home_redirects_to_login_when_signed_out(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.endswith("/login")


def test_login_with_a_wrong_password_says_so_without_naming_the_user(client, auth):
    response = auth.login("lead", "wrong-password-1")
    assert response.status_code == 401
    assert b"username or password is not right" in response.data
    unknown = auth.login("nobody-here", "wrong-password-1")
    assert unknown.status_code == 401 and unknown.data.count(b"not right") == 1


def test_home_shows_the_framework_and_the_directory(client, auth):
    assert auth.login("lead", DEMO_PASSWORD).status_code == 303
    page = client.get("/").get_data(as_text=True)
    assert "Framework version 1: 27 items" in page
    assert "Nene Valley Hospitals NHS Foundation Trust" in page


def test_organisation_page_lists_office_holders_and_people(client, auth):
    auth.login("cqc")
    page = client.get("/organisations/NVH").get_data(as_text=True)
    assert "Daniel Okafor" in page and "Chief executive" in page
    assert "Record a joiner" not in page  # a regulator may not manage the directory


def test_governance_lead_records_a_joiner_through_the_form(client, auth):
    auth.login("lead")
    response = client.post("/organisations/NVH/people", data={"name": "Ruth Ellis", "title": "Matron"})
    assert response.status_code == 302
    assert "Ruth Ellis" in client.get("/organisations/NVH").get_data(as_text=True)


def test_a_bad_form_gets_field_errors_and_records_nothing(client, auth, app):
    auth.login("lead")
    before = app.extensions["pvb"].ledger.max_position()
    response = client.post("/organisations", data={"code": "x", "name": "", "kind": "hospital"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in text and "kind" in text and "name" in text
    assert app.extensions["pvb"].ledger.max_position() == before


def test_a_regulator_posting_a_governance_form_gets_403(client, auth):
    auth.login("cqc")
    response = client.post("/organisations", data={"code": "ZZZ", "name": "Z", "kind": "ccg"})
    assert response.status_code == 403


def test_unknown_organisation_is_a_404_page(client, auth):
    auth.login("lead")
    response = client.get("/organisations/NOPE")
    assert response.status_code == 404 and b"organisation NOPE not found" in response.data


def test_user_text_is_escaped_in_pages(client, auth):
    auth.login("lead")
    client.post("/organisations/NVH/people", data={"name": "<script>alert(1)</script>", "title": "<b>x</b>"})
    page = client.get("/organisations/NVH").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_security_headers_are_sent(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_sign_out_ends_the_session(client, auth):
    auth.login("lead")
    assert client.post("/logout").status_code == 303
    assert client.get("/organisations").status_code == 302


def test_healthz_reports_database_and_projection_lag(client):
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"] == "reachable" and body["max_lag"] == 0
    assert body["projections"]["directory"]["position"] == body["head"]


def test_csrf_is_required_on_forms(demo):
    from web import create_app

    app = create_app({"TESTING": True, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=demo)
    client = app.test_client()
    response = client.post("/login", data={"username": "lead", "password": DEMO_PASSWORD})
    assert response.status_code == 400 and b"CSRF" in response.data
