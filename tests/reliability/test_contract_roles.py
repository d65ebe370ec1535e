"""Schemathesis over every API operation with valid tokens for several roles, over one demo ledger.

Each role fuzzes every documented operation: no answer is a 5xx and every answer matches its
documented schema (403 where the role may not act, 401/403 for a read-only token's writes). The
demo is built once for the module (SQLite) and each role's generated writes only add to it.
PVB_HYPOTHESIS_PROFILE=full raises the examples per operation from 3 to 50.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.conftest import ADMIN

# username, token scope: a writer and a reader from each side of the partnership
ROLES = [
    ("lead", "write"),          # governance lead
    ("chair.nvh", "write"),     # an organisation's Chair
    ("staff.nvh", "write"),     # staff
    ("cqc", "read"),            # regulator
    ("investigator", "read"),   # investigator
]
EXAMPLES = 50 if os.environ.get("PVB_HYPOTHESIS_PROFILE") == "full" else 3


@pytest.fixture(scope="module")
def role_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator:
    """The app over one demo ledger for the whole module, with a token per role."""
    from application.demo import run_demo
    from domain.values import SYSTEM
    from web import create_app
    from web.wiring import build_services

    url = f"sqlite:///{tmp_path_factory.mktemp('roles') / 'ledger.sqlite'}"
    services = build_services(url, inline=True)
    services.ledger.init_framework(SYSTEM)
    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    app = create_app({"TESTING": True, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=services)
    app.config["ROLE_TOKENS"] = {
        user: {"Authorization": "Bearer " + services.ledger.create_token(ADMIN, user, scope=scope, days=5).token}
        for user, scope in ROLES
    }
    yield app
    services.close()


@pytest.fixture(scope="module")
def role_schema(role_app):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", role_app)


schema = schemathesis.pytest.from_fixture("role_schema")


def _contract_test(user: str):  # type: ignore[no-untyped-def]
    @schema.parametrize()
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
    def test(case, role_app):  # type: ignore[no-untyped-def]
        # Business rules and the role matrix refuse schema-valid input with a 4xx, so the
        # positive-data check is left out; every other check, including no 5xx, applies.
        case.call_and_validate(
            headers=role_app.config["ROLE_TOKENS"][user], excluded_checks=[checks.positive_data_acceptance]
        )

    return test


test_every_operation_answers_the_governance_lead_as_documented = _contract_test("lead")
test_every_operation_answers_a_chair_as_documented = _contract_test("chair.nvh")
test_every_operation_answers_staff_as_documented = _contract_test("staff.nvh")
test_every_operation_answers_a_regulator_with_a_read_token_as_documented = _contract_test("cqc")
test_every_operation_answers_an_investigator_with_a_read_token_as_documented = _contract_test("investigator")
