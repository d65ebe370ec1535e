"""Views over many facts, kept from the ledger's events with exactly-once tracking."""

from projections.base import APPLICATION_NAME, View, handles
from projections.directory import DirectoryView
from projections.runner import Projections, ViewStatus
from projections.store import SqlCursor, ViewStore

ALL_VIEWS: tuple[type[View], ...] = (DirectoryView,)

__all__ = [
    "ALL_VIEWS",
    "APPLICATION_NAME",
    "DirectoryView",
    "Projections",
    "SqlCursor",
    "View",
    "ViewStatus",
    "ViewStore",
    "handles",
]
