import pytest
from django.db import DatabaseError, connection, transaction

from bankdesk.core import audit
from bankdesk.core.models import AppendOnlyError, AuditEvent, AuditSource
from bankdesk.core.selectors import AuditFilter, audit_events
from bankdesk.orgs import services
from bankdesk.orgs.models import Role, UnitKind


def test_services_record_who_what_before_after(bank):
    with audit.audit_context(actor=bank.admin, source=AuditSource.API, request_id="req-1"):
        unit = services.create_unit(bank.admin, code="A-O2", name="新网点", kind=UnitKind.OUTLET,
                                    parent=bank.branch_a)
        services.update_unit(bank.admin, unit, code="A-O2", name="新名称", kind=UnitKind.OUTLET,
                             parent=bank.branch_a)
    event = AuditEvent.objects.filter(object_type="orgs.orgunit", object_id=str(unit.pk)).order_by("id").last()
    assert (event.action, event.actor, event.source, event.request_id) == (
        "org.unit.update", bank.admin, AuditSource.API, "req-1")
    assert event.before["name"] == "新网点" and event.after["name"] == "新名称"
    assert event.unit_path == unit.path


def test_orm_refuses_update_and_delete(bank):
    event = AuditEvent.objects.first()
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


@pytest.mark.parametrize("statement", [
    "UPDATE core_auditevent SET action = 'tampered'",
    "DELETE FROM core_auditevent",
])
def test_database_trigger_refuses_raw_sql(bank, statement):
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert not AuditEvent.objects.filter(action="tampered").exists()
    assert AuditEvent.objects.exists()


def test_branch_auditor_sees_only_own_subtree(bank):
    branch_auditor = bank.user("auditor_a", Role.AUDITOR, bank.branch_a)
    services.create_unit(bank.admin, code="B-O2", name="B网点", kind=UnitKind.OUTLET, parent=bank.branch_b)
    paths = set(audit_events(branch_auditor, AuditFilter()).values_list("unit_path", flat=True))
    assert paths and all(path.startswith(bank.branch_a.path) for path in paths)


def test_bank_auditor_sees_bank_wide_events(bank, auditor):
    actions = set(audit_events(auditor, AuditFilter()).values_list("action", flat=True))
    assert {"org.bootstrap", "org.unit.create", "org.role.assign"} <= actions


def test_filters(bank, auditor):
    events = audit_events(auditor, AuditFilter(action="org.unit", object_type="orgs.orgunit", sort="occurred_at"))
    assert [e.action for e in events] == ["org.unit.create"] * 4


class TestAuditPage:
    def test_lists_with_count_in_constant_queries(self, bank, auditor, logged_in, django_assert_max_num_queries):
        client = logged_in(auditor)
        client.get("/audit/")
        for number in range(30):
            services.create_unit(bank.admin, code=f"X{number}", name="网点", kind=UnitKind.OUTLET, parent=bank.root)
        with django_assert_max_num_queries(9):  # and one for the names of the units the events name
            response = client.get("/audit/", {"action": "org.unit.create", "sort": "action"})
        assert response.status_code == 200
        assert response.context["page"].total == 34
        assert len(response.context["page"].items) == 34

    def test_page_and_api_refuse_users_without_the_right(self, agent, logged_in):
        client = logged_in(agent)
        assert client.get("/audit/").status_code == 403
        response = client.get("/api/audit/events")
        assert response.status_code == 403 and response.json()["code"] == "forbidden"

    def test_api_pages_and_filters(self, bank, auditor, logged_in):
        response = logged_in(auditor).get("/api/audit/events", {"action": "org.unit.create", "page_size": 2})
        body = response.json()
        assert body["total"] == 4 and len(body["items"]) == 2 and body["items"][0]["actor"] == "root_admin"

    def test_api_bad_filter_is_a_field_error(self, auditor, logged_in):
        response = logged_in(auditor).get("/api/audit/events", {"date_from": "yesterday"})
        assert response.status_code == 422 and response.json()["field"] == "date_from"


def test_postgresql_refuses_truncate_of_the_trail(bank):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite has no such statement")
    with pytest.raises(DatabaseError):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("TRUNCATE core_auditevent")
    assert AuditEvent.objects.exists()
