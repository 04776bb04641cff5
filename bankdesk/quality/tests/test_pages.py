"""The quality pages: forms that keep their values on bad input, scope on every page, exports."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bankdesk.core.models import AuditEvent
from bankdesk.quality.awards import services as award_services
from bankdesk.quality.models import Commendation, Interception, OutletRating
from bankdesk.quality.ratings import services as rating_services
from bankdesk.quality.tests.conftest import (
    care,
    commendation,
    days_ago,
    interception,
    scam,
)

pytestmark = pytest.mark.django_db


def test_a_teller_registers_an_interception_through_the_form(outlets, logged_in):
    client = logged_in(outlets.teller_a)
    page = client.get(reverse("quality:interception_new"))
    assert page.status_code == 200 and "冒充追回损失" in page.content.decode()
    response = client.post(reverse("quality:interception_new"), {
        "occurred_on": days_ago(1).isoformat(), "unit": outlets.outlet_a.pk, "staff": outlets.teller_a.pk,
        "setting": "counter", "trigger": "statement_request", "scam_type": scam().pk,
        "description": "客户要求打印流水，称可追回被骗资金。", "amount_protected": "60000",
        "customer_age_group": "35_59", "police_involved": "on", "outcome": "stopped"})
    created = Interception.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("quality:interception", args=[created.pk])
    assert created.police_involved and created.amount_protected == Decimal(60000)


def test_a_bad_form_keeps_its_values_and_says_what_to_fix(outlets, logged_in):
    client = logged_in(outlets.teller_a)
    response = client.post(reverse("quality:commendation_new"), {
        "channel": "banner", "received_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
        "unit": outlets.outlet_a.pk, "summary": "服务热情周到"})
    body = response.content.decode()
    assert response.status_code == 200 and not Commendation.objects.exists()
    assert "服务热情周到" in body and "不能晚于今天" in body


def test_an_outlet_in_another_branch_cannot_be_chosen(outlets, logged_in):
    response = logged_in(outlets.teller_a).post(reverse("quality:commendation_new"), {
        "channel": "banner", "received_on": days_ago(1).isoformat(), "unit": outlets.outlet_b.pk,
        "summary": "服务热情周到"})
    assert response.status_code == 200 and not Commendation.objects.exists()


def test_lists_detail_and_void_pages(outlets, logged_in):
    praised = commendation(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    client = logged_in(outlets.head_a)
    listing = client.get(reverse("quality:commendations"), {"unit": outlets.outlet_a.pk, "sort": "channel"})
    assert listing.status_code == 200 and "白山村民委员会" in listing.content.decode()
    assert client.get(reverse("quality:commendation", args=[praised.pk])).status_code == 200
    response = client.post(reverse("quality:commendation_void", args=[praised.pk]), {"reason": "登记重复"})
    assert response.status_code == 302
    praised.refresh_from_db()
    assert praised.is_void


def test_another_branch_gets_404_and_a_role_without_the_right_403(outlets, logged_in):
    praised = commendation(outlets.teller_a, outlets.outlet_a)
    assert logged_in(outlets.head_b).get(reverse("quality:commendation", args=[praised.pk])).status_code == 404
    assert logged_in(outlets.head_b).get(reverse("quality:outlet", args=[outlets.outlet_a.pk])).status_code == 404
    assert logged_in(outlets.head_b).get(reverse("quality:staff", args=[outlets.teller_a.pk])).status_code == 404
    assert logged_in(outlets.handler).get(reverse("quality:commendations")).status_code == 403
    assert logged_in(outlets.teller_a).get(reverse("quality:rating_compute")).status_code == 403


def test_exports_csv_and_xlsx_are_audited(outlets, logged_in):
    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    client = logged_in(outlets.sqm)
    response = client.get(reverse("quality:interceptions_export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv") and "60000" in body and "人民路网点" in body
    workbook = client.get(reverse("quality:interceptions_export"), {"format": "xlsx"})
    assert workbook.content[:2] == b"PK"
    assert AuditEvent.objects.filter(action="quality.export").count() == 2
    assert logged_in(outlets.teller_a).get(reverse("quality:interceptions_export")).status_code == 403


def test_the_outlet_and_staff_pages_bring_everything_together(outlets, logged_in, desk, registration):
    from bankdesk.complaints.intake import registration as complaint_services

    complaint = complaint_services.register_complaint(desk.agent, registration(staff_concerned_id=outlets.teller_a.pk))
    commendation(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    interception(outlets.teller_a, outlets.outlet_a, staff=outlets.teller_a)
    care(outlets.lobby_a, outlets.outlet_a, staff=outlets.teller_a)
    rating_services.compute_ratings(outlets.sqm, unit=outlets.bank.branch_a, period_start=days_ago(0), months=1)
    head_page = logged_in(outlets.head_a).get(reverse("quality:outlet", args=[outlets.outlet_a.pk])).content.decode()
    assert complaint.tracking_number in head_page and "monthly-chart-data" in head_page and "喻老太太" in head_page
    teller_page = logged_in(outlets.teller_a).get(reverse("quality:outlet", args=[outlets.outlet_a.pk]))
    assert complaint.tracking_number not in teller_page.content.decode()  # tellers do not read complaints
    staff_page = logged_in(outlets.sqm).get(reverse("quality:staff", args=[outlets.teller_a.pk])).content.decode()
    assert "喻老太太" in staff_page and complaint.tracking_number in staff_page
    branch_page = logged_in(outlets.sqm).get(reverse("quality:outlet", args=[outlets.bank.branch_a.pk]))
    assert "解放路网点" in branch_page.content.decode()
    export = logged_in(outlets.sqm).get(reverse("quality:outlet_export", args=[outlets.outlet_a.pk]))
    assert export.status_code == 200


def test_the_outlet_list_lands_a_branch_team_on_its_outlets(outlets, logged_in):
    page = logged_in(outlets.sqm).get(reverse("quality:outlets")).content.decode()
    assert "人民路网点" in page and "解放路网点" in page and "建设路网点" not in page


def test_the_service_star_pages(outlets, logged_in):
    client = logged_in(outlets.head_a)
    response = client.post(reverse("quality:star_round_open"), {"unit": outlets.outlet_a.pk,
                                                                 "month": f"{days_ago(0):%Y-%m}"})
    round_url = response["Location"]
    bad = client.post(round_url, {"staff": outlets.teller_a.pk, "team_score": "120", "operations_score": "80",
                                  "lobby_score": "80", "customer_score": "80", "customer_forms": "3"})
    assert bad.status_code == 200 and 'value="120"' in bad.content.decode()
    client.post(round_url, {"staff": outlets.teller_a.pk, "team_score": "90", "operations_score": "80",
                            "lobby_score": "70", "customer_score": "95", "customer_forms": "3"})
    assert "87.50" in client.get(round_url).content.decode()
    star_round = award_services.open_round(outlets.head_a, unit=outlets.outlet_a, month=days_ago(0))
    assert client.post(reverse("quality:star_round_publish", args=[star_round.pk])).status_code == 302
    assert logged_in(outlets.teller_a).get(reverse("quality:star_rounds")).status_code == 200


def test_the_ranking_and_rating_pages(outlets, logged_in):
    client = logged_in(outlets.sqm)
    response = client.post(reverse("quality:rating_compute"), {
        "unit": outlets.bank.branch_a.pk, "period_start": f"{days_ago(0):%Y-%m}", "months": "1"})
    assert response.status_code == 302
    ranking = client.get(response["Location"])
    assert ranking.status_code == 200 and "人民路网点" in ranking.content.decode()
    rating = OutletRating.objects.get(unit=outlets.outlet_a)
    page = client.get(reverse("quality:rating", args=[rating.pk])).content.decode()
    assert "客户评价器" in page
    assert client.get(reverse("quality:ranking_export"), {"format": "xlsx"}).status_code == 200
