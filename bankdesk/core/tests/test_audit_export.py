"""The audit trail exported in the background (kind core.audit): each event on a line with its changes in full,
in the user's scope and the trail's filters, under Chinese headers; the button on the trail; 403 without
core.view_audit."""

from django.urls import reverse

from bankdesk.core.audit_display import LONGEST_VALUE
from bankdesk.orgs import services
from bankdesk.orgs.models import UnitKind
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


def test_the_trail_with_its_changes(bank, auditor, logged_in, django_capture_on_commit_callbacks):
    unit = services.create_unit(bank.admin, code="A-O2", name="新网点", kind=UnitKind.OUTLET, parent=bank.branch_a)
    services.update_unit(bank.admin, unit, code="A-O2", name="网" * (LONGEST_VALUE + 10), kind=UnitKind.OUTLET,
                         parent=bank.branch_b)
    client = logged_in(auditor)
    assert 'value="core.audit"' in client.get(reverse("core:audit")).content.decode()
    job = run_export(client, django_capture_on_commit_callbacks, "core.audit", "xlsx", "action=org.unit.update")
    header, *rows = table(client, job)
    assert header == ["时间", "来源", "操作人", "操作", "对象类型", "对象", "变更内容"]
    assert len(rows) == 1 and rows[0][3:5] == ["修改机构", "机构"]
    assert f"新网点 → {'网' * (LONGEST_VALUE + 10)}" in rows[0][6] and "上级机构: 东城分行 → 西城分行" in rows[0][6]
    text = pdf_text(client, run_export(client, django_capture_on_commit_callbacks, "core.audit", "pdf",
                                       "object_type=orgs.orgunit"))
    assert "审计日志" in text and "新增机构" in text and "修改机构" in text


def test_scope_and_right(bank, admin_a, agent, logged_in, django_capture_on_commit_callbacks):
    services.create_unit(bank.admin, code="B-O2", name="西城新网点", kind=UnitKind.OUTLET, parent=bank.branch_b)
    services.create_unit(bank.admin, code="A-O3", name="东城新网点", kind=UnitKind.OUTLET, parent=bank.branch_a)
    client = logged_in(admin_a)  # the administrator of branch A: branch A's events only
    rows = table(client, run_export(client, django_capture_on_commit_callbacks, "core.audit", "csv",
                                    "action=org.unit.create"))[1:]
    assert "东城新网点" in [row[5] for row in rows] and "西城新网点" not in [row[5] for row in rows]
    assert request_export(logged_in(agent), "core.audit").status_code == 403
