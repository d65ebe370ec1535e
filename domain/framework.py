"""The PVB framework: the catalogue of principles, values and behaviours, and its versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from domain.base import LedgerAggregate, check_text
from domain.errors import NotFoundError, RuleViolationError, ValidationError
from domain.values import Actor

FRAMEWORK_ID = uuid5(NAMESPACE_URL, "pvb-ledger:framework")
KINDS = ("principle", "value", "behaviour")


@dataclass(frozen=True)
class CatalogueItem:
    """One principle, value or behaviour pair, by stable short id."""

    id: str
    kind: str
    group: str
    text: str
    unhelpful: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CatalogueItem:
        """Build an item from its stored form."""
        return cls(
            id=data["id"],
            kind=data["kind"],
            group=data["group"],
            text=data["text"],
            unhelpful=data.get("unhelpful"),
        )

    def as_dict(self) -> dict[str, Any]:
        """The stored form of the item."""
        data: dict[str, Any] = {"id": self.id, "kind": self.kind, "group": self.group}
        data["text"] = self.text
        if self.unhelpful is not None:
            data["unhelpful"] = self.unhelpful
        return data


class Framework(LedgerAggregate):
    """The agreed set; each amendment by the Programme Board makes a new version."""

    class Adopted(LedgerAggregate.Created):
        """The Programme Board adopted the framework's first version."""

        items: list[dict[str, Any]]
        source: str

        def apply(self, framework: Framework) -> None:
            framework.versions = [list(self.items)]
            framework.source = self.source

    class Amended(LedgerAggregate.Event):
        """The Programme Board amended the framework, making a new version."""

        version: int
        added: list[dict[str, Any]]
        changed: list[dict[str, Any]]
        withdrawn: list[str]
        reason: str

        def apply(self, framework: Framework) -> None:
            items = {item["id"]: item for item in framework.versions[-1]}
            for item in self.added + self.changed:
                items[item["id"]] = item
            for item_id in self.withdrawn:
                items.pop(item_id, None)
            framework.versions.append(list(items.values()))

    versions: list[list[dict[str, Any]]]
    source: str

    def __init__(self) -> None:
        """State is set by the events' apply methods; annotations above only document it."""

    @classmethod
    def adopt(
        cls, items: list[CatalogueItem], source: str, actor: Actor, occurred_on: date
    ) -> Framework:
        """Adopt the framework with its first catalogue."""
        _check_items(items)
        return cls._start(
            cls.Adopted,
            actor,
            occurred_on,
            id=FRAMEWORK_ID,
            items=[i.as_dict() for i in items],
            source=source,
        )

    @property
    def current_version(self) -> int:
        """The number of the version now in force (1-based)."""
        return len(self.versions)

    def items(self, version: int | None = None) -> list[CatalogueItem]:
        """The catalogue of a version, current by default."""
        version = version or self.current_version
        if not 1 <= version <= self.current_version:
            raise NotFoundError(f"framework version {version} does not exist")
        return [CatalogueItem.from_dict(d) for d in self.versions[version - 1]]

    def item_ids(self, version: int | None = None) -> set[str]:
        """The ids valid in a version, current by default."""
        version = version or self.current_version
        if not 1 <= version <= self.current_version:
            raise NotFoundError(f"framework version {version} does not exist")
        return {d["id"] for d in self.versions[version - 1]}  # without building every item

    def check_citations(self, item_ids: list[str]) -> list[str]:
        """Return the cited ids if all exist in the current version, else raise."""
        if not item_ids:
            return []
        unknown = sorted(set(item_ids) - self.item_ids())
        if unknown:
            raise ValidationError(
                f"unknown catalogue item(s): {', '.join(unknown)}", field="catalogue_items"
            )
        return list(dict.fromkeys(item_ids))

    def amend(
        self,
        *,
        added: list[CatalogueItem],
        changed: list[CatalogueItem],
        withdrawn: list[str],
        reason: str,
        actor: Actor,
        occurred_on: date,
    ) -> None:
        """Record an amendment agreed by the Programme Board."""
        reason = check_text(reason, "reason")
        current = self.item_ids()
        if not (added or changed or withdrawn):
            raise ValidationError("an amendment must add, change or withdraw at least one item")
        clash = sorted(i.id for i in added if i.id in current)
        if clash:
            raise RuleViolationError(f"catalogue item(s) already exist: {', '.join(clash)}")
        missing = sorted(({i.id for i in changed} | set(withdrawn)) - current)
        if missing:
            raise NotFoundError(f"no such catalogue item(s): {', '.join(missing)}")
        _check_items(added + changed)
        self._record(
            self.Amended,
            actor,
            occurred_on,
            version=self.current_version + 1,
            added=[i.as_dict() for i in added],
            changed=[i.as_dict() for i in changed],
            withdrawn=list(withdrawn),
            reason=reason,
        )


def _check_items(items: list[CatalogueItem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.kind not in KINDS:
            raise ValidationError(f"catalogue item {item.id}: unknown kind {item.kind!r}")
        check_text(item.text, f"catalogue item {item.id} text")
        if item.id in seen:
            raise ValidationError(f"catalogue item {item.id} appears twice")
        seen.add(item.id)
