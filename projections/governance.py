"""The views of the plan's governance (issue 5), registered together in ALL_VIEWS."""

from __future__ import annotations

from projections.adoption import AdoptionView
from projections.base import View
from projections.calendar import CalendarView
from projections.chairs_meetings import ChairsMeetingsView
from projections.commendations import CommendationsView
from projections.development import DevelopmentView
from projections.objectives import ObjectivesView
from projections.reports import ReportsView
from projections.reviews import ReviewsView

GOVERNANCE_VIEWS: tuple[type[View], ...] = (
    AdoptionView,
    ObjectivesView,
    ReviewsView,
    CommendationsView,
    ChairsMeetingsView,
    DevelopmentView,
    ReportsView,
    CalendarView,
)
