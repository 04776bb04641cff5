"""The audit trail as sentences: changed fields by their labels, values by name, local time, compact lines."""

import pytest
from django.utils import translation

from bankdesk.core.audit_display import LONGEST_VALUE, SHOWN_CHANGES, describe
from bankdesk.core.models import AuditEvent
from bankdesk.orgs import services
from bankdesk.orgs.models import UnitKind


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def _moved_unit(bank):
    unit = services.create_unit(bank.admin, code="A-O2", name="新网点", kind=UnitKind.OUTLET, parent=bank.branch_a)
    services.update_unit(bank.admin, unit, code="A-O2", name="新名称", kind=UnitKind.OUTLET, parent=bank.branch_b)
    return AuditEvent.objects.filter(action="org.unit.update", object_id=str(unit.pk)).get()


def test_changed_fields_by_label_with_old_and_new_by_name(bank):
    line = describe([_moved_unit(bank)])[0]
    changes = {change.label: (change.old, change.new) for change in line.changes}
    assert changes == {"名称": ("新网点", "新名称"), "上级机构": ("东城分行", "西城分行")}
    assert (line.action, line.object_type) == ("修改机构", "机构")


def test_long_values_are_cut_with_the_whole_in_the_title(bank):
    unit = services.create_unit(bank.admin, code="A-O3", name="网" * 80, kind=UnitKind.OUTLET, parent=bank.branch_a)
    line = describe([AuditEvent.objects.get(action="org.unit.create", object_id=str(unit.pk))])[0]
    name = next(change for change in line.changes if change.label == "名称")
    assert len(name.new) == LONGEST_VALUE and name.new.endswith("…") and name.title == "网" * 80


def test_a_few_changes_on_the_line_the_rest_folded(bank):
    unit = services.create_unit(bank.admin, code="A-O4", name="网点", kind=UnitKind.OUTLET, parent=bank.branch_a)
    line = describe([AuditEvent.objects.get(action="org.unit.create", object_id=str(unit.pk))])[0]
    assert len(line.shown) == SHOWN_CHANGES and line.shown + line.more == line.changes and line.more


def test_names_are_read_once_per_model_for_a_page(bank, django_assert_num_queries):
    for number in range(10):
        services.create_unit(bank.admin, code=f"X{number}", name="网点", kind=UnitKind.OUTLET, parent=bank.branch_a)
    events = list(AuditEvent.objects.filter(action="org.unit.create"))
    with django_assert_num_queries(1):  # the parents, all units
        describe(events)


class TestPage:
    def test_local_time_and_compact_lines(self, bank, auditor, logged_in):
        event = _moved_unit(bank)
        body = logged_in(auditor).get("/audit/").content.decode()
        local = event.occurred_at.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
        assert local.strftime("%Y-%m-%d %H:%M") in body
        assert '<span class="old">东城分行</span> <span aria-hidden="true">→</span> <span class="new">西城分行</span>' in body
        assert '"name"' not in body  # no raw JSON on the page itself

    def test_raw_record_on_request_within_scope(self, bank, auditor, admin_a, logged_in):
        event = _moved_unit(bank)
        raw = logged_in(auditor).get(f"/audit/{event.pk}/", HTTP_HX_REQUEST="true").content.decode()
        assert '&quot;name&quot;: &quot;新名称&quot;' in raw and "<html" not in raw
        branch_b_event = AuditEvent.objects.filter(unit_path__startswith=bank.branch_b.path).first()
        other = bank.user("auditor_a", "auditor", bank.branch_a)
        assert logged_in(other).get(f"/audit/{branch_b_event.pk}/").status_code == 404

    def test_the_raw_record_needs_the_right(self, bank, agent, logged_in):
        event = AuditEvent.objects.first()
        assert logged_in(agent).get(f"/audit/{event.pk}/").status_code == 403


def test_values_of_any_shape_read_without_error(bank):
    from bankdesk.core import audit

    event = audit.record("org.unit.update", bank.branch_a, before={"parent": {"id": 1}, "kind": ["a"]},
                         after={"parent": [bank.root.pk, {"x": 2}], "kind": None, "extra": 1.5})
    changes = {change.label: (change.old, change.new) for change in describe([event])[0].changes}
    assert changes["上级机构"] == ('{"id": 1}', '总行、{"x": 2}') and changes["extra"] == (None, "1.5")
