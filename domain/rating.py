"""The published red/amber/green rule: kept with the report figures (domain/figures/rating.py),
which an export bundle carries as they are, so the live pages and the offline verifier rate alike."""

from domain.figures.rating import (
    AMBER,
    GREEN,
    MIN_COUNT,
    ORDER,
    RED,
    RULE,
    RULE_VERSION,
    SURVEY_GREEN,
    SURVEY_RED,
    VOTES_GREEN_ADHERED,
    VOTES_GREEN_MAX_NOT_ADHERED,
    VOTES_RED_NOT_ADHERED,
    Rating,
    overall,
    rate_survey,
    rate_votes,
)

__all__ = [
    "AMBER", "GREEN", "MIN_COUNT", "ORDER", "RED", "RULE", "RULE_VERSION", "SURVEY_GREEN", "SURVEY_RED",
    "VOTES_GREEN_ADHERED", "VOTES_GREEN_MAX_NOT_ADHERED", "VOTES_RED_NOT_ADHERED", "Rating", "overall",
    "rate_survey", "rate_votes",
]
