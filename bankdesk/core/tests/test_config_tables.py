"""Config tables know the units an entry touches: entries for the whole bank are the head office's,
an entry limited to a unit belongs to whoever holds the right over it and every unit it acts on."""

import pytest

from bankdesk.complaints.models import Channel, RoutingRule
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import config_tables
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.models import AuditEvent
from bankdesk.core.permissions import has_permission
from bankdesk.orgs.models import Role

ROUTING = config_tables.REGISTRY["routing-rules"]
CHANNELS = config_tables.REGISTRY["channels"]


def _rule_data(rule_name, unit, lead, assisting=(), priority=50):
    data = {"priority": priority, "name": rule_name, "lead_department": lead.pk, "is_active": "on",
            "assisting_departments": [unit.pk for unit in assisting]}
    if unit is not None:
        data["unit"] = unit.pk
    return data


def _unscoped_form(table, data, instance=None):
    """A form as a caller bypassing the page would build it: every unit is a valid choice."""
    form = table.form_class()(data, instance=instance)
    assert form.is_valid(), form.errors
    return form


@pytest.fixture
def rules(desk):
    return {rule.name: rule for rule in RoutingRule.objects.all()}


class TestService:
    def test_branch_cannot_change_another_branchs_rule(self, desk, rules):
        east = rules["东城分行"]
        form = _unscoped_form(ROUTING, _rule_data("东城分行", desk.bank.branch_a, desk.bank.branch_b), east)
        with pytest.raises(NotFound):
            config_tables.save_entry(desk.cp_b, ROUTING, form)
        east.refresh_from_db()
        assert east.lead_department == desk.bank.branch_a

    def test_branch_cannot_route_into_another_branchs_department(self, desk, rules):
        west = rules["西城分行"]
        form = _unscoped_form(ROUTING, _rule_data("西城分行", desk.bank.branch_b, desk.bank.outlet_a), west)
        with pytest.raises(PermissionDenied):
            config_tables.save_entry(desk.cp_b, ROUTING, form)
        form = _unscoped_form(ROUTING, _rule_data("西城分行", desk.bank.branch_b, desk.bank.branch_b,
                                                  assisting=[desk.card_department]), west)
        with pytest.raises(PermissionDenied):
            config_tables.save_entry(desk.cp_b, ROUTING, form)
        west.refresh_from_db()
        assert west.lead_department == desk.bank.branch_b and not west.assisting_departments.exists()

    def test_branch_cannot_make_a_rule_for_the_whole_bank(self, desk):
        form = _unscoped_form(ROUTING, _rule_data("全行", None, desk.bank.outlet_b))
        with pytest.raises(PermissionDenied):
            config_tables.save_entry(desk.cp_b, ROUTING, form)
        assert not RoutingRule.objects.filter(name="全行").exists()

    def test_branch_cannot_change_a_bank_wide_rule(self, desk, rules):
        card = rules["信用卡"]
        form = _unscoped_form(ROUTING, _rule_data("信用卡", None, desk.bank.branch_b), card)
        with pytest.raises(PermissionDenied):
            config_tables.save_entry(desk.cp_b, ROUTING, form)
        card.refresh_from_db()
        assert card.lead_department == desk.card_department

    def test_branch_cannot_change_taxonomies(self, desk):
        form = _unscoped_form(CHANNELS, {"code": "wechat", "name": "微信", "kind": "public", "sort_order": 1})
        with pytest.raises(PermissionDenied):
            config_tables.save_entry(desk.cp_b, CHANNELS, form)
        assert not Channel.objects.filter(code="wechat").exists()

    def test_branch_changes_its_own_rule_within_its_units(self, desk, rules):
        west = rules["西城分行"]
        form = _unscoped_form(ROUTING, _rule_data("西城分行", desk.bank.branch_b, desk.bank.outlet_b,
                                                  assisting=[desk.bank.branch_b], priority=40), west)
        config_tables.save_entry(desk.cp_b, ROUTING, form)
        west.refresh_from_db()
        assert west.lead_department == desk.bank.outlet_b and west.priority == 40
        assert AuditEvent.objects.filter(action="config.routing-rules.update", object_id=str(west.pk)).exists()

    def test_head_office_changes_everything(self, desk, rules):
        form = _unscoped_form(ROUTING, _rule_data("东城分行", desk.bank.branch_a, desk.card_department),
                              rules["东城分行"])
        config_tables.save_entry(desk.cp, ROUTING, form)
        form = _unscoped_form(CHANNELS, {"code": "wechat", "name": "微信", "kind": "public", "sort_order": 1})
        config_tables.save_entry(desk.cp, CHANNELS, form)
        assert Channel.objects.filter(code="wechat").exists()


