"""A staff survey: the quarterly panel survey (SurveyMonkey responses) or an all-staff survey's results."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import RuleViolationError, ValidationError
from domain.period import Quarter
from domain.survey_mapping import QuestionMap, SurveyMapping, check_questions
from domain.values import Actor

SURVEY_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,31}$")
SURVEY_KINDS = ("panel", "all_staff")
RESULT_SOURCES = ("entered", "csv")
MAX_COUNT = 10_000_000  # more than the NHS's whole workforce: anything larger is a mistake


def survey_id(code: str) -> UUID:
    """The stable aggregate id of the survey with this code."""
    return uuid5(NAMESPACE_URL, f"pvb-ledger:survey:{code}")


@dataclass(frozen=True)
class SurveyResponse:
    """One respondent's answers to the mapped questions; never who they are."""

    respondent_id: str
    organisation: str | None
    answers: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"respondent_id": self.respondent_id, "organisation": self.organisation, "answers": dict(self.answers)}


class Survey(LedgerAggregate):
    """A survey for one quarter; a panel survey's responses are imported, all-staff results entered."""

    class Opened(LedgerAggregate.Created):
        """The survey was set up; an all-staff survey carries its PVB questions from the start."""

        code: str
        kind: str
        title: str
        period: str
        questions: list[dict[str, Any]]
        framework_version: int

        def apply(self, survey: Survey) -> None:
            survey.code, survey.kind, survey.title = self.code, self.kind, self.title
            survey.period = self.period
            survey.mapping = None
            survey.questions = [QuestionMap.from_dict(q) for q in self.questions]
            survey.respondents = set()
            survey.results = {}

    class MappingSaved(LedgerAggregate.Event):
        """The mapping from the export's columns to catalogue items and organisations."""

        mapping: dict[str, Any]
        framework_version: int

        def apply(self, survey: Survey) -> None:
            survey.mapping = SurveyMapping.from_dict(self.mapping)
            survey.questions = list(survey.mapping.questions)

    class ResponsesImported(LedgerAggregate.Event):
        """New responses from an export; responses already held were left out."""

        source_name: str
        source_sha256: str
        responses: list[dict[str, Any]]
        already_held: int

        def apply(self, survey: Survey) -> None:
            survey.respondents.update(r["respondent_id"] for r in self.responses)

    class AllStaffResultsRecorded(LedgerAggregate.Event):
        """How many of an organisation's staff gave each answer to one all-staff question."""

        organisation: str
        question: str
        counts: dict[str, int]
        source: str

        def apply(self, survey: Survey) -> None:
            survey.results[(self.organisation, self.question)] = dict(self.counts)

    class AllStaffResultsCorrected(LedgerAggregate.Event):
        """All-staff results recorded wrongly, put right; the original stays in the log."""

        organisation: str
        question: str
        counts: dict[str, int]
        corrects: dict[str, int]
        reason: str

        def apply(self, survey: Survey) -> None:
            survey.results[(self.organisation, self.question)] = dict(self.counts)

    code: str
    kind: str
    title: str
    period: str
    mapping: SurveyMapping | None
    questions: list[QuestionMap]
    respondents: set[str]
    results: dict[tuple[str, str], dict[str, int]]

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def open(
        cls, *, code: str, kind: str, title: str, period: str, questions: list[QuestionMap],
        framework_version: int, actor: Actor, occurred_on: date,
    ) -> Survey:
        """Set up a survey for a quarter."""
        code = (code or "").strip().upper()
        if not SURVEY_CODE.match(code):
            raise ValidationError(
                "code must be 2-32 capital letters, digits or dashes, starting with a letter", field="code"
            )
        if kind not in SURVEY_KINDS:
            raise ValidationError(f"kind must be one of: {', '.join(SURVEY_KINDS)}", field="kind")
        if kind == "all_staff":
            check_questions(tuple(questions))
        elif questions:
            raise ValidationError("a panel survey's questions come from its mapping", field="questions")
        return cls._start(
            cls.Opened, actor, occurred_on, id=survey_id(code), code=code, kind=kind,
            title=check_text(title, "title", max_length=200), period=Quarter.parse(period, "period").key,
            questions=[q.as_dict() for q in questions], framework_version=framework_version,
        )

    def save_mapping(self, mapping: SurveyMapping, framework_version: int, actor: Actor, occurred_on: date) -> None:
        """Save the mapping used to import this panel survey's responses."""
        if self.kind != "panel":
            raise RuleViolationError(f"survey {self.code} is an all-staff survey; its questions were set when opened")
        if self.respondents:
            raise RuleViolationError(
                f"survey {self.code} already holds {len(self.respondents)} responses imported with its "
                "mapping; open a new survey to use a different mapping"
            )
        self._record(self.MappingSaved, actor, occurred_on, mapping=mapping.as_dict(), framework_version=framework_version)

    def new_responses(self, responses: list[SurveyResponse]) -> list[SurveyResponse]:
        """The responses whose Respondent ID this survey does not hold yet."""
        return [r for r in responses if r.respondent_id not in self.respondents]

    def import_responses(
        self, responses: list[SurveyResponse], *, already_held: int, source_name: str, source_sha256: str,
        actor: Actor, occurred_on: date,
    ) -> None:
        """Record new responses; each Respondent ID is imported once, whatever the export."""
        if self.mapping is None:
            raise RuleViolationError(f"save a mapping for survey {self.code} before importing responses")
        if not responses:
            raise RuleViolationError(f"the export holds no responses that survey {self.code} does not already hold")
        seen: set[str] = set()
        for r in responses:
            if r.respondent_id in self.respondents or r.respondent_id in seen:
                raise RuleViolationError(f"respondent {r.respondent_id} is already imported into {self.code}")
            seen.add(r.respondent_id)
            self._check_answers(r)
        self._record(
            self.ResponsesImported, actor, occurred_on, source_name=check_text(source_name, "source_name", max_length=200),
            source_sha256=source_sha256, responses=[r.as_dict() for r in responses], already_held=already_held,
        )

    def record_results(
        self, *, organisation: str, question: str, counts: dict[str, int], source: str, actor: Actor, occurred_on: date
    ) -> None:
        """Record an organisation's counts per answer for one all-staff question."""
        self._check_results(organisation, question, counts)
        if source not in RESULT_SOURCES:
            raise ValidationError(f"source must be one of: {', '.join(RESULT_SOURCES)}", field="source")
        if (organisation, question) in self.results:
            raise RuleViolationError(
                f"results for {organisation}, question {question} of {self.code} are already recorded; "
                "record a correction instead"
            )
        self._record(
            self.AllStaffResultsRecorded, actor, occurred_on, organisation=organisation, question=question,
            counts=dict(counts), source=source,
        )

    def correct_results(
        self, *, organisation: str, question: str, counts: dict[str, int], reason: str, actor: Actor, occurred_on: date
    ) -> None:
        """Correct an organisation's all-staff results, saying why."""
        self._check_results(organisation, question, counts)
        current = self.results.get((organisation, question))
        if current is None:
            raise RuleViolationError(f"there are no results for {organisation}, question {question} to correct")
        if current == counts:
            raise ValidationError("the correction changes nothing", field="counts")
        self._record(
            self.AllStaffResultsCorrected, actor, occurred_on, organisation=organisation, question=question,
            counts=dict(counts), corrects=current, reason=check_text(reason, "reason", max_length=2000),
        )

    def question(self, key: str) -> QuestionMap | None:
        """The question with this key."""
        return next((q for q in self.questions if q.key == key), None)

    def _check_answers(self, response: SurveyResponse) -> None:
        for key, answer in response.answers.items():
            q = self.question(key)
            if q is None or answer not in q.answers:
                raise ValidationError(f"respondent {response.respondent_id}: {answer!r} is not an answer to {key}")

    def _check_results(self, organisation: str, question: str, counts: dict[str, int]) -> None:
        if self.kind != "all_staff":
            raise RuleViolationError(f"survey {self.code} is a panel survey; import its responses instead")
        q = self.question(question)
        if q is None:
            keys = ", ".join(x.key for x in self.questions)
            raise ValidationError(f"survey {self.code} has no question {question!r} (it has {keys})", field="question")
        stray = sorted(set(counts) - set(q.answers))
        if stray:
            raise ValidationError(f"{', '.join(stray)}: not an answer to {question} ({'; '.join(q.answers)})", field="counts")
        if any(not isinstance(n, int) or n < 0 for n in counts.values()) or sum(counts.values()) == 0:
            raise ValidationError("counts are whole numbers, at least one above zero", field="counts")
        if any(n > MAX_COUNT for n in counts.values()):
            raise ValidationError(f"a count is more than {MAX_COUNT:,}", field="counts")
        if not organisation:
            raise ValidationError("organisation is required", field="organisation")
