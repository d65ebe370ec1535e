"""One line for people about each meeting or survey event, for timelines."""

from __future__ import annotations

from typing import Any


def summary(e: Any) -> str:
    """What an event of a meeting or survey recorded, in a line."""
    name = type(e).__name__
    if name == "Recorded":
        return f"{e.title}: {len(e.attendees)} attendees from {len({a['organisation'] for a in e.attendees})} organisations"
    if name == "RepresentationChecked":
        return "all necessary views represented" if e.all_views_represented else "missing: " + "; ".join(e.missing_views)
    if name == "CorrectiveStepAgreed":
        return e.step + (f" (owner {e.owner_organisation})" if e.owner_organisation else "")
    if name == "VoteCast":
        return f"{e.organisation} attendee voted {e.verdict.replace('_', ' ')}" + _items(e.catalogue_items)
    if name == "VoteCorrected":
        return (f"{e.organisation} attendee's vote corrected from {e.corrects_verdict.replace('_', ' ')} to "
                f"{e.verdict.replace('_', ' ')}: {e.reason}")
    if name in ("TallyRecorded", "TallyCorrected"):
        what = "corrected to" if name == "TallyCorrected" else "tally:"
        return f"{e.organisation} {what} {e.adhered} adhered, {e.partly_adhered} partly, {e.not_adhered} not"
    if name == "VotingClosed":
        return f"vote closed; {len(e.not_voting)} attendee(s) did not vote"
    return _survey_summary(name, e)


def _survey_summary(name: str, e: Any) -> str:
    if name == "Opened":
        return f"{e.title} opened for {e.period} ({e.kind.replace('_', ' ')})"
    if name == "MappingSaved":
        return f"mapping saved: {len(e.mapping['questions'])} question(s)"
    if name == "ResponsesImported":
        return f"{len(e.responses)} new response(s) imported from {e.source_name}; {e.already_held} already held"
    if name == "AllStaffResultsRecorded":
        return f"{e.organisation} {e.question}: {sum(e.counts.values())} answers ({e.source})"
    if name == "AllStaffResultsCorrected":
        return f"{e.organisation} {e.question} corrected to {sum(e.counts.values())} answers: {e.reason}"
    return name


def _items(items: list[str]) -> str:
    return f" citing {', '.join(items)}" if items else ""
