"""The adherence dashboard and API show concerns about each organisation's people and external feedback."""

from __future__ import annotations

from datetime import date

from domain.period import Quarter

NOW = Quarter.of(date.today())


def cells_with(client, headers, field: str) -> list[dict]:  # type: ignore[no-untyped-def]
    body = client.get(f"/api/v1/adherence?first={Quarter(NOW.year - 1, NOW.number).key}&last={NOW.key}",
                      headers=headers).get_json()
    return [c for c in body["cells"] if c[field]]


def test_the_demo_year_shows_concerns_and_feedback_per_organisation_and_quarter_linked_to_their_events(
    client, auth
):  # type: ignore[no-untyped-def]
    headers = auth.token("lead", "read")
    with_concerns, with_feedback = cells_with(client, headers, "concerns"), cells_with(client, headers, "feedback")
    assert with_concerns and with_feedback
    cell = with_concerns[0]
    assert cell["concerns"] == cell["concerns_open"] + cell["concerns_resolved"] + cell["concerns_withdrawn"]
    evidence = client.get(f"/api/v1{cell['evidence']}", headers=headers).get_json()
    assert len(evidence["concerns"]) == cell["concerns"]
    first = evidence["concerns"][0]
    assert first["url"] == f"/concerns/{first['reference']}#event-{first['version']}"
    assert not {"subject", "subject_name", "raiser", "narrative"} & set(first)
    fb_cell = with_feedback[0]
    assert fb_cell["feedback"] == fb_cell["feedback_positive"] + fb_cell["feedback_mixed"] + fb_cell["feedback_concerning"]
    fb = client.get(f"/api/v1{fb_cell['evidence']}", headers=headers).get_json()["feedback"]
    assert len(fb) == fb_cell["feedback"] and fb[0]["url"] == f"/feedback/{fb[0]['feedback_id']}"
    auth.login("lead")
    page = client.get(cell["evidence"]).get_data(as_text=True)
    assert 'id="concern-evidence"' in page and f'href="{first["url"]}"' in page
    assert f"{cell['concerns_open']} open, {cell['concerns_resolved']} resolved" in page
    dashboard = client.get(f"/adherence?first={Quarter(NOW.year - 1, NOW.number).key}&last={NOW.key}")
    text = dashboard.get_data(as_text=True)
    assert f'href="{cell["evidence"]}#concerns"' in text and f'href="{fb_cell["evidence"]}#feedback"' in text
    page = client.get(fb_cell["evidence"]).get_data(as_text=True)
    assert 'id="feedback-evidence"' in page and f'href="{fb[0]["url"]}"' in page
    assert f"{fb_cell['feedback_positive']} positive, {fb_cell['feedback_mixed']} mixed" in page


def test_a_regulator_sees_the_counts_and_tenor_but_the_concern_pages_stay_closed_to_it(client, auth):
    headers = auth.token("cqc", "read")
    cell = cells_with(client, headers, "concerns")[0]
    evidence = client.get(f"/api/v1{cell['evidence']}", headers=headers).get_json()
    # the regulator sees the count, not the concerns (tests/web/shared_demo/test_concern_scoping_web.py)
    assert evidence["concerns"] == [] and evidence["concerns_withheld"] == cell["concerns"]
    every = client.get(f"/api/v1{cell['evidence']}", headers=auth.token("investigator", "read")).get_json()
    auth.login("cqc")
    assert client.get(every["concerns"][0]["url"].split("#")[0]).status_code in (403, 404)
