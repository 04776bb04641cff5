"""The four kinds of bad values that answered 500 (core/inputs.py), sent to every endpoint and page that takes them.

The API part reads the operations from the OpenAPI document, so an endpoint added later is probed too: each
field of the right type gets the bad value alone in an otherwise well-typed request, and the answer must be
a JSON error naming that field (422; 404 for an id in the path), with nothing saved. Requests go through a
client that answers a 500 instead of raising, as a server does.
"""

import json
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from bankdesk.api import api
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import Complaint
from bankdesk.complaints.web.forms import RegistrationForm
from bankdesk.complaints.web.step_forms import ContactForm
from bankdesk.core import access
from bankdesk.core.models import AuditEvent
from bankdesk.orgs.forms import UnitForm

HUGE = 2**64
MAX_ID = 2**63 - 1
NAIVE = "2025-09-26T10:00:00"
CALENDAR_ENDS = {"date": ["0001-01-01", "9999-12-31"],
                 "date-time": ["0001-01-01T00:00:00+08:00", "9999-12-31T23:59:59+08:00"]}
SURROGATE = "\ud800"
# Integer fields that hold ids besides those named *_id(s): filters by unit, channel, category, parent unit
ID_FIELDS = {"under", "channel", "business_category", "unit"}
WELL_TYPED = {"string": "x", "date": "2025-09-26", "date-time": "2025-09-26T10:00:00+08:00", "integer": 1,
              "boolean": False, "number": "1", "object": {"name": "x"}}


def _resolve(spec, schema):
    """The schema itself: references followed, an optional value's non-null option, a wrapper's one part."""
    while True:
        if "$ref" in schema:
            schema = spec["components"]["schemas"][schema["$ref"].split("/")[-1]]
        elif "anyOf" in schema:
            schema = next(option for option in schema["anyOf"] if option.get("type") != "null")
        elif "allOf" in schema:
            schema = schema["allOf"][0]
        else:
            return schema


def _kind(spec, schema) -> str:
    """string, date, date-time, integer, boolean, number, object, or array:<kind of the items>."""
    schema = _resolve(spec, schema)
    if schema.get("type") == "array":
        return "array:" + _kind(spec, schema["items"])
    if schema.get("type") == "string":
        return schema.get("format", "string")
    return schema.get("type", "object")


def _example(spec, schema):
    """A value the field takes: its first choice, its minimum, else one of its type."""
    schema = _resolve(spec, schema)
    if schema.get("type") == "array":
        return []
    if "enum" in schema:
        return schema["enum"][0]
    return schema.get("minimum", WELL_TYPED[_kind(spec, schema)])


def _operations():
    """(method, path, fields): fields are (where, name, kind, example) of the path, the query and the JSON body."""
    spec = api.get_openapi_schema()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            fields = [(param["in"], param["name"], _kind(spec, param["schema"]), _example(spec, param["schema"]))
                      for param in operation.get("parameters", []) if param["in"] != "header"]
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                fields += [("body", name, _kind(spec, schema), _example(spec, schema))
                           for name, schema in _resolve(spec, body["schema"]).get("properties", {}).items()]
            yield method, path, fields, operation["operationId"]


def _is_id(where: str, name: str) -> bool:
    return where == "path" or name.endswith(("_id", "_ids")) or name in ID_FIELDS


def _bad_values(bad_kind: str, where: str, name: str, kind: str) -> list:
    """The bad values of one kind for a field, [] when the field cannot take that kind."""
    inner, listed = (kind[6:], True) if kind.startswith("array:") else (kind, False)
    if bad_kind == "naive" and inner == "date-time":
        values = [NAIVE]
    elif bad_kind == "huge" and inner == "integer":
        values = [HUGE, MAX_ID + 1, *([0, -1] if _is_id(where, name) else [])]
    elif bad_kind == "calendar_end" and inner in CALENDAR_ENDS:
        values = CALENDAR_ENDS[inner]
    elif bad_kind == "surrogate" and where == "body" and inner in ("string", "object"):
        # A query string or path cannot carry one: Django decodes them with replacement characters.
        values = [{"name": SURROGATE} if inner == "object" else SURROGATE]
    else:
        values = []
    return [[value] for value in values] if listed else values


