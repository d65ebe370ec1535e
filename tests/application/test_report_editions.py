"""Publishing the six-monthly report safely, correcting it by a new edition, and quoting text by reference.

Run on SQLite and PostgreSQL, each scenario reloading the report from a fresh application.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from application import Database, Ledger
from domain.errors import RuleViolationError, ValidationError
from domain.figures import undrawn
from domain.periods import half_of
from domain.values import SYSTEM, Actor, Role
from tests.application.governance_seed import seed
from tests.conftest import LEAD

TODAY = date.today()
ADMIN = Actor("admin", Role.ADMIN)
CQC = Actor("cqc", Role.REGULATOR, "CQC")


def draft(ledger: Ledger):  # type: ignore[no-untyped-def]
    cast = seed(ledger)
    period = half_of(TODAY).previous()
    given = period.start + timedelta(days=20)
    fid = ledger.give_feedback(CQC, organisation="NVH", tenor="concerning", summary="Ward staff unaware",
                               occurred_on=given, examples=[
                                   {"occurred_on": given, "description": "Priya Raman dismissed the PVB at handover",
                                    "person_id": cast.people["Priya Raman"]},
                                   {"occurred_on": given, "description": "The PVB poster was missing on two wards"}])
    ichair = cast.actor("ichair")
    ledger.respond_to_feedback(ichair, fid, action="raised_with_chair", response="Raised with NVH's Chair",
                               occurred_on=given + timedelta(days=3))
    ledger.draft_six_monthly_report(LEAD, period=period.key)
    ledger.edit_six_monthly_narrative(ichair, period=period.key, narrative="One concerning item of feedback.")
    return cast, period, ichair


def test_publishing_refuses_a_public_summary_that_names_anyone_in_the_directory(ledger):
    cast, period, ichair = draft(ledger)
    ledger.add_user(ADMIN, username="mthorne", password="a-long-password-1", role="accountable_officer",
                    organisation="STP", person_id=cast.people["Michael Thorne"])
    for summary, named in (("Thanks to priya raman for her work.", "Priya Raman"),
                           ("The AO, mthorne, chased the actions.", "mthorne")):
        with pytest.raises(ValidationError, match=f"names someone in the directory \\({named}\\)") as e:
            ledger.publish_six_monthly_report(ichair, period=period.key, public_summary=summary)
        assert e.value.field == "public_summary"
    assert ledger.get_six_monthly_report(period.key).published_on is None  # nothing half-written
    digest = ledger.publish_six_monthly_report(ichair, period=period.key,
                                               public_summary="The partners kept to the principles; MTHORNE aside.")
    assert ledger.get_six_monthly_report(period.key).content["public_summary"].endswith("MTHORNE aside.")
    assert len(digest) == 64  # a username counts only as written: MTHORNE is not the username mthorne


def test_publishing_refuses_figures_redrawn_since_they_were_checked_and_sections_that_could_not_be_drawn(ledger):
    _, period, ichair = draft(ledger)
    checked = ledger.get_six_monthly_report(period.key).position
    ledger.register_organisation(LEAD, code="WNC", name="Welland", kind="community_mental_health_trust")
    ledger.redraft_six_monthly_report(LEAD, period=period.key)
    with pytest.raises(RuleViolationError, match=f"redrawn \\(now at position \\d+, not {checked}\\)"):
        ledger.publish_six_monthly_report(ichair, period=period.key, public_summary="x", drawn_at=checked)
    figures = ledger.get_six_monthly_report(period.key).figures
    assert undrawn(figures) == []
    legacy = dict(figures, format="pvb-report-figures/1")  # figures drawn before every section was wired
    assert undrawn(legacy) == [s["title"] for s in figures["sections"]]


def test_a_correction_supersedes_the_published_edition_which_stays_as_published(database_url, ledger):
    _, period, ichair = draft(ledger)
    first = ledger.publish_six_monthly_report(ichair, period=period.key, public_summary="First.")
    with pytest.raises(RuleViolationError, match="is frozen: draft a corrected edition"):
        ledger.edit_six_monthly_narrative(ichair, period=period.key, narrative="Changed")
    edition = ledger.draft_corrected_edition(ichair, period=period.key, reason="The narrative misread the tenor")
    assert edition == 2
    ledger.edit_six_monthly_narrative(ichair, period=period.key, narrative="One concerning item, now read right.")
    second = ledger.publish_six_monthly_report(ichair, period=period.key, public_summary="Corrected.")
    again = Ledger(Database.parse(database_url))  # the events read back into a fresh application
    try:
        old, new = again.get_six_monthly_report(period.key, 1), again.get_six_monthly_report(period.key)
        assert (old.content_hash, old.superseded_by, old.content["public_summary"]) == (first, 2, "First.")
        assert (new.edition, new.content_hash, new.supersedes) == (2, second, 1)
        assert new.content["supersedes"] == {"edition": 1, "content_hash": first,
                                             "reason": "The narrative misread the tenor"}
        with pytest.raises(RuleViolationError, match="already superseded by edition 2"):
            again._edition(period.key, 1).draft_correction("x", {}, 0, {}, ichair, TODAY)
        edition = again.draft_corrected_edition(ichair, period=period.key, reason="Another mistake")
        assert (edition, again.get_six_monthly_report(period.key).narrative) == (3, new.narrative)
    finally:
        again.close()


def test_quoted_text_is_a_reference_read_when_drawn_and_shows_as_erased_after_an_erasure(ledger):
    cast, period, ichair = draft(ledger)
    ledger.publish_six_monthly_report(ichair, period=period.key, public_summary="Published.")
    content = ledger.get_six_monthly_report(period.key).content
    feedback = next(s for s in content["figures"]["sections"] if s["key"] == "regulator_feedback")
    assert "Priya Raman dismissed" not in str(content)  # the text is never frozen, only where it is
    quotes = {q["heading"]: q["items"] for q in feedback["quotes"]}
    examples, responses = quotes["Examples cited"], quotes["The Independent Chair's responses"]
    assert [ledger.quoted_text(q["position"], q["field"]) for q in examples] == [
        "Priya Raman dismissed the PVB at handover", "The PVB poster was missing on two wards"]
    assert ledger.quoted_text(responses[0]["position"], responses[0]["field"]) == "Raised with NVH's Chair"
    ledger.erase_person(ADMIN, cast.people["Priya Raman"], "her request")
    assert [ledger.quoted_text(q["position"], q["field"]) for q in examples] == [
        None, "The PVB poster was missing on two wards"]
    assert ledger.get_six_monthly_report(period.key).content == content  # the frozen report is untouched


def test_a_bare_ledger_draws_every_section_from_its_log(ledger):
    ledger.init_framework(SYSTEM)
    seed(ledger)
    figures = ledger.draw_report_figures("quarterly", half_of(TODAY).previous().key.replace("H1", "Q1").replace("H2", "Q3"))
    assert [s for s in figures["sections"] if "error" in s] == []
    assert figures["position"] == ledger.max_position()


def test_a_report_drawn_before_reports_came_from_the_log_cannot_be_published_or_exported_for_its_figures(ledger, tmp_path):
    from domain.report import Report

    cast = seed(ledger)
    period = half_of(TODAY).previous()
    legacy = {"as_of": period.end.isoformat(), "period_label": period.label, "sections": [
        {"key": "adherence", "title": "Adherence by organisation", "available": False,
         "note": "drawn by an earlier release", "figures": {}, "table": None, "chart": None, "lists": {}}]}
    ledger.save(Report.draft("six_monthly", period, legacy, ledger.max_position(), ledger.report_checkpoint(), LEAD,
                             TODAY))
    ichair = cast.actor("ichair")
    ledger.edit_six_monthly_narrative(ichair, period=period.key, narrative="Written on old figures.")
    with pytest.raises(RuleViolationError, match="could not be drawn .*Adherence by organisation.*redraw the figures"):
        ledger.publish_six_monthly_report(ichair, period=period.key, public_summary="x")
    with pytest.raises(RuleViolationError, match="its figures cannot be recomputed"):
        ledger.export_report_bundle(str(tmp_path / "b"), "six_monthly", period.key)
    ledger.redraft_six_monthly_report(LEAD, period=period.key)
    assert ledger.publish_six_monthly_report(ichair, period=period.key, public_summary="Redrawn.")
