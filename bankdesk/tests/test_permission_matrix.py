"""Every page and API operation × every role × own branch / other branch, generated from the URL conf,
the API's operations and the apps' access declarations (core/access.py).

A role at branch A without the declared permission gets 403; a holder asking for branch B's object
gets 404 (it cannot even learn that it exists); nobody signed in is sent to the login page (API: 401).
A page or operation that no app declared fails the first test.
"""

import json
import os
import re
from datetime import date

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bankdesk.api import api
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.review import acceptance
from bankdesk.core import access
from bankdesk.core.permissions import ROLE_PERMISSIONS
from bankdesk.orgs.models import Role
from bankdesk.tests.tally import Tally

CHECKED = Tally("permission-matrix")
OTHER_ID = 2**40  # an id no row has: stands for objects the test did not make


def _web_pages(resolver=None, namespace=""):
    """(URL name, route kwargs) of every named page outside the API."""
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _web_pages(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", tuple(pattern.pattern.converters)


def _api_operations():
    """(operation id, method, path template, JSON schema of the body) of every API operation."""
    spec = api.get_openapi_schema()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            yield operation["operationId"], method, path, _example(spec, body) if body else None


def _example(spec, schema):
    """The smallest value a JSON schema accepts: required properties only."""
    if "$ref" in schema:
        return _example(spec, spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    if "anyOf" in schema:
        return _example(spec, schema["anyOf"][0])
    if "enum" in schema:
        return schema["enum"][0]
    kind, form = schema.get("type"), schema.get("format")
    if kind == "object":
        return {name: _example(spec, schema["properties"][name]) for name in schema.get("required", [])}
    return {"array": [], "integer": 1, "number": 1, "boolean": False}.get(kind) if kind != "string" else (
        timezone.now().isoformat() if form == "date-time" else date.today().isoformat() if form == "date" else "x")


WEB_PAGES = sorted(set(_web_pages()))
API_OPERATIONS = sorted(_api_operations())
ROLES = sorted(Role.values)


def test_every_page_and_operation_declares_who_may_use_it():
    undeclared = [name for name, _kwargs in WEB_PAGES if access.rule_for(name) is None]
    undeclared += [operation_id for operation_id, *_rest in API_OPERATIONS if access.rule_for(operation_id) is None]
    assert undeclared == [], "declare these in the app's access.py"


class World:
    """Branch A (where every role's user sits) and branch B, with one complaint each."""

    def __init__(self, desk, registration):
        bank = desk.bank
        self.users = {role: bank.user(f"matrix_{role}", role, bank.branch_a) for role in ROLES}
        self.complaint_a = acceptance.accept_complaint(
            desk.cp, register_complaint(desk.agent, registration()))
        self.complaint_b = acceptance.accept_complaint(
            desk.cp, register_complaint(desk.agent, registration(unit=bank.outlet_b)))
        self.own = {"complaint_id": self.complaint_a.pk, "unit_id": bank.branch_a.pk, "user_id": desk.handler_a1.pk}
        self.other = {"complaint_id": self.complaint_b.pk, "unit_id": bank.branch_b.pk, "user_id": desk.handler_b.pk}

    def kwargs(self, names, scope: str) -> dict:
        objects = self.own if scope == "own" else self.other
        values = {"slug": "routing-rules", "name": "note", "field_name": "phone", "key": "security.session_idle_minutes",
                  "code": "01001"}
        return {name: objects.get(name, values.get(name, OTHER_ID)) for name in names}


@pytest.fixture
def world(desk, registration):
    return World(desk, registration)


def _holds(role: str, rule) -> bool:
    return any(permission in ROLE_PERMISSIONS.get(role, ()) for permission in access.permissions_of(rule))


def _web_response(client, name, kwargs):
    """GET the page; a POST-only one (405) is posted empty."""
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    return client.post(url, {}) if response.status_code == 405 else response


def _api_response(client, method, path, body, kwargs):
    url = path.format(**kwargs)
    if method == "get":
        return client.get(url)
    return client.generic(method.upper(), url, json.dumps(body or {}), content_type="application/json")


def _shows(response, text: str) -> bool:
    """True when a successful, non-streamed answer (exports stream) contains `text`."""
    return (response.status_code == 200 and not response.streaming
            and text in response.content.decode(errors="ignore"))


def _path_names(path: str) -> list[str]:
    return re.findall(r"{(\w+)}", path)


def _check(rule, statuses: dict, anonymous: int, anonymous_expected: tuple, other: dict, leaked: list) -> list[str]:
    """What is wrong: statuses and other are role -> status for own-branch and other-branch objects."""
    CHECKED["endpoints"] += 1
    CHECKED["role x endpoint, own branch"] += len(statuses)
    CHECKED["role x endpoint, other branch's object"] += len(other)
    CHECKED["anonymous x endpoint"] += 1
    wrong = []
    if rule == access.PUBLIC:
        return wrong
    if anonymous not in anonymous_expected:
        wrong.append(f"nobody signed in: {anonymous}")
    for role, status in statuses.items():
        if rule != access.SIGNED_IN and not _holds(role, rule) and status != 403:
            wrong.append(f"{role} without the right: {status}")
    for role, status in other.items():
        if (rule == access.SIGNED_IN or _holds(role, rule)) and status not in (403, 404):
            wrong.append(f"{role} asking for branch B's object: {status}")
    wrong += [f"{role} sees branch B's complaint in the answer" for role in leaked]
    return wrong


def _observe(key, statuses):
    if os.environ.get("MATRIX_OBSERVE"):
        print("OBSERVED", key, sorted(role for role, status in statuses.items() if status != 403))


def _probe(world, client, send, names) -> tuple:
    """Sends one endpoint's request as nobody and as every role, for own and (where the URL names an
    object) other-branch objects: (anonymous status, own statuses, other statuses, roles shown branch B)."""
    own, other = world.kwargs(names, "own"), world.kwargs(names, "other")
    anonymous = send(own).status_code
    statuses, other_statuses, leaked = {}, {}, []
    for role, user in world.users.items():
        client.force_login(user)
        response = send(own)
        statuses[role] = response.status_code
        if _shows(response, world.complaint_b.tracking_number):
            leaked.append(role)
        if set(names) & set(world.other):
            other_statuses[role] = send(other).status_code
    return anonymous, statuses, other_statuses, leaked


@pytest.mark.parametrize(("name", "converters"), WEB_PAGES, ids=[name for name, _c in WEB_PAGES])
def test_page(world, client, name, converters):
    anonymous, statuses, other, leaked = _probe(
        world, client, lambda kwargs: _web_response(client, name, kwargs), converters)
    _observe(name, statuses)
    assert _check(access.rule_for(name), statuses, anonymous, (302,), other, leaked) == []


@pytest.mark.parametrize(("operation_id", "method", "path", "body"), API_OPERATIONS,
                         ids=[operation[0] for operation in API_OPERATIONS])
def test_api_operation(world, client, operation_id, method, path, body):
    anonymous, statuses, other, leaked = _probe(
        world, client, lambda kwargs: _api_response(client, method, path, body, kwargs), _path_names(path))
    _observe(operation_id, statuses)
    assert _check(access.rule_for(operation_id), statuses, anonymous, (401,), other, leaked) == []