class TestPages:
    def test_other_branchs_rule_is_not_listed_and_opens_as_404(self, desk, rules, logged_in):
        client = logged_in(desk.cp_b)
        page = client.get("/settings/tables/routing-rules/")
        names = {entry.name for entry, _cells in page.context["rows"]}
        assert names == {"西城分行", "信用卡"}
        east = rules["东城分行"]
        assert client.get(f"/settings/tables/routing-rules/{east.pk}/").status_code == 404
        response = client.post(f"/settings/tables/routing-rules/{east.pk}/",
                               _rule_data("东城分行", desk.bank.branch_a, desk.bank.branch_b))
        assert response.status_code == 404
        east.refresh_from_db()
        assert east.lead_department == desk.bank.branch_a

    def test_unit_choices_are_limited_to_the_scope(self, desk, rules, logged_in):
        client = logged_in(desk.cp_b)
        form = client.get(f"/settings/tables/routing-rules/{rules['西城分行'].pk}/").context["form"]
        expected = {desk.bank.branch_b, desk.bank.outlet_b}
        for name in ("unit", "lead_department", "assisting_departments"):
            assert set(form.fields[name].queryset) == expected
        assert form.fields["unit"].required
        response = client.post(f"/settings/tables/routing-rules/{rules['西城分行'].pk}/",
                               _rule_data("西城分行", desk.bank.branch_b, desk.bank.outlet_a))
        assert response.status_code == 200 and response.context["form"].errors["lead_department"]
        response = client.post("/settings/tables/routing-rules/new/",
                               _rule_data("全行", None, desk.bank.outlet_b))
        assert response.status_code == 200 and response.context["form"].errors["unit"]
        assert not RoutingRule.objects.filter(name="全行").exists()

    def test_bank_wide_entries_are_read_only_for_a_branch(self, desk, rules, logged_in):
        client = logged_in(desk.cp_b)
        listing = client.get("/settings/tables/channels/")
        assert listing.status_code == 200 and listing.context["rows"] and not listing.context["may_create"]
        channel = Channel.objects.get(code="hotline")
        page = client.get(f"/settings/tables/channels/{channel.pk}/")
        assert page.status_code == 200 and not page.context["may_change"]
        assert client.post(f"/settings/tables/channels/{channel.pk}/", {
            "code": "hotline", "name": "改名", "kind": channel.kind, "sort_order": 1}).status_code == 403
        assert client.get("/settings/tables/channels/new/").status_code == 403
        assert client.post("/settings/tables/channels/new/", {
            "code": "wechat", "name": "微信", "kind": "public", "sort_order": 1}).status_code == 403
        card = rules["信用卡"]
        assert client.post(f"/settings/tables/routing-rules/{card.pk}/",
                           _rule_data("信用卡", None, desk.bank.branch_b)).status_code == 403
        channel.refresh_from_db()
        card.refresh_from_db()
        assert channel.name != "改名" and card.lead_department == desk.card_department
        assert not Channel.objects.filter(code="wechat").exists()

    def test_branch_saves_its_own_rule_in_the_page(self, desk, rules, logged_in):
        west = rules["西城分行"]
        response = logged_in(desk.cp_b).post(f"/settings/tables/routing-rules/{west.pk}/",
                                             _rule_data("西城分行", desk.bank.branch_b, desk.bank.outlet_b))
        assert response.status_code == 302
        west.refresh_from_db()
        assert west.lead_department == desk.bank.outlet_b

    def test_list_is_one_query_per_page_for_a_branch(self, desk, logged_in, django_assert_max_num_queries):
        for number in range(5):
            rule = RoutingRule.objects.create(name=f"西城{number}", unit=desk.bank.outlet_b,
                                              lead_department=desk.bank.branch_b)
            rule.assisting_departments.add(desk.bank.outlet_b)
        client = logged_in(desk.cp_b)
        client.get("/")
        with django_assert_max_num_queries(12):
            page = client.get("/settings/tables/routing-rules/")
        assert len(page.context["rows"]) == 7 and all(entry.may_change for entry, _cells in page.context["rows"]
                                                      if entry.name.startswith("西城"))


class TestEachTableAsksItsOwnRight:
    """The pages ask the right the table declares, not the complaint taxonomies' (the demo administrator
    holds the workforce, remediation and quality tables' rights but not the taxonomies')."""

    OWN_RIGHT = ["workforce-shift-templates", "workforce-work-terms", "workforce-special-days",
                 "authority-limits", "root-causes", "penalty-levels", "scam-types"]

    @pytest.fixture
    def admin(self, bank):
        user = bank.user("table_admin", Role.ADMIN, bank.root)
        assert not has_permission(user, ComplaintPermission.MANAGE_TAXONOMIES)
        return user

    @pytest.mark.parametrize("slug", OWN_RIGHT)
    def test_holder_of_the_tables_right_opens_its_pages(self, admin, logged_in, slug):
        assert has_permission(admin, config_tables.REGISTRY[slug].permission)
        client = logged_in(admin)
        assert client.get(f"/settings/tables/{slug}/").status_code == 200
        assert client.get(f"/settings/tables/{slug}/new/").status_code == 200

    def test_without_the_tables_right_the_page_is_403(self, admin, logged_in):
        client = logged_in(admin)
        assert client.get("/settings/tables/channels/").status_code == 403
        assert client.get("/settings/tables/channels/new/").status_code == 403
        channel = Channel.objects.get(code="hotline")
        assert client.get(f"/settings/tables/channels/{channel.pk}/").status_code == 403

    def test_a_workforce_planner_opens_only_the_workforce_tables(self, bank, logged_in):
        client = logged_in(bank.user("table_planner", Role.WORKFORCE_PLANNER, bank.root))
        assert client.get("/settings/tables/workforce-shift-templates/").status_code == 200
        assert client.get("/settings/tables/root-causes/").status_code == 403
