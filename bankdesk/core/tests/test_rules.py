import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from bankdesk.core import caching, rules
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, RuleChange, RuleSetting
from bankdesk.core.rule_catalog import all_rules


def test_defaults_come_from_the_domain(db):
    assert rules.get("complaint.decision_calendar_days") == 15
    assert rules.get("complaint.non_acceptance_notice_working_days") == 2
    assert rules.get("clock.warning_percent") == 90
    assert rules.get("approval.unit_head_limit_yuan") == Decimal("5000")
    assert rules.ensure_defaults() == len(all_rules())
    assert rules.ensure_defaults() == 0


def _source_without_tests() -> str:
    package = Path(settings.BASE_DIR) / "bankdesk"
    files = [path for suffix in ("*.py", "*.html") for path in package.rglob(suffix)
             if not {"tests", "migrations"} & set(path.relative_to(package).parts)
             and path.name not in ("rule_catalog.py", "rule_settings.py", "conftest.py")]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_rule_setting_is_read_by_the_code():
    """An administrator must never edit a number that changes nothing: each key is named outside the catalogue."""
    source = _source_without_tests()
    unread = [rule.key for rule in all_rules() if not re.search(rf"[\"']{re.escape(rule.key)}[\"']", source)]
    assert unread == []


REMOVED_KEY = "kpi.attitude_complaints_per_outlet_year_below"  # a key an earlier version declared


def test_a_setting_taken_out_of_the_catalogue_is_neither_shown_nor_editable(bank, logged_in):
    RuleSetting.objects.create(key=REMOVED_KEY, value="95")  # as an earlier version left it
    client = logged_in(bank.admin)
    assert REMOVED_KEY not in client.get("/settings/rules/").content.decode()
    assert client.get(f"/settings/rules/{REMOVED_KEY}/").status_code == 404
    with pytest.raises(ValidationFailed):
        rules.set_value(bank.admin, REMOVED_KEY, "90", "试行")
    assert RuleSetting.objects.get(key=REMOVED_KEY).value == "95"  # kept, never deleted


def test_change_is_kept_with_history_and_audit(bank):
    rules.set_value(bank.admin, "complaint.callback_calendar_days", "5", "分行要求提前回访")
    assert rules.get("complaint.callback_calendar_days") == 5
    change = RuleChange.objects.get()
    assert (change.old_value, change.new_value, change.reason, change.changed_by) == (7, 5, "分行要求提前回访", bank.admin)
    assert AuditEvent.objects.filter(action="rule.change").exists()


@pytest.mark.parametrize("value, reason, field", [
    ("abc", "x", "value"),
    ("0", "x", "value"),
    ("100", "x", "value"),
    ("95", " ", "reason"),
])
def test_bad_values_change_nothing(bank, value, reason, field):
    with pytest.raises(ValidationFailed) as failure:
        rules.set_value(bank.admin, "clock.warning_percent", value, reason)
    assert failure.value.field == field and failure.value.message
    assert rules.get("clock.warning_percent") == 90
    assert not RuleSetting.objects.filter(key="clock.warning_percent").exists()


def test_only_rule_managers_change(agent):
    with pytest.raises(PermissionDenied):
        rules.set_value(agent, "clock.warning_percent", "80", "x")


class TestRulePages:
    def test_list_and_edit(self, bank, logged_in):
        client = logged_in(bank.admin)
        assert "clock.warning_percent" in client.get("/settings/rules/").content.decode()
        response = client.post("/settings/rules/clock.warning_percent/", {"value": "85", "reason": "试行"})
        assert response.status_code == 302
        assert rules.get("clock.warning_percent") == 85

    def test_failed_save_keeps_the_form_filled(self, bank, logged_in):
        response = logged_in(bank.admin).post("/settings/rules/clock.warning_percent/",
                                              {"value": "abc", "reason": "我的理由"})
        assert response.status_code == 200
        assert response.context["form"].errors["value"]
        assert "我的理由" in response.content.decode()

    def test_unknown_rule_is_404(self, bank, logged_in):
        assert logged_in(bank.admin).get("/settings/rules/no.such.rule/").status_code == 404

    def test_refused_without_the_right(self, agent, logged_in):
        client = logged_in(agent)
        assert client.get("/settings/rules/").status_code == 403
        assert client.post("/settings/rules/clock.warning_percent/", {"value": "80", "reason": "x"}).status_code == 403


def test_within_a_scope_another_process_s_change_is_read_after_it_ends(db):
    """An import reads the rules of its start throughout, without asking the cache per row."""
    with caching.request_scope():
        assert rules.get("clock.warning_percent") == 90
        RuleSetting.objects.update_or_create(key="clock.warning_percent", defaults={"value": 80})
        cache.delete(rules.CACHE_KEY)  # as another process's `invalidate` leaves this one's cache
        assert rules.get("clock.warning_percent") == 90
    assert rules.get("clock.warning_percent") == 80
