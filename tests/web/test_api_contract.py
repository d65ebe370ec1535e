"""Schemathesis against the app: every documented operation answers as its schema says."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode, checks
from schemathesis.core.parameters import ParameterLocation

from tests.conftest import ADMIN


@pytest.fixture
def api_app(sqlite_url, tmp_path):  # type: ignore[no-untyped-def]
    from datetime import date

    from application.demo import run_demo
    from domain.values import SYSTEM
    from web import create_app
    from web.wiring import build_services

    services = build_services(sqlite_url, inline=True)
    services.ledger.init_framework(SYSTEM)
    run_demo(services.ledger, services.projections["directory"], date.today(), lambda *_: None)
    app = create_app({"TESTING": True, "PVB_SECRET_KEY": "k", "PVB_LOG_FORMAT": "text"}, services=services)
    token = services.ledger.create_token(ADMIN, "lead", scope="write", days=5).token
    app.config["TEST_AUTH"] = {"Authorization": f"Bearer {token}"}
    yield app
    services.close()


@pytest.fixture
def api_schema(api_app):  # type: ignore[no-untyped-def]
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", api_app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_answers_as_documented_without_5xx(case, api_app):  # type: ignore[no-untyped-def]
    # Business rules may refuse schema-valid input with a 4xx (e.g. a duplicate code), so the
    # positive-data check is left out; every other check, including no 5xx, applies.
    excluded = [checks.positive_data_acceptance]
    headers = case.meta.components.get(ParameterLocation.HEADER) if case.meta else None
    if headers is not None and headers.mode == GenerationMode.NEGATIVE:
        # The headers were made invalid on purpose (e.g. Authorization dropped), but the test's own
        # Authorization replaces them, so the request it sends may be valid after all.
        excluded.append(checks.negative_data_rejection)
    case.call_and_validate(headers=api_app.config["TEST_AUTH"], excluded_checks=excluded)
