"""The plan's governance commands, mixed into the Ledger as one base (issue 5)."""

from __future__ import annotations

from application.adoption import AdoptionCommands
from application.chairs_meetings import ChairsMeetingCommands
from application.commendations import CommendationCommands
from application.development import DevelopmentCommands
from application.objectives import ObjectiveCommands
from application.reports import ReportCommands, ReportDrafter
from application.reviews import ReviewCommands


class GovernanceCommands(
    AdoptionCommands,
    ObjectiveCommands,
    ReviewCommands,
    CommendationCommands,
    ChairsMeetingCommands,
    DevelopmentCommands,
    ReportCommands,
):
    """Adoption, objectives, reviews, commendations, the Chairs' meetings, development, reports."""


__all__ = ["GovernanceCommands", "ReportDrafter"]
