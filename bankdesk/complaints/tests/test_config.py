import pytest

from bankdesk.complaints.models import Channel, RoutingRule, SeverityRule
from bankdesk.core.models import AuditEvent

TABLES = ["channels", "business-categories", "causes", "closure-codes", "non-acceptance-reasons", "severity-rules",
          "routing-rules"]


@pytest.mark.parametrize("slug", TABLES)
def test_every_table_lists_for_the_office(desk, logged_in, slug, django_assert_max_num_queries):
    client = logged_in(desk.cp)
    client.get("/")
    with django_assert_max_num_queries(12):
        assert client.get(f"/settings/tables/{slug}/").status_code == 200
    assert client.get(f"/settings/tables/{slug}/new/").status_code == 200


@pytest.mark.parametrize("slug", TABLES)
def test_tables_are_refused_to_others(desk, logged_in, slug):
    assert logged_in(desk.handler_a1).get(f"/settings/tables/{slug}/").status_code == 403


def test_add_and_retire_a_channel_with_audit(desk, logged_in):
    client = logged_in(desk.cp)
    response = client.post("/settings/tables/channels/new/", {
        "code": "wechat", "name": "微信公众号", "name_en": "WeChat", "kind": "public", "sort_order": 20,
        "is_active": "on"})
    assert response.status_code == 302
    channel = Channel.objects.get(code="wechat")
    client.post(f"/settings/tables/channels/{channel.pk}/", {
        "code": "wechat", "name": "微信公众号", "name_en": "WeChat", "kind": "public", "sort_order": 20})
    channel.refresh_from_db()
    assert not channel.is_active
    assert AuditEvent.objects.filter(action="config.channels.update", object_id=str(channel.pk)).exists()


def test_bad_entry_keeps_the_form_and_saves_nothing(desk, logged_in):
    before = SeverityRule.objects.count()
    response = logged_in(desk.cp).post("/settings/tables/severity-rules/new/", {
        "condition": "amount_over", "parameter": "100000", "severity": "9"})
    assert response.status_code == 200 and response.context["form"].errors["severity"]
    assert 'value="100000"' in response.content.decode()
    assert SeverityRule.objects.count() == before


def test_routing_rule_edited_in_the_page_routes(desk, logged_in):
    client = logged_in(desk.cp)
    rule = RoutingRule.objects.get(name="东城分行")
    response = client.post(f"/settings/tables/routing-rules/{rule.pk}/", {
        "priority": 5, "name": "东城分行", "unit": desk.bank.branch_a.pk, "lead_department": desk.card_department.pk,
        "is_active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.lead_department == desk.card_department and rule.priority == 5


def test_unknown_table_is_404(desk, logged_in):
    assert logged_in(desk.cp).get("/settings/tables/nope/").status_code == 404
