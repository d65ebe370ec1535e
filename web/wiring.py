"""Wire the ledger, its views and their catch-up together, once per process."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from application import Database, Ledger
from projections import ALL_VIEWS, Projections

log = logging.getLogger("pvb")


@dataclass
class Services:
    """The application and the views a process works with."""

    ledger: Ledger
    projections: Projections
    inline: bool

    def after_write(self, position: int, timeout: float) -> bool:
        """Make sure views include a write at position before a page shows them."""
        if self.inline:
            return True
        reached = self.projections.wait_for(position, timeout)
        if not reached:
            log.warning("projections did not reach position %s within %ss", position, timeout)
        return reached

    def close(self) -> None:
        """Release database connections."""
        self.ledger.close()


def build_services(database_url: str, *, inline: bool = True, encryption_key: str = "") -> Services:
    """Open the ledger at database_url and its views; inline views catch up after each write."""
    ledger = Ledger(Database.parse(database_url, encryption_key))
    projections = Projections(
        ledger.recorder, ledger.mapper, ledger.datastore, ALL_VIEWS, ledger.database.schema
    )
    if inline:

        def catch_up(_position: int) -> None:
            try:
                projections.catch_up()
            except Exception:  # the write stands; the next request catches up again
                log.exception("inline projection catch-up failed")

        ledger.add_listener(catch_up)
        projections.catch_up()
    return Services(ledger, projections, inline)
