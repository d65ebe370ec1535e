"""The survey import page (preview, mapping, error report), the API's base64 imports, the panel page."""

from __future__ import annotations

import base64
import io

from application.demo_meetings import demo_export
from tests.conftest import LEAD


def open_panel_survey(app, code: str = "PANEL-TEST") -> str:  # type: ignore[no-untyped-def]
    app.extensions["pvb"].ledger.open_survey(LEAD, code=code, kind="panel", title="Panel test", period="2026-27-Q2")
    return code


def upload(client, code: str, data: bytes, name: str = "export.csv"):  # type: ignore[no-untyped-def]
    return client.post(f"/surveys/{code}/import/preview", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def test_the_import_page_previews_maps_imports_and_then_finds_nothing_new(app, client, auth):
    code = open_panel_survey(app)
    auth.login("lead")
    assert "Upload SurveyMonkey" in client.get(f"/surveys/{code}/import").get_data(as_text=True)
    preview = upload(client, code, demo_export(1)).get_data(as_text=True)
    assert "50 responses" in preview and "<strong>50 new</strong>" in preview and "Map the questions" in preview
    assert "free text (never imported)" in preview and "sophie" not in preview.lower()
    content = base64.b64encode(demo_export(1)).decode()
    form = {"content_base64": content, "filename": "export.csv", "action": "save", "org_column": "J",
            "org_text_1": "Nene Valley Hospitals NHS Foundation Trust", "org_answer_1": "NVH",
            "map_K": "true", "label_K": "Single leadership team", "items_K": "SL-1",
            "answers_K": "Strongly agree\nAgree\nNeither agree nor disagree\nDisagree\nStrongly disagree",
            "favourable_K": "Strongly agree\nAgree"}
    mapped = client.post(f"/surveys/{code}/mapping", data=form)
    text = mapped.get_data(as_text=True)
    # Only NVH's answer is mapped: every other organisation's rows are reported by row and column.
    assert mapped.status_code == 200 and "does not fit the survey" in text and "is not mapped to an organisation" in text
    from application.demo_meetings import panel_mapping

    app.extensions["pvb"].ledger.open_survey(LEAD, code="PANEL-B", kind="panel", title="B", period="2026-27-Q2")
    app.extensions["pvb"].ledger.save_survey_mapping(LEAD, "PANEL-B", panel_mapping())
    ready = upload(client, "PANEL-B", demo_export(1)).get_data(as_text=True)
    assert "Import 50 new responses" in ready
    done = client.post("/surveys/PANEL-B/import", data={"content_base64": content, "filename": "export.csv"})
    assert done.status_code == 302
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Imported 50 new responses; 0 already held" in page and "ResponsesImported" in page
    again = upload(client, "PANEL-B", demo_export(1)).get_data(as_text=True)
    assert "Everything in this file is already held" in again


def test_a_broken_upload_shows_each_problem_by_row_and_column_and_records_nothing(app, client, auth):
    code = open_panel_survey(app)
    auth.login("lead")
    before = app.extensions["pvb"].ledger.max_position()
    lines = demo_export(2).decode("utf-8-sig").split("\r\n")
    lines[4] = lines[2]  # a duplicate Respondent ID
    response = upload(client, code, "\r\n".join(lines).encode())
    text = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="problems"' in text
    assert "appears twice in this file (first on row 3)" in text and "<td class=\"nhsuk-table__cell\">5</td>" in text
    assert app.extensions["pvb"].ledger.max_position() == before
    assert upload(client, code, b"").status_code == 422


def test_the_api_previews_and_imports_base64_files_idempotently(app, client, auth):
    code = open_panel_survey(app)
    headers = auth.token("lead")
    from application.demo_meetings import panel_mapping

    saved = client.put(f"/api/v1/surveys/{code}/mapping", headers=headers, json=panel_mapping())
    assert saved.status_code == 201
    body = {"filename": "q3.csv", "content_base64": base64.b64encode(demo_export(3)).decode()}
    preview = client.post(f"/api/v1/surveys/{code}/previews", headers=headers, json=body).get_json()
    assert (preview["responses"], preview["new"], preview["problems"]) == (44, 44, [])
    first = client.post(f"/api/v1/surveys/{code}/imports", headers=headers, json=body)
    assert first.status_code == 201 and first.get_json() == {"survey": code, "added": 44, "already_held": 0, "in_file": 44}
    second = client.post(f"/api/v1/surveys/{code}/imports", headers=headers, json=body).get_json()
    assert second["added"] == 0 and second["already_held"] == 44
    broken = {"filename": "x.csv", "content_base64": base64.b64encode(b"Respondent ID,Collector ID\n1,2\n").decode()}
    rejected = client.post(f"/api/v1/surveys/{code}/imports", headers=headers, json=broken)
    assert rejected.status_code == 422
    assert rejected.get_json()["errors"]["file"][0].startswith("row 1, column C: the column 'Start Date' is missing")
    assert client.post(f"/api/v1/surveys/{code}/imports", headers=headers,
                       json={"content_base64": "%%%"}).status_code == 422
    survey = client.get(f"/api/v1/surveys/{code}", headers=headers).get_json()
    assert survey["responses"] == 44 and survey["mapping"]["questions"][0]["key"] == "q1"


def test_all_staff_results_are_entered_through_the_page(app, client, auth):
    auth.login("lead")
    app.extensions["pvb"].ledger.open_survey(LEAD, code="STAFF-T", kind="all_staff", title="Pulse", period="2026-27-Q2")
    page = client.get("/surveys/STAFF-T").get_data(as_text=True)
    assert "Enter an organisation&#39;s results" in page or "Enter an organisation's results" in page
    response = client.post("/surveys/STAFF-T/results", data={
        "organisation": "NVH", "question": "q1", "answer_1": "Strongly agree", "count_1": "12",
        "answer_2": "Agree", "count_2": "30", "answer_4": "Disagree", "count_4": "5"})
    assert response.status_code == 302
    assert app.extensions["pvb"].ledger.get_survey("STAFF-T").results == {
        "NVH": {"q1": {"Strongly agree": 12, "Agree": 30, "Disagree": 5}}}
    bad = client.post("/surveys/STAFF-T/results", data={"organisation": "NVH", "question": "q1", "answer_1": "Agree",
                                                        "count_1": "lots"})
    assert bad.status_code == 422 and "must be a whole number" in bad.get_data(as_text=True)


def test_the_survey_pages_and_panel_read_for_regulators_but_import_is_for_governance(client, auth):
    auth.login("cqc")
    surveys = client.get("/surveys").get_data(as_text=True)
    assert "PANEL-" in surveys and "STAFF-" in surveys and "Open a survey" not in surveys
    panel = client.get("/survey-panel").get_data(as_text=True)
    assert "11 current members" in panel and "Owen Carter" in panel and "Helen Marsh" not in panel
    assert client.get("/surveys/ANY/import").status_code == 403
    auth.logout()
    auth.login("staff.nvh")
    assert client.get("/surveys").status_code == 403
