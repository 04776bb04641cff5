"""The complaint page shows the complaint's payment orders, rectification item and accountability records
(registered through complaints.page_panels: complaints does not import remediation), at most one query per kind,
none for an empty kind or for a user without the right."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bankdesk.complaints.models import Complaint, Status
from bankdesk.orgs.models import Role
from bankdesk.remediation.accountability import services as accountability
from bankdesk.remediation.models import PenaltyLevel
from bankdesk.remediation.payments import services as payments
from bankdesk.remediation.rectification import services as rectification

PAYEE = {"payee_name": "李女士", "payee_account": "6222000011112222"}
REMEDIATION_TABLES = {"remediation_paymentorder", "remediation_rectificationitem", "remediation_accountabilityrecord"}


def _page(client, complaint) -> tuple[str, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/complaints/{complaint.pk}/")
    assert response.status_code == 200
    tables = [query["sql"].split(" FROM ", 1)[1].split(" ", 1)[0].strip('"') for query in queries
              if query["sql"].startswith("SELECT") and " FROM " in query["sql"]]
    return response.content.decode(), tables


def _closed(decision):
    Complaint.objects.filter(pk=decision.complaint_id).update(status=Status.CLOSED, closed_at=timezone.now())
    decision.complaint.refresh_from_db()
    return decision


def _with_everything(people, decision):
    complaint = _closed(decision).complaint
    order = payments.propose_payment(complaint.handler, decision, kind="compensation", **PAYEE)
    item = rectification.open_for_complaint(people.head_a, complaint)
    record = accountability.propose(people.head_a, complaint, staff=people.teller,
                                    penalty=PenaltyLevel.objects.get(code="warning"), facts="服务态度差")
    return order, item, record


def test_the_panel_shows_the_three_kinds_for_one_query_each(people, logged_in, decided):
    decision = _closed(decided(staff_concerned_id=people.teller.pk))
    client = logged_in(people.cp)
    _page(client, decision.complaint)
    empty, before = _page(client, decision.complaint)
    assert not REMEDIATION_TABLES & set(before)  # nothing to show: no remediation table is read
    assert "/remediation/payments/new/" in empty and "/remediation/accountability/new/" in empty
    order, item, record = _with_everything(people, decision)
    _page(client, decision.complaint)
    shown, after = _page(client, decision.complaint)
    assert len(after) - len(before) == 3
    assert sorted(set(after) - set(before)) == sorted(REMEDIATION_TABLES)
    for obj in (order, item, record):
        assert str(obj) in shown
    assert f"/remediation/payments/{order.pk}/" in shown and f"/remediation/rectification/{item.pk}/" in shown


def test_no_query_and_no_panel_without_the_right(people, logged_in, decided):
    decision = decided(staff_concerned_id=people.teller.pk)
    _with_everything(people, decision)
    lobby = people.bank.user("lobby_a", Role.LOBBY_MANAGER, people.bank.outlet_a)
    shown, tables = _page(logged_in(lobby), decision.complaint)
    assert not REMEDIATION_TABLES & set(tables) and 'id="remediation"' not in shown
    assert 'id="remediation"' in _page(logged_in(people.head_a), decision.complaint)[0]


def test_the_page_stays_within_its_pinned_queries_with_the_panel(people, logged_in, decided,
                                                                 django_assert_max_num_queries):
    decision = decided(staff_concerned_id=people.teller.pk)
    _with_everything(people, decision)
    client = logged_in(people.head_a)
    client.get(f"/complaints/{decision.complaint.pk}/")
    with django_assert_max_num_queries(28):  # complaints pins 25 without remediation entries; + one per kind
        assert client.get(f"/complaints/{decision.complaint.pk}/").status_code == 200
