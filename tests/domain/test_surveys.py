from __future__ import annotations

from datetime import date

import pytest

from domain.errors import RuleViolationError, ValidationError
from domain.survey import Survey, SurveyResponse
from domain.survey_mapping import QuestionMap, SurveyMapping
from domain.survey_panel import SurveyPanel
from domain.values import Actor, Role

LEAD = Actor("lead", Role.GOVERNANCE_LEAD)
ON = date(2026, 6, 1)
SCALE = ["Agree", "Disagree"]
MAPPING = SurveyMapping.from_dict({
    "organisation": {"source": "column", "heading": "Which organisation?", "answers": {"Nene Valley": "nvh"}},
    "questions": [{"heading": "Leaders work together", "label": "Together", "answers": SCALE, "favourable": ["Agree"],
                   "catalogue_items": ["SL-1"]}],
})


def panel_survey() -> Survey:
    return Survey.open(code="panel-q1", kind="panel", title="Panel Q1", period="2026-27-Q1", questions=[],
                       framework_version=1, actor=LEAD, occurred_on=ON)


def test_a_mapping_gives_question_keys_in_order_and_checks_its_answers():
    assert MAPPING.questions[0].key == "q1" and MAPPING.organisation.answers == {"Nene Valley": "NVH"}
    assert MAPPING.check({"NVH"}) is MAPPING
    with pytest.raises(ValidationError, match="unknown organisation"):
        MAPPING.check(set())
    bad = SurveyMapping.from_dict({**MAPPING.as_dict(), "questions": [
        {"heading": "H", "label": "L", "answers": SCALE, "favourable": ["Yes"]}]})
    with pytest.raises(ValidationError, match=r"favourable answer\(s\) \['Yes'\] are not among its answers"):
        bad.check({"NVH"})


def test_responses_are_imported_once_by_respondent_id():
    survey = panel_survey()
    first = [SurveyResponse("101", "NVH", {"q1": "Agree"}), SurveyResponse("102", None, {})]
    with pytest.raises(RuleViolationError, match="save a mapping"):
        survey.import_responses(first, already_held=0, source_name="a.csv", source_sha256="x", actor=LEAD, occurred_on=ON)
    survey.save_mapping(MAPPING, 1, LEAD, ON)
    survey.import_responses(first, already_held=0, source_name="a.csv", source_sha256="x", actor=LEAD, occurred_on=ON)
    later = first + [SurveyResponse("103", "NVH", {"q1": "Disagree"})]
    assert survey.new_responses(later) == [later[2]]
    with pytest.raises(RuleViolationError, match="respondent 101 is already imported"):
        survey.import_responses(later, already_held=0, source_name="b.csv", source_sha256="y", actor=LEAD, occurred_on=ON)
    with pytest.raises(RuleViolationError, match="already holds 2 responses"):
        survey.save_mapping(MAPPING, 1, LEAD, ON)


def test_an_answer_outside_the_mapping_is_refused():
    survey = panel_survey()
    survey.save_mapping(MAPPING, 1, LEAD, ON)
    with pytest.raises(ValidationError, match="'Maybe' is not an answer to q1"):
        survey.import_responses([SurveyResponse("1", "NVH", {"q1": "Maybe"})], already_held=0, source_name="a",
                                source_sha256="x", actor=LEAD, occurred_on=ON)


def test_all_staff_results_are_recorded_once_per_organisation_and_question_then_corrected():
    q = QuestionMap("q1", "Leaders work together", "Response", "Together", tuple(SCALE), ("Agree",))
    survey = Survey.open(code="STAFF-1", kind="all_staff", title="Pulse", period="2026-27-Q1", questions=[q],
                         framework_version=1, actor=LEAD, occurred_on=ON)
    survey.record_results(organisation="NVH", question="q1", counts={"Agree": 40, "Disagree": 10},
                          source="entered", actor=LEAD, occurred_on=ON)
    with pytest.raises(RuleViolationError, match="already recorded; record a correction instead"):
        survey.record_results(organisation="NVH", question="q1", counts={"Agree": 1}, source="csv",
                              actor=LEAD, occurred_on=ON)
    with pytest.raises(ValidationError, match="Maybe: not an answer to q1"):
        survey.record_results(organisation="RFH", question="q1", counts={"Maybe": 1}, source="csv",
                              actor=LEAD, occurred_on=ON)
    with pytest.raises(ValidationError, match="has no question 'q9'"):
        survey.record_results(organisation="RFH", question="q9", counts={"Agree": 1}, source="csv",
                              actor=LEAD, occurred_on=ON)
    survey.correct_results(organisation="NVH", question="q1", counts={"Agree": 41, "Disagree": 9}, reason="typo",
                           actor=LEAD, occurred_on=ON)
    assert survey.results[("NVH", "q1")] == {"Agree": 41, "Disagree": 9}
    assert survey.collect_events()[-1].corrects == {"Agree": 40, "Disagree": 10}


def test_the_panel_records_joiners_and_leavers():
    panel = SurveyPanel.agree([("p1", "NVH"), ("p2", "RFH")], LEAD, ON)
    panel.add_member("p3", "SCC", LEAD, ON)
    with pytest.raises(RuleViolationError, match="p3 is already on the panel"):
        panel.add_member("p3", "SCC", LEAD, ON)
    panel.remove_member("p1", "rotated_off", LEAD, ON)
    with pytest.raises(ValidationError, match="reason must be one of"):
        panel.remove_member("p2", "fired", LEAD, ON)
    assert panel.members == {"p2": "RFH", "p3": "SCC"}
    assert [type(e).__name__ for e in panel.collect_events()] == ["Agreed", "MemberJoined", "MemberLeft"]
