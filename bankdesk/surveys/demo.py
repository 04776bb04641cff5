"""The demo surveys (core's `load_demo` runs it, after the call center's): two interviewers in the call
center's teams, a satisfaction questionnaire, a survey of the demo complaints closed in the last 90 days, an
outbound campaign from an imported list of 200 names, and the complaint callbacks as a campaign.

Loaded once: nothing is made when the questionnaire exists."""

import random
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.callcenter import services as callcenter_services
from bankdesk.callcenter.models import Agent, Team
from bankdesk.core import audit, file_imports, rules
from bankdesk.core.models import AuditSource
from bankdesk.orgs import services as org_services
from bankdesk.orgs.demo import DEMO_PASSWORD, grant_directly
from bankdesk.orgs.models import OrgUnit, Role, User
from bankdesk.surveys import calling, list_import, services
from bankdesk.surveys.calling import CallResult
from bankdesk.surveys.models import (
    CampaignKind,
    CampaignStatus,
    ListImport,
    Outcome,
    QuestionKind,
    Questionnaire,
)
from bankdesk.surveys.services import CampaignInput, QuestionInput

INTERVIEWERS = [("survey01", "高回访", "CC-T1", "8101"), ("survey02", "罗调查", "CC-T2", "8102")]
QUESTIONS = [
    QuestionInput(QuestionKind.SCALE, "您对这次投诉处理的结果满意吗？请打1到5分。"),
    QuestionInput(QuestionKind.SCALE, "您对处理人员的服务态度满意吗？请打1到5分。"),
    QuestionInput(QuestionKind.YES_NO, "处理人员是否在承诺的时间内联系了您？"),
    QuestionInput(QuestionKind.CHOICE, "您最希望我们改进哪一方面？", ["办理效率", "服务态度", "网点环境", "产品说明"]),
    QuestionInput(QuestionKind.TEXT, "您还有什么意见或建议？", required=False),
]
INTRODUCTION = "您好，我是XX银行客服中心的回访员，耽误您两分钟时间，想了解您对我行服务的评价。"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张"
LIST_ROWS = 200


def _interviewer(admin, center: OrgUnit, username: str, name: str, team_code: str, agent_code: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = org_services.create_user(admin, username=username, display_name=name, password=DEMO_PASSWORD,
                                        home_unit=center, staff_number=f"SV{agent_code}")
    grant_directly(admin, user, Role.AGENT, center)
    team = Team.objects.filter(code=team_code).first()
    if team is not None and not Agent.objects.filter(user=user).exists():
        callcenter_services.create_agent(admin, user=user, agent_code=agent_code, team=team)
    return user


def _call_list() -> SimpleUploadedFile:
    rng = random.Random(2026)
    lines = ["姓名,电话,编号,最佳联系时间"]
    for number in range(1, LIST_ROWS + 1):
        name = rng.choice(SURNAMES) + rng.choice(["先生", "女士"])
        best = rng.choice(["", "工作日上午", "晚上七点后", "周末"])
        lines.append(f"{name},1370000{number:04d},KH{number:05d},{best}")
    return SimpleUploadedFile("信用卡分期意向名单.csv", ("\n".join(lines) + "\n").encode("utf-8-sig"))


def _imported_campaign(cp: User, center: OrgUnit, questionnaire: Questionnaire):
    campaign = services.create_campaign(cp, CampaignInput(
        name="信用卡分期意向回访（名单导入）", kind=CampaignKind.OUTBOUND, source="list", unit=center,
        questionnaire=questionnaire))
    job = file_imports.receive(ListImport, cp, _call_list(), max_megabytes=rules.get("surveys.list_max_megabytes"),
                               campaign=campaign)
    list_import.run(job.pk)
    return campaign


def _some_calls(interviewers: list[User], campaign) -> None:
    """A few calls of each interviewer, so the results page has something to show."""
    answers = {question.pk: value for question, value in zip(
        campaign.questionnaire_version.questions.order_by("position"), ["5", "4", "yes", "办理效率", ""])}
    outcomes = [CallResult(Outcome.COMPLETED, answers=answers), CallResult(Outcome.NO_ANSWER),
                CallResult(Outcome.CALL_BACK, callback_at=timezone.now() + timedelta(days=1), best_time="晚上七点后"),
                CallResult(Outcome.BUSY)]
    for index, result in enumerate(outcomes):
        interviewer = interviewers[index % len(interviewers)]
        target = calling.claim_next(interviewer, campaign)
        if target is not None:
            calling.record_call(interviewer, target, result)


def load(stdout) -> None:
    if Questionnaire.objects.filter(code="SAT-01").exists() or not OrgUnit.objects.filter(code="CC").exists():
        return
    admin, cp = User.objects.get(username="admin"), User.objects.get(username="cp_officer")
    center, head_office = OrgUnit.objects.get(code="CC"), OrgUnit.objects.get(code="HO")
    today = timezone.localdate()
    with audit.audit_context(actor=admin, source=AuditSource.IMPORT):
        interviewers = [_interviewer(admin, center, *row) for row in INTERVIEWERS]
        questionnaire = services.create_questionnaire(cp, code="SAT-01", name="投诉处理满意度回访问卷",
                                                      introduction=INTRODUCTION, questions=QUESTIONS)
        survey = services.create_campaign(cp, CampaignInput(
            name="近90天已结投诉满意度调查", kind=CampaignKind.SURVEY, source="closed_complaints", unit=center,
            questionnaire=questionnaire, source_unit=head_office, period_start=today - timedelta(days=90),
            period_end=today))
        outbound = _imported_campaign(cp, center, questionnaire)
        callbacks = services.create_campaign(cp, CampaignInput(
            name="投诉回访（待回访投诉）", kind=CampaignKind.COMPLAINT_CALLBACK, source="awaiting_callback", unit=center,
            source_unit=head_office))
        for campaign in (survey, outbound, callbacks):
            campaign.refresh_from_db()
            if campaign.target_count:
                services.set_campaign_status(cp, campaign, CampaignStatus.ACTIVE)
        _some_calls(interviewers, outbound)
    stdout.write(f"演示回访 / demo surveys: {survey.target_count + outbound.target_count + callbacks.target_count} "
                 f"people to call in 3 campaigns; interviewers survey01, survey02")
