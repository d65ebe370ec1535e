"""Every web route and API operation, exercised by a user of each role, against the matrix.

The expectation comes from PERMISSIONS (403 when the role lacks the route's permission) and the
scoping rules on top of it: a concern is read by investigators, its chain, the governance lead and
the Independent Chair, and the Chief Executives and Chairs of the organisations it was raised in
or is about (its subject and everyone else get 404); regulators and the HWB get 403 unless an
investigator granted them the case; a view is replayed only with the permission of its pages; a
draft six-monthly report exists only for those who draft it (404 for others until it is published).

GETs use real records of the shared demo and must answer 2xx/3xx when allowed. Other methods use
records that do not exist (or an empty body), so nothing is changed: allowed means the request
got past the permission check (anything but 401/403 and never a 500).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from domain.permissions import is_allowed, view_permission
from domain.values import Actor, Role
from web.security import route_permission

USERS = {
    Role.GOVERNANCE_LEAD: "lead", Role.INDEPENDENT_CHAIR: "ichair", Role.ACCOUNTABLE_OFFICER: "ao",
    Role.CHAIR: "chair.nvh", Role.CHIEF_EXECUTIVE: "ceo.nvh", Role.BOARD_MEMBER: "board.nvh",
    Role.STAFF: "staff.nvh", Role.REGULATOR: "cqc", Role.HWB: "hwb", Role.INVESTIGATOR: "investigator",
    Role.ADMIN: "admin",
}
EXTRA = {"ceo.rfh": Role.CHIEF_EXECUTIVE, "chair.rfh": Role.CHAIR}  # to see both sides of C-8
# The demo's concerns used here, as the demo raises them (application/demo_concerns.py):
# C-2 staff.wnc (WNC) about Angela Price (SCC), resolved by the WNC Chief Executive: no reader here
# is in its chain or its organisations. C-8 staff.nvh (NVH) about Aisha Bello, RFH's Chief
# Executive, confidential, handled by RFH's Chair; granted to cqc by the investigator below.
CONCERNS = {
    "C-2": {"orgs": {"WNC", "SCC"}, "chain": {"staff.wnc", "ceo.wnc"}, "subject": None, "granted": set()},
    "C-8": {"orgs": {"NVH", "RFH"}, "chain": {"staff.nvh", "chair.rfh"}, "subject": "ceo.rfh",
            "granted": {"cqc"}},
}
MISSING_UUID = str(uuid.UUID(int=1))
SKIP = {"/login", "/logout", "/static/<path:filename>"}  # the sign-in routes, tested in test_pages


def concern_expectation(username: str, role: Role, organisation: str | None, reference: str) -> int:
    """200, 403 or 404 for reading a concern, by the scoping rules."""
    facts = CONCERNS[reference]
    if not is_allowed(role, "concerns.read"):
        return 403
    if role is Role.INVESTIGATOR or username in facts["chain"]:
        return 200
    if username == facts["subject"]:
        return 404
    if role in (Role.GOVERNANCE_LEAD, Role.INDEPENDENT_CHAIR):
        return 200
    if role in (Role.CHIEF_EXECUTIVE, Role.CHAIR) and organisation in facts["orgs"]:
        return 200
    if role in (Role.REGULATOR, Role.HWB):
        return 200 if username in facts["granted"] else 403
    return 404


def demo_values(client: Any, auth: Any, app: Any) -> dict[str, str]:
    """Real identifiers of the shared demo for every URL variable a GET route takes."""
    chair = auth.token("ichair", "read")
    views = app.extensions["pvb"].projections
    today = app.extensions["pvb"].ledger.clock().date()

    def first(url: str, key: str = "id") -> str:
        body = client.get(url, headers=chair).get_json()
        items = body["items"] if isinstance(body, dict) else body
        assert items, url
        return str(items[0][key])

    leaders = views["objectives"].leaders("NVH", today)
    size = client.get("/api/v1/ledger/checkpoints/latest", headers=auth.token("lead", "read")).get_json()["size"]
    person = first("/api/v1/people?organisation=NVH")
    return {
        "code": "NVH", "organisation": "NVH", "person_id": person, "aggregate_id": person,
        "meeting_id": first("/api/v1/meetings"), "feedback_id": first("/api/v1/feedback"),
        "commendation_id": first("/api/v1/commendations"),
        "objective_id": next(o["id"] for p in leaders for o in p["objectives"]),
        "pledge_id": str(client.get("/api/v1/development", headers=chair).get_json()["pledges"][0]["id"]),
        "session_id": str(views["development"].list_sessions(limit=1)[0]["id"]),
        "quarter": first("/api/v1/reviews", "quarter"), **_periods(client, chair),
        "size": str(size), "view": "directory", "reference": "C-2", "token_id": "none",
        "number": "1", "step": "note", "username": "cqc", "edition": "1",
    }


def _periods(client: Any, headers: dict[str, str]) -> dict[str, str]:
    reports = client.get("/api/v1/reports", headers=headers).get_json()
    published = next(r["period"] for r in reports if r["kind"] == "six_monthly" and r["status"] == "published")
    draft = next(r["period"] for r in reports if r["kind"] == "six_monthly" and r["status"] == "draft")
    return {"period": published, "draft_period": draft}


# Query strings a GET route needs to be a valid request.
QUERIES = {
    "/api/v1/ledger/proofs/consistency": "?first=1",
    "/api/v1/ledger/proofs/inclusion": "?position=1",
    "/api/v1/investigations/diff": "?view=directory&before=2000-01-01",
    "/investigations/concerns": "?reference=C-2",
}


def fill(rule: Any, values: dict[str, str], *, missing: bool) -> str:
    """The rule's URL with each variable filled (with records that do not exist, if missing)."""

    def value(match: re.Match[str]) -> str:
        converter, name = match.group(1) or "", match.group(2)
        if missing:
            return MISSING_UUID if converter == "uuid" else NOTHING.get(name, "0")
        if name == "code" and "survey" in rule.rule:
            return values["survey_code"]
        if name == "code" and rule.rule.startswith("/api/v1/meeting-bodies/"):
            return "PB"
        return values[name]

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", value, rule.rule)


