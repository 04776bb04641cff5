import pytest
from django.db import connection

from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.permissions import has_permission
from bankdesk.orgs import selectors, services
from bankdesk.orgs.models import OrgUnit, Role, UnitKind, next_path
from bankdesk.orgs.permissions import OrgPermission


def test_next_path_bounds_a_subtree():
    assert next_path("00010002") == "00010003"
    assert next_path("00010009") == "0001001"
    assert next_path("0009") == "001"
    assert all(next_path("00010009") > p for p in ["00010009", "000100090001", "000100099999"])


def test_paths_follow_the_tree(bank):
    assert bank.branch_a.path.startswith(bank.root.path) and bank.outlet_a.path.startswith(bank.branch_a.path)
    assert bank.outlet_a.depth == 2
    assert list(OrgUnit.objects.subtree(bank.branch_a)) == [bank.branch_a, bank.outlet_a]


def test_moving_a_unit_moves_its_subtree(bank):
    sub_branch = services.create_unit(bank.admin, code="A-S1", name="江北支行", kind=UnitKind.SUB_BRANCH,
                                      parent=bank.branch_a)
    outlet = services.create_unit(bank.admin, code="A-S1-O1", name="北岸网点", kind=UnitKind.OUTLET,
                                  parent=sub_branch)
    services.update_unit(bank.admin, sub_branch, code="A-S1", name="江北支行", kind=UnitKind.SUB_BRANCH,
                         parent=bank.branch_b)
    outlet.refresh_from_db()
    assert outlet.is_within(bank.branch_b) and outlet.depth == 3
    assert set(OrgUnit.objects.subtree(bank.branch_b)) == {bank.branch_b, bank.outlet_b, sub_branch, outlet}


def test_a_unit_cannot_move_under_itself(bank):
    with pytest.raises(ValidationFailed) as failure:
        services.update_unit(bank.admin, bank.branch_a, code="A", name="东城分行", kind=UnitKind.BRANCH,
                             parent=bank.outlet_a)
    assert failure.value.field == "parent"


@pytest.mark.parametrize("code, name, kind, field", [
    ("", "网点", UnitKind.OUTLET, "code"),
    ("N1", " ", UnitKind.OUTLET, "name"),
    ("N1", "网点", "castle", "kind"),
    ("A", "网点", UnitKind.OUTLET, "code"),
    ("N1\x07", "网点", UnitKind.OUTLET, "code"),
    ("N1", "网\u200b点", UnitKind.OUTLET, "name"),
    ("N1", "网点\n", UnitKind.OUTLET, "name"),
    ("N1", "总行", UnitKind.HEAD_OFFICE, "parent"),
    ("N1", "分行", UnitKind.BRANCH, "parent"),
])
def test_bad_unit_input_changes_nothing(bank, code, name, kind, field):
    before = OrgUnit.objects.count()
    with pytest.raises(ValidationFailed) as failure:
        services.create_unit(bank.admin, code=code, name=name, kind=kind, parent=bank.branch_a)
    assert failure.value.field == field
    assert OrgUnit.objects.count() == before


def test_branch_admin_manages_only_own_subtree(bank, admin_a):
    services.create_unit(admin_a, code="A-O9", name="新网点", kind=UnitKind.OUTLET, parent=bank.branch_a)
    with pytest.raises(NotFound):
        services.create_unit(admin_a, code="B-O9", name="新网点", kind=UnitKind.OUTLET, parent=bank.branch_b)
    with pytest.raises(PermissionDenied):
        services.create_unit(bank.user("teller", Role.TELLER, bank.outlet_a), code="A-O8", name="x",
                             kind=UnitKind.OUTLET, parent=bank.branch_a)


def test_scope_reaches_the_subtree_only(bank, agent):
    teller_b = bank.user("teller_b", Role.TELLER, bank.outlet_b)
    assert set(selectors.visible_units(teller_b)) == {bank.outlet_b}
    assert has_permission(agent, OrgPermission.VIEW_ORG, bank.outlet_a)
    assert not has_permission(agent, OrgPermission.VIEW_ORG, bank.branch_a)


def test_inactive_assignment_grants_nothing(bank):
    user = bank.user("leaver", Role.ADMIN, bank.branch_a)
    services.revoke_role(bank.admin, user.role_assignments.get())
    user.refresh_from_db()
    assert not has_permission(user, OrgPermission.MANAGE_ORG)


@pytest.fixture
def large_tree(bank):
    """10,000 units: 20 branches × 20 sub-branches × 25 outlets, written in bulk."""
    units = []
    for b in range(1, 21):
        branch_path = bank.root.path + f"{b + 10:04d}"
        units.append(OrgUnit(code=f"L{b}", name=f"分行{b}", kind=UnitKind.BRANCH, path=branch_path, depth=1))
        for s in range(1, 21):
            sub_path = branch_path + f"{s:04d}"
            units.append(OrgUnit(code=f"L{b}-{s}", name="支行", kind=UnitKind.SUB_BRANCH, path=sub_path, depth=2))
            units += [OrgUnit(code=f"L{b}-{s}-{o}", name="网点", kind=UnitKind.OUTLET, path=sub_path + f"{o:04d}",
                              depth=3) for o in range(1, 25)]
    OrgUnit.objects.bulk_create(units, batch_size=2000)
    return OrgUnit.objects.get(code="L7")


