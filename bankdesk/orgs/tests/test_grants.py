"""Roles that open customers' data are granted under dual control: the grant waits until a second
administrator — neither the one who asked nor the grantee — approves it; other roles are one step."""

import pytest

from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.core.permissions import (
    CUSTOMER_DATA_PERMISSIONS,
    ROLE_PERMISSIONS,
    CorePermission,
    has_permission,
    opens_customer_data,
)
from bankdesk.orgs import services
from bankdesk.orgs.models import GrantStatus, Role, RoleAssignment, RoleGrantRequest, User


def _fresh(user: User) -> User:
    """The user as the next request reads them (rights are cached per user object)."""
    return User.objects.get(pk=user.pk)


@pytest.fixture
def admin2(bank) -> User:
    return bank.user("admin2", Role.ADMIN, bank.root)


@pytest.fixture
def clerk(bank) -> User:
    return services.create_user(bank.admin, username="clerk", display_name="新员工", password="Test-pass-2026",
                                home_unit=bank.branch_a)


def test_roles_under_dual_control_follow_from_their_permissions():
    for role in Role.values:
        assert opens_customer_data(role) == bool(ROLE_PERMISSIONS[role] & CUSTOMER_DATA_PERMISSIONS)
    assert {CorePermission.REVEAL_PII, ComplaintPermission.VIEW_COMPLAINTS} <= CUSTOMER_DATA_PERMISSIONS
    assert {role for role in Role.values if opens_customer_data(role)} == {
        Role.LOBBY_MANAGER, Role.HANDLER, Role.UNIT_HEAD, Role.CONSUMER_PROTECTION, Role.MANAGEMENT, Role.AUDITOR,
        Role.CALLBACK_SEAT}


class TestService:
    def test_admin_granting_themselves_customer_data_gets_only_a_request(self, bank):
        grant = services.assign_role(bank.admin, bank.admin, Role.CONSUMER_PROTECTION, bank.root)
        assert isinstance(grant, RoleGrantRequest) and grant.status == GrantStatus.PENDING
        assert not RoleAssignment.objects.filter(user=bank.admin, role=Role.CONSUMER_PROTECTION).exists()
        assert not has_permission(_fresh(bank.admin), CorePermission.REVEAL_PII)
        assert AuditEvent.objects.filter(action="org.role.grant_request", object_id=str(grant.pk)).exists()

    def test_asking_twice_gives_the_same_request(self, bank, clerk):
        first = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        assert services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a) == first
        assert RoleGrantRequest.objects.count() == 1

    def test_nobody_approves_their_own_request_or_their_own_grant(self, bank, admin2, clerk):
        own = services.assign_role(bank.admin, bank.admin, Role.CONSUMER_PROTECTION, bank.root)
        with pytest.raises(PermissionDenied):
            services.approve_role_grant(bank.admin, own)
        for_clerk = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        with pytest.raises(PermissionDenied):
            services.approve_role_grant(bank.admin, for_clerk)
        for_admin2 = services.assign_role(bank.admin, admin2, Role.HANDLER, bank.root)
        with pytest.raises(PermissionDenied):
            services.approve_role_grant(admin2, for_admin2)
        with pytest.raises(PermissionDenied):
            services.reject_role_grant(admin2, for_admin2, "不需要")
        assert set(RoleGrantRequest.objects.values_list("status", flat=True)) == {GrantStatus.PENDING}
        assert not RoleAssignment.objects.filter(role=Role.HANDLER).exists()

    def test_second_admin_approves_and_the_role_takes_effect(self, bank, admin2, clerk):
        grant = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        assignment = services.approve_role_grant(admin2, grant)
        assert assignment.is_active and (assignment.user, assignment.role, assignment.unit) == (
            clerk, Role.HANDLER, bank.branch_a)
        grant.refresh_from_db()
        assert (grant.status, grant.decided_by, grant.assignment) == (GrantStatus.APPROVED, admin2, assignment)
        assert has_permission(_fresh(clerk), ComplaintPermission.VIEW_COMPLAINTS, bank.outlet_a)
        assert AuditEvent.objects.filter(action="org.role.grant_approve", actor=admin2).exists()
        assert AuditEvent.objects.filter(action="org.role.assign", object_id=str(assignment.pk), actor=admin2).exists()
        with pytest.raises(Conflict):
            services.reject_role_grant(admin2, grant, "晚了")

    def test_rejection_needs_a_reason_and_is_audited(self, bank, admin2, clerk):
        grant = services.assign_role(bank.admin, clerk, Role.AUDITOR, bank.root)
        with pytest.raises(ValidationFailed) as failure:
            services.reject_role_grant(admin2, grant, " ")
        assert failure.value.field == "reason"
        services.reject_role_grant(admin2, grant, "非审计岗位")
        grant.refresh_from_db()
        assert (grant.status, grant.reason, grant.decided_by) == (GrantStatus.REJECTED, "非审计岗位", admin2)
        assert not RoleAssignment.objects.filter(user=clerk).exists()
        assert AuditEvent.objects.filter(action="org.role.grant_reject", object_id=str(grant.pk)).exists()

    def test_approver_needs_the_right_over_the_unit(self, bank, admin_a, clerk, agent):
        grant_b = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_b)
        with pytest.raises(NotFound):
            services.approve_role_grant(admin_a, grant_b)
        with pytest.raises(PermissionDenied):
            services.approve_role_grant(agent, grant_b)
        grant_a = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        services.approve_role_grant(admin_a, grant_a)  # a branch admin is a second pair of eyes in the branch
        assert RoleAssignment.objects.filter(user=clerk, unit=bank.branch_a, is_active=True).exists()

    def test_branch_admin_granting_themselves_waits_too(self, bank, admin_a):
        grant = services.assign_role(admin_a, admin_a, Role.CONSUMER_PROTECTION, bank.branch_a)
        assert isinstance(grant, RoleGrantRequest)
        assert not has_permission(_fresh(admin_a), ComplaintPermission.VIEW_COMPLAINTS)

    def test_roles_without_customer_data_stay_one_step(self, bank, clerk):
        assignment = services.assign_role(bank.admin, clerk, Role.TELLER, bank.branch_a)
        assert isinstance(assignment, RoleAssignment) and assignment.is_active
        assert not RoleGrantRequest.objects.exists()


