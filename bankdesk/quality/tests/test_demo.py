"""The demo: every quality page has something to show, for the demo outlet's head and the branch's manager."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from bankdesk.orgs.models import User
from bankdesk.quality.models import (
    CareService,
    Commendation,
    FollowUpAction,
    Interception,
    OutletRating,
    RoundStatus,
    StarRound,
    Visit,
    VisitPhoto,
)


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def test_the_demo_fills_every_register(demo, client):
    assert Commendation.objects.count() >= 20 and Interception.objects.count() >= 10
    assert CareService.objects.filter(outcome="scheduled").count() == 2
    assert StarRound.objects.filter(status=RoundStatus.PUBLISHED).count() == 1
    assert Visit.objects.filter(status="completed").count() == 18 and VisitPhoto.objects.count() == 2
    assert FollowUpAction.objects.filter(status="closed").exists()
    assert FollowUpAction.objects.filter(is_overdue=True, status="open").exists()
    assert OutletRating.objects.filter(is_current=True, score__isnull=False).exists()
    call_command("load_demo", stdout=open("/dev/null", "w"))  # a second load changes nothing
    assert Visit.objects.filter(status="completed").count() == 18


def test_the_demo_logins_see_their_pages(demo, client):
    head = User.objects.get(username="outlet_head01")
    client.force_login(head)
    outlet_page = client.get(reverse("quality:outlet", args=[head.home_unit_id]))
    assert outlet_page.status_code == 200 and "人民路网点" in outlet_page.content.decode()
    assert client.get(reverse("quality:follow_ups")).status_code == 200
    client.force_login(User.objects.get(username="sqm01"))
    for name in ("outlets", "ranking", "visits", "follow_ups", "commendations", "interceptions", "cares", "star_rounds",
                 "figures", "checklists", "interception_totals"):
        assert client.get(reverse(f"quality:{name}")).status_code == 200, name
