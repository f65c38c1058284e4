"""Contract test: schemathesis generates requests from the OpenAPI schema and checks every
answer: no server error, status codes and content types as documented, bodies valid
against their schemas. Bounded examples per operation keep CI short."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks

from sentra.testing.factories import DESA_BARAT, IkmFactory


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through the real WSGI handler, whose request signals close the database
    connection after each one; Django's test client disconnects them, so do the same (on
    PostgreSQL the test's transaction lives on that connection)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def headers(db, admin_user, token_for):
    IkmFactory.create_batch(3, desa_id=DESA_BARAT, owner_email="uji@example.id")
    django_style = token_for(admin_user, "read", "write", "personal")
    return {"Authorization": django_style["HTTP_AUTHORIZATION"]}


# The schema is read through the WSGI app (no database needed for it); each request of
# the test then runs in the test's database transaction.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_keeps_its_contract(case, headers):
    # Positive-data acceptance is left out on purpose: filter values such as a
    # kecamatan code are checked against the registry's areas, which a schema cannot
    # list; such a value is answered 422 with a problem body, never a 5xx.
    case.call_and_validate(headers=headers, checks=CHECKS)