def test_subtree_is_one_indexed_query_at_10000_units(large_tree, django_assert_num_queries):
    assert OrgUnit.objects.count() > 10_000
    with django_assert_num_queries(1):
        count = len(list(OrgUnit.objects.subtree(large_tree).values_list("id", flat=True)))
    assert count == 1 + 20 + 20 * 24
    sql, params = OrgUnit.objects.subtree(large_tree).values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert plan.startswith("SEARCH") and "INDEX" in plan and "(path>? AND path<?)" in plan
        else:
            cursor.execute("SET enable_seqscan = off")  # a tiny test table is otherwise scanned
            cursor.execute("EXPLAIN " + sql, params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            cursor.execute("SET enable_seqscan = on")
            assert "Index" in plan


def test_administrators_cannot_lock_themselves_out(bank, logged_in):
    client = logged_in(bank.admin)
    response = client.post(f"/org/users/{bank.admin.pk}/active/", {"active": "0"}, follow=True)
    assert response.status_code == 200 and list(response.context["messages"])
    assignment = bank.admin.role_assignments.get()
    client.post(f"/org/roles/{assignment.pk}/revoke/")
    bank.admin.refresh_from_db()
    assignment.refresh_from_db()
    assert bank.admin.is_active and assignment.is_active


@pytest.mark.parametrize("kind, parent_kind, allowed", [
    (UnitKind.HEAD_OFFICE, UnitKind.SUB_BRANCH, False),
    (UnitKind.BRANCH, UnitKind.HEAD_OFFICE, True),
    (UnitKind.BRANCH, UnitKind.OUTLET, False),
    (UnitKind.SUB_BRANCH, UnitKind.BRANCH, True),
    (UnitKind.SUB_BRANCH, UnitKind.SUB_BRANCH, False),
    (UnitKind.OUTLET, UnitKind.SUB_BRANCH, True),
    (UnitKind.OUTLET, UnitKind.OUTLET, False),
    (UnitKind.DEPARTMENT, UnitKind.BRANCH, True),
    (UnitKind.DEPARTMENT, UnitKind.DEPARTMENT, True),
    (UnitKind.DEPARTMENT, UnitKind.OUTLET, False),
    (UnitKind.CALL_CENTER, UnitKind.HEAD_OFFICE, True),
    (UnitKind.CALL_CENTER, UnitKind.SUB_BRANCH, False),
])
def test_unit_kinds_follow_the_hierarchy(bank, kind, parent_kind, allowed):
    """总行 > 分行 > 支行 > 网点; departments and the call center under the units that have them."""
    parents = {UnitKind.HEAD_OFFICE: bank.root, UnitKind.BRANCH: bank.branch_a, UnitKind.OUTLET: bank.outlet_a}
    if parent_kind not in parents:
        parents[parent_kind] = services.create_unit(bank.admin, code="P", name="上级", kind=parent_kind,
                                                    parent=bank.root if parent_kind != UnitKind.SUB_BRANCH
                                                    else bank.branch_a)
    if allowed:
        assert services.create_unit(bank.admin, code="N", name="新机构", kind=kind, parent=parents[parent_kind]).pk
        return
    with pytest.raises(ValidationFailed) as failure:
        services.create_unit(bank.admin, code="N", name="新机构", kind=kind, parent=parents[parent_kind])
    assert failure.value.field == "parent" and not OrgUnit.objects.filter(code="N").exists()


def test_a_change_of_kind_or_parent_keeps_the_hierarchy(bank):
    with pytest.raises(ValidationFailed) as failure:  # a branch with an outlet below cannot become an outlet
        services.update_unit(bank.admin, bank.branch_a, code="A", name="东城分行", kind=UnitKind.OUTLET,
                             parent=bank.root)
    assert failure.value.field == "kind"
    with pytest.raises(ValidationFailed) as failure:  # nor move under another branch
        services.update_unit(bank.admin, bank.branch_a, code="A", name="东城分行", kind=UnitKind.BRANCH,
                             parent=bank.branch_b)
    assert failure.value.field == "parent"
    with pytest.raises(ValidationFailed) as failure:
        services.update_unit(bank.admin, bank.outlet_a, code="A-O1", name="人民路\x00网点", kind=UnitKind.OUTLET,
                             parent=bank.branch_a)
    assert failure.value.field == "name"
    bank.branch_a.refresh_from_db()
    assert (bank.branch_a.kind, bank.branch_a.parent_id) == (UnitKind.BRANCH, bank.root.pk)
    services.update_unit(bank.admin, bank.branch_a, code="A", name="东城分行", kind=UnitKind.SUB_BRANCH,
                         parent=bank.root)  # an outlet may stay under a sub-branch
    assert OrgUnit.objects.get(pk=bank.branch_a.pk).kind == UnitKind.SUB_BRANCH


def test_the_api_refuses_a_head_office_under_a_sub_branch(bank, logged_in):
    sub_branch = services.create_unit(bank.admin, code="A-S1", name="江北支行", kind=UnitKind.SUB_BRANCH,
                                      parent=bank.branch_a)
    response = logged_in(bank.admin).post("/api/org/units", {"code": "HO2", "name": "第二总行", "kind": "head_office",
                                                             "parent_id": sub_branch.pk},
                                          content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "parent"
    assert "支行" in response.json()["message"]
