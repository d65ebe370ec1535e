"""The governance pages: who sees what, forms that record, escaping, reports as pages and PDFs."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from pypdf import PdfReader

from domain.periods import financial_year_of, half_of, quarter_of
from domain.permissions import roles_for
from domain.report import content_hash
from domain.values import Role

TODAY = date.today()


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """These page tests run over the demo on SQLite only: each demo costs most of a minute on
    PostgreSQL. The same commands and view queries run on PostgreSQL in
    tests/application/test_governance.py, tests/projections/test_governance_views.py and
    tests/web/test_governance_api.py."""
    return sqlite_url


USERS = {
    Role.GOVERNANCE_LEAD: "lead", Role.INDEPENDENT_CHAIR: "ichair", Role.ACCOUNTABLE_OFFICER: "ao",
    Role.CHAIR: "chair.nvh", Role.CHIEF_EXECUTIVE: "ceo.nvh", Role.BOARD_MEMBER: "board.nvh",
    Role.STAFF: "staff.nvh", Role.REGULATOR: "cqc", Role.HWB: "hwb", Role.INVESTIGATOR: "investigator",
    Role.ADMIN: "admin",
}
PAGES = {
    "/adoption": "adoption.read", "/objectives": "objectives.read", "/objectives/NVH": "objectives.read",
    "/reviews": "reviews.read", "/commendations": "commendations.read", "/chairs-meetings": "chairs_meetings.read",
    "/development": "development.read", "/reports": "reports.read", "/due": "calendar.read",
    f"/reports/quarterly/{quarter_of(TODAY).key}": "reports.read",
}


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page by page (fails unless it is a real PDF)."""
    assert data.startswith(b"%PDF-")
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def test_each_governance_page_is_allowed_or_denied_to_each_role_as_the_matrix_says(client, auth):
    for role, username in USERS.items():
        auth.login(username)
        for path, permission in PAGES.items():
            expected = 200 if role in roles_for(permission) else 403
            assert client.get(path).status_code == expected, (role, path)
        auth.logout()


def test_forms_are_shown_only_to_the_roles_that_may_use_them(client, auth):
    auth.login("staff.nvh")
    assert 'method="post" action="/reviews"' not in client.get("/reviews").get_data(as_text=True)
    assert "Nominate someone" in client.get("/commendations").get_data(as_text=True)
    auth.logout()
    auth.login("chair.nvh")
    assert "Record a PVB objective" in client.get("/objectives/NVH").get_data(as_text=True)
    assert "Record a PVB objective" not in client.get("/objectives/RFH").get_data(as_text=True)
    assert client.post("/reviews", data={"summary": "x"}).status_code == 403
    auth.logout()
    auth.login("lead")
    assert 'method="post" action="/reviews"' in client.get("/reviews").get_data(as_text=True)
    assert "Paper taken to a Board" in client.get("/adoption").get_data(as_text=True)


def test_a_chair_records_an_objective_through_the_form_and_a_bad_form_records_nothing(client, auth, app):
    ledger = app.extensions["pvb"].ledger
    auth.login("chair.rfh")
    page = client.get("/objectives/RFH").get_data(as_text=True)
    assert "Owen Carter" in page and "no current PVB objective" in page
    owen = app.extensions["pvb"].projections["directory"].list_people("RFH", limit=50)[0]
    owen_id = next(p["id"] for p in owen if p["name"] == "Owen Carter")
    before = ledger.max_position()
    bad = client.post("/objectives/RFH", data={"person_id": owen_id, "text": "", "year": "2026-27"})
    assert bad.status_code == 422 and "There is a problem" in bad.get_data(as_text=True)
    assert ledger.max_position() == before
    year = financial_year_of(TODAY).key
    response = client.post("/objectives/RFH", data={"person_id": owen_id, "text": "<b>Lead</b> jointly",
                                                  "citations": ["SL-1", "B-3"], "year": year})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "&lt;b&gt;Lead&lt;/b&gt; jointly" in page and "SL-1, B-3" in page
    coverage = client.get("/objectives").get_data(as_text=True)
    assert "Owen Carter" not in coverage.split('id="trend"')[0]