NOTHING = {"reference": "C-99999", "code": "ZZZ", "quarter": "2001-02-Q1", "period": "2001-02-H1", "number": "999",
           "view": "nosuchview", "size": "999999", "edition": "999", "token_id": "none", "username": "nobody", "step": "note"}


def requests_for(app: Any, values: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(method, url, permission, what) for every route; concern reads once per demo concern."""
    out = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule in SKIP or re.search(r"/editions/<int:edition>/(pdf|print|bundle)$", rule.rule):
            continue  # an edition's PDF, printable page and bundle: the same view and permission as the current one's
        name = route_permission(app, rule.endpoint)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            if method == "GET":
                if "<reference>" in rule.rule:
                    for reference in CONCERNS:
                        out.append((method, fill(rule, {**values, "reference": reference}, missing=False),
                                    name, f"concern:{reference}"))
                    continue
                if "<period>" in rule.rule:  # a draft six-monthly report exists only for its drafters
                    out.append((method, fill(rule, {**values, "period": values["draft_period"]}, missing=False),
                                name, "draft-report:public" if rule.rule.startswith("/public") else "draft-report"))
                if rule.rule == "/api/v1/replay/<view>":
                    for view in ("directory", "escalation", "objectives", "timeline"):
                        out.append((method, fill(rule, {**values, "view": view}, missing=False), name, f"view:{view}"))
                    continue
                out.append((method, fill(rule, values, missing=False) + QUERIES.get(rule.rule, ""), name, "read"))
            else:
                out.append((method, fill(rule, values, missing=True), name, "write"))
    return out


def expected(role: Role, username: str, organisation: str | None, permission: str, what: str) -> int:
    """The status class expected: 200 (2xx/3xx), 403 or 404; 0 for 'past the permission check'."""
    if not is_allowed(role, permission):
        return 403
    if what.startswith("concern:") and permission == "concerns.read":
        return concern_expectation(username, role, organisation, what.split(":", 1)[1])
    if what == "draft-report:public":  # the public site shows published reports only
        return 404
    if what == "draft-report":
        return 200 if is_allowed(role, "reports.draft") else 404
    if what.startswith("view:"):
        return 200 if is_allowed(role, view_permission(what.split(":", 1)[1])) else 403
    return 0 if what == "write" else 200


def verdict(status: int, body: bytes, want: int) -> bool:
    """True if the answer matches the expectation."""
    if want == 200:
        return 200 <= status < 400
    if want == 0:
        return status not in (401, 403) and status < 500
    return status == want


def test_every_role_against_every_route(client, auth, app):  # type: ignore[no-untyped-def]
    ledger = app.extensions["pvb"].ledger
    ledger.grant_case_access(Actor("investigator", Role.INVESTIGATOR), "C-8", username="cqc",
                             reason="the CQC's inspection of the A&E plan")
    values = demo_values(client, auth, app)
    values["survey_code"] = client.get("/api/v1/surveys", headers=auth.token("lead", "read")).get_json()[
        "items"][0]["code"]
    plan = requests_for(app, values)
    assert len({p[2] for p in plan}) == len({route_permission(app, r.endpoint) for r in app.url_map.iter_rules()
                                             if r.rule not in SKIP})
    users = {username: role for role, username in USERS.items()} | EXTRA
    failures = []
    sessions = {}
    for username in users:  # every sign-in and token first: the reads below then see one log (and one report drawing)
        web = app.test_client()
        assert web.post("/login", data={"username": username, "password": "pvb-demo-2026"}).status_code == 303
        sessions[username] = (web, auth.token(username, "write"))
    for username, role in users.items():
        user = ledger.get_user(username)
        web, api = sessions[username]
        for method, url, permission, what in plan:
            want = expected(role, username, user.organisation, permission, what)
            if url.startswith("/api/"):
                kwargs: dict[str, Any] = {"headers": api}
                if method != "GET":
                    kwargs["json"] = {}
                response = web.open(url, method=method, **kwargs)
            else:
                response = web.open(url, method=method, data={} if method != "GET" else None)
            if not verdict(response.status_code, response.data, want):
                failures.append(f"{username} {method} {url}: {response.status_code}, expected "
                                f"{ {0: 'past the permission check', 200: '2xx/3xx'}.get(want, want) } "
                                f"({response.data[:160]!r})")
        assert web.post("/logout").status_code == 303
    assert failures == [], f"{len(failures)} of {len(plan) * len(users)}:\n" + "\n".join(failures[:60])


def test_only_a_bodys_secretary_or_the_governance_lead_records_its_meetings(client, auth, app):  # type: ignore[no-untyped-def]
    """Issue 31: any Chair or Chief Executive could record any body's meeting and correct another
    organisation's votes. Each request below is refused by the rules or fails only on its content
    after them (one organisation attending; a person who did not attend), so nothing is written."""
    directory = app.extensions["pvb"].projections["directory"]
    people, _ = directory.list_people(limit=500)
    judith = next(p["id"] for p in people if p["name"] == "Dame Judith Carrow")
    gareth = next(p["id"] for p in people if p["name"] == "Gareth Lyle")  # attends no Programme Board
    meeting = client.get("/api/v1/meetings?body=PB", headers=auth.token("lead", "read")).get_json()["items"][0]["id"]
    users = {username: role for role, username in USERS.items()} | EXTRA | {"secretary": Role.BOARD_MEMBER,
                                                                             "ceo.wnc": Role.CHIEF_EXECUTIVE,
                                                                             "chair.wnc": Role.CHAIR}
    before = app.extensions["pvb"].ledger.max_position()
    seen = {}
    for username in users:
        headers = auth.token(username, "write")
        record = client.post("/api/v1/meetings", headers=headers, json={
            "body": "PB", "title": "Not held", "chair_person_id": judith, "attendee_ids": [judith]})
        correct = client.post(f"/api/v1/meetings/{meeting}/votes/{gareth}/corrections", headers=headers,
                              json={"verdict": "not_adhered", "reason": "Changed my mind for them"})
        seen[username] = (record.status_code == 403, correct.status_code == 403)
    recorders = {"lead", "secretary"}
    correctors = {"secretary"}  # not the governance lead, nor another organisation's Chief Executive
    assert seen == {u: (u not in recorders, u not in correctors) for u in users}
    assert app.extensions["pvb"].ledger.max_position() - before == len(users)  # only the tokens made
