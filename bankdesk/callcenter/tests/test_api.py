"""The call-center API: lists, indicators, wallboard, imports; scope and rights."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.callcenter import services
from bankdesk.callcenter.models import IntervalStat, Queue
from bankdesk.orgs.models import Role


@pytest.fixture
def stats(center):
    for hour, (offered, within) in enumerate([(10, 9), (30, 15)], start=9):
        IntervalStat.objects.create(queue=center.queue, interval_start=timezone.make_aware(datetime(2025, 3, 3, hour)),
                                    offered=offered, answered=offered, answered_within_threshold=within,
                                    answer_wait_seconds=offered * 10)


def test_lists(center, stats, logged_in):
    client = logged_in(center.head)
    assert client.get("/api/callcenter/queues").json()[0]["service_level_percent"] == "80.00"
    assert client.get("/api/callcenter/teams").json()["items"][0]["code"] == "T1"
    agents = client.get("/api/callcenter/agents").json()
    assert agents["items"][0]["skills"] == [{"skill": "GENERAL", "level": 4}] and agents["total"] == 1
    intervals = client.get("/api/callcenter/intervals", {"date_from": "2025-03-03", "date_to": "2025-03-03"}).json()
    assert [row["offered"] for row in intervals["items"]] == [10, 30]


def test_agents_list_is_three_queries(center, bank, logged_in, django_assert_max_num_queries):
    client = logged_in(center.head)
    client.get("/api/callcenter/agents")
    for number in range(5):
        user = bank.user(f"a{number}", Role.AGENT, center.unit)
        services.create_agent(center.head, user=user, agent_code=f"9{number}", team=center.team,
                              skills={center.skill: 2})
    with django_assert_max_num_queries(8):  # session, user, grants + count, agents, skills
        assert client.get("/api/callcenter/agents").json()["total"] == 6


def test_kpis_and_wallboard(center, stats, logged_in):
    client = logged_in(center.agent_user)
    answer = client.get("/api/callcenter/kpis", {"period": "day", "date_from": "2025-03-01",
                                                 "date_to": "2025-03-05", "queue": center.queue.pk}).json()
    assert answer["rows"][0]["start"] == "2025-03-03"
    assert Decimal(answer["total"]["service_level"]) == Decimal("60.0")  # 24 / 40
    assert Decimal(answer["total"]["average_speed_of_answer"]) == Decimal("10.0")
    board = client.get("/api/callcenter/wallboard").json()
    assert board["queues"][0]["queue"]["code"] == "HOTLINE"


def test_bad_input_names_the_field(center, logged_in):
    client = logged_in(center.head)
    other = Queue.objects.create(code="WEST", name="西城", unit=center.branch_center)
    answer = client.get("/api/callcenter/kpis", {"queue": other.pk})
    assert answer.status_code == 400 and answer.json()["field"] == "queue"
    answer = client.get("/api/callcenter/kpis", {"date_from": "2025-03-05", "date_to": "2025-03-01"})
    assert answer.json()["field"] == "date_to"
    assert client.get("/api/callcenter/kpis", {"period": "year"}).json()["field"] == "period"


def test_import_by_api(center, bank, logged_in, settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    planner = bank.user("planner", Role.WORKFORCE_PLANNER, center.unit)
    client = logged_in(planner)
    data = SimpleUploadedFile("acd.csv", "interval_start,queue,offered,answered,answered_within_threshold,abandoned,"
                                         "handle_time_seconds\n2025-03-03 09:00,HOTLINE,5,5,5,0,600".encode())
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post("/api/callcenter/imports", {"file": data})
    assert answer.status_code == 202
    job = client.get(f"/api/callcenter/imports/{answer.json()['id']}").json()
    assert (job["status"], job["rows_created"]) == ("succeeded", 1)
    assert logged_in(center.agent_user).get("/api/callcenter/imports").status_code == 403


def test_another_branch_sees_nothing(center, stats, bank, logged_in):
    client = logged_in(bank.user("viewer_b", Role.MANAGEMENT, bank.branch_b))
    assert client.get("/api/callcenter/queues").json() == []
    assert client.get("/api/callcenter/agents").json()["total"] == 0
    assert client.get("/api/callcenter/intervals").json()["total"] == 0
    assert client.get("/api/callcenter/wallboard").json()["queues"] == []


def test_without_the_right(bank, logged_in):
    client = logged_in(bank.user("teller", Role.TELLER, bank.outlet_a))
    assert client.get("/api/callcenter/wallboard").status_code == 403
