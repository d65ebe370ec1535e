"""Commands and questions about the PVB framework catalogue."""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from application.base import Commands
from application.details import CatalogueItemDetails, FrameworkDetails
from domain.framework import FRAMEWORK_ID, CatalogueItem, Framework
from domain.values import Actor


def default_catalogue() -> tuple[str, list[CatalogueItem]]:
    """The paper's own set, as shipped in domain/data/framework.json."""
    text = resources.files("domain").joinpath("data/framework.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return data["source"], [CatalogueItem.from_dict(item) for item in data["items"]]


class FrameworkCommands(Commands):
    """Adopt, amend and read the framework."""

    def init_framework(self, actor: Actor, occurred_on: date | None = None) -> bool:
        """Adopt the paper's default catalogue unless a framework exists; True if it did."""
        self._authorise(actor, "framework.amend")
        if self._exists(FRAMEWORK_ID):
            return False
        source, items = default_catalogue()
        self.save(Framework.adopt(items, source, actor, self._occurred(occurred_on)))
        return True

    def amend_framework(
        self,
        actor: Actor,
        *,
        added: list[CatalogueItem],
        changed: list[CatalogueItem],
        withdrawn: list[str],
        reason: str,
        occurred_on: date | None = None,
    ) -> int:
        """Record an amendment agreed by the Programme Board; returns the new version."""
        self._authorise(actor, "framework.amend")
        framework = self._framework()
        framework.amend(
            added=added,
            changed=changed,
            withdrawn=withdrawn,
            reason=reason,
            actor=actor,
            occurred_on=self._occurred(occurred_on),
        )
        self.save(framework)
        return framework.current_version

    def get_framework(self, version: int | None = None) -> FrameworkDetails:
        """A version of the framework, current by default."""
        framework = self._framework(read_only=True)
        items = tuple(CatalogueItemDetails(**i.as_dict()) for i in framework.items(version))
        return FrameworkDetails(
            version=version or framework.current_version,
            current_version=framework.current_version,
            source=framework.source,
            items=items,
        )

    def get_framework_history(self) -> list[dict[str, object]]:
        """Each version of the framework: when it was adopted or amended, why, and what changed."""
        history: list[dict[str, object]] = []
        for e in self.events.get(FRAMEWORK_ID):  # type: ignore[attr-defined]
            if isinstance(e, Framework.Adopted):
                history.append({"version": 1, "occurred_on": e.occurred_on.isoformat(), "what": "adopted",
                                "reason": "", "added": [i["id"] for i in e.items], "changed": [], "withdrawn": []})
            elif isinstance(e, Framework.Amended):
                history.append({"version": e.version, "occurred_on": e.occurred_on.isoformat(), "what": "amended",
                                "reason": e.reason, "added": [i["id"] for i in e.added],
                                "changed": [i["id"] for i in e.changed], "withdrawn": list(e.withdrawn)})
        return history

    def check_citations(self, item_ids: list[str]) -> tuple[int, list[str]]:
        """Validate cited catalogue ids; return the version in force and the ids."""
        framework = self._framework_to_read()
        return framework.current_version, framework.check_citations(item_ids)

    def check_each_citation(self, cited: list[list[str]]) -> list[tuple[int, list[str]]]:
        """check_citations for each of several votes, reading the framework once for them all."""
        if not cited:
            return []
        framework = self._framework_to_read()
        return [(framework.current_version, framework.check_citations(items)) for items in cited]

    def _framework_to_read(self) -> Framework:
        """The framework as kept between commands (a meeting's minutes cite it once per vote),
        handed over without a copy: only ever read here, never changed."""
        return self._framework(read_only=True)

    def _framework(self, *, read_only: bool = False) -> Framework:
        return self._load(Framework, FRAMEWORK_ID, "the framework (run 'pvb init')", read_only=read_only)