def test_the_programme_board_records_a_decision_with_actions_and_overdue_actions_are_flagged(client, auth, app):
    auth.login("lead")
    reviews = client.get("/reviews").get_data(as_text=True)
    assert "overdue" in reviews  # the demo has overdue actions
    quarter = quarter_of(TODAY).key
    if app.extensions["pvb"].projections["reviews"].get_review(quarter) is None:
        assert client.post("/reviews", data={"summary": "Reviewed"}).status_code == 302
    owner = app.extensions["pvb"].projections["directory"].list_people("STP", limit=5)[0][0]["id"]
    response = client.post(f"/reviews/{quarter}/decisions", data={
        "decided": "Adopt the <script>x</script> protocol", "successes": "Joint winter plan",
        "action_text_1": "Write to regulators", "action_owner_person_id_1": owner,
        "action_due_on_1": (TODAY + timedelta(days=14)).isoformat()})
    assert response.status_code == 302
    page = client.get(f"/reviews/{quarter}").get_data(as_text=True)
    assert "Write to regulators" in page and "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
    bad = client.post(f"/reviews/{quarter}/decisions", data={"decided": "x", "action_text_1": "No owner"})
    assert bad.status_code == 422


def test_the_six_monthly_narrative_is_escaped_in_the_page_and_the_pdf(client, auth):
    period = half_of(TODAY).previous().key
    auth.login("ichair")
    narrative = "<script>alert('x')</script> & <b>bold</b> claims"
    assert client.post(f"/reports/six-monthly/{period}/narrative", data={"narrative": narrative}).status_code == 302
    page = client.get(f"/reports/six-monthly/{period}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &lt;b&gt;bold" in page
    text = pdf_text(client.get(f"/reports/six-monthly/{period}/pdf").data)
    assert "<script>alert('x')</script> & <b>bold</b> claims" in text
    assert "This edition is a draft" in text


def assert_signed_checkpoint(ledger, checkpoint: dict) -> None:  # type: ignore[no-untyped-def]
    """The checkpoint is signed by one of the ledger's keys over its own body, and names its size and root."""
    import base64

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    keys = {k.key_id: k for k in ledger.public_keys()}
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(keys[checkpoint["key_id"]].public_key))
    public.verify(base64.b64decode(checkpoint["signature"]), checkpoint["body"].encode())  # raises if forged
    assert checkpoint["size"] > 0 and len(checkpoint["root_hash"]) == 64
    assert ledger.get_checkpoint(checkpoint["size"]).body == checkpoint["body"]


def test_the_quarterly_report_ends_with_the_signed_checkpoint_it_was_drawn_from(client, auth, app):
    ledger = app.extensions["pvb"].ledger
    auth.login("board.nvh")
    quarter = quarter_of(TODAY)
    before = ledger.max_position()
    page = client.get(f"/reports/quarterly/{quarter.key}").get_data(as_text=True)
    size = int(page.split('id="checkpoint-size">')[1].split(" ")[0])
    checkpoint = ledger.get_checkpoint(size)
    assert size >= before and checkpoint.root_hash in page and checkpoint.signature in page
    assert page.rindex('id="checkpoint"') > page.rindex("<svg")  # after every section
    text = pdf_text(client.get(f"/reports/quarterly/{quarter.key}/pdf").data)
    assert f"Drawn from ledger checkpoint {size}" in text and checkpoint.root_hash in text.replace("\n", "")
    body = client.get(f"/api/v1/reports/quarterly/{quarter.key}", headers=auth.token("board.nvh", "read")).get_json()
    assert_signed_checkpoint(ledger, body["checkpoint"])


def test_a_replayed_quarterly_report_ends_with_the_checkpoint_of_what_was_known_then(client, auth, app):
    from urllib.parse import quote

    ledger = app.extensions["pvb"].ledger
    auth.login("investigator")
    quarter, halfway = quarter_of(TODAY), ledger.max_position() // 2
    moment = app.extensions["pvb"].projections["timeline"].get(halfway)["recorded_at"]
    page = client.get(f"/reports/quarterly/{quarter.key}?known_at={quote(moment)}").get_data(as_text=True)
    assert 'id="replay-banner"' in page
    size = int(page.split('id="checkpoint-size">')[1].split(" ")[0])
    assert halfway <= size < ledger.max_position()
    assert ledger.get_checkpoint(size).root_hash in page


