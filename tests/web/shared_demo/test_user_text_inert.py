"""Script and HTML typed into every kind of user-written text stay inert: pages, PDFs and exports.

Pages escape it (Jinja autoescape on every template), the PDFs print it literally (they are the
escaped printable pages, drawn by WeasyPrint; read back with pypdf), and the export carries it as JSON
string data that the standalone verifier never interprets. The ledger offers no CSV downloads
(only SurveyMonkey uploads), so there is no spreadsheet formula to neutralise.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date

from pypdf import PdfReader

from domain.values import Actor, Role

PAYLOAD = '<script>alert(1)</script> <img src=x onerror=alert(2)> "><svg onload=alert(3)>'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
LIVE = ("<script>alert(1)", "<img src=x", "<svg onload")


def actor(app, username: str) -> Actor:  # type: ignore[no-untyped-def]
    user = app.extensions["pvb"].ledger.get_user(username)
    return Actor(username, Role(user.role), user.organisation, user.person_id)


def person(app, code: str, index: int = 0) -> str:  # type: ignore[no-untyped-def]
    people, _ = app.extensions["pvb"].projections["directory"].list_people(code, limit=50)
    return str(people[index]["id"])


def assert_inert(html: str, where: str) -> None:
    assert ESCAPED in html, f"{where}: the payload is not shown escaped"
    for live in LIVE:
        assert live not in html, f"{where}: {live!r} reached the page as markup"


def store_everywhere(app, client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Put the payload into each kind of user-written text; the pages that show each."""
    ledger = app.extensions["pvb"].ledger
    lead, ichair, staff = actor(app, "lead"), actor(app, "ichair"), actor(app, "staff.nvh")
    pages: dict[str, str] = {}

    reference = ledger.raise_concern(staff, subject_id=person(app, "RFH"), catalogue_items=["B-1"],
                                     narrative=PAYLOAD, examples=PAYLOAD)
    ledger.add_concern_note(staff, reference, text=PAYLOAD)
    pages["concern narrative and note"] = f"staff.nvh /concerns/{reference}"

    attendees = [person(app, "NVH", 0), person(app, "RFH", 0)]
    meeting = ledger.record_meeting(lead, body="PB", title=PAYLOAD, chair_person_id=attendees[0],
                                    attendee_ids=attendees)
    ledger.record_vote(lead, meeting, person_id=attendees[1], verdict="adhered", comment=PAYLOAD)
    pages["vote comment"] = f"lead /meetings/{meeting}"

    feedback = ledger.give_feedback(actor(app, "cqc"), organisation="NVH", tenor="mixed", summary=PAYLOAD,
                                    examples=[{"occurred_on": date.today(), "description": PAYLOAD}])
    pages["feedback example"] = f"lead /feedback/{feedback}"

    quarter = client.get("/api/v1/reviews", headers=_token(app, "lead")).get_json()[0]["quarter"]
    ledger.record_review_decision(lead, quarter, decided=PAYLOAD, learning=PAYLOAD)
    pages["review decision"] = f"lead /reviews/{quarter}"

    reports = client.get("/api/v1/reports", headers=_token(app, "lead")).get_json()
    period = next(r["period"] for r in reports if r["kind"] == "six_monthly" and r["status"] == "draft")
    ledger.edit_six_monthly_narrative(ichair, period=period, narrative=PAYLOAD)
    pages["report narrative"] = f"ichair /reports/six-monthly/{period}"

    nomination = ledger.nominate_for_commendation(staff, nominee_id=person(app, "RFH", 1), citations=["B-1"],
                                                  examples=[PAYLOAD])
    pages["commendation example"] = f"lead /commendations/{nomination}"

    pledge = ledger.make_pledge(actor(app, "ceo.rfh"), text=PAYLOAD, citations=["B-1"])
    pages["pledge"] = f"lead /development/pledges/{pledge}"
    return pages


def _token(app, username: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    new = app.extensions["pvb"].ledger.create_token(actor(app, "admin"), username, scope="read", days=1, label="t")
    return {"Authorization": f"Bearer {new.token}"}


def test_script_and_html_in_user_text_are_inert_in_pages_pdfs_and_exports(app, tmp_path):  # type: ignore[no-untyped-def]
    client = app.test_client()
    pages = store_everywhere(app, client)
    for what, where in pages.items():
        username, url = where.split(" ", 1)
        web = app.test_client()
        web.post("/login", data={"username": username, "password": "pvb-demo-2026"})
        response = web.get(url)
        assert response.status_code == 200, (what, url, response.status_code)
        assert_inert(response.get_data(as_text=True), what)
        if url.startswith("/reports/"):
            pdf = web.get(url + "/pdf")
            assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
            flat = " ".join(text.split())
            assert "<script>alert(1)</script>" in flat and "onerror=alert(2)>" in flat, flat[:600]

    out = tmp_path / "bundle"
    app.extensions["pvb"].ledger.export_bundle(str(out))
    found = 0
    for line in (out / "events.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)  # every line is JSON: the payload is string data inside it
        found += PAYLOAD in json.dumps(record, ensure_ascii=False) or PAYLOAD.replace('"', '\\"') in line
    assert found >= 3  # the feedback summary, the review decision, the report narrative, the meeting title
    shown = subprocess.run([sys.executable, str(out / "verify_bundle.py"), str(out)], capture_output=True,
                           text=True, timeout=600)
    assert shown.returncode == 0, shown.stderr[-2000:]
    assert "\x1b" not in shown.stdout and "<script>" not in shown.stdout  # views print counts, not text
