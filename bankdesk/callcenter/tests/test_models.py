"""Agents, queues and the demo call center."""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from bankdesk.callcenter import demo, services
from bankdesk.callcenter.models import Agent, IntervalStat, Queue, Script
from bankdesk.core import rules
from bankdesk.core.errors import NotFound, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.orgs import demo as org_demo
from bankdesk.orgs.models import Role


def test_a_new_queue_takes_the_service_level_target_from_the_rules(center):
    assert (center.queue.service_level_seconds, center.queue.service_level_percent) == (15, Decimal("80"))
    rules.set_value(center.head.__class__.objects.get(username="root_admin"), "callcenter.service_level_seconds",
                    "20", "测试")
    queue = Queue.objects.create(code="CARD", name="信用卡", unit=center.unit)
    assert queue.service_level_seconds == 20


def test_creating_an_agent_is_audited_with_the_skills(center):
    event = AuditEvent.objects.get(action="callcenter.agent.create")
    assert event.after["skills"] == {"GENERAL": 4}
    assert event.unit_path == center.unit.path


def test_an_agent_id_is_unique(center, bank):
    other = bank.user("other", Role.AGENT, center.unit)
    with pytest.raises(ValidationFailed) as failure:
        services.create_agent(center.head, user=other, agent_code="8001", team=center.team)
    assert failure.value.field == "agent_code"


def test_a_skill_level_is_one_to_five(center):
    with pytest.raises(ValidationFailed) as failure:
        services.update_agent(center.head, center.agent, agent_code="8001", team=center.team, is_active=True,
                              skills={center.skill: 6})
    assert failure.value.field == "skills"


def test_only_a_manager_within_scope_changes_agents(center, bank):
    head_b = bank.user("head_b", Role.UNIT_HEAD, bank.branch_b)
    with pytest.raises(PermissionDenied):
        services.update_agent(center.agent_user, center.agent, agent_code="8002", team=center.team,
                              is_active=True, skills={})
    with pytest.raises(NotFound):
        services.update_agent(head_b, center.agent, agent_code="8002", team=center.team, is_active=True, skills={})
    assert Agent.objects.get().agent_code == "8001"


def test_the_database_refuses_more_answered_than_offered(center):
    with pytest.raises(IntegrityError):
        IntervalStat.objects.create(queue=center.queue, interval_start=timezone.now(), offered=3, answered=4)


@pytest.mark.django_db
def test_the_demo_call_center_loads_once():
    org_demo.load_demo()
    demo.load(io.StringIO())
    count = IntervalStat.objects.count()
    demo.load(io.StringIO())
    assert IntervalStat.objects.count() == count >= 2 * demo.HISTORY_DAYS * 48
    assert Agent.objects.filter(user__username="agent01", team__code="CC-T1").exists()
    assert Agent.objects.count() == len(demo.AGENTS)
    weekday = IntervalStat.objects.filter(queue__code="HOTLINE", interval_start__week_day=2)  # Mondays
    sunday = IntervalStat.objects.filter(queue__code="HOTLINE", interval_start__week_day=1)
    assert sum(weekday.values_list("offered", flat=True)) > sum(sunday.values_list("offered", flat=True))
    # the desk's standard scripts: each demo call reason has one, written once for the call center
    assert Script.objects.count() == len(demo.SCRIPTS)
    assert set(Script.objects.values_list("reason__code", flat=True)) == {code for code, _name in demo.REASONS}
    assert set(Script.objects.values_list("unit__code", flat=True)) == {"CC"}
