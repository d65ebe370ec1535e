from __future__ import annotations

from domain.permissions import PERMISSIONS, roles_for
from domain.values import Role
from web.security import route_permission


def test_every_route_declares_a_permission_from_the_matrix(app):
    missing, unknown = [], []
    for rule in app.url_map.iter_rules():
        name = route_permission(app, rule.endpoint)
        if name is None:
            missing.append(rule.rule)
        elif name not in PERMISSIONS:
            unknown.append((rule.rule, name))
    assert missing == [] and unknown == []


def test_a_route_without_a_permission_is_closed(app, client, auth):
    app.add_url_rule("/undeclared", "undeclared", lambda: "open")
    auth.login("admin")
    response = client.get("/undeclared")
    assert response.status_code == 403 and b"declares no permission" in response.data


def test_each_role_is_allowed_or_denied_each_get_page_as_the_matrix_says(app, client, auth):
    pages = {"/organisations": "directory.read", "/framework": "framework.read", "/account": "tokens.own"}
    for role in Role:
        username = {
            Role.GOVERNANCE_LEAD: "lead", Role.INDEPENDENT_CHAIR: "ichair", Role.ACCOUNTABLE_OFFICER: "ao",
            Role.CHAIR: "chair.nvh", Role.CHIEF_EXECUTIVE: "ceo.nvh", Role.BOARD_MEMBER: "board.nvh",
            Role.STAFF: "staff.nvh", Role.REGULATOR: "cqc", Role.HWB: "hwb",
            Role.INVESTIGATOR: "investigator", Role.ADMIN: "admin",
        }[role]
        auth.login(username)
        for path, permission in pages.items():
            expected = 200 if role in roles_for(permission) else 403
            assert client.get(path).status_code == expected, (role, path)
        auth.logout()


def test_api_projection_status_is_for_governance_and_investigators(client, auth):
    assert client.get("/api/v1/projections", headers=auth.token("cqc", "read")).status_code == 403
    body = client.get("/api/v1/projections", headers=auth.token("investigator", "read")).get_json()
    assert body[0]["name"] == "directory" and body[0]["lag"] == 0
