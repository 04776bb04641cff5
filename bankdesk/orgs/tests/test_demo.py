import pytest
from django.core.management import call_command

from bankdesk.complaints.models import Complaint, Status
from bankdesk.core.models import AuditEvent, CalendarDay, RuleSetting
from bankdesk.orgs.demo import DEMO_PASSWORD, USERS
from bankdesk.orgs.models import OrgUnit, RoleAssignment, UnitKind, User


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def _counts():
    return [model.objects.count() for model in (OrgUnit, User, RoleAssignment, AuditEvent, CalendarDay, RuleSetting,
                                                Complaint)]


def test_demo_bank_shape(demo):
    kinds = {kind: OrgUnit.objects.filter(kind=kind).count() for kind in UnitKind.values}
    assert kinds == {"head_office": 1, "branch": 2, "sub_branch": 6, "outlet": 20, "department": 6, "call_center": 1}
    # other apps' demos add their own users
    assert User.objects.filter(username__in=[user[0] for user in USERS]).count() == len(USERS)


def test_loading_twice_changes_nothing(demo):
    before = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _counts() == before


@pytest.mark.parametrize("username, name, role, unit_code", USERS)
def test_every_demo_role_signs_in_and_sees_its_home(demo, client, username, name, role, unit_code):
    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert name in page and str(role.label) in page


def test_demo_complaints_cover_the_lifecycle(demo):
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert {Status.REGISTERED, Status.NOT_ACCEPTED, Status.ROUTED, Status.INVESTIGATING, Status.DECISION_PROPOSED,
            Status.COMMUNICATED, Status.CLOSED, Status.REOPENED} <= statuses
    assert Complaint.objects.filter(paused_since__isnull=False).exists()
