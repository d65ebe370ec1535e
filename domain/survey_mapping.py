"""How a survey's columns map to catalogue items and to the respondent's organisation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from domain.base import check_text
from domain.errors import ValidationError

CUSTOM_DATA = "custom_data"
COLUMN = "column"
MAX_QUESTIONS = 100
MAX_ANSWERS = 30


@dataclass(frozen=True)
class QuestionMap:
    """One closed question (a column of the export): its answers, which are favourable, what it asks about.

    ``heading`` is the column's text in the export's first header row and ``option`` its text in
    the second ("Response" for a single-choice question, the row or option for the others).
    """

    key: str
    heading: str
    option: str
    label: str
    answers: tuple[str, ...]
    favourable: tuple[str, ...]
    catalogue_items: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> QuestionMap:
        """Build from the stored or posted form."""
        return cls(
            key=str(data.get("key") or ""),
            heading=str(data.get("heading") or ""),
            option=str(data.get("option") or "Response"),
            label=str(data.get("label") or ""),
            answers=tuple(str(a) for a in data.get("answers") or ()),
            favourable=tuple(str(a) for a in data.get("favourable") or ()),
            catalogue_items=tuple(str(i) for i in data.get("catalogue_items") or ()),
        )

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {
            "key": self.key, "heading": self.heading, "option": self.option, "label": self.label,
            "answers": list(self.answers), "favourable": list(self.favourable),
            "catalogue_items": list(self.catalogue_items),
        }

    @property
    def column(self) -> tuple[str, str]:
        """The export column this question reads: (heading, option)."""
        return (self.heading, self.option)


@dataclass(frozen=True)
class OrganisationMap:
    """Where the respondent's organisation comes from, and which answer means which organisation."""

    source: str
    heading: str = ""
    option: str = ""
    answers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OrganisationMap:
        """Build from the stored or posted form."""
        return cls(
            source=str(data.get("source") or COLUMN),
            heading=str(data.get("heading") or ""),
            option=str(data.get("option") or ""),
            answers={str(k): str(v).upper() for k, v in (data.get("answers") or {}).items()},
        )

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"source": self.source, "heading": self.heading, "option": self.option, "answers": dict(self.answers)}

    @property
    def column(self) -> tuple[str, str] | None:
        """The export column naming the organisation, or None when it comes from Custom Data 1."""
        return None if self.source == CUSTOM_DATA else (self.heading, self.option or "Response")


@dataclass(frozen=True)
class SurveyMapping:
    """The whole mapping saved for a survey."""

    organisation: OrganisationMap
    questions: tuple[QuestionMap, ...]

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SurveyMapping:
        """Build from the stored or posted form; keys q1, q2... are given in order where missing."""
        questions = []
        for n, q in enumerate(data.get("questions") or (), start=1):
            questions.append(QuestionMap.from_dict({**q, "key": q.get("key") or f"q{n}"}))
        return cls(OrganisationMap.from_dict(data.get("organisation") or {}), tuple(questions))

    def as_dict(self) -> dict[str, Any]:
        """The stored form."""
        return {"organisation": self.organisation.as_dict(), "questions": [q.as_dict() for q in self.questions]}

    def catalogue_items(self) -> list[str]:
        """Every catalogue item the questions cite."""
        return list(dict.fromkeys(i for q in self.questions for i in q.catalogue_items))

    def question(self, key: str) -> QuestionMap | None:
        """The question with this key."""
        return next((q for q in self.questions if q.key == key), None)

    def check(self, known_organisations: set[str]) -> SurveyMapping:
        """Return self if the mapping can be used, else raise ValidationError saying what to fix."""
        org = self.organisation
        if org.source not in (COLUMN, CUSTOM_DATA):
            raise ValidationError(f"organisation source must be {COLUMN} or {CUSTOM_DATA}", field="organisation")
        if org.source == COLUMN and not org.heading.strip():
            raise ValidationError("name the column that asks for the respondent's organisation", field="organisation")
        if not org.answers:
            raise ValidationError("map at least one answer to an organisation", field="organisation")
        unknown = sorted(set(org.answers.values()) - known_organisations)
        if unknown:
            raise ValidationError(f"unknown organisation(s) in the mapping: {', '.join(unknown)}", field="organisation")
        check_questions(self.questions)
        if org.column is not None and org.column in {q.column for q in self.questions}:
            raise ValidationError("the organisation column cannot also be a question", field="questions")
        return self


def check_questions(questions: tuple[QuestionMap, ...]) -> None:
    """Refuse questions without answers, with favourable answers not among them, or repeated."""
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise ValidationError(f"map between 1 and {MAX_QUESTIONS} questions", field="questions")
    keys, columns = set(), set()
    for q in questions:
        where = f"question {q.key}"
        check_text(q.heading, f"{where} heading", max_length=1000)
        check_text(q.label, f"{where} label", max_length=200)
        if q.key in keys:
            raise ValidationError(f"{where} appears twice", field="questions")
        if q.column in columns:
            raise ValidationError(f"{where}: the column {q.heading!r} / {q.option!r} is mapped twice", field="questions")
        keys.add(q.key)
        columns.add(q.column)
        if not 1 <= len(q.answers) <= MAX_ANSWERS or len(set(q.answers)) != len(q.answers):
            raise ValidationError(f"{where}: list 1 to {MAX_ANSWERS} different answers", field="questions")
        for answer in q.answers:
            check_text(answer, f"{where} answer", max_length=200)
        stray = [a for a in q.favourable if a not in q.answers]
        if stray:
            raise ValidationError(f"{where}: favourable answer(s) {stray} are not among its answers", field="questions")
