"""Issue 17 item 6: classification is a step. The acceptance review sets or corrects business category, cause
and severity (not while the cause is "other" unless the reviewer confirms it); a later reclassification needs a
reason, is audited, and the regulatory statistics count the complaint under its new entries."""

import pytest
from django.utils import timezone

from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import (
    BusinessCategory,
    Cause,
    Clock,
    ClockKind,
    Complaint,
    Severity,
    Status,
)
from bankdesk.complaints.review import acceptance, classification
from bankdesk.complaints.review.classification import Classification
from bankdesk.core.errors import NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def registered(desk, registration):
    def make(**changes):
        return register_complaint(desk.agent, registration(**changes))

    return make


def _category(code):
    return BusinessCategory.objects.get(code=code)


def _cause(code):
    return Cause.objects.get(code=code)


def _event(complaint, action):
    return AuditEvent.objects.filter(object_id=str(complaint.pk), action=action).latest("id")


class TestAcceptanceClassifies:
    def test_the_reviewer_corrects_category_cause_and_severity(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered(), classification=Classification(
            _category("card_fees"), _cause("pricing"), Severity.IMPORTANT))
        complaint.refresh_from_db()
        assert (complaint.business_category.code, complaint.cause.code, complaint.severity) == (
            "card_fees", "pricing", Severity.IMPORTANT)
        # the corrected category routes it: the credit-card rule sends it to the card centre
        assert complaint.lead_department == desk.card_department
        after = _event(complaint, ComplaintAction.ACCEPT).after
        assert after["classification_changes"] == {"business_category": ["counter_waiting", "card_fees"],
                                                   "cause": ["attitude", "pricing"], "severity": [1, 2]}
        assert Notification.objects.filter(kind="complaint.important", recipient=desk.head_a).exists()

    def test_accepting_as_major_starts_the_clear_reply_clock(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered(),
                                                classification=Classification(severity=Severity.MAJOR))
        assert Clock.objects.filter(complaint=complaint, kind=ClockKind.MAJOR_REPLY, state="running").exists()
        assert Notification.objects.filter(kind="complaint.major", recipient=desk.cp).exists()

    def test_nothing_chosen_keeps_the_registered_entries(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        assert (complaint.business_category.code, complaint.cause.code) == ("counter_waiting", "attitude")
        assert _event(complaint, ComplaintAction.ACCEPT).after["classification_changes"] == {}

    def test_cause_other_is_refused_unless_confirmed(self, desk, registered):
        complaint = registered(cause=_cause("other"))
        with pytest.raises(ValidationFailed) as failure:
            acceptance.accept_complaint(desk.cp, complaint)
        assert (failure.value.field, failure.value.code) == ("cause", "cause_other")
        assert Complaint.objects.get(pk=complaint.pk).status == Status.REGISTERED
        accepted = acceptance.accept_complaint(desk.cp, complaint, confirm_other_cause=True)
        assert accepted.status == Status.ROUTED and accepted.cause.code == "other"

    def test_correcting_other_away_needs_no_confirmation(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered(cause=_cause("other")),
                                                classification=Classification(cause=_cause("quality")))
        assert complaint.cause.code == "quality"

    def test_choosing_other_at_acceptance_needs_the_confirmation_too(self, desk, registered):
        with pytest.raises(ValidationFailed) as failure:
            acceptance.accept_complaint(desk.cp, registered(), classification=Classification(cause=_cause("other")))
        assert failure.value.code == "cause_other"

    def test_a_parent_category_or_retired_cause_is_refused(self, desk, registered):
        complaint = registered()
        with pytest.raises(ValidationFailed) as failure:
            acceptance.accept_complaint(desk.cp, complaint, classification=Classification(_category("credit_card")))
        assert failure.value.field == "business_category"
        Cause.objects.filter(code="marketing").update(is_active=False)
        with pytest.raises(ValidationFailed) as failure:
            acceptance.accept_complaint(desk.cp, complaint, classification=Classification(cause=_cause("marketing")))
        assert failure.value.field == "cause"
        with pytest.raises(ValidationFailed) as failure:
            acceptance.accept_complaint(desk.cp, complaint, classification=Classification(severity=7))
        assert failure.value.field == "severity"


class TestReclassification:
    def test_with_a_reason_it_is_audited_and_counted_anew(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        changed = classification.reclassify_complaint(
            desk.cp, complaint, Classification(_category("counter_handling"), _cause("procedures")),
            reason="核实后属业务办理流程问题")
        assert (changed.business_category.code, changed.cause.code) == ("counter_handling", "procedures")
        event = _event(changed, ComplaintAction.RECLASSIFY)
        assert event.after["note"] == "核实后属业务办理流程问题" and event.actor == desk.cp
        assert event.after["classification_changes"]["cause"] == ["attitude", "procedures"]
        assert Complaint.objects.filter(business_category__code="counter_handling", cause__code="procedures").count() == 1

    def test_a_reason_is_required_and_something_must_change(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        with pytest.raises(ValidationFailed) as failure:
            classification.reclassify_complaint(desk.cp, complaint, Classification(cause=_cause("quality")), reason=" ")
        assert failure.value.field == "reason"
        with pytest.raises(ValidationFailed) as failure:
            classification.reclassify_complaint(desk.cp, complaint, Classification(cause=_cause("attitude")),
                                                reason="无变化")
        assert failure.value.code == "unchanged"

    def test_reclassifying_to_other_needs_the_confirmation(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        with pytest.raises(ValidationFailed) as failure:
            classification.reclassify_complaint(desk.cp, complaint, Classification(cause=_cause("other")), reason="不明")
        assert failure.value.code == "cause_other"
        assert Complaint.objects.get(pk=complaint.pk).cause.code == "attitude"
        changed = classification.reclassify_complaint(desk.cp, complaint, Classification(cause=_cause("other")),
                                                      reason="不明", confirm_other_cause=True)
        assert changed.cause.code == "other"

    def test_raising_to_major_recomputes_the_clocks_and_reports(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        resolution = Clock.objects.get(complaint=complaint, kind=ClockKind.RESOLUTION)
        classification.reclassify_complaint(desk.cp, complaint, Classification(severity=Severity.MAJOR),
                                            reason="涉及媒体曝光")
        longer = Clock.objects.get(complaint=complaint, kind=ClockKind.RESOLUTION)
        assert longer.due_at > resolution.due_at and longer.limit_count == 10
        assert Clock.objects.filter(complaint=complaint, kind=ClockKind.MAJOR_REPLY, state="running").count() == 1
        assert Notification.objects.filter(kind="complaint.major", recipient=desk.head_a).exists()

    def test_only_the_office_in_scope_and_only_once_accepted(self, desk, registered):
        complaint = registered()
        with pytest.raises(ValidationFailed) as failure:
            classification.reclassify_complaint(desk.cp, complaint, Classification(cause=_cause("quality")), reason="x")
        assert failure.value.code == "invalid_state"
        complaint = acceptance.accept_complaint(desk.cp, complaint)
        with pytest.raises(PermissionDenied):
            classification.reclassify_complaint(desk.handler_a1, complaint, Classification(cause=_cause("quality")),
                                                reason="x")
        with pytest.raises(NotFound):
            classification.reclassify_complaint(desk.cp_b, complaint, Classification(cause=_cause("quality")),
                                                reason="x")

    def test_a_closed_complaint_may_still_be_corrected(self, desk, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED, closed_at=timezone.now())
        changed = classification.reclassify_complaint(desk.cp, complaint, Classification(cause=_cause("quality")),
                                                      reason="统计口径更正")
        assert changed.status == Status.CLOSED and changed.cause.code == "quality"


class TestPages:
    def test_the_accept_form_comes_filled_with_the_registered_entries(self, desk, logged_in, registered):
        complaint = registered()
        page = logged_in(desk.cp).get(f"/complaints/{complaint.pk}/").content.decode()
        assert 'name="confirm_other_cause"' in page and 'id="accept_cause"' in page
        assert f'<option value="{complaint.cause_id}" selected>' in page

    def test_accepting_with_other_shows_the_error_then_accepts_confirmed(self, desk, logged_in, registered):
        complaint = registered(cause=_cause("other"))
        client = logged_in(desk.cp)
        url = f"/complaints/{complaint.pk}/steps/accept/"
        refused = client.post(url, {"version": 1}, **HTMX)
        assert "none of the listed causes does" in refused.content.decode()
        assert Complaint.objects.get(pk=complaint.pk).status == Status.REGISTERED
        client.post(url, {"version": 1, "confirm_other_cause": "on"}, **HTMX)
        assert Complaint.objects.get(pk=complaint.pk).status == Status.ROUTED

    def test_accept_posts_the_corrections(self, desk, logged_in, registered):
        complaint = registered()
        logged_in(desk.cp).post(f"/complaints/{complaint.pk}/steps/accept/", {
            "version": 1, "business_category": _category("counter_handling").pk, "cause": _cause("quality").pk,
            "severity": Severity.IMPORTANT}, **HTMX)
        complaint.refresh_from_db()
        assert (complaint.business_category.code, complaint.cause.code, complaint.severity) == (
            "counter_handling", "quality", Severity.IMPORTANT)

    def test_reclassify_from_the_page_shows_in_the_timeline(self, desk, logged_in, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        client = logged_in(desk.cp)
        response = client.post(f"/complaints/{complaint.pk}/steps/reclassify/", {
            "version": complaint.version, "cause": _cause("quality").pk, "reason": "复核更正"}, **HTMX)
        body = response.content.decode()
        assert "The classification is corrected." in body
        page = client.get(f"/complaints/{complaint.pk}/").content.decode()
        assert "Reclassified" in page and "Cause: 服务态度 → 服务质量" in page and "复核更正" in page

    def test_handlers_are_not_offered_reclassification(self, desk, logged_in, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        page = logged_in(complaint.handler).get(f"/complaints/{complaint.pk}/").content.decode()
        assert "/steps/reclassify/" not in page


class TestApi:
    def test_accept_with_corrections_and_the_other_cause(self, desk, logged_in, registered):
        client = logged_in(desk.cp)
        complaint = registered(cause=_cause("other"))
        url = f"/api/complaints/{complaint.pk}/accept"
        refused = client.post(url, {"version": 1}, content_type="application/json")
        assert refused.status_code == 400 and refused.json()["code"] == "cause_other"
        answer = client.post(url, {"version": 1, "cause": "quality", "severity": 2}, content_type="application/json")
        assert answer.status_code == 200 and answer.json()["cause"] == "quality" and answer.json()["severity"] == 2

    def test_reclassify(self, desk, logged_in, registered):
        complaint = acceptance.accept_complaint(desk.cp, registered())
        client = logged_in(desk.cp)
        url = f"/api/complaints/{complaint.pk}/reclassify"
        unknown = client.post(url, {"business_category": "nope", "reason": "x"}, content_type="application/json")
        assert unknown.status_code == 400 and unknown.json()["field"] == "business_category"
        answer = client.post(url, {"business_category": "counter_handling", "reason": "更正",
                                   "version": complaint.version}, content_type="application/json")
        assert answer.status_code == 200 and answer.json()["business_category"] == "counter_handling"
        assert logged_in(desk.handler_a1).post(url, {"cause": "quality", "reason": "x"},
                                               content_type="application/json").status_code == 403
