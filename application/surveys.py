"""Commands and questions about the staff survey panel, panel surveys and all-staff survey results."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from application.base import Commands
from application.meeting_details import (
    ImportPreview,
    ImportResult,
    PanelDetails,
    SurveyDetails,
    TimelineEntry,
)
from application.survey_import import map_responses, parse_all_staff_csv
from application.surveymonkey import FileProblem, FileRejectedError, parse_export
from application.timelines import summary
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.organisation import organisation_id
from domain.survey import Survey, survey_id
from domain.survey_mapping import QuestionMap, SurveyMapping
from domain.survey_panel import PANEL_ID, SurveyPanel
from domain.values import Actor

if TYPE_CHECKING:
    from application.details import PersonDetails

AGREEMENT = ("Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree")
# The two PVB questions carried by the regular all-staff surveys.
ALL_STAFF_QUESTIONS = (
    QuestionMap(
        key="q1", heading="Leaders across our health and care system work together openly and do what they say they will do.",
        option="Response", label="Leaders work together openly", answers=AGREEMENT, favourable=AGREEMENT[:2],
        catalogue_items=("SL-1", "V-2", "V-4"),
    ),
    QuestionMap(
        key="q2", heading="I feel able to speak up and challenge across organisations, and I am supported when I do.",
        option="Response", label="Able to speak up and challenge", answers=AGREEMENT, favourable=AGREEMENT[:2],
        catalogue_items=("B-2", "V-3", "SL-3"),
    ),
)


class SurveyCommands(Commands):
    """Agree the panel, open surveys, save mappings, import responses and record all-staff results."""

    events: Any

    if TYPE_CHECKING:

        def get_person(self, person_id: str) -> PersonDetails: ...
        def check_citations(self, item_ids: list[str]) -> tuple[int, list[str]]: ...

    def agree_panel(self, actor: Actor, *, member_ids: Iterable[str], occurred_on: date | None = None) -> None:
        """Agree the staff survey panel with its first members."""
        self._authorise(actor, "surveys.manage")
        if self._exists(PANEL_ID):
            raise RuleViolationError("the staff survey panel is already agreed; record joiners and leavers")
        members = [self._member(pid) for pid in member_ids]
        self.save(SurveyPanel.agree(members, actor, self._occurred(occurred_on)))

    def add_panel_member(self, actor: Actor, person_id: str, occurred_on: date | None = None) -> None:
        """Record someone joining the panel."""
        self._authorise(actor, "surveys.manage")
        panel = self._panel()
        pid, organisation = self._member(person_id)
        panel.add_member(pid, organisation, actor, self._occurred(occurred_on))
        self.save(panel)

    def remove_panel_member(self, actor: Actor, person_id: str, *, reason: str, occurred_on: date | None = None) -> None:
        """Record someone leaving the panel."""
        self._authorise(actor, "surveys.manage")
        panel = self._panel()
        panel.remove_member(str(person_id), reason, actor, self._occurred(occurred_on))
        self.save(panel)

    def get_panel(self) -> PanelDetails:
        """The panel's current members."""
        if not self._exists(PANEL_ID):
            return PanelDetails(agreed=False)
        return PanelDetails(True, tuple(self._panel().members.items()))

    def open_survey(
        self, actor: Actor, *, code: str, kind: str, title: str, period: str,
        questions: list[dict[str, Any]] | None = None, occurred_on: date | None = None,
    ) -> str:
        """Set up a panel or all-staff survey for a quarter; all-staff ones get the two PVB questions."""
        self._authorise(actor, "surveys.manage")
        chosen: list[QuestionMap] = []
        if kind == "all_staff":
            chosen = [QuestionMap.from_dict({**q, "key": q.get("key") or f"q{n}"}) for n, q in enumerate(questions or [], 1)]
            chosen = chosen or list(ALL_STAFF_QUESTIONS)
        elif questions:
            raise ValidationError("a panel survey's questions come from its mapping", field="questions")
        version, _ = self.check_citations([i for q in chosen for i in q.catalogue_items])
        survey = Survey.open(
            code=code, kind=kind, title=title, period=period, questions=chosen, framework_version=version,
            actor=actor, occurred_on=self._occurred(occurred_on),
        )
        if self._exists(survey.id):
            raise RuleViolationError(f"survey {survey.code} already exists")
        self.save(survey)
        return survey.code

    def save_survey_mapping(
        self, actor: Actor, code: str, mapping: dict[str, Any], occurred_on: date | None = None
    ) -> None:
        """Save how a panel survey's export maps to catalogue items and organisations."""
        self._authorise(actor, "surveys.manage")
        survey = self._survey(code)
        the_mapping = SurveyMapping.from_dict(mapping)
        named = set(the_mapping.organisation.answers.values())
        the_mapping.check({c for c in named if self._exists(organisation_id(c))})
        version, _ = self.check_citations(the_mapping.catalogue_items())
        survey.save_mapping(the_mapping, version, actor, self._occurred(occurred_on))
        self.save(survey)

    def preview_survey_import(self, actor: Actor, code: str, data: bytes, filename: str = "") -> ImportPreview:
        """What importing this file would do; raises FileRejectedError if it cannot be read at all."""
        self._authorise(actor, "surveys.import")
        survey = self._survey(code)
        details = self._survey_details(survey)
        if survey.kind == "all_staff":
            results = self._all_staff_results(survey, data)
            held = sum(1 for k, counts in results.items() if survey.results.get(k) == counts)
            nested: dict[str, dict[str, dict[str, int]]] = {}
            for (org, q), counts in results.items():
                nested.setdefault(org, {})[q] = counts
            return ImportPreview(details, None, len(results), len(results) - held, held, (), nested)
        export = parse_export(data, filename)
        if survey.mapping is None:
            new = sum(1 for r in export.rows if r.respondent_id not in survey.respondents)
            return ImportPreview(details, export, len(export.rows), new, len(export.rows) - new)
        try:
            responses = map_responses(export, survey.mapping)
        except FileRejectedError as e:
            return ImportPreview(details, export, len(export.rows), 0, 0, tuple(e.problems))
        new = len(survey.new_responses(responses))
        return ImportPreview(details, export, len(responses), new, len(responses) - new)

    def import_survey_file(
        self, actor: Actor, code: str, data: bytes, filename: str = "", occurred_on: date | None = None
    ) -> ImportResult:
        """Import a SurveyMonkey export (panel) or a results CSV (all-staff); only what is new is recorded."""
        self._authorise(actor, "surveys.import")
        survey = self._survey(code)
        when = self._occurred(occurred_on)
        if survey.kind == "all_staff":
            return self._import_all_staff(actor, survey, data, when)
        export = parse_export(data, filename)  # a malformed file is reported first, mapping or not
        if survey.mapping is None:
            raise RuleViolationError(f"save a mapping for survey {survey.code} before importing responses")
        responses = map_responses(export, survey.mapping)
        new = survey.new_responses(responses)
        held = len(responses) - len(new)
        if new:
            survey.import_responses(
                new, already_held=held, source_name=_file_name(filename), actor=actor, occurred_on=when,
                source_sha256=hashlib.sha256(data).hexdigest(),
            )
            self.save(survey)
        return ImportResult(survey.code, len(new), held, len(responses))

    def record_all_staff_results(
        self, actor: Actor, code: str, *, organisation: str, question: str, counts: dict[str, int],
        occurred_on: date | None = None,
    ) -> None:
        """Enter an organisation's counts per answer for one all-staff question."""
        self._authorise(actor, "surveys.import")
        survey = self._survey(code)
        org = self._organisation_code(organisation)
        survey.record_results(
            organisation=org, question=question, counts=dict(counts), source="entered", actor=actor,
            occurred_on=self._occurred(occurred_on),
        )
        self.save(survey)

    def correct_all_staff_results(
        self, actor: Actor, code: str, *, organisation: str, question: str, counts: dict[str, int], reason: str,
        occurred_on: date | None = None,
    ) -> None:
        """Correct an organisation's all-staff results, saying why."""
        self._authorise(actor, "surveys.import")
        survey = self._survey(code)
        survey.correct_results(
            organisation=self._organisation_code(organisation), question=question, counts=dict(counts),
            reason=reason, actor=actor, occurred_on=self._occurred(occurred_on),
        )
        self.save(survey)

    def get_survey(self, code: str) -> SurveyDetails:
        """A survey with its mapping or questions and what it holds."""
        return self._survey_details(self._survey(code))

    def survey_timeline(self, code: str) -> list[TimelineEntry]:
        """Every event of a survey, oldest first (imports say how many responses, never who)."""
        survey = self._survey(code)
        return [
            TimelineEntry(e.originator_version, type(e).__name__, e.occurred_on, e.timestamp, e.actor_id,
                          e.actor_role, summary(e))
            for e in self.events.get(survey.id)
        ]

    def survey_exists(self, code: str) -> bool:
        """True if a survey with this code was opened."""
        return self._exists(survey_id((code or "").strip().upper()))

    def _import_all_staff(self, actor: Actor, survey: Survey, data: bytes, when: date) -> ImportResult:
        results = self._all_staff_results(survey, data)
        new = {k: v for k, v in results.items() if survey.results.get(k) != v}
        for (org, question), counts in new.items():
            survey.record_results(
                organisation=org, question=question, counts=counts, source="csv", actor=actor, occurred_on=when
            )
        if new:
            self.save(survey)
        return ImportResult(survey.code, len(new), len(results) - len(new), len(results))

    def _all_staff_results(self, survey: Survey, data: bytes) -> dict[tuple[str, str], dict[str, int]]:
        """Read and check an all-staff CSV whole; every problem is reported by row and column."""
        parsed = parse_all_staff_csv(data)
        problems: list[FileProblem] = []
        for (org, question, answer), row in parsed.rows.items():
            q = survey.question(question)
            if not self._exists(organisation_id(org)):
                problems.append(FileProblem(row, "A", f"organisation {org} is not in the directory"))
            elif q is None:
                problems.append(FileProblem(row, "B", f"survey {survey.code} has no question {question!r}"))
            elif answer not in q.answers:
                problems.append(FileProblem(row, "C", f"{answer!r} is not an answer to {question} ({'; '.join(q.answers)})"))
        for key, counts in parsed.counts.items():
            held = survey.results.get(key)
            if held is not None and held != counts:
                row = min(parsed.rows[(key[0], key[1], a)] for a in counts)
                problems.append(FileProblem(row, None, f"results for {key[0]}, {key[1]} are already recorded with other counts; record a correction instead"))
            elif sum(counts.values()) == 0:
                problems.append(FileProblem(parsed.rows[(key[0], key[1], next(iter(counts)))], "D", "every count is zero"))
        if problems:
            raise FileRejectedError(problems)
        return parsed.counts

    def _survey_details(self, s: Survey) -> SurveyDetails:
        results: dict[str, dict[str, dict[str, int]]] = {}
        for (org, q), counts in sorted(s.results.items()):
            results.setdefault(org, {})[q] = dict(counts)
        return SurveyDetails(
            code=s.code, kind=s.kind, title=s.title, period=s.period,
            mapping=None if s.mapping is None else s.mapping.as_dict(),
            questions=tuple(q.as_dict() for q in s.questions), responses=len(s.respondents), results=results,
        )

    def _member(self, person_id: str) -> tuple[str, str]:
        try:
            person = self.get_person(str(person_id))
        except NotFoundError:
            raise ValidationError(f"person {person_id} is not in the directory", field="person_id") from None
        if person.left_on is not None:
            raise RuleViolationError(f"person {person_id} has left and cannot join the panel")
        return person.id, person.organisation

    def _organisation_code(self, code: str) -> str:
        code = (code or "").strip().upper()
        if not code or not self._exists(organisation_id(code)):
            raise NotFoundError(f"organisation {code or '(none)'} not found")
        return code

    def _panel(self) -> SurveyPanel:
        return self._load(SurveyPanel, PANEL_ID, "the staff survey panel (agree it first)")

    def _survey(self, code: str) -> Survey:
        code = (code or "").strip().upper()
        if not code:
            raise ValidationError("survey code is required", field="survey")
        return self._load(Survey, survey_id(code), f"survey {code}")


def _file_name(filename: str) -> str:
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "upload"
