"""Publishing the six-monthly report through its check page, correcting it, its bundle, and the calendar's links."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date

import pytest

from domain.periods import half_of
from tests.conftest import LEAD

TODAY = date.today()


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """Over the demo on SQLite only (the commands run on both engines in tests/application/test_report_editions.py)."""
    return sqlite_url


def test_the_check_page_shows_what_will_be_frozen_warns_of_newer_events_and_redraws_in_one_click(client, auth, app):
    ledger = app.extensions["pvb"].ledger
    period = half_of(TODAY).previous().key  # the demo's latest report: a draft awaiting the Independent Chair
    auth.login("ichair")
    assert client.post(f"/reports/six-monthly/{period}/narrative", data={"narrative": "Steady."}).status_code == 302
    draft = client.get(f"/reports/six-monthly/{period}").get_data(as_text=True)
    assert f'href="/reports/six-monthly/{period}/publish"' in draft and 'id="publish-form"' not in draft
    drawn = ledger.get_six_monthly_report(period).position
    ledger.register_organisation(LEAD, code="KGH", name="Kettering General Hospital", kind="acute_trust")
    page = client.get(f"/reports/six-monthly/{period}/publish").get_data(as_text=True)
    behind = ledger.figure_changes_since(drawn)
    assert behind == 1 and f"at position {drawn}; 1 event since that the figures are drawn from. Redraw first?" in page
    assert "Adherence by organisation" in page and "Closing votes:" in page and "Bank holidays used" in page
    redraw = client.post(f"/reports/six-monthly/{period}/redraft?next=check")
    assert redraw.status_code == 302 and redraw.headers["Location"].endswith(f"/reports/six-monthly/{period}/publish")
    page = client.get(f"/reports/six-monthly/{period}/publish").get_data(as_text=True)
    assert 'id="stale"' not in page and f'name="drawn_at" value="{ledger.get_six_monthly_report(period).position}"' in page


def test_publishing_through_the_check_page_refuses_names_and_stale_figures_then_confirms(client, auth, app):
    services = app.extensions["pvb"]
    period = half_of(TODAY).previous().key
    auth.login("ichair")
    drawn = services.ledger.get_six_monthly_report(period).position
    assert 'id="no-narrative"' in client.get(f"/reports/six-monthly/{period}/publish").get_data(as_text=True)
    assert client.post(f"/reports/six-monthly/{period}/narrative", data={"narrative": "Steady."}).status_code == 302
    assert 'id="publish-form"' in client.get(f"/reports/six-monthly/{period}/publish").get_data(as_text=True)
    named = client.post(f"/reports/six-monthly/{period}/publication",
                        data={"public_summary": "Thanks to Margaret Ashby.", "drawn_at": drawn})
    page = named.get_data(as_text=True)
    assert named.status_code == 422 and "There is a problem" in page and "names someone in the directory" in page
    assert "Margaret Ashby" in page  # the check page again, with the summary kept
    stale = client.post(f"/reports/six-monthly/{period}/publication", data={"public_summary": "Fine.", "drawn_at": drawn - 1})
    assert stale.status_code == 422 and "check them again before publishing" in stale.get_data(as_text=True)
    assert services.projections["reports"].get_report(period)["status"] == "draft"
    done = client.post(f"/reports/six-monthly/{period}/publication",
                       data={"public_summary": "The partners kept to the principles.", "drawn_at": drawn})
    assert done.status_code == 302 and done.headers["Location"].endswith("/editions/1?published=1")
    confirmation = client.get(done.headers["Location"]).get_data(as_text=True)
    row = services.projections["reports"].get_report(period)
    assert 'id="published-panel"' in confirmation and "Report published" in confirmation
    assert row["status"] == "published" and row["content_hash"] in confirmation
    assert client.get(f"/reports/six-monthly/{period}/publish").headers["Location"].endswith("/editions/1")


def test_a_published_report_is_corrected_by_a_new_edition_and_its_bundle_downloads_from_its_page(client, auth, app):
    services = app.extensions["pvb"]
    first = services.projections["reports"].published()[-1]
    period = first["period"]
    auth.login("ichair")
    old = client.get(f"/reports/six-monthly/{period}/editions/1").get_data(as_text=True)
    assert 'id="superseded"' in old and "Superseded by edition 2" in old and "edition 2 (published)" in old
    current = client.get(f"/reports/six-monthly/{period}").get_data(as_text=True).replace("&#39;", "'")
    reason = services.ledger.get_six_monthly_report(period).reason
    assert "This edition supersedes edition 1" in current and reason in current and 'id="correction-form"' in current
    assert client.post(f"/reports/six-monthly/{period}/corrections", data={"reason": ""}).status_code == 422
    made = client.post(f"/reports/six-monthly/{period}/corrections", data={"reason": "A third look"})
    assert made.status_code == 302 and made.headers["Location"].endswith("/editions/3")
    assert "A corrected edition (edition 3) is being drafted" in client.get(f"/reports/six-monthly/{period}").get_data(as_text=True)
    auth.logout()
    auth.login("cqc")  # regulators read published editions and download their evidence
    page = client.get(f"/reports/six-monthly/{period}").get_data(as_text=True)
    assert 'id="download-bundle"' in page and "edition 3" not in page
    bundle = client.get(f"/reports/six-monthly/{period}/editions/2/bundle")
    assert bundle.status_code == 200 and bundle.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(bundle.data)).namelist()
    root = f"pvb-six-monthly-{period}-edition-2/"
    assert {root + "report.json", root + "verify_bundle.py", root + "figures/report.py", root + "events.jsonl"} <= set(names)
    report = json.loads(zipfile.ZipFile(io.BytesIO(bundle.data)).read(root + "report.json"))
    assert (report["edition"], report["status"]) == (2, "published")
    auth.logout()
    auth.login("staff.nvh")
    assert client.get(f"/reports/six-monthly/{period}/bundle").status_code == 403


def test_the_calendar_tracks_panel_surveys_and_links_every_duty_to_where_it_is_done(client, auth):
    auth.login("lead")
    due = client.get("/api/v1/calendar/due", headers=auth.token("lead", "read")).get_json()
    panels = [i for i in due["items"] if i["kind"] == "panel_survey"]
    done = [i for i in panels if i["status"] == "done"]
    assert len(done) == 4 and all(i["href"] == f"/surveys/{i['subject']}" for i in done)
    assert all(i["href"] in ("/surveys", f"/surveys/{i['subject']}/import") for i in panels if i["status"] != "done")
    assert due["counts"] == {s: sum(1 for i in due["items"] if i["status"] == s) for s in ("overdue", "due", "done")}
    page = client.get("/due").get_data(as_text=True)
    for item in due["items"]:
        assert f'<a href="{item["href"]}">{item["title"]}</a>' in page.replace("&#39;", "'")
        assert client.get(item["href"]).status_code == 200, item
    assert "not tracked" not in page


def test_pvb_export_report_writes_a_report_bundle_and_refuses_a_period_that_is_no_report(sqlite_url, tmp_path, app):
    from click.testing import CliRunner

    from web.cli import cli

    period = app.extensions["pvb"].projections["reports"].published()[-1]["period"]
    out = tmp_path / "bundle"

    class Runner:
        def invoke(self, args: list[str]):  # type: ignore[no-untyped-def]
            return CliRunner().invoke(cli, args, env={"PVB_DATABASE_URL": sqlite_url, "PVB_PROJECTIONS": "inline"})

    runner = Runner()
    result = runner.invoke(args=["export", "--report", period, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads((out / "report.json").read_text())["period"] == period and (out / "figures" / "days.py").is_file()
    quarter = tmp_path / "quarter"
    assert runner.invoke(args=["export", "--report", "2026-27-q2", "--out", str(quarter)]).exit_code == 0
    assert json.loads((quarter / "report.json").read_text())["kind"] == "quarterly"
    bad = runner.invoke(args=["export", "--report", "2026-27-X9", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "is not a report period" in bad.output
    both = runner.invoke(args=["export", "--report", period, "--until", "3", "--out", str(tmp_path / "y")])
    assert both.exit_code == 2 and "--until does not go with --report" in both.output
