"""Hostile and malformed input over HTTP: each a 4xx with a clear message, and nothing recorded.

Representative writes (a concern's note, raising a concern, a meeting vote, all-staff survey
results and a survey import) get oversized bodies, wrong content types, broken JSON, unknown
fields, control characters, huge numbers, dates out of range and unknown catalogue ids. Every
answer must be the JSON error envelope with a 4xx, name the field where there is one, and leave
the log's position where it was.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from application import Database, Ledger
from tests.conftest import ADMIN
from tests.reliability.world import SURVEY, World, seed


@pytest.fixture
def hostile(database_url: str) -> Iterator[tuple[Any, World, dict[str, dict[str, str]]]]:
    """A test client over the small world of tests/reliability/world.py, with tokens."""
    from web import create_app
    from web.wiring import build_services

    ledger = Ledger(Database.parse(database_url))
    world = seed(ledger)
    ledger.close()
    services = build_services(database_url, inline=True)
    app = create_app({"TESTING": True, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=services)
    headers = {who: {"Authorization": "Bearer " + services.ledger.create_token(ADMIN, user, scope="write",
                                                                                days=1).token}
               for who, user in (("raiser", "staff.nvh"), ("lead", "lead"))}
    yield app.test_client(), world, headers
    services.close()


def writes(world: World) -> list[tuple[str, str, dict[str, Any]]]:
    """(who, path, a valid body) for each representative write."""
    return [
        ("raiser", f"/api/v1/concerns/{world.reference}/notes", {"text": "A note"}),
        ("raiser", "/api/v1/concerns", {"subject_id": world.voters[-1], "catalogue_items": ["B-1"],
                                        "narrative": "Shouted down", "examples": "At the May Board"}),
        ("lead", f"/api/v1/meetings/{world.meeting_id}/votes", {"person_id": world.voters[0], "verdict": "adhered"}),
        ("lead", f"/api/v1/surveys/{SURVEY}/results", {"organisation": "RFH", "question": "q1",
                                                     "counts": {"Agree": 3, "Disagree": 1}}),
    ]


# (label, how to spoil a valid body: a function of the body giving kwargs for client.post, the statuses allowed)
CONTROL = "ok\x00\x1b[31m\x07"
CASES: list[tuple[str, Any, tuple[int, ...]]] = [
    ("oversized body", lambda b: {"data": b'{"text": "' + b"x" * (6 * 1024 * 1024) + b'"}',
                                  "content_type": "application/json"}, (413,)),
    ("text/plain", lambda b: {"data": "text=hello", "content_type": "text/plain"}, (415,)),
    ("form encoded", lambda b: {"data": {"text": "hello"}}, (415,)),
    ("broken JSON", lambda b: {"data": '{"text": "unterminated', "content_type": "application/json"}, (400, 422)),
    ("JSON not an object", lambda b: {"json": ["text", "hello"]}, (400, 422)),
    ("unknown field", lambda b: {"json": {**b, "surprise": 1}}, (422,)),
    ("control characters in every string", lambda b: {"json": {
        k: CONTROL if isinstance(v, str) and k not in ("subject_id", "person_id", "verdict", "organisation",
                                                       "question") else v for k, v in b.items()}}, (422,)),
    ("huge numbers", lambda b: {"json": {**b, "counts": {"Agree": 10**30}} if "counts" in b else
                                {**b, "occurred_on": 10**30}}, (422,)),
    ("a date out of range", lambda b: {"json": {**b, "occurred_on": "9999-12-31"}}, (409, 422)),
    ("an impossible date", lambda b: {"json": {**b, "occurred_on": "2026-02-30"}}, (422,)),
    ("a date before 2000", lambda b: {"json": {**b, "occurred_on": "1066-10-14"}}, (409, 422)),
    ("an unknown catalogue id", lambda b: {"json": {**b, "catalogue_items": ["Z-99"]}}, (404, 409, 422)),
    ("null body fields", lambda b: {"json": dict.fromkeys(b)}, (422,)),
]


@pytest.mark.parametrize("label, spoil, allowed", CASES, ids=[c[0] for c in CASES])
def test_hostile_input_gets_a_clear_4xx_and_records_nothing(hostile, label, spoil, allowed):
    client, world, headers = hostile
    ledger = client.application.extensions["pvb"].ledger
    for who, path, body in writes(world):
        spoiled = spoil(body)
        if spoiled.get("json") == body or (label == "an unknown catalogue id" and "verdict" in body):
            continue  # nothing in this write to spoil that way (a vote cites items only optionally)
        before = ledger.max_position()
        r = client.post(path, headers=headers[who], **spoiled)
        assert r.status_code in allowed, (label, path, r.status_code, r.get_data(as_text=True)[:400])
        answer = r.get_json()
        assert answer["code"] == r.status_code and answer["message"], (label, path, answer)
        if r.status_code == 422 and "JSON" not in label:
            assert answer.get("errors"), (label, path, answer)  # says which field
        assert ledger.max_position() == before, f"{label} on {path} recorded something"


def test_each_write_accepts_its_valid_body(hostile):
    # The spoiled bodies above differ from these by one thing only, so their 4xx is that thing's.
    client, world, headers = hostile
    for who, path, body in writes(world):
        assert client.post(path, json=body, headers=headers[who]).status_code == 201, path


@pytest.mark.parametrize("content", [
    b"not base64 at all!!",
    base64.b64encode(b"organisation,question,answer,count\nRFH,q1,Agree\n"),             # ragged row
    base64.b64encode(b"organisation,question,answer,count\nRFH,q1,Agree,3\nZZZ,q1,Agree,2\n"),  # one bad row
    base64.b64encode(b"organisation,question,answer,count\nRFH,q1,Agree,-4\n"),          # negative count
    base64.b64encode(b"\xff\xfe\x00garbage"),                                             # not UTF-8
    base64.b64encode(b"organisation,question,answer,count\nRFH,q1,Agree,99999999999999999999\n"),
    base64.b64encode("organisation,question,answer,count\nRFH,q1,Agree,\u00b2\n".encode()),   # a digit to str
], ids=["not base64", "ragged", "one bad row of two", "negative", "not utf-8", "huge count", "superscript"])
def test_a_malformed_results_file_is_rejected_whole_with_nothing_recorded(hostile, content):
    client, _world, headers = hostile
    ledger = client.application.extensions["pvb"].ledger
    before = ledger.max_position()
    r = client.post(f"/api/v1/surveys/{SURVEY}/imports", headers=headers["lead"],
                    json={"content_base64": content.decode("ascii", "replace"), "filename": "results.csv"})
    assert 400 <= r.status_code < 500, r.get_data(as_text=True)[:400]
    assert r.get_json()["message"]
    assert ledger.max_position() == before
