"""The campaign list, a campaign's call list and the questionnaires exported in the background (kinds
surveys.campaigns, surveys.targets, surveys.questionnaires): the page's rows in the user's scope under Chinese
headers, phones masked, the button on each page, 403 without surveys.view."""

from django.urls import reverse
from django.utils import timezone

from bankdesk.surveys import services
from bankdesk.surveys.models import CampaignKind, TargetSource, TargetState
from bankdesk.surveys.services import CampaignInput
from bankdesk.tests.exports import pdf_text, request_export, run_export, table


def _branch_b_campaign(center, questionnaire):
    today = timezone.localdate()
    return services.create_campaign(center.cp, CampaignInput(
        name="西城回访", kind=CampaignKind.SURVEY, source=TargetSource.CLOSED_COMPLAINTS, unit=center.bank.branch_b,
        questionnaire=questionnaire, source_unit=center.bank.branch_b, period_start=today, period_end=today))


def test_campaigns_in_scope(center, questionnaire, survey_of_closed, logged_in, django_capture_on_commit_callbacks):
    ours, theirs = survey_of_closed(), _branch_b_campaign(center, questionnaire)
    client = logged_in(center.cp)
    assert 'value="surveys.campaigns"' in client.get(reverse("surveys:campaigns")).content.decode()
    header, *rows = table(client, run_export(client, django_capture_on_commit_callbacks, "surveys.campaigns", "xlsx"))
    assert header == ["名称", "类型", "名单来源", "所属机构", "状态", "外呼对象", "创建时间"]
    assert sorted(row[0] for row in rows) == sorted([ours.name, theirs.name])
    outsider = logged_in(center.outsider)  # an agent of branch B
    rows = table(outsider, run_export(outsider, django_capture_on_commit_callbacks, "surveys.campaigns"))[1:]
    assert [row[0] for row in rows] == ["西城回访"]
    assert request_export(logged_in(center.teller), "surveys.campaigns").status_code == 403


def test_the_call_list_of_a_campaign(center, closed, survey_of_closed, logged_in,
                                     django_capture_on_commit_callbacks):
    complaint = closed(complainant_name="王先生", phone="13800001111")
    campaign = survey_of_closed()
    client = logged_in(center.cp)
    page = client.get(reverse("surveys:campaign", args=[campaign.pk])).content.decode()
    assert 'value="surveys.targets"' in page and f'value="campaign={campaign.pk}&amp;' in page
    job = run_export(client, django_capture_on_commit_callbacks, "surveys.targets", "csv",
                     f"campaign={campaign.pk}&state={TargetState.WAITING}")
    header, *rows = table(client, job)
    assert header[1:5] == ["名称", "联系电话", "来源编号", "状态"]
    assert [(row[1], row[2], row[3]) for row in rows] == [("王先生", "138****1111", complaint.tracking_number)]
    text = pdf_text(client, run_export(client, django_capture_on_commit_callbacks, "surveys.targets", "pdf",
                                       f"campaign={campaign.pk}"))
    assert "外呼对象" in text and "138****1111" in text and "13800001111" not in text
    outsider = logged_in(center.outsider)  # branch B's agent: the call center's campaign is not theirs
    assert request_export(outsider, "surveys.targets", "csv", f"campaign={campaign.pk}").status_code == 404
    assert request_export(logged_in(center.teller), "surveys.targets", "csv",
                          f"campaign={campaign.pk}").status_code == 403


def test_questionnaires(center, questionnaire, logged_in, django_capture_on_commit_callbacks):
    client = logged_in(center.interviewer1)
    assert 'value="surveys.questionnaires"' in client.get(reverse("surveys:questionnaires")).content.decode()
    rows = table(client, run_export(client, django_capture_on_commit_callbacks, "surveys.questionnaires"))
    assert rows == [["代码", "名称", "版本", "创建人"], ["SAT", "投诉处理满意度回访", "1", str(center.cp)]]
    assert request_export(logged_in(center.teller), "surveys.questionnaires").status_code == 403
