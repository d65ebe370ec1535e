"""The page blueprints of the plan's governance (issue 5), registered together."""

from __future__ import annotations

from web.pages import (
    adoption,
    calendar,
    chairs,
    commendations,
    development,
    objectives,
    public,
    report_publishing,
    reports,
    reviews,
)

GOVERNANCE_PAGES = (adoption, objectives, reviews, commendations, chairs, development, reports, report_publishing,
                    calendar, public)