@pytest.fixture
def probe(desk, registration, logged_in):
    """Sends one request per field and bad value; answers the list of wrong answers."""
    complaint = register_complaint(desk.agent, registration())
    client = logged_in(desk.cp)
    client.raise_request_exception = False

    def send(bad_kind: str) -> list:
        saved = (Complaint.objects.count(), AuditEvent.objects.count())
        wrong, probed = [], 0
        for method, path, fields, operation_id in _operations():
            if not access.allows(desk.cp, access.rule_for(operation_id)):
                continue  # refused at the door (403) before any input is read: see the permission matrix
            for where, name, kind, _ in fields:
                for bad in _bad_values(bad_kind, where, name, kind):
                    probed += 1
                    values = {"path": {}, "query": {}, "body": {}}
                    for other_where, other, _, example in fields:
                        values[other_where][other] = complaint.pk if other_where == "path" else example
                    values[where][name] = bad
                    url = path.format(**values["path"])
                    if values["query"]:
                        url += "?" + urlencode(values["query"])
                    response = client.generic(method.upper(), url, json.dumps(values["body"]) if method != "get"
                                              else "", content_type="application/json")
                    expected = 404 if where == "path" else 422
                    answer = response.json() if response.get("Content-Type", "").startswith("application/json") else {}
                    if (response.status_code != expected or not str(answer.get("field") or "").startswith(name)
                            or not answer.get("message")):
                        wrong.append((method, path, name, repr(bad), response.status_code, answer))
        assert probed > 0
        assert (Complaint.objects.count(), AuditEvent.objects.count()) == saved
        return wrong

    return send


@pytest.mark.parametrize("bad_kind", ["naive", "huge", "calendar_end", "surrogate"])
def test_every_endpoint_answers_a_bad_value_with_a_field_error(probe, bad_kind):
    assert probe(bad_kind) == []


