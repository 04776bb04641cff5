"""Each app registers its vocabulary; core imports no other app and refuses what nobody registered."""

import subprocess
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import audit, checks, rules
from bankdesk.core.audit import UnregisteredAction
from bankdesk.core.permissions import PERMISSIONS, ROLE_PERMISSIONS, CorePermission
from bankdesk.core.registry import Registry
from bankdesk.core.rule_catalog import RULES
from bankdesk.knowledge.permissions import KnowledgePermission
from bankdesk.orgs.models import OrgUnit, Role
from bankdesk.orgs.permissions import OrgPermission

BANKDESK = Path(__file__).resolve().parents[2]


def _ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_every_app_registers_its_vocabulary():
    assert PERMISSIONS["complaint.view"] is ComplaintPermission.VIEW_COMPLAINTS
    assert PERMISSIONS["org.manage"] is OrgPermission.MANAGE_ORG
    assert PERMISSIONS["knowledge.view"] is KnowledgePermission.VIEW_KNOWLEDGE
    assert PERMISSIONS["audit.view"] is CorePermission.VIEW_AUDIT
    assert "complaint.register" in audit.ACTIONS and "org.unit.create" in audit.ACTIONS
    assert "config.channels.create" in audit.ACTIONS  # registered with the editable table
    assert "security.login_failure_limit" in RULES and "complaint.decision_calendar_days" in RULES
    assert ComplaintPermission.APPROVE_DECISIONS in ROLE_PERMISSIONS[Role.UNIT_HEAD]


def test_the_registered_code_passes_the_check():
    assert checks.check_vocabulary() == []


@pytest.mark.django_db
def test_record_refuses_an_action_no_app_registered():
    unit = OrgUnit.objects.create(code="X", name="X", path="0001")
    with pytest.raises(UnregisteredAction):
        audit.record("complaint.teleport", unit)
    assert audit.record(ComplaintAction.REGISTER, unit).action == "complaint.register"


def test_an_unregistered_rule_is_a_programming_error():
    with pytest.raises(KeyError):
        rules.get("complaint.no_such_rule")


FAKE_MODULE = '''
from bankdesk.core import audit, rules
from bankdesk.core.permissions import has_permission, require
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.permissions import ComplaintPermission


def act(user, complaint):
    require(user, "complaint.fly")
    has_permission(user, permission="complaint.view")
    audit.record("complaint.teleport", complaint)
    audit.record_event("complaint.register" if user else "complaint.vanish", object_type="x")
    audit.record(ComplaintAction.TELEPORT, complaint)
    audit.record(ComplaintAction.REGISTER, complaint)
    rules.get("complaint.warp_days")
    rules.get("complaint.decision_calendar_days")
    return ComplaintPermission.FLY, ComplaintPermission.VIEW_COMPLAINTS, ShadowPermission.ANY
'''


def test_a_module_using_unknown_vocabulary_fails_the_check(tmp_path):
    module = tmp_path / "fake.py"
    module.write_text(FAKE_MODULE)
    errors = checks.scan_source(module.read_text(), str(module))
    messages = [error.msg for error in errors]
    assert sorted(_ids(errors)) == ["bankdesk.E001", "bankdesk.E001", "bankdesk.E002", "bankdesk.E003",
                                    "bankdesk.E004", "bankdesk.E004", "bankdesk.E004"]
    assert any("'complaint.teleport'" in message for message in messages)
    assert any("'complaint.vanish'" in message for message in messages)  # either branch of a conditional
    assert any("ComplaintAction.TELEPORT" in message for message in messages)
    assert any("'complaint.warp_days'" in message for message in messages)
    assert any("'complaint.fly'" in message for message in messages)
    assert any("ComplaintPermission.FLY" in message for message in messages)
    assert any("ShadowPermission" in message for message in messages)


def test_the_check_scans_every_installed_app(tmp_path, monkeypatch):
    package = tmp_path / "fakeapp"
    (package / "tests").mkdir(parents=True)
    (package / "services.py").write_text('from bankdesk.core import rules\nrules.get("fake.unknown")\n')
    (package / "tests" / "test_x.py").write_text('from bankdesk.core import rules\nrules.get("fake.ignored")\n')
    config = type("FakeConfig", (), {"name": "bankdesk.fakeapp", "path": str(package)})()
    errors = checks.check_vocabulary(app_configs=[config])
    assert _ids(errors) == ["bankdesk.E002"] and "fake.unknown" in errors[0].msg


def test_an_action_without_a_label_fails_the_check():
    class SloppyAction(models.TextChoices):
        LABELLED = "sloppy.labelled", "Something labelled"
        BARE = "sloppy.bare"

    errors = checks.unlabelled_actions([SloppyAction])
    assert _ids(errors) == ["bankdesk.E006"] and "'sloppy.bare'" in errors[0].msg


def test_two_apps_registering_the_same_key_fail_the_check(monkeypatch):
    registry = Registry("permission")
    registry.add("complaint.view", ComplaintPermission.VIEW_COMPLAINTS, "bankdesk.complaints")
    registry.add("complaint.view", "complaint.view", "bankdesk.knowledge")
    monkeypatch.setattr("bankdesk.core.permissions.PERMISSIONS", registry)
    errors = [error for error in checks.check_vocabulary(app_configs=[]) if error.id == "bankdesk.E005"]
    assert len(errors) == 1
    assert "bankdesk.complaints" in errors[0].msg and "bankdesk.knowledge" in errors[0].msg


def test_core_imports_no_other_app_and_knowledge_not_complaints():
    def importing(app, others):
        found = subprocess.run(["grep", "-rlE", rf"bankdesk\.({others})", str(BANKDESK / app), "--include=*.py"],
                               capture_output=True, text=True).stdout.split()
        return [path for path in found if "/tests/" not in path]

    assert importing("core", "orgs|complaints|knowledge") == []
    assert importing("orgs", "complaints|knowledge") == []
    assert importing("knowledge", "complaints") == []
    assert apps.get_app_config("core").name == "bankdesk.core"
