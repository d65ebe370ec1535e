"""The plan's governance commands, mixed into the Ledger as one base (issue 5)."""

from __future__ import annotations

from application.adoption import AdoptionCommands
from application.chairs_meetings import ChairsMeetingCommands
from application.commendations import CommendationCommands
from application.development import DevelopmentCommands
from application.objectives import ObjectiveCommands
from application.report_export import ReportExportCommands
from application.reviews import ReviewCommands


class GovernanceCommands(
    AdoptionCommands,
    ObjectiveCommands,
    ReviewCommands,
    CommendationCommands,
    ChairsMeetingCommands,
    DevelopmentCommands,
    ReportExportCommands,
):
    """Adoption, objectives, reviews, commendations, the Chairs' meetings, development, reports."""


__all__ = ["GovernanceCommands"]
