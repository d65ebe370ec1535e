"""Server-rendered pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask

from web.pages import (
    account,
    adherence,
    auth,
    concerns,
    directory,
    feedback,
    home,
    investigations,
    meetings,
    programme_board,
    surveys,
    users,
)
from web.pages.governance_pages import GOVERNANCE_PAGES


def register_pages(app: Flask) -> None:
    """Register every page blueprint."""
    for module in (auth, home, directory, programme_board, account, feedback, investigations, concerns, *GOVERNANCE_PAGES,
                   meetings, surveys, adherence, users):
        app.register_blueprint(module.bp)
