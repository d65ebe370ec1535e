"""Views over many facts, kept from the ledger's events with exactly-once tracking."""

from projections.access import AccessView
from projections.adherence import AdherenceView
from projections.base import APPLICATION_NAME, View, handles
from projections.checkpoints import CheckpointGuardView
from projections.directory import DirectoryView
from projections.escalation import EscalationView
from projections.feedback import FeedbackView
from projections.governance import GOVERNANCE_VIEWS
from projections.meetings import MeetingsView
from projections.runner import Projections, ViewStatus
from projections.store import SqlCursor, ViewStore
from projections.timeline import TimelineView

ALL_VIEWS: tuple[type[View], ...] = (DirectoryView, TimelineView, FeedbackView, CheckpointGuardView, MeetingsView, AdherenceView, EscalationView, AccessView, *GOVERNANCE_VIEWS)

__all__ = [
    "ALL_VIEWS",
    "APPLICATION_NAME",
    "DirectoryView",
    "EscalationView",
    "Projections",
    "SqlCursor",
    "View",
    "ViewStatus",
    "ViewStore",
    "handles",
]
