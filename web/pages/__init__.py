"""Server-rendered pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask

from web.pages import account, auth, directory, home


def register_pages(app: Flask) -> None:
    """Register every page blueprint."""
    for module in (auth, home, directory, account):
        app.register_blueprint(module.bp)