class TestPages:
    def test_assigning_in_the_page_leaves_the_grant_pending(self, bank, clerk, logged_in):
        client = logged_in(bank.admin)
        response = client.post(f"/org/users/{clerk.pk}/", {"role": Role.CONSUMER_PROTECTION, "unit": bank.branch_a.pk},
                               follow=True)
        assert response.status_code == 200
        assert not RoleAssignment.objects.filter(user=clerk).exists()
        grant = RoleGrantRequest.objects.get(user=clerk)
        [shown] = response.context["grant_requests"]
        assert shown == grant and shown.refusal  # the requester sees it pending, without an approve button
        assert f"/org/grants/{grant.pk}/approve/" not in response.content.decode()

    def test_second_admin_approves_from_the_users_page(self, bank, admin2, clerk, logged_in):
        grant = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        client = logged_in(admin2)
        page = client.get("/org/users/")
        assert [g.pk for g in page.context["grant_requests"]] == [grant.pk]
        assert f"/org/grants/{grant.pk}/approve/" in page.content.decode()
        response = client.post(f"/org/grants/{grant.pk}/approve/")
        assert response.status_code == 302
        assert RoleAssignment.objects.filter(user=clerk, role=Role.HANDLER, is_active=True).exists()

    def test_requester_posting_approve_gets_403(self, bank, clerk, logged_in):
        grant = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        assert logged_in(bank.admin).post(f"/org/grants/{grant.pk}/approve/").status_code == 403
        assert not RoleAssignment.objects.filter(user=clerk).exists()

    def test_other_branch_admin_sees_nothing(self, bank, admin_a, clerk, logged_in):
        grant = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_b)
        client = logged_in(admin_a)
        assert client.get("/org/users/").context["grant_requests"] == []
        assert client.post(f"/org/grants/{grant.pk}/approve/").status_code == 404
        assert client.post(f"/org/grants/{grant.pk}/reject/", {"reason": "x"}).status_code == 404
        grant.refresh_from_db()
        assert grant.status == GrantStatus.PENDING

    def test_user_without_the_right_gets_403(self, bank, agent, clerk, logged_in):
        grant = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        assert logged_in(agent).post(f"/org/grants/{grant.pk}/approve/").status_code == 403

    def test_reject_in_the_page_needs_a_reason(self, bank, admin2, clerk, logged_in):
        grant = services.assign_role(bank.admin, clerk, Role.HANDLER, bank.branch_a)
        client = logged_in(admin2)
        client.post(f"/org/grants/{grant.pk}/reject/", {"reason": "", "back": "user"})
        grant.refresh_from_db()
        assert grant.status == GrantStatus.PENDING
        response = client.post(f"/org/grants/{grant.pk}/reject/", {"reason": "岗位不符", "back": "user"})
        assert response.status_code == 302 and response["Location"] == f"/org/users/{clerk.pk}/"
        grant.refresh_from_db()
        assert (grant.status, grant.reason) == (GrantStatus.REJECTED, "岗位不符")
        page = client.get(f"/org/users/{clerk.pk}/").content.decode()
        assert "岗位不符" in page