def test_a_time_without_offset_is_refused_with_an_example(desk, registration, logged_in):
    complaint = register_complaint(desk.agent, registration())
    client = logged_in(desk.cp)
    response = client.post(f"/api/complaints/{complaint.pk}/contacts",
                           {"channel": "call", "summary": "回电", "contacted_at": NAIVE},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "contacted_at"
    assert "+08:00" in response.json()["message"] and "时区" in response.json()["message"]


@pytest.mark.parametrize("body", [[None, None], [], ["13912345678"], 7, "13912345678"])
def test_a_body_that_is_no_object_is_refused(desk, logged_in, body):
    """ninja's Schema reads attributes, so a list read as an object with every field at its default (the desk's
    look-up of a caller answered 200 with nothing); every input schema asks for an object."""
    response = logged_in(desk.agent).post("/api/callcenter/desk/complaints/find", json.dumps(body),
                                          content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid"
    assert logged_in(desk.agent).post("/api/callcenter/desk/complaints/find", {"phone": "13912345678"},
                                      content_type="application/json").status_code == 200


def test_the_calendar_api_refuses_the_ends_of_the_calendar(agent, logged_in):
    client = logged_in(agent)
    client.raise_request_exception = False
    late = client.get("/api/calendar/add-working-days", {"start": "9999-12-31", "days": 5})
    early = client.get("/api/calendar/working-days-between", {"start": "0001-01-01", "end": "0001-01-10"})
    assert (late.status_code, late.json()["field"]) == (422, "start")
    assert (early.status_code, early.json()["field"]) == (422, "start")
    assert client.get("/api/calendar/add-working-days", {"start": "2100-12-31", "days": 3650}).status_code == 200


# --- Web pages ------------------------------------------------------------------------------------------------------


def _id_routes(patterns=None, prefix="/") -> list[str]:
    """Every URL route with an <id:…> part, the other parts filled in."""
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = str(entry.pattern)
        if isinstance(entry, URLResolver):
            routes += _id_routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern) and "<id:" in route:
            routes.append(prefix + route)
    return routes


@pytest.mark.parametrize("number", [HUGE, MAX_ID + 1, 0])
def test_every_page_with_an_id_in_its_url_is_not_found_for_an_id_no_row_can_have(bank, logged_in, number):
    client = logged_in(bank.admin)
    client.raise_request_exception = False
    routes = _id_routes()
    assert len(routes) >= 20
    answers = {}
    for route in routes:
        url = route
        while "<" in url:
            start, end = url.index("<"), url.index(">")
            part = url[start + 1:end]
            url = url[:start] + (str(number) if part.startswith("id:") else "note") + url[end + 1:]
        answers[url] = client.get(url).status_code
    assert {url: status for url, status in answers.items() if status != 404} == {}


@pytest.mark.parametrize("url, field, value", [
    ("/complaints/", "received_from", "0001-01-01"),
    ("/complaints/", "received_to", "9999-12-31"),
    ("/complaints/queue/", "received_to", "9999-12-31"),
    ("/audit/", "date_from", "0001-01-01"),
    ("/audit/", "date_to", "9999-12-31"),
])
def test_list_filters_show_a_date_at_the_end_of_the_calendar_as_a_field_error(desk, auditor, logged_in, url, field,
                                                                              value):
    client = logged_in(auditor if url == "/audit/" else desk.cp)
    client.raise_request_exception = False
    response = client.get(url, {field: value})
    assert response.status_code == 200
    assert response.context["form"].errors[field] and "1900-01-01" in response.content.decode()
    assert f'value="{value}"' in response.content.decode()


@pytest.mark.parametrize("url", [
    f"/complaints/?page={HUGE}", f"/audit/?page={HUGE}", f"/knowledge/search/?q=排队&page={HUGE}",
    f"/settings/calendar/?year={HUGE}", "/settings/calendar/?year=0", f"/complaints/?channel={HUGE}",
    f"/complaints/?unit={HUGE}", f"/complaints/?business_category={HUGE}",
])
def test_huge_numbers_in_page_queries_do_not_break_the_page(desk, auditor, logged_in, url):
    client = logged_in(desk.bank.admin if "calendar" in url else auditor if "audit" in url else desk.cp)
    client.raise_request_exception = False
    assert client.get(url).status_code == 200


def test_huge_numbers_in_the_phone_lookup_do_not_break_it(desk, logged_in):
    client = logged_in(desk.cp)
    client.raise_request_exception = False
    response = client.post("/complaints/lookup/", {"phone": "13912345678", "business_category": HUGE})
    assert response.status_code == 200


def _registration_post(desk, **changes):
    from bankdesk.complaints.models import BusinessCategory, Cause, Channel
    return {"phone": "13912345678", "complainant_name": "李女士", "channel": Channel.objects.get(code="hotline").pk,
            "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
            "cause": Cause.objects.get(code="attitude").pk, "unit": desk.bank.outlet_a.pk,
            "description": "排队一个多小时无人理会", **changes}


@pytest.mark.parametrize("received_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_the_registration_page_shows_a_date_at_the_end_of_the_calendar_as_a_field_error(desk, logged_in,
                                                                                        received_at):
    client = logged_in(desk.cp)
    client.raise_request_exception = False
    response = client.post("/complaints/new/", _registration_post(desk, received_at=received_at))
    assert response.status_code == 200 and response.context["form"].errors["received_at"]
    assert "排队一个多小时无人理会" in response.content.decode()  # the form stays filled
    assert not Complaint.objects.exists()


def test_a_time_without_offset_on_the_registration_page_is_local_time(desk, logged_in):
    response = logged_in(desk.cp).post("/complaints/new/", _registration_post(desk, received_at="2026-12-01T09:30"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.received_at.isoformat() == "2026-12-01T01:30:00+00:00"


@pytest.mark.parametrize("form_class, data, field", [
    (RegistrationForm, {"description": f"排队{SURROGATE}"}, "description"),
    (RegistrationForm, {"complainant_name": f"李{chr(0)}"}, "complainant_name"),
    (ContactForm, {"version": 1, "channel": "call", "summary": SURROGATE}, "summary"),
    (UnitForm, {"code": "Z", "name": SURROGATE, "kind": "outlet"}, "name"),
])
def test_forms_refuse_text_that_cannot_be_stored(desk, form_class, data, field):
    kwargs = {"user": desk.cp} if form_class is RegistrationForm else {}
    form = form_class(data=_registration_post(desk, **data) if form_class is RegistrationForm else data, **kwargs)
    assert not form.is_valid()
    assert any("无法保存" in error for error in form.errors[field])


@pytest.mark.parametrize("url", ["/api/audit/events?date_to=0", "/api/complaints?received_to=0",
                                 "/api/complaints?received_to=20250101",
                                 "/api/calendar/add-working-days?start=0&days=1"])
def test_a_number_is_no_date(desk, auditor, logged_in, url):
    """Pydantic alone reads 0 as 1970-01-01; Schemathesis found such filters answered 200."""
    response = logged_in(auditor).get(url)
    assert response.status_code == 422
    assert response.json()["field"] in url
