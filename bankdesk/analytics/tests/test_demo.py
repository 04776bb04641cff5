"""`load_demo` gives the statistics a history and the early-warning page warnings: a planted rise at 人民路网点
and a customer complaining again and again at 建设路网点, found by the daily check run over the last fortnight,
listed for the head office's consumer-protection officer."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from bankdesk.analytics.demo import PREFIX
from bankdesk.analytics.warnings.models import EarlyWarning, WarningKind
from bankdesk.complaints.models import Complaint
from bankdesk.orgs.models import User


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_demo_history_raises_warnings_the_cp_officer_sees(demo, logged_in):
    history = Complaint.objects.filter(tracking_number__startswith=PREFIX)
    assert history.count() > 200
    raised = {(warning.kind, warning.unit.name) for warning in EarlyWarning.objects.select_related("unit")}
    assert {(WarningKind.RISE, "人民路网点"), (WarningKind.CUSTOMER_CLUSTER, "建设路网点")} <= raised
    assert len(raised) <= 8  # a few, not the noise of every busy day

    client = logged_in(User.objects.get(username="cp_officer"))
    answer = client.get("/api/analytics/warnings").json()
    assert answer["total"] == EarlyWarning.objects.count() >= 2
    rise = EarlyWarning.objects.get(kind=WarningKind.RISE, unit__name="人民路网点")
    page = client.get(f"/analytics/warnings/{rise.pk}/")
    assert page.status_code == 200
    behind = rise.complaints.order_by("pk").first()
    assert behind.tracking_number in page.content.decode()
    assert client.get(reverse("complaints:detail", args=[behind.pk])).status_code == 200  # a copy opens


def test_loading_again_adds_no_history_and_no_warning(demo):
    before = (Complaint.objects.count(), EarlyWarning.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert (Complaint.objects.count(), EarlyWarning.objects.count()) == before
