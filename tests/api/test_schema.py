"""schemathesis against the OpenAPI schema, in process: no server error, no response outside
the schema (status codes, content types, bodies), for a valid integration token."""

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from danhgia.api.services import create_integration
from tests.conftest import World
from tests.matrix.evaluations import period

# The matrix's rows are fixed months: build them at tests.matrix.MATRIX_NOW.
pytestmark = pytest.mark.usefixtures("matrix_clock")

# Loaded at collection: the schema view reads no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def token(world: World, settings: Any) -> Iterator[str]:
    """A token of the whole province, with data to read; requests keep the test's database
    connection (PostgreSQL: Django would close it after each in-process request)."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"integration": "100000/minute"},
    }
    cache.clear()
    period(world)
    _integration, token = create_integration(
        name="schemathesis", unit=world.province, by=world.users["head"]
    )
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield token
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case: Any, token: str) -> None:
    # Every check but "schema-valid data is accepted": a well-formed document whose owner's
    # employee code does not exist in the integration's units is rightly refused (400).
    case.call_and_validate(
        headers={"Authorization": f"Bearer {token}"}, excluded_checks=[positive_data_acceptance]
    )
