"""The SurveyMonkey export reader against realistic and broken exports (pure: bytes in, data out)."""

from __future__ import annotations

import csv
import io

import pytest

from application.demo_meetings import demo_export, panel_mapping
from application.survey_import import map_responses, parse_all_staff_csv
from application.surveymonkey import FileProblem, FileRejectedError, column_letter, parse_export
from domain.survey import SurveyResponse
from domain.survey_mapping import SurveyMapping

FIXED = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
         "Last Name", "Custom Data 1"]
HEAD = [*FIXED, "Which organisation do you work for?", "How far do you agree?", "", "Anything else?"]
SECOND = [""] * 9 + ["Response", "We speak up in meetings", "We support Board decisions", "Open-Ended Response"]


def row(rid: str, org: str = "Nene Valley", a: str = "Agree", b: str = "Disagree", text: str = "") -> list[str]:
    return [rid, "405123987", "01/18/2026 06:01:00 AM", "01/18/2026 06:06:00 AM", "192.0.2.17",
            "sophie.brown@nvh.example.nhs.uk", "Sophie", "Brown", "", org, a, b, text]


def export(*rows: list[str], head: list[str] = HEAD, second: list[str] | None = SECOND, bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    if second is not None:
        writer.writerow(second)
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode("utf-8")


def problems(data: bytes, filename: str = "export.csv") -> list[FileProblem]:
    with pytest.raises(FileRejectedError) as caught:
        parse_export(data, filename)
    return caught.value.problems


def test_reads_a_realistic_export_with_bom_quoted_commas_and_line_breaks():
    data = export(row("114001", text='Better, but "side conversations"\ncontinue.'), row("114002", org="Shire, Council"))
    parsed = parse_export(data)
    assert [(c.letter, c.heading, c.option) for c in parsed.columns] == [
        ("J", "Which organisation do you work for?", "Response"),
        ("K", "How far do you agree?", "We speak up in meetings"),
        ("L", "How far do you agree?", "We support Board decisions"),
        ("M", "Anything else?", "Open-Ended Response"),
    ]
    assert [(r.row, r.respondent_id, r.cells) for r in parsed.rows] == [
        (3, "114001", ("Nene Valley", "Agree", "Disagree", 'Better, but "side conversations"\ncontinue.')),
        (4, "114002", ("Shire, Council", "Agree", "Disagree", "")),
    ]
    assert parsed.columns[3].free_text and not parsed.columns[1].free_text
    assert parse_export(export(row("114001"), bom=False)).rows == parse_export(export(row("114001"))).rows


def test_personal_identifiers_never_leave_the_reader():
    parsed = parse_export(export(row("114001")))
    text = repr(parsed)
    assert "sophie.brown" not in text and "192.0.2.17" not in text and "Brown" not in text


def test_reads_the_shipped_demo_export():
    parsed = parse_export(demo_export(1), "demo_panel_survey_Q1.csv")
    assert len(parsed.rows) == 50 and len(parsed.columns) == 9 and parsed.file_format == "csv"
    assert any("\n" in r.cells[-1] for r in parsed.rows)  # a comment with a line break
    responses = map_responses(parsed, SurveyMapping.from_dict(panel_mapping()))
    assert {r.organisation for r in responses} == {"NVH", "RFH", "WNC", "NCCG", "CKCCG", "SCC"}
    assert set(responses[0].answers) == {"q1", "q2", "q3", "q4"}


def test_a_missing_fixed_column_is_named_with_its_row_and_column():
    head = [c for c in HEAD if c != "IP Address"]
    second = SECOND[1:]
    found = problems(export([r for i, r in enumerate(row("1")) if i != 4], head=head, second=second))
    assert (found[0].row, found[0].column) == (1, "E")
    assert "the column 'IP Address' is missing (found 'Email Address' here)" in found[0].message


def test_an_export_without_its_second_header_row_is_refused():
    found = problems(export(row("114001"), row("114002"), second=None))
    assert (found[0].row, found[0].column) == (2, "A")
    assert "is the export missing its second header row" in found[0].message


def test_a_duplicate_respondent_id_in_one_file_is_refused_with_both_rows():
    found = problems(export(row("114001"), row("114002"), row("114001")))
    assert found == [FileProblem(5, "A", "Respondent ID 114001 appears twice in this file (first on row 3)")]


def test_ragged_rows_and_bad_respondent_ids_are_each_reported():
    short = row("114002")[:11]
    found = problems(export(row("114001"), short, row("x1"), row("")))
    assert [(p.row, p.column) for p in found] == [(4, "L"), (5, "A"), (6, "A")]
    assert "the row has 11 cells but the header has 13" in found[0].message
    error = FileRejectedError(found)
    assert str(error).startswith("the file was not imported (3 problems; nothing was recorded): row 4, column L")


def test_malformed_csv_and_non_utf8_bytes_are_refused():
    assert "malformed" in problems(export(row("1")) + b'"unterminated\r\n')[0].message
    assert "not UTF-8" in problems(export(row("1")).replace(b"Agree", b"\xe9Agree"))[0].message
    assert "empty" in problems(b"")[0].message


def test_reads_an_xlsx_export_the_same_as_its_csv():
    from openpyxl import Workbook

    rows = [row("114001", text="Line one,\nline two"), row("114002", org="Shire County Council")]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEAD)
    sheet.append([c or None for c in SECOND])
    for r in rows:
        sheet.append([int(r[0]), int(r[1]), *r[2:]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    xlsx = parse_export(buffer.getvalue(), "responses.xlsx")
    as_csv = parse_export(export(*rows))
    assert xlsx.file_format == "xlsx"
    assert (xlsx.columns, xlsx.rows) == (as_csv.columns, as_csv.rows)


def test_a_broken_xlsx_is_refused():
    assert "not a readable XLSX" in problems(b"PK\x03\x04broken", "x.xlsx")[0].message


def test_the_mapping_reports_unmapped_organisations_and_answers_by_row_and_column():
    mapping = SurveyMapping.from_dict({
        "organisation": {"source": "column", "heading": "Which organisation do you work for?",
                         "answers": {"Nene Valley": "NVH"}},
        "questions": [{"heading": "How far do you agree?", "option": "We speak up in meetings", "label": "Speak up",
                       "answers": ["Agree", "Disagree"], "favourable": ["Agree"]}],
    })
    parsed = parse_export(export(row("1"), row("2", org=""), row("3", org="Elsewhere"), row("4", a="Maybe")))
    with pytest.raises(FileRejectedError) as caught:
        map_responses(parsed, mapping)
    assert caught.value.problems == [
        FileProblem(5, "J", "'Elsewhere' is not mapped to an organisation"),
        FileProblem(6, "K", "'Maybe' is not one of the answers mapped for q1 (Agree; Disagree)"),
    ]
    good = parse_export(export(row("1"), row("2", org="", a="")))
    assert map_responses(good, mapping) == [SurveyResponse("1", "NVH", {"q1": "Agree"}), SurveyResponse("2", None, {})]


def test_all_staff_results_csv_is_read_whole_or_refused():
    results = parse_all_staff_csv(b"\xef\xbb\xbforganisation,question,answer,count\nnvh,q1,Agree,40\nNVH,q1,Disagree,10\n")
    assert results.counts == {("NVH", "q1"): {"Agree": 40, "Disagree": 10}}
    with pytest.raises(FileRejectedError) as caught:
        parse_all_staff_csv(b"organisation,question,answer,count\nNVH,q1,Agree,forty\nNVH,q1\n")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "D"), (3, "C")]


def test_column_letters_go_past_z():
    assert [column_letter(i) for i in (0, 8, 25, 26, 51, 52)] == ["A", "I", "Z", "AA", "AZ", "BA"]


def test_the_organisation_may_come_from_custom_data_1_which_is_never_kept():
    rows = [row("1"), row("2")]
    rows[0][8], rows[1][8] = "NVH-link", "RFH-link"
    mapping = SurveyMapping.from_dict({
        "organisation": {"source": "custom_data", "answers": {"NVH-link": "NVH", "RFH-link": "RFH"}},
        "questions": [{"heading": "How far do you agree?", "option": "We speak up in meetings", "label": "Speak up",
                       "answers": ["Agree", "Disagree"], "favourable": ["Agree"]}],
    })
    responses = map_responses(parse_export(export(*rows)), mapping)
    assert [(r.organisation, r.answers) for r in responses] == [("NVH", {"q1": "Agree"}), ("RFH", {"q1": "Agree"})]
    assert "link" not in repr(responses)
