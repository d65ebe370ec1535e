from __future__ import annotations

import re


def test_api_needs_a_token_and_says_how_to_get_one(client):
    response = client.get("/api/v1/organisations")
    assert response.status_code == 401
    body = response.get_json()
    assert body["code"] == 401 and "pvb tokens create" in body["message"]


def test_api_lists_organisations_with_a_token(client, auth):
    response = client.get("/api/v1/organisations", headers=auth.token("cqc", "read"))
    assert response.status_code == 200
    codes = [o["code"] for o in response.get_json()]
    assert "NVH" in codes and len(codes) == 10


def test_api_registers_an_organisation_and_returns_its_position(client, auth, app):
    headers = auth.token("lead")
    response = client.post("/api/v1/organisations", json={"code": "KGH", "name": "Kettering", "kind": "acute_trust"},
                           headers=headers)
    assert response.status_code == 201
    assert response.get_json() == {"id": "KGH", "position": app.extensions["pvb"].ledger.max_position()}
    org = client.get("/api/v1/organisations/KGH", headers=headers).get_json()
    assert org["name"] == "Kettering" and org["offices"] == []


def test_api_validation_errors_name_each_field(client, auth):
    response = client.post("/api/v1/organisations", json={"code": "K", "kind": "x", "extra": 1},
                           headers=auth.token("lead"))
    body = response.get_json()
    assert response.status_code == 422
    assert set(body["errors"]) == {"code", "kind", "name", "extra"}
    assert body["message"].startswith("the request has invalid fields")


def test_api_broken_json_and_wrong_content_type_are_4xx(client, auth):
    headers = auth.token("lead")
    broken = client.post("/api/v1/organisations", data="{not json", headers={**headers, "Content-Type": "application/json"})
    assert broken.status_code in (400, 422) and broken.get_json()["code"] == broken.status_code
    wrong = client.post("/api/v1/organisations", data="code=x", headers={**headers, "Content-Type": "text/plain"})
    assert 400 <= wrong.status_code < 500


def test_api_read_only_token_cannot_write(client, auth):
    response = client.post("/api/v1/organisations", json={"code": "KGH", "name": "K", "kind": "ccg"},
                           headers=auth.token("lead", "read"))
    assert response.status_code == 403 and "read-only" in response.get_json()["message"]


def test_api_role_without_permission_gets_403(client, auth):
    response = client.post("/api/v1/organisations", json={"code": "KGH", "name": "K", "kind": "ccg"},
                           headers=auth.token("cqc"))
    assert response.status_code == 403
    assert response.get_json()["message"] == "a user acting as regulator may not register organisations, record joiners, leavers and appointments"


def test_api_conflicting_rule_is_409(client, auth):
    response = client.post("/api/v1/organisations", json={"code": "NVH", "name": "Again", "kind": "ccg"},
                           headers=auth.token("lead"))
    assert response.status_code == 409 and "already registered" in response.get_json()["message"]


def test_api_people_pages(client, auth):
    headers = auth.token("lead", "read")
    body = client.get("/api/v1/people?organisation=nvh&per_page=2&page=2", headers=headers).get_json()
    assert body["total"] == 6 and body["page"] == 2 and len(body["items"]) == 2


def test_api_tokens_are_created_listed_and_revoked(client, auth):
    headers = auth.token("staff.nvh")
    created = client.post("/api/v1/tokens", json={"scope": "read", "days": 5, "label": "cli"}, headers=headers)
    assert created.status_code == 201
    new = created.get_json()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['token']}"}).get_json() == {
        "username": "staff.nvh", "role": "staff", "organisation": "NVH"}
    listed = client.get("/api/v1/tokens", headers=headers).get_json()
    assert new["id"] in [t["id"] for t in listed] and all("token" not in t for t in listed)
    assert client.delete(f"/api/v1/tokens/{new['id']}", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {new['token']}"}).status_code == 401


def test_api_amends_the_framework_into_a_new_version_and_keeps_the_old_one(client, auth):
    amendment = {"added": [{"id": "V-5", "kind": "value", "group": "values in common",
                            "text": "We listen to our communities"}],
                 "withdrawn": ["SF-5"], "reason": "Agreed at the Programme Board"}
    assert client.post("/api/v1/framework/amendments", json=amendment, headers=auth.token("cqc")).status_code == 403
    bad = client.post("/api/v1/framework/amendments", json={"withdrawn": ["SF-5"]}, headers=auth.token("lead"))
    assert bad.status_code == 422 and set(bad.get_json()["errors"]) == {"reason"}
    response = client.post("/api/v1/framework/amendments", json=amendment, headers=auth.token("lead"))
    assert response.status_code == 201, response.get_json()
    current = response.get_json()
    assert (current["version"], current["current_version"]) == (2, 2)
    ids = [i["id"] for i in current["items"]]
    assert "V-5" in ids and "SF-5" not in ids and len(ids) == 27
    reader = auth.token("cqc", "read")
    first = client.get("/api/v1/framework?version=1", headers=reader).get_json()
    assert (first["version"], first["current_version"]) == (1, 2)
    assert "SF-5" in [i["id"] for i in first["items"]] and "V-5" not in [i["id"] for i in first["items"]]
    assert client.get("/api/v1/framework", headers=reader).get_json()["version"] == 2


def test_openapi_document_describes_every_api_route(client, app):
    spec = client.get("/api/v1/openapi.json").get_json()
    documented = {path.replace("{", "<").replace("}", ">") for path in spec["paths"]}
    routes = {
        re.sub(r"<\w+:", "<", rule.rule) for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") and rule.endpoint.startswith("api_") and not rule.endpoint.startswith("api_docs")
    }
    assert routes <= documented
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
