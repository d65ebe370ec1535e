"""The adherence dashboard, trend and evidence pages, and the adherence API, over the demo year."""

from __future__ import annotations

from datetime import date

from domain.period import Quarter
from domain.rating import RULE

NOW = Quarter.of(date.today())
LAST = NOW.previous()  # a whole demo quarter: meetings, a panel survey and (often) all-staff results


def test_the_dashboard_draws_the_heat_map_and_publishes_its_rule(client, auth):
    auth.login("lead")
    response = client.get("/adherence")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="pvb-chart"' in page and "<script>" not in page
    assert f'href="/adherence/NVH/{LAST.key}"' in page and f'id="cell-NVH-{LAST.key}"' in page
    assert RULE[1][:60] in page.replace("&#39;", "'")
    for code in ("NVH", "RFH", "WNC", "NCCG", "CKCCG", "SCC"):
        assert f">{code}</text>" in page  # a row of the heat map


def test_an_organisations_trend_is_a_server_rendered_line_chart(client, auth):
    auth.login("ichair")
    page = client.get("/adherence/rfh").get_data(as_text=True)
    assert "<polyline" in page and "Closing votes: adhered" in page and "surveys green at 70%" in page
    assert f'href="/adherence/RFH/{LAST.key}"' in page
    assert client.get("/adherence/NOPE").status_code == 404
    assert client.get("/adherence?first=2026-27-Q3&last=2025-26-Q1").status_code == 422
    assert client.get("/adherence?first=bad").status_code == 422


def test_the_evidence_page_lists_the_votes_and_survey_events_behind_a_square(client, auth):
    auth.login("lead")
    page = client.get(f"/adherence/NVH/{LAST.key}").get_data(as_text=True)
    assert 'id="vote-evidence"' in page and "/meetings/" in page and "#event-" in page
    assert "Staff survey panel" in page and "ResponsesImported" in page and "/surveys/PANEL-" in page
    assert client.get("/adherence/NVH/2026-27-Q9").status_code == 404


def test_regulators_read_the_dashboard_and_evidence_without_names_or_meeting_links(client, auth):
    headers = auth.token("cqc", "read")
    auth.login("cqc")
    assert client.get("/adherence").status_code == 200
    page = client.get(f"/adherence/NVH/{LAST.key}").get_data(as_text=True)
    assert "/meetings/" not in page and "event" in page
    evidence = client.get(f"/api/v1/adherence/NVH/{LAST.key}", headers=headers).get_json()
    assert evidence["votes"] and all(v["person_id"] is None for v in evidence["votes"])


def test_the_api_gives_cells_with_ratings_and_the_rule(client, auth):
    headers = auth.token("hwb", "read")
    body = client.get(f"/api/v1/adherence?first={LAST.key}&last={NOW.key}&organisation=nvh", headers=headers).get_json()
    assert body["quarters"] == [LAST.key, NOW.key] and body["rule"] == list(RULE)
    cell = next(c for c in body["cells"] if c["quarter"] == LAST.key)
    assert cell["organisation"] == "NVH" and cell["votes"] == cell["adhered"] + cell["partly_adhered"] + cell["not_adhered"]
    assert cell["rating"]["reason"] and cell["evidence"] == f"/adherence/NVH/{LAST.key}"
    assert client.get("/api/v1/adherence?first=2020-21-Q1&last=2026-27-Q1", headers=headers).status_code == 422


def test_the_dashboard_can_be_replayed_as_of_an_earlier_date(client, auth):
    auth.login("lead")
    live = client.get("/adherence").get_data(as_text=True)
    early = client.get(f"/adherence?as_of={(date.today().replace(day=1)).isoformat()}").get_data(as_text=True)
    assert 'id="replay-banner"' in early and 'id="replay-banner"' not in live
