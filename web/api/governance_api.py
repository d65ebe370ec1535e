"""The API modules of the plan's governance (issue 5), registered together."""

from __future__ import annotations

from web.api import adoption, chairs, commendations, objectives, reports, reviews

GOVERNANCE_API = [adoption, objectives, reviews, commendations, chairs, reports]
