"""Every event of every aggregate carries the envelope: who (user and role) and when in the world."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from datetime import date

from eventsourcing.domain import Aggregate

import domain
from domain.base import LedgerAggregate, LedgerEvent
from domain.organisation import Organisation
from domain.values import Actor, OrganisationKind, Role


def aggregates() -> list[type]:
    """Every aggregate class the domain package defines, on the ledger's base or not."""
    found: set[type] = set()
    for module in pkgutil.iter_modules(domain.__path__):
        for value in vars(importlib.import_module(f"domain.{module.name}")).values():
            if (inspect.isclass(value) and issubclass(value, Aggregate) and value.__module__.startswith("domain.")
                    and value is not LedgerAggregate):
                found.add(value)
    return sorted(found, key=lambda cls: cls.__name__)


def test_every_event_class_of_every_aggregate_carries_who_in_what_role_and_when():
    classes = aggregates()
    assert {"Organisation", "Person", "Framework", "User", "Concern", "Meeting"} <= {c.__name__ for c in classes}
    assert [c.__name__ for c in classes if not issubclass(c, LedgerAggregate)] == []
    bare = [
        f"{aggregate.__name__}.{name}"
        for aggregate in classes
        for name, value in vars(aggregate).items()
        if inspect.isclass(value) and hasattr(value, "mutate") and not issubclass(value, LedgerEvent)
    ]
    assert bare == []
    assert {"actor_id", "actor_role", "occurred_on"} <= set(LedgerEvent.__annotations__)


def test_an_event_records_the_world_date_given_and_the_system_time_it_was_recorded():
    days_ago = date(2026, 1, 5)  # a meeting recorded days later
    org = Organisation.register("NVH", "Nene Valley", OrganisationKind.ACUTE_TRUST,
                                Actor("lead", Role.GOVERNANCE_LEAD), days_ago)
    event = org.collect_events()[0]
    assert (event.actor_id, event.actor_role, event.occurred_on) == ("lead", "governance_lead", days_ago)
    assert event.timestamp.tzinfo is not None and event.timestamp.date() > days_ago
