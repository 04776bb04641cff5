"""The pages and the API: scope, the interviewer's desk, forms keeping their values, the results chart."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bankdesk.surveys import calling
from bankdesk.surveys.models import Attempt, Questionnaire, Target, TargetState
from bankdesk.surveys.tests.test_calling import active_survey, answers_for  # noqa: F401  (a fixture)


def test_campaign_pages_in_scope_only(center, active_survey, logged_in, django_assert_max_num_queries):  # noqa: F811
    campaign = active_survey(customers=3)
    client = logged_in(center.interviewer1)
    listing = client.get(reverse("surveys:campaigns"))
    assert campaign.name in listing.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("surveys:campaign", args=[campaign.pk]))
    text = page.content.decode()
    assert "139****0001" in text and "13900000001" not in text  # masked outside the call
    assert logged_in(center.outsider).get(reverse("surveys:campaign", args=[campaign.pk])).status_code == 404
    assert logged_in(center.teller).get(reverse("surveys:campaigns")).status_code == 403


def test_the_interviewers_desk(center, active_survey, logged_in):  # noqa: F811
    campaign = active_survey(customers=1)
    client = logged_in(center.interviewer1)
    assert "1" in client.get(reverse("surveys:interview")).content.decode()
    client.post(reverse("surveys:interview"))
    target = Target.objects.get(campaign=campaign)
    page = client.get(reverse("surveys:interview")).content.decode()
    assert target.phone in page  # in full for the interviewer holding the call
    questions = list(campaign.questionnaire_version.questions.order_by("position"))
    bad = client.post(reverse("surveys:interview_record", args=[target.pk]), {
        "outcome": "completed", f"q{questions[0].pk}": "", f"q{questions[1].pk}": "yes", "note": "客户很配合"})
    assert bad.status_code == 400
    assert "客户很配合" in bad.content.decode() and bad.context["form"]["q%d" % questions[1].pk].value() == "yes"
    good = client.post(reverse("surveys:interview_record", args=[target.pk]), {
        "outcome": "completed", f"q{questions[0].pk}": "5", f"q{questions[1].pk}": "yes",
        f"q{questions[2].pk}": "态度"})
    assert good.status_code == 302
    target.refresh_from_db()
    assert target.state == TargetState.COMPLETED
    other = logged_in(center.outsider)
    assert other.post(reverse("surveys:interview_record", args=[target.pk]), {"outcome": "busy"}).status_code == 404


def test_questionnaire_written_line_by_line(center, logged_in):
    client = logged_in(center.cp)
    answer = client.post(reverse("surveys:questionnaire_create"), {
        "code": "NPS", "name": "推荐意愿", "questions": "评分 | 您的满意程度？\n单选 | 哪方面最好？ | 效率/态度\n文字 | 建议 | 可选"})
    assert answer.status_code == 302
    version = Questionnaire.objects.get(code="NPS").versions.get()
    assert [(q.kind, q.choices, q.required) for q in version.questions.all()] == [
        ("scale", [], True), ("choice", ["效率", "态度"], True), ("text", [], False)]
    bad = client.post(reverse("surveys:questionnaire_create"), {"code": "X", "name": "问卷", "questions": "单选 | 哪个？"})
    assert bad.status_code == 200 and "哪个？" in bad.content.decode()


def test_results_page_with_its_chart(center, active_survey, logged_in):  # noqa: F811
    campaign = active_survey(customers=1)
    calling.record_call(center.interviewer1, calling.claim_next(center.interviewer1),
                        calling.CallResult("completed", answers=answers_for(campaign)))
    page = logged_in(center.cp).get(reverse("surveys:results"))
    assert page.status_code == 200
    assert page.context["chart"]["periods"] == [timezone.localdate().isoformat()]
    assert 'id="survey-chart-data"' in page.content.decode()
    bad = logged_in(center.cp).get(reverse("surveys:results"), {"start": "2026-02-01", "end": "2026-01-01",
                                                                "grain": "day"})
    assert bad.status_code == 200


class TestApi:
    def test_claim_record_and_nothing_due(self, center, active_survey, logged_in):  # noqa: F811
        campaign = active_survey(customers=1)
        client = logged_in(center.interviewer1)
        claimed = client.post("/api/surveys/queue/next", {}, content_type="application/json")
        assert claimed.status_code == 200 and claimed.json()["phone"] == "13900000000"
        target_id = claimed.json()["id"]
        assert client.post("/api/surveys/queue/next", {}, content_type="application/json").status_code == 204
        bad = client.post(f"/api/surveys/targets/{target_id}/attempts", {"outcome": "call_back"},
                          content_type="application/json")
        assert bad.status_code == 400 and bad.json()["field"] == "callback_at"
        done = client.post(f"/api/surveys/targets/{target_id}/attempts", {
            "outcome": "completed", "answers": {str(k): v for k, v in answers_for(campaign).items()}},
            content_type="application/json")
        assert done.status_code == 201 and done.json()["target_state"] == "completed"
        assert Attempt.objects.count() == 1
        assert logged_in(center.outsider).get(f"/api/surveys/campaigns/{campaign.pk}").status_code == 404

    def test_create_campaign_and_import_a_list(self, center, questionnaire, logged_in, settings,
                                               django_capture_on_commit_callbacks):
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
        client = logged_in(center.head)
        bad = client.post("/api/surveys/campaigns", {"name": "外呼", "kind": "outbound", "source": "list",
                                                     "unit": center.unit.pk}, content_type="application/json")
        assert bad.status_code == 400 and bad.json()["field"] == "questionnaire"
        made = client.post("/api/surveys/campaigns", {"name": "外呼", "kind": "outbound", "source": "list",
                                                      "unit": center.unit.pk, "questionnaire": questionnaire.pk},
                           content_type="application/json")
        assert made.status_code == 201
        campaign_id = made.json()["id"]
        upload = SimpleUploadedFile("list.csv", "姓名,电话\n张三,13900000001\n李四,x\n".encode())
        with django_capture_on_commit_callbacks(execute=True):
            job = client.post(f"/api/surveys/campaigns/{campaign_id}/lists", {"file": upload})
        assert job.status_code == 202
        status = client.get(f"/api/surveys/imports/{job.json()['id']}").json()
        assert status["imported_rows"] == 1 and status["errors"][0]["row"] == 3
        assert client.get(f"/api/surveys/campaigns/{campaign_id}").json()["summary"]["total"] == 1


@pytest.mark.parametrize("name", ["campaigns", "questionnaires", "results", "interview"])
def test_pages_open_for_the_call_center(center, logged_in, name):
    assert logged_in(center.interviewer1).get(reverse(f"surveys:{name}")).status_code == 200