def test_the_quarterly_report_pdf_is_a_real_pdf_whose_text_holds_the_reports_figures(client, auth, app):
    auth.login("board.nvh")
    quarter = quarter_of(TODAY)
    figures = app.extensions["pvb"].ledger.draw_report_figures("quarterly", quarter.key)
    page = client.get(f"/reports/quarterly/{quarter.key}").get_data(as_text=True)
    assert "<svg" in page and "Coverage of PVB objectives by organisation" in page
    assert "Overall rating by organisation and quarter" in page and "Favourable answers by quarter (%)" in page
    response = client.get(f"/reports/quarterly/{quarter.key}/pdf")
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    assert f"Quarterly progress report: {quarter.label}" in " ".join(text.split())
    lines, flat = set(text.splitlines()), " ".join(text.split())
    shown = 0
    for section in figures["sections"]:
        assert section["title"] in text and "error" not in section
        for label, value in section["figures"].items():
            assert f"{label} {'–' if value is None else value}" in lines, (section["key"], label, value)
            shown += 1
        for table in section["tables"]:
            for row in table["rows"]:
                assert str(row[0]) in flat, row
    assert shown > 40


def test_a_published_report_stays_exactly_as_published_when_the_ledger_changes(client, auth, app):
    services = app.extensions["pvb"]
    period = half_of(TODAY).previous().key
    auth.login("ichair")
    client.post(f"/reports/six-monthly/{period}/narrative", data={"narrative": "Adherence improved."})
    assert client.post(f"/reports/six-monthly/{period}/publication",
                       data={"public_summary": "Votes and concerns for the half-year."}).status_code == 302
    published = services.projections["reports"].get_report(period)
    page = client.get(f"/reports/six-monthly/{period}").get_data(as_text=True)
    pdf = pdf_text(client.get(f"/reports/six-monthly/{period}/pdf").data)
    assert published["content_hash"] in page and "matches its hash" in page
    assert f"Content SHA-256: {published['content_hash']}" in pdf.replace("\n", "")
    checkpoint = published["content"]["checkpoint"]  # frozen with the content, so covered by its hash
    assert_signed_checkpoint(services.ledger, checkpoint)
    assert page.rindex('id="checkpoint-root"') > page.rindex('id="content-hash"')  # the report ends with it
    assert checkpoint["root_hash"] in page and checkpoint["signature"] in page
    assert pdf.rindex("Check it offline") > pdf.rindex("Adoption of the framework")  # the PDF ends with it too
    assert f"Drawn from ledger checkpoint {checkpoint['size']}" in pdf and checkpoint["root_hash"] in pdf.replace("\n", "")
    assert checkpoint["signature"] in pdf.replace("\n", "")
    # The ledger moves on: new objectives, a new review decision; the views are even rebuilt.
    assert client.post(f"/reports/six-monthly/{period}/narrative", data={"narrative": "Rewritten"}).status_code == 422
    auth.logout()
    auth.login("chair.nvh")
    people, _ = services.projections["directory"].list_people("NVH", senior_only=True, limit=20)
    for person in people:
        client.post("/objectives/NVH", data={"person_id": person["id"], "text": "More", "citations": "B-1",
                                             "year": financial_year_of(TODAY).key})
    services.projections.rebuild(["reports", "objectives"])
    again = services.projections["reports"].get_report(period)
    assert again == published and content_hash(again["content"]) == published["content_hash"]
    assert services.ledger.get_six_monthly_report(period).content == published["content"]
    assert client.get(f"/reports/six-monthly/{period}").get_data(as_text=True).count("Adherence improved.") == 1
    assert services.ledger.get_checkpoint(checkpoint["size"]).root_hash == checkpoint["root_hash"]  # still proven


def test_drafts_are_hidden_from_those_who_neither_draft_nor_publish(client, auth):
    period = half_of(TODAY).previous().key
    auth.login("cqc")
    assert client.get(f"/reports/six-monthly/{period}").status_code == 404
    assert period not in client.get("/reports").get_data(as_text=True).split('id="six-monthly-reports"')[1]


def test_what_is_due_lists_overdue_duties_and_for_whom(client, auth):
    auth.login("ao")
    page = client.get("/due").get_data(as_text=True)
    assert "overdue" in page and "the Independent Chair" in page and "the Chair of CKCCG" in page
