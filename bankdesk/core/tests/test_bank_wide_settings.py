"""Rule settings and the working-day calendar apply to the whole bank: a branch administrator
reads them and changes nothing; only a holder of the right at the head office changes them."""

from datetime import date

import pytest

from bankdesk.core import rules
from bankdesk.core.errors import PermissionDenied
from bankdesk.core.models import CalendarDay, CalendarYear, DayKind, RuleChange
from bankdesk.core.services import publish_calendar_year, set_calendar_day


def test_branch_admin_cannot_change_a_rule(admin_a):
    with pytest.raises(PermissionDenied):
        rules.set_value(admin_a, "security.session_idle_minutes", "600", "分行自定")
    assert rules.get("security.session_idle_minutes") == rules.RULES["security.session_idle_minutes"].default
    assert not RuleChange.objects.exists()


def test_branch_admin_cannot_change_the_calendar(admin_a):
    with pytest.raises(PermissionDenied):
        set_calendar_day(admin_a, date(2026, 3, 2), DayKind.HOLIDAY, "分行假日")
    with pytest.raises(PermissionDenied):
        publish_calendar_year(admin_a, 2027, "分行通知")
    assert not CalendarDay.objects.filter(date=date(2026, 3, 2)).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_head_office_admin_changes_both(bank):
    rules.set_value(bank.admin, "security.session_idle_minutes", "20", "安全策略")
    set_calendar_day(bank.admin, date(2027, 1, 1), DayKind.HOLIDAY, "元旦")
    assert rules.get("security.session_idle_minutes") == 20
    assert CalendarDay.objects.filter(date=date(2027, 1, 1)).exists()


class TestPages:
    def test_branch_admin_reads_rules_without_change_buttons(self, admin_a, logged_in):
        client = logged_in(admin_a)
        listing = client.get("/settings/rules/")
        assert listing.status_code == 200 and not listing.context["may_change"]
        assert "security.session_idle_minutes" in listing.content.decode()
        page = client.get("/settings/rules/security.session_idle_minutes/")
        assert page.status_code == 200 and not page.context["may_change"]
        assert 'name="reason"' not in page.content.decode()

    def test_branch_admin_posting_a_rule_gets_403(self, admin_a, logged_in):
        response = logged_in(admin_a).post("/settings/rules/security.session_idle_minutes/",
                                           {"value": "600", "reason": "分行自定"})
        assert response.status_code == 403
        assert not RuleChange.objects.exists()

    def test_branch_admin_reads_the_calendar_without_forms(self, admin_a, logged_in):
        page = logged_in(admin_a).get("/settings/calendar/?year=2026")
        assert page.status_code == 200 and not page.context["may_change"]
        assert 'name="day-date"' not in page.content.decode()

    @pytest.mark.parametrize("data", [
        {"day-date": "2026-03-02", "day-kind": DayKind.HOLIDAY, "day-name": "分行假日"},
        {"year-year": "2027", "year-source": "分行通知"},
    ])
    def test_branch_admin_posting_the_calendar_gets_403(self, admin_a, logged_in, data):
        assert logged_in(admin_a).post("/settings/calendar/", data).status_code == 403
        assert not CalendarDay.objects.filter(date=date(2026, 3, 2)).exists()
        assert not CalendarYear.objects.filter(year=2027).exists()

    def test_head_office_admin_sees_the_forms(self, bank, logged_in):
        client = logged_in(bank.admin)
        assert client.get("/settings/rules/").context["may_change"]
        assert 'name="day-date"' in client.get("/settings/calendar/").content.decode()
