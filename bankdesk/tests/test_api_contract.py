"""The API against its own OpenAPI spec, fuzzed by Schemathesis as every role and as nobody.

Each operation gets generated valid and invalid requests; every answer must be documented (status,
content type, body schema: errors with `{code, message, field}`), and none may be a 5xx.
BANKDESK_FUZZ_EXAMPLES raises the example count for a longer run (default 6 per operation).
"""

import os

import pytest
import schemathesis
from django.apps import apps as django_apps
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from bankdesk.orgs.services import create_api_token
from bankdesk.tests.tally import Tally

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
FUZZED = Tally("fuzzed")
EXAMPLES = int(os.environ.get("BANKDESK_FUZZ_EXAMPLES", "6"))


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI application, whose request_finished signal would close the
    test's database connection (and its transaction) on PostgreSQL; Django's test client detaches
    close_old_connections the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def identities(desk, auditor) -> dict[str, dict]:
    """The headers of each role's API token, and of nobody."""
    users = {"admin": desk.bank.admin, "consumer_protection": desk.cp, "handler": desk.handler_a1,
             "unit_head": desk.head_a, "agent": desk.agent, "auditor": auditor}
    headers = {"anonymous": {}}
    for role, user in users.items():
        _token, raw = create_api_token(user, f"fuzz {role}")
        headers[role] = {"Authorization": f"Bearer {raw}"}
    return headers


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_every_answer_matches_the_spec(db, case, identities):
    for identity, headers in identities.items():
        FUZZED[f"requests as {identity}"] += 1
        FUZZED[f"operation {case.operation.label}"] += 1
        case.call_and_validate(headers=headers, checks=CHECKS)


def test_operation_ids_are_short_and_unique():
    from bankdesk.api import api

    ids = [operation["operationId"] for operations in api.get_openapi_schema()["paths"].values()
           for operation in operations.values()]
    assert len(ids) == len(set(ids))
    apps = {config.label for config in django_apps.get_app_configs() if config.name.startswith("bankdesk.")}
    assert all(operation_id.split("_")[0] in apps and "bankdesk" not in operation_id for operation_id in ids), ids
