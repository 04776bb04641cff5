"""Issue 17 item 12: closed complaints are archived after the retention period (rule, default 3 years after
closure) by a periodic job touching only the rows due; an archived complaint is read-only (every step refused
with the reason, reopening and reclassification included), still listed and found, never deleted, its
attachments readable."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from bankdesk.complaints import archive, selectors, state_machine
from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.decisions import callback, customer_review
from bankdesk.complaints.decisions.regulator_feedback import record_regulator_feedback
from bankdesk.complaints.handling import enquiries
from bankdesk.complaints.intake import attachment_files
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import Channel, Complaint, Status
from bankdesk.complaints.review import classification
from bankdesk.complaints.review.classification import Classification
from bankdesk.core import rules, scheduler
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.models import AuditEvent

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def closed(desk, routed):
    """A complaint closed `years` years ago (the closing steps are tested elsewhere)."""
    def make(years: float, **changes):
        complaint = routed(**changes)
        Complaint.objects.filter(pk=complaint.pk).update(
            status=Status.CLOSED, closed_at=timezone.now() - timedelta(days=round(365.25 * years)))
        return Complaint.objects.get(pk=complaint.pk)

    return make


@pytest.fixture
def archived(closed):
    def make(**changes):
        complaint = closed(4, **changes)
        archive.archive_due()
        return Complaint.objects.get(pk=complaint.pk)

    return make


class TestArchiveJob:
    def test_closed_complaints_past_retention_are_archived_and_audited(self, desk, closed, routed):
        old, recent, still_open = closed(3.1), closed(2.9, phone="13700000001"), routed(phone="13700000002")
        version = old.version
        result = archive.archive_due()
        assert result.archived == 1
        old, recent, still_open = (Complaint.objects.get(pk=c.pk) for c in (old, recent, still_open))
        assert old.archived_at is not None and old.version == version + 1
        assert recent.archived_at is None and still_open.archived_at is None
        event = AuditEvent.objects.get(object_id=str(old.pk), action=ComplaintAction.ARCHIVE)
        assert event.actor is None and event.after["archived_at"]
        assert archive.archive_due().archived == 0  # a second run finds nothing left
        assert Complaint.objects.count() == 3  # never deleted

    def test_the_retention_period_is_a_rule(self, desk, closed):
        complaint = closed(4)
        rules.set_value(desk.bank.admin, "complaint.archive_after_years", "5", "本行档案管理办法")
        assert archive.archive_due().archived == 0
        with pytest.raises(ValidationFailed):  # the regulation's three years are a minimum
            rules.set_value(desk.bank.admin, "complaint.archive_after_years", "2", "x")
        rules.set_value(desk.bank.admin, "complaint.archive_after_years", "3", "恢复")
        assert archive.archive_due().archived == 1 and Complaint.objects.get(pk=complaint.pk).archived_at

    def test_batches_touch_only_the_rows_due(self, desk, closed, django_assert_num_queries):
        due = [closed(4, phone=f"1370000000{n}") for n in range(3)]
        closed(1, phone="13700000009")
        archive.archive_due(batch_size=2)
        assert Complaint.objects.filter(archived_at__isnull=False).count() == 3
        assert {c.pk for c in Complaint.objects.filter(archived_at__isnull=False)} == {c.pk for c in due}
        with django_assert_num_queries(3):  # nothing due: one read through the index, in its savepoint
            archive.archive_due()

    @pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's plan")
    def test_the_due_rows_are_read_through_the_partial_index(self, desk):
        plan = archive.due_for_archive(timezone.now()).order_by("closed_at").explain()
        assert "complaint_archive_due_idx" in plan

    def test_a_transfer_still_owing_the_regulator_its_feedback_waits(self, desk, registration):
        complaint = register_complaint(desk.cp, registration(
            channel=Channel.objects.get(code="nfra"), external_reference="NFRA-9",
            external_deadline=timezone.now() + timedelta(days=10)))
        Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED,
                                                         closed_at=timezone.now() - timedelta(days=4 * 366))
        complaint = Complaint.objects.get(pk=complaint.pk)
        assert archive.archive_due().archived == 0
        complaint = Complaint.objects.get(pk=complaint.pk)
        record_regulator_feedback(desk.cp, complaint, content="已反馈")
        assert archive.archive_due().archived == 1

    def test_the_job_is_registered_daily(self):
        job = next(job for job in scheduler.PERIODIC_JOBS if job.name == "complaints.archive_closed_complaints")
        assert job.every == timedelta(days=1)


class TestReadOnly:
    def test_every_step_is_refused_with_the_reason(self, desk, archived):
        complaint = archived()
        assert state_machine.available_steps(desk.cp, complaint) == []
        with pytest.raises(ValidationFailed) as refused:
            callback.reopen_complaint(desk.cp, complaint, kind="review", reason="客户申请核查")
        assert refused.value.code == "archived" and "archived" in refused.value.message
        with pytest.raises(ValidationFailed) as refused:
            classification.reclassify_complaint(desk.cp, complaint, Classification(None, None, 3), reason="更正")
        assert refused.value.code == "archived"
        assert not customer_review.may_request_review(complaint)
        with pytest.raises(ValidationFailed) as refused:
            enquiries.log_caller_enquiry(desk.agent, complaint.pk, "询问进度")
        assert refused.value.code == "archived"
        assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED

    def test_a_complaint_locked_before_it_was_archived_is_refused_too(self, desk, closed):
        complaint = closed(4)  # read before the job archived it
        archive.archive_due()
        with pytest.raises(ValidationFailed) as refused:
            callback.reopen_complaint(desk.cp, complaint, kind="review", reason="x")
        assert refused.value.code == "archived"


class TestPagesAndApi:
    def test_the_page_shows_it_archived_with_no_step_and_its_attachments(self, desk, closed, logged_in):
        complaint = closed(4)
        item = attachment_files.store_attachment(desk.agent, complaint, SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 x"))
        archive.archive_due()
        client = logged_in(desk.cp)
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "Archived on" in page and "/steps/reopen/" not in page
        assert "No step is open to you at this stage." in page
        response = client.post(f"/complaints/{complaint.pk}/steps/reopen/", {
            "version": complaint.version + 1, "kind": "review", "reason": "客户申请核查"}, **HTMX)
        assert "is archived" in response.content.decode()
        assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
        download = client.get(f"/complaints/{complaint.pk}/attachments/{item.pk}/")
        assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"

    def test_listed_filtered_and_found(self, desk, archived, routed, logged_in):
        old, current = archived(), routed(phone="13700000001")
        client = logged_in(desk.cp)
        listed = client.get("/complaints/?archived=yes").content.decode()
        assert old.tracking_number in listed and current.tracking_number not in listed
        listed = client.get("/complaints/?archived=no").content.decode()
        assert old.tracking_number not in listed and current.tracking_number in listed
        assert old.tracking_number in client.get(f"/complaints/?search={old.tracking_number}").content.decode()
        found = client.get("/api/complaints", {"archived": "true"}).json()
        assert [item["tracking_number"] for item in found["items"]] == [old.tracking_number]
        assert found["items"][0]["archived_at"] is not None
        assert client.get("/api/complaints", {"archived": "false"}).json()["total"] == 1
        filtered = selectors.complaint_list(desk.cp, selectors.ComplaintFilter(search=old.tracking_number))
        assert list(filtered) == [old]

    def test_other_branches_see_nothing_and_the_api_refuses_writes(self, desk, archived, logged_in):
        complaint = archived()
        other = logged_in(desk.cp_b)
        assert other.get(f"/complaints/{complaint.pk}/").status_code == 404
        assert other.get("/api/complaints", {"archived": "true"}).json()["total"] == 0
        assert logged_in(desk.handler_a1).post(f"/api/complaints/{complaint.pk}/reopen", {
            "kind": "review", "reason": "x"}, content_type="application/json").status_code == 403
        refused = logged_in(desk.cp).post(f"/api/complaints/{complaint.pk}/reopen", {
            "kind": "review", "reason": "客户申请核查"}, content_type="application/json")
        assert refused.status_code == 400 and refused.json()["code"] == "archived"

    def test_in_chinese(self, desk, archived, logged_in, settings):
        settings.LANGUAGE_CODE = "zh-hans"
        complaint = archived()
        page = logged_in(desk.cp).get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "已归档" in page and "附件仍可查阅" in page
