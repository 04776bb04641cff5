"""Accountability: proposed and approved by different people, never by the staff member; the staff member
sees their records and appeals; someone else decides the appeal."""

import pytest

from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.messaging import Notification
from bankdesk.core.models import AuditEvent
from bankdesk.remediation import complaint_panel, selectors
from bankdesk.remediation.accountability import services
from bankdesk.remediation.models import AccountabilityStatus, PenaltyLevel


@pytest.fixture
def proposed(people, decided):
    def make(by=None):
        complaint = decided(staff_concerned_id=people.teller.pk).complaint
        return services.propose(by or people.head_a, complaint, staff=people.teller,
                                penalty=PenaltyLevel.objects.get(code="warning"), facts="服务态度差，经核实属实")
    return make


def test_the_ladder_is_seed_004s(db):
    ladder = list(PenaltyLevel.objects.values_list("code", "fine_yuan", "points"))
    assert [code for code, *_ in ladder] == ["fine_30", "fine_100", "warning", "reprimand", "major_demerit",
                                             "dismissal"]
    assert [int(fine) for _code, fine, _points in ladder if fine] == [30, 100, 200, 300, 1000]


def test_proposed_and_approved_by_different_people(people, proposed):
    record = proposed()
    with pytest.raises(ValidationFailed) as refused:
        services.decide(people.head_a, record, approve=True)
    assert refused.value.code == "self_approval"
    with pytest.raises(ValidationFailed):
        services.decide(people.cp, record, approve=False, note="")  # a rejection says why
    services.decide(people.cp, record, approve=True)
    record.refresh_from_db()
    assert record.status == AccountabilityStatus.APPROVED and record.decided_by == people.cp
    assert Notification.objects.filter(recipient=people.teller, kind="remediation.accountability").exists()
    assert AuditEvent.objects.filter(action="remediation.accountability.approve", object_id=str(record.pk)).exists()


def test_the_staff_member_never_decides_their_own(people, decided):
    complaint = decided().complaint
    record = services.propose(people.cp, complaint, staff=people.head_a, penalty=PenaltyLevel.objects.first(),
                              facts="处理不当")
    with pytest.raises(ValidationFailed) as refused:
        services.decide(people.head_a, record, approve=False, note="不同意")
    assert refused.value.code == "concerned"
    with pytest.raises(ValidationFailed):
        services.propose(people.head_a, complaint, staff=people.head_a, penalty=PenaltyLevel.objects.first(),
                         facts="x")


def test_the_staff_member_sees_and_appeals_and_someone_else_decides(people, proposed):
    record = proposed()
    with pytest.raises(Conflict):
        services.appeal(people.teller, record, text="不服")  # not in force yet
    services.decide(people.cp, record, approve=True)
    assert [r.pk for r in selectors.my_records(people.teller)] == [record.pk]
    assert list(selectors.my_records(people.head_a)) == []
    with pytest.raises(NotFound):
        services.appeal(people.head_a, record, text="不服")  # only the staff member appeals
    services.appeal(people.teller, record, text="当日系统故障，非本人原因")
    with pytest.raises(PermissionDenied):
        services.decide_appeal(people.cp, record, uphold=True, note="维持")  # approved it
    with pytest.raises(ValidationFailed):
        services.decide_appeal(people.management, record, uphold=False, note="改判",
                               penalty=PenaltyLevel.objects.get(code="warning"))
    services.decide_appeal(people.management, record, uphold=False, note="情节较轻，改为罚款100元",
                           penalty=PenaltyLevel.objects.get(code="fine_100"))
    record.refresh_from_db()
    assert record.status == AccountabilityStatus.REVISED
    assert (record.original_penalty.code, record.penalty.code) == ("warning", "fine_100")


def test_another_branch_sees_nothing(people, proposed):
    record = proposed()
    with pytest.raises(NotFound):
        services.decide(people.head_b, record, approve=True)
    with pytest.raises(PermissionDenied):
        services.decide(people.handler_a1, record, approve=True)


def test_a_handler_of_the_complaint_does_not_read_colleagues_penalties(people, proposed, logged_in, auditor):
    record = proposed()
    handler = record.complaint.handler
    with pytest.raises(PermissionDenied):
        selectors.accountability_records(handler)
    assert logged_in(handler).get("/remediation/accountability/").status_code == 403
    assert logged_in(handler).get(f"/api/remediation/accountability-records/{record.pk}").status_code == 403
    assert complaint_panel.context(handler, record.complaint)["records"] == []  # the panel leaves them out
    assert [row.pk for row in complaint_panel.context(people.head_a, record.complaint)["records"]] == [record.pk]
    assert [row.pk for row in selectors.accountability_records(people.head_a)] == [record.pk]
    assert [row.pk for row in selectors.accountability_records(auditor)] == [record.pk]
