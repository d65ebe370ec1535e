"""The public site: every page and every /public/api answer from the demo, signed out, names no one.

No person's name and no username appears; the only free text is the framework's own and the public
summaries (none of the demo's narratives, feedback, examples, responses, decisions, objectives or
pledges). Superseded editions are marked; the feed lists each publication; the API needs no token.
"""

from __future__ import annotations

import ast
import re
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from pypdf import PdfReader

from application.demo import PEOPLE, demo_logins

DEMO = Path(__file__).resolve().parents[3] / "application"
BODIES = {"Board of Directors", "Trust Board", "Governing Body", "Central region leadership team",
          "Midlands regional leadership team", "Health and Wellbeing Board"}


def demo_free_text() -> set[str]:
    """Every sentence the demo writes as free text (feedback, concerns, governance), four words or more."""
    found: set[str] = set()
    for name in ("demo_feedback.py", "demo_concerns.py", "demo_governance.py"):
        for node in ast.walk(ast.parse((DEMO / name).read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value.split()) >= 4:
                text = node.value.strip()
                if text not in BODIES and "{" not in text and not text.startswith(("Demo:", "A ", "The ", "Tell ")):
                    found.add(text[:60])
    return found


def public_answers(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every public page and API answer (and the public PDFs' text), by address."""
    answers: dict[str, str] = {}
    queue = ["/public", "/public/api"]
    while queue:
        url = queue.pop()
        if url in answers:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        if url.endswith("/pdf"):
            answers[url] = "\n".join(p.extract_text() for p in PdfReader(BytesIO(response.data)).pages)
            continue
        text = response.get_data(as_text=True)
        answers[url] = text
        found = re.findall(r'"(/public[^"#?]*)"', text)
        twins = [u.replace("/public/reports/", "/public/api/reports/") for u in found
                 if u.startswith("/public/reports/") and not u.endswith("/pdf")]  # each report page's JSON twin
        queue += [u for u in found + twins if u not in answers]
    return answers


def test_no_public_page_or_answer_names_anyone_and_the_only_free_text_is_the_frameworks_and_the_summaries(client, app):
    answers = public_answers(client)
    expected = {"/public", "/public/framework", "/public/adoption", "/public/reports", "/public/concerns",
                "/public/checkpoint", "/public/feed.xml", "/public/api", "/public/api/framework", "/public/api/adoption",
                "/public/api/reports", "/public/api/concerns/statistics", "/public/api/checkpoint"}
    assert expected <= set(answers)
    editions = [u for u in answers if re.fullmatch(r"/public/reports/[^/]+/editions/\d+", u)]
    assert len(editions) >= 2 and all(f"{u}/pdf" in answers for u in editions)
    assert any(u.startswith("/public/api/reports/") for u in answers)
    names = [name for _, name, *_ in PEOPLE]
    usernames = [u for u, _, _ in demo_logins()]
    free_text = demo_free_text()
    assert len(free_text) > 20
    for url, text in answers.items():
        flat = " ".join(text.split())
        for name in names:
            assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", flat, re.IGNORECASE), (url, name)
        for username in usernames:
            assert not re.search(rf"(?<![\w.@/-]){re.escape(username)}(?![\w.@-])", flat), (url, username)
        for sentence in free_text:
            assert sentence not in flat, (url, sentence)
    narratives = [r["content"]["narrative"] for r in app.extensions["pvb"].projections["reports"].published()]
    assert narratives and not any(n.split("\n")[0][:60] in " ".join(answers.values()) for n in narratives)


def test_superseded_editions_are_marked_and_the_feed_lists_each_publication(client, app):
    published = app.extensions["pvb"].projections["reports"].published()
    old = next(r for r in published if r["status"] == "superseded")
    page = client.get(f"/public/reports/{old['period']}/editions/{old['edition']}").get_data(as_text=True)
    assert f"Superseded by edition {old['superseded_by']}" in page and old["content"]["public_summary"] in page
    pdf = client.get(f"/public/reports/{old['period']}/editions/{old['edition']}/pdf")
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages).split())
    assert f"Superseded by edition {old['superseded_by']}" in text and "public edition" in text
    current = client.get(f"/public/reports/{old['period']}").get_data(as_text=True)
    assert f"supersedes edition {old['edition']}" in current and 'id="superseded"' not in current
    feed = ElementTree.fromstring(client.get("/public/feed.xml").data)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [e.find(f"{atom}title").text for e in feed.findall(f"{atom}entry")]  # type: ignore[union-attr]
    assert len(titles) == len(published)
    assert f"Six-monthly report {old['period']}, edition {old['edition']} (superseded by edition 2)" in titles
    api = client.get(f"/public/api/reports/{old['period']}/editions/{old['edition']}").get_json()
    assert api["superseded_by"] == 2 and "quotes" not in str(api["figures"]) and api["content_hash"] == old["content_hash"]


def test_the_public_api_needs_no_token_and_is_in_the_openapi_document_without_security(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    public = {path: ops for path, ops in spec["paths"].items() if path.startswith("/public/api")}
    assert {"/public/api", "/public/api/framework", "/public/api/reports", "/public/api/reports/{period}",
            "/public/api/concerns/statistics", "/public/api/checkpoint"} <= set(public)
    assert all(op.get("security") == [] for ops in public.values() for op in ops.values() if isinstance(op, dict)
               and "responses" in op)
    statistics = client.get("/public/api/concerns/statistics").get_json()
    assert all(r["resolved"] is None or r["resolved"] >= 5 for r in statistics["resolved_by_quarter_and_level"])
    assert client.get("/public/api/checkpoint").get_json()["public_keys"]
    assert 'href="/public"' in client.get("/login").get_data(as_text=True)
