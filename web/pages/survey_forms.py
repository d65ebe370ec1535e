"""The survey mapping form: sensible defaults from an export, and the posted form back into a mapping."""

from __future__ import annotations

from typing import Any

from application.surveys import AGREEMENT

ORGANISATION_WORDS = ("organisation", "organization", "employer", "work for")
SCALES = (
    AGREEMENT,
    ("Always", "Often", "Sometimes", "Rarely", "Never"),
    ("Yes", "No", "Don't know"),
    ("Very good", "Good", "Fair", "Poor", "Very poor"),
)
FAVOURABLE = {"Strongly agree", "Agree", "Always", "Often", "Yes", "Very good", "Good"}
CUSTOM = "custom"


def guess_org_column(export: Any) -> str:
    """The letter of the column most likely to ask for the respondent's organisation."""
    for column in export.columns:
        if any(word in column.heading.lower() for word in ORGANISATION_WORDS) and not column.free_text:
            return str(column.letter)
    return str(export.columns[0].letter) if export.columns else CUSTOM


def ordered_answers(seen: list[str]) -> list[str]:
    """Answers in their scale's order when they belong to a known scale, else as seen."""
    for scale in SCALES:
        if seen and set(seen) <= set(scale):
            return list(scale)
    return sorted(seen)


def defaults(export: Any, organisations: list[dict[str, Any]], saved: dict[str, Any] | None) -> dict[str, Any]:
    """Initial form values: the saved mapping where there is one, else guesses from the export."""
    values: dict[str, Any] = {}
    by_column = {(c.heading, c.option): c.letter for c in export.columns}
    if saved:
        org = saved["organisation"]
        values["org_column"] = CUSTOM if org["source"] == "custom_data" else by_column.get((org["heading"], org["option"]), "")
        values["org_answers"] = dict(org["answers"])
        for q in saved["questions"]:
            letter = by_column.get((q["heading"], q["option"]))
            if letter:
                values.update({f"map_{letter}": "true", f"label_{letter}": q["label"],
                               f"items_{letter}": ", ".join(q["catalogue_items"]),
                               f"answers_{letter}": "\n".join(q["answers"]), f"favourable_{letter}": "\n".join(q["favourable"])})
        return values
    values["org_column"] = guess_org_column(export)
    names = {o["name"].lower(): o["code"] for o in organisations} | {o["code"].lower(): o["code"] for o in organisations}
    values["org_answers"] = {a: names.get(a.lower(), "") for a, _ in org_answers(export, values["org_column"])}
    for column in export.columns:
        if column.free_text or column.letter == values["org_column"]:
            continue
        seen = [a for a, _ in export.answers(column)]
        answers = ordered_answers(seen)
        in_scale = any(set(seen) <= set(scale) for scale in SCALES) and bool(seen)
        values.update({
            f"map_{column.letter}": "true" if in_scale else "",
            f"label_{column.letter}": (column.option if column.option != "Response" else column.heading)[:200],
            f"items_{column.letter}": "", f"answers_{column.letter}": "\n".join(answers),
            f"favourable_{column.letter}": "\n".join(a for a in answers if a in FAVOURABLE),
        })
    return values


def org_answers(export: Any, letter: str) -> list[tuple[str, int]]:
    """The distinct answers in the organisation column (or Custom Data 1)."""
    if letter == CUSTOM:
        return list(export.custom_data_values())
    column = next((c for c in export.columns if c.letter == letter), None)
    return [] if column is None else list(export.answers(column))


def posted_values(form: Any) -> dict[str, Any]:
    """The mapping form as posted, in the same shape as defaults()."""
    values: dict[str, Any] = {k: v for k, v in form.items() if not k.startswith("org_answer_")}
    values["org_answers"] = {
        form.get(f"org_text_{n}", ""): form.get(f"org_answer_{n}", "")
        for n in range(1, 1000) if f"org_text_{n}" in form
    }
    return values


def mapping_from(values: dict[str, Any], export: Any) -> dict[str, Any]:
    """The mapping a set of form values describes, ready for MappingSchema."""
    letter = values.get("org_column", "")
    column = next((c for c in export.columns if c.letter == letter), None)
    organisation: dict[str, Any] = {"source": "custom_data", "answers": {}}
    if column is not None:
        organisation = {"source": "column", "heading": column.heading, "option": column.option, "answers": {}}
    organisation["answers"] = {a: code for a, code in values.get("org_answers", {}).items() if a and code}
    questions = []
    for c in export.columns:
        if not values.get(f"map_{c.letter}"):
            continue
        questions.append({
            "heading": c.heading, "option": c.option, "label": values.get(f"label_{c.letter}", "").strip(),
            "answers": _lines(values.get(f"answers_{c.letter}", "")),
            "favourable": _lines(values.get(f"favourable_{c.letter}", "")),
            "catalogue_items": values.get(f"items_{c.letter}", ""),
        })
    return {"organisation": organisation, "questions": questions}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
