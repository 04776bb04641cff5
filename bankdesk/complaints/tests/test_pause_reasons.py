"""Issue 17 item 3: pauses for the customer's material or an external appraisal, test or assessment (鉴定、检测、
评估); each reason says whether the customer must be told, and a pause that needs a notice cannot start without."""

from datetime import timedelta

import pytest
import time_machine

from bankdesk.complaints.handling import investigation
from bankdesk.complaints.models import ClockKind, ClockPause, ClockState, CustomerNotice, PauseReason
from bankdesk.complaints.tests.conftest import local
from bankdesk.complaints.tests.test_migrations import _migrate, migrated  # noqa: F401  (the fixture)
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import SmsOutbox
from bankdesk.core.models import AuditEvent

NOTICE = "您的投诉涉及的银行卡需送外部机构鉴定，鉴定期间不计入处理期限。"


@pytest.fixture
def appraisal(db):
    return PauseReason.objects.get(code="external_assessment")


def decision_clock(complaint):
    return complaint.clocks.get(kind=ClockKind.DECISION)


def test_the_reasons_say_whether_the_customer_is_told(appraisal):
    assert appraisal.requires_notice and appraisal.is_active and "鉴定" in appraisal.name
    assert not PauseReason.objects.get(code="customer_material").requires_notice


def test_an_appraisal_pause_cannot_start_without_the_notice(desk, routed, appraisal):
    complaint = routed()
    for channel, text, field in [("", NOTICE, "notice_channel"), ("sms", "  ", "notice_text"),
                                 ("email", NOTICE, "notice_channel")]:  # the complaint has no e-mail address
        with pytest.raises(ValidationFailed) as refused:
            investigation.pause_clock(desk.handler_a1, complaint, reason=appraisal, notice_channel=channel,
                                      notice_text=text)
        assert refused.value.field == field
    complaint.refresh_from_db()
    assert complaint.paused_since is None and decision_clock(complaint).state == ClockState.RUNNING
    assert not ClockPause.objects.exists() and not CustomerNotice.objects.exists()


def test_the_appraisal_time_is_excluded_and_the_customer_told(desk, routed, appraisal,
                                                               django_capture_on_commit_callbacks):
    complaint = routed(local(2025, 9, 1, 9, 0))
    due = decision_clock(complaint).due_at
    with time_machine.travel(local(2025, 9, 5, 9, 0), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        investigation.pause_clock(desk.handler_a1, complaint, reason=appraisal, note="送司法鉴定中心",
                                  notice_channel="sms", notice_text=NOTICE)
    pause = ClockPause.objects.get()
    assert pause.notice.kind == "pause" and pause.notice.text == NOTICE and pause.notice.channel == "sms"
    assert SmsOutbox.objects.filter(text=NOTICE).exists()
    assert AuditEvent.objects.get(action="complaint.pause").after["reason"] == appraisal.name
    with time_machine.travel(local(2025, 9, 12, 9, 0), tick=False):
        investigation.resume_clock(desk.handler_a1, complaint)
    assert decision_clock(complaint).due_at == due + timedelta(days=7)


def test_an_administrator_decides_which_reason_needs_a_notice(desk, routed, logged_in):
    material = PauseReason.objects.get(code="customer_material")
    response = logged_in(desk.cp).post(f"/settings/tables/pause-reasons/{material.pk}/", {
        "code": material.code, "name": material.name, "name_en": material.name_en, "requires_notice": "on",
        "sort_order": material.sort_order, "is_active": "on"})
    assert response.status_code == 302
    material.refresh_from_db()
    assert material.requires_notice
    with pytest.raises(ValidationFailed):
        investigation.pause_clock(desk.handler_a1, routed(), reason=material)


def test_the_page_and_the_api_take_the_notice(desk, routed, logged_in, appraisal):
    complaint = routed()
    client = logged_in(desk.handler_a1)
    form = client.get(f"/complaints/{complaint.pk}/steps/pause/form/").content.decode()  # opened from the menu
    assert 'name="notice_text"' in form and "鉴定" in form
    refused = client.post(f"/api/complaints/{complaint.pk}/pause", {"reason": "external_assessment"},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["field"] == "notice_channel"
    response = client.post(f"/complaints/{complaint.pk}/steps/pause/", {
        "version": complaint.version, "reason": appraisal.pk, "note": "送检", "notice_channel": "letter",
        "notice_text": NOTICE})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ClockPause.objects.get().notice.channel == "letter"
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "送检" in page and ("信函" in page or "Letter" in page)
    complaint.refresh_from_db()
    client.post(f"/api/complaints/{complaint.pk}/resume", {"version": complaint.version},
                content_type="application/json")
    complaint.refresh_from_db()
    response = client.post(f"/api/complaints/{complaint.pk}/pause", {
        "reason": "external_assessment", "notice_channel": "phone", "notice_text": NOTICE,
        "version": complaint.version}, content_type="application/json")
    assert response.status_code == 200, response.content.decode()
    assert response.json()["paused_since"]


def test_the_migration_adds_the_appraisal_reason_to_the_current_schema(migrated):
    apps = migrated([("complaints", "0014_pause_reason_notice")])
    OldReason = apps.get_model("complaints", "PauseReason")
    OldReason.objects.filter(code="external_assessment").delete()
    assert not OldReason.objects.get(code="customer_material").requires_notice
    _migrate([("complaints", "0015_external_assessment_pause_reason")])
    added = PauseReason.objects.get(code="external_assessment")
    assert added.requires_notice and added.is_active and added.name_en
