"""Commendations, fraud interceptions and care services: recording, checks, voiding, scope, totals."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.quality.models import CareOutcome
from bankdesk.quality.registers import selectors, services
from bankdesk.quality.registers.selectors import (
    CARE_SERVICES,
    COMMENDATIONS,
    INTERCEPTIONS,
    RegisterFilter,
)
from bankdesk.quality.tests.conftest import care, commendation, days_ago, interception

pytestmark = pytest.mark.django_db


def test_a_teller_registers_a_commendation_naming_a_colleague(outlets):
    praised = commendation(outlets.teller_a, outlets.outlet_a, staff=outlets.lobby_a, channel="letter")
    assert praised.unit_path == outlets.outlet_a.path and praised.recorded_by == outlets.teller_a
    event = AuditEvent.objects.get(action="quality.commendation.record")
    assert event.after["staff"] == outlets.lobby_a.pk and event.unit_path == outlets.outlet_a.path


@pytest.mark.parametrize(("changes", "field"), [
    ({"channel": "pigeon"}, "channel"),
    ({"received_on": timezone.localdate() + timedelta(days=1)}, "received_on"),
    ({"summary": "  "}, "summary"),
])
def test_a_commendation_with_bad_input_is_refused_naming_the_field(outlets, changes, field):
    with pytest.raises(ValidationFailed) as failure:
        commendation(outlets.teller_a, outlets.outlet_a, **changes)
    assert failure.value.field == field


def test_the_staff_named_must_work_at_the_outlet(outlets):
    with pytest.raises(ValidationFailed) as failure:
        commendation(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_b)
    assert failure.value.field == "staff"


def test_staff_cannot_record_at_another_branchs_outlet(outlets):
    with pytest.raises(NotFound):
        interception(outlets.teller_a, outlets.outlet_b)
    with pytest.raises(NotFound):
        interception(outlets.teller_a, outlets.outlet_a2)  # a teller's scope is their own outlet


def test_an_auditor_reads_but_does_not_record(outlets):
    with pytest.raises(PermissionDenied):
        commendation(outlets.auditor, outlets.outlet_a)


@pytest.mark.parametrize(("changes", "field"), [
    ({"amount_protected": Decimal(-1)}, "amount_protected"),
    ({"amount_protected": Decimal("1.005")}, "amount_protected"),
    ({"customer_age_group": "ancient"}, "customer_age_group"),
    ({"trigger": ""}, "trigger"),
    ({"description": ""}, "description"),
])
def test_an_interception_with_bad_input_is_refused(outlets, changes, field):
    with pytest.raises(ValidationFailed) as failure:
        interception(outlets.teller_a, outlets.outlet_a, **changes)
    assert failure.value.field == field


def test_a_retired_scam_type_cannot_be_chosen(outlets):
    from bankdesk.quality.tests.conftest import scam

    retired = scam("romance")
    retired.is_active = False
    retired.save()
    with pytest.raises(ValidationFailed) as failure:
        interception(outlets.teller_a, outlets.outlet_a, scam_type=retired)
    assert failure.value.field == "scam_type"


def test_an_appointment_is_booked_then_given_its_outcome_once(outlets):
    booked = care(outlets.lobby_a, outlets.outlet_a, kind="appointment", outcome="scheduled",
                  service_on=timezone.localdate() + timedelta(days=3))
    with pytest.raises(ValidationFailed):
        services.record_care_outcome(outlets.lobby_a, booked, outcome="completed")  # it has not happened yet
    booked.service_on = days_ago(0)
    booked.save()
    done = services.record_care_outcome(outlets.lobby_a, booked, outcome="completed", outcome_note="已办结")
    assert done.outcome == CareOutcome.COMPLETED and done.outcome_at is not None
    with pytest.raises(Conflict):
        services.record_care_outcome(outlets.lobby_a, booked, outcome="no_show")


def test_a_service_in_the_future_can_only_be_scheduled(outlets):
    with pytest.raises(ValidationFailed) as failure:
        care(outlets.lobby_a, outlets.outlet_a, service_on=timezone.localdate() + timedelta(days=1),
             outcome="completed")
    assert failure.value.field == "outcome"


def test_a_record_is_voided_by_its_author_or_the_outlet_head_with_a_reason(outlets):
    praised = commendation(outlets.teller_a, outlets.outlet_a)
    with pytest.raises(PermissionDenied):
        services.void_commendation(outlets.lobby_a, praised, "重复登记")
    with pytest.raises(ValidationFailed):
        services.void_commendation(outlets.head_a, praised, " ")
    voided = services.void_commendation(outlets.head_a, praised, "重复登记")
    assert voided.is_void and voided.void_reason == "重复登记"
    with pytest.raises(Conflict):
        services.void_commendation(outlets.teller_a, praised, "再次")
    assert list(selectors.register_list(outlets.head_a, COMMENDATIONS, RegisterFilter())) == []
    assert list(selectors.register_list(outlets.head_a, COMMENDATIONS, RegisterFilter(include_void=True))) == [voided]


def test_an_outlet_head_sees_only_their_outlet_and_the_branch_sees_the_branch(outlets):
    own = commendation(outlets.teller_a, outlets.outlet_a)
    sister = commendation(outlets.teller_a2, outlets.outlet_a2)
    other = commendation(outlets.teller_b, outlets.outlet_b)
    assert list(selectors.register_list(outlets.head_a, COMMENDATIONS, RegisterFilter())) == [own]
    assert set(selectors.register_list(outlets.sqm, COMMENDATIONS, RegisterFilter())) == {own, sister}
    assert set(selectors.register_list(outlets.auditor, COMMENDATIONS, RegisterFilter())) == {own, sister, other}
    with pytest.raises(NotFound):
        selectors.record(outlets.head_a, COMMENDATIONS, other.pk)


def test_lists_filter_by_unit_staff_dates_and_kind(outlets):
    old = care(outlets.lobby_a, outlets.outlet_a, service_on=days_ago(40), kind="near_home")
    recent = care(outlets.lobby_a, outlets.outlet_a, staff=outlets.lobby_a)
    elsewhere = care(outlets.teller_a2, outlets.outlet_a2)

    def listed(**filters):
        return set(selectors.register_list(outlets.sqm, CARE_SERVICES, RegisterFilter(**filters)))

    assert listed(unit=outlets.outlet_a) == {old, recent}
    assert listed(staff=outlets.lobby_a) == {recent}
    assert listed(date_from=days_ago(10)) == {recent, elsewhere}
    assert listed(date_to=days_ago(10)) == {old}
    assert listed(kind="near_home") == {old}


def test_interception_totals_by_month_and_outlet_and_the_honour_list(outlets):
    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a, amount_protected=Decimal(60000))
    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a, amount_protected=Decimal("5000.50"),
                 police_involved=False)
    interception(outlets.teller_a2, outlets.outlet_a2, staff=outlets.teller_a2, amount_protected=Decimal(80000))
    interception(outlets.teller_b, outlets.outlet_b, staff=outlets.teller_b)  # another branch: not counted
    by_outlet = selectors.interception_totals_by_outlet(outlets.sqm, RegisterFilter())
    assert [(row["unit__name"], row["count"], row["amount"], row["police"]) for row in by_outlet] == [
        ("人民路网点", 2, Decimal("65000.50"), 1), ("解放路网点", 1, Decimal(80000), 1)]
    by_month = selectors.interception_totals_by_month(outlets.sqm, RegisterFilter())
    assert sum(row["count"] for row in by_month) == 3
    honour = selectors.honour_list(outlets.sqm, RegisterFilter())
    assert [(row["staff__username"], row["count"]) for row in honour] == [("teller_a", 2), ("teller_a2", 1)]


def test_a_list_page_is_one_query(outlets, django_assert_num_queries):
    for _number in range(3):
        interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    user = outlets.sqm
    user._bankdesk_grants = None
    rows = selectors.register_list(user, INTERCEPTIONS, RegisterFilter())
    list(rows)  # grants loaded
    with django_assert_num_queries(1):
        assert all(row.scam_type.name and row.unit.name and row.staff.username
                   for row in selectors.register_list(user, INTERCEPTIONS, RegisterFilter()))
