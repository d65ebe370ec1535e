"""The published red/amber/green rule for an organisation's adherence in a quarter (standard library only).

Every rating shown anywhere comes from these functions, and RULE states them in words on the
dashboard; there is no other score.
"""

from __future__ import annotations

from dataclasses import dataclass

GREEN, AMBER, RED = "green", "amber", "red"
ORDER = {GREEN: 0, AMBER: 1, RED: 2}

MIN_COUNT = 5  # fewer votes or respondents than this are shown but not rated
VOTES_RED_NOT_ADHERED = 0.25
VOTES_GREEN_ADHERED = 0.75
VOTES_GREEN_MAX_NOT_ADHERED = 0.10
SURVEY_GREEN = 0.70
SURVEY_RED = 0.50

RULE_VERSION = 1
RULE: tuple[str, ...] = (
    f"Each signal is rated only when it rests on at least {MIN_COUNT} votes or respondents; "
    "smaller numbers are shown but not rated.",
    "Closing votes of the organisation's attendees (named votes and anonymous tallies together): "
    f"red when {VOTES_RED_NOT_ADHERED:.0%} or more say 'not adhered'; green when "
    f"{VOTES_GREEN_ADHERED:.0%} or more say 'adhered' and fewer than {VOTES_GREEN_MAX_NOT_ADHERED:.0%} "
    "say 'not adhered'; amber otherwise.",
    "Staff survey panel, and separately the all-staff questions: the share of favourable answers "
    f"(as mapped for each question) across the quarter's questions: green at {SURVEY_GREEN:.0%} or more, "
    f"red below {SURVEY_RED:.0%}, amber in between.",
    "Overall: the worst rating among the signals that are rated (one red makes it red); "
    "no overall rating when no signal is rated.",
    "Concerns about the organisation's people and regulator or Health and Wellbeing Board feedback "
    "are shown beside the rating but do not change it.",
)


@dataclass(frozen=True)
class Rating:
    """A rating and the reason for it, in words."""

    colour: str | None
    reason: str


def rate_votes(adhered: int, partly: int, not_adhered: int) -> Rating:
    """Rate the closing votes of an organisation's attendees in a quarter."""
    total = adhered + partly + not_adhered
    if total < MIN_COUNT:
        return Rating(None, f"{total} vote(s): fewer than {MIN_COUNT}, not rated")
    a, n = adhered / total, not_adhered / total
    if n >= VOTES_RED_NOT_ADHERED:
        return Rating(RED, f"{n:.0%} of {total} votes said not adhered (red at {VOTES_RED_NOT_ADHERED:.0%} or more)")
    if a >= VOTES_GREEN_ADHERED and n < VOTES_GREEN_MAX_NOT_ADHERED:
        return Rating(GREEN, f"{a:.0%} of {total} votes said adhered, {n:.0%} not adhered")
    return Rating(AMBER, f"{a:.0%} of {total} votes said adhered, {n:.0%} not adhered")


def rate_survey(favourable: int, answers: int, respondents: int) -> Rating:
    """Rate survey answers: favourable answers out of all answers given by the respondents."""
    if respondents < MIN_COUNT or answers == 0:
        return Rating(None, f"{respondents} respondent(s): fewer than {MIN_COUNT}, not rated")
    share = favourable / answers
    colour = GREEN if share >= SURVEY_GREEN else RED if share < SURVEY_RED else AMBER
    return Rating(colour, f"{share:.0%} favourable answers from {respondents} respondents")


def overall(ratings: list[Rating]) -> Rating:
    """The worst of the rated signals, or no rating when none is rated."""
    rated = [r for r in ratings if r.colour is not None]
    if not rated:
        return Rating(None, "no signal has enough votes or respondents to rate")
    worst = max(rated, key=lambda r: ORDER[r.colour or GREEN])
    return Rating(worst.colour, f"worst rated signal: {worst.reason}")
