"""The complaint page's action panel: the primary step, the steps fetched when opened, the confirmations asked."""

import pytest

from bankdesk.complaints.decisions import approval
from bankdesk.complaints.handling import investigation
from bankdesk.complaints.models import ClosureCode, Status

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def post_step(client, complaint, name, data, **extra):
    complaint.refresh_from_db()
    return client.post(f"/complaints/{complaint.pk}/steps/{name}/", {"version": complaint.version, **data}, **extra)


def test_proposing_before_the_assisting_department_answers_is_confirmed_first(desk, logged_in, routed):
    complaint = routed()
    request = investigation.request_assistance(complaint.handler, complaint, department=desk.card_department,
                                               question="请核查")
    client = logged_in(complaint.handler)
    page = client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Not answered yet by the assisting departments: " + desk.card_department.name in page
    assert 'name="confirm_open_assist"' in page
    assert f"Department: {desk.card_department.name}" in page and "Department: CARD" not in page  # by name
    decision = {"finding": "属实", "basis": "依据", "remedies": ["apology"],
                "closure_code": ClosureCode.objects.get(code="bank_at_fault").pk}
    response = post_step(client, complaint, "propose", decision, **HTMX).content.decode()
    assert "or wait for their answer" in response
    complaint.refresh_from_db()
    assert complaint.status != Status.DECISION_PROPOSED
    response = post_step(client, complaint, "propose", {**decision, "confirm_open_assist": "on"}, **HTMX)
    assert "awaits approval" in response.content.decode()

    other = routed(phone="13700000003")  # answered: no question asked
    request = investigation.request_assistance(other.handler, other, department=desk.card_department,
                                               question="请核查")
    investigation.answer_assistance(desk.handler_card, request, findings="无异常", actions_taken="")
    page = logged_in(other.handler).get(f"/complaints/{other.pk}/").content.decode()
    assert 'name="confirm_open_assist"' not in page


def test_the_primary_step_is_on_the_page_the_others_come_when_opened(desk, logged_in, routed):
    complaint = routed()
    handler = logged_in(complaint.handler)
    page = handler.get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'id="case-header"' in page and 'form="step-form-sign_for"' in page  # the primary: one click
    assert 'id="step-note"' in page and 'name="text"' not in page  # folded: its form is not rendered
    assert f'hx-get="/complaints/{complaint.pk}/steps/note/form/"' in page
    box = handler.get(f"/complaints/{complaint.pk}/steps/note/form/", **HTMX)
    assert box.status_code == 200 and 'name="text"' in box.content.decode() and "data-focus" in box.content.decode()
    assert handler.get(f"/complaints/{complaint.pk}/steps/approve/form/").status_code == 404  # not offered
    assert handler.get(f"/complaints/{complaint.pk}/steps/no-such/form/").status_code == 404
    assert logged_in(desk.handler_b).get(f"/complaints/{complaint.pk}/steps/note/form/").status_code == 404


def test_the_proposer_has_no_approve_step_the_approver_has_it_as_primary(desk, logged_in, routed):
    complaint = routed()
    approval.propose_decision(complaint.handler, complaint, finding="属实", basis="依据服务规范。",
                              remedies=["apology"], closure_code=ClosureCode.objects.get(code="bank_at_fault"))
    page = logged_in(complaint.handler).get(f"/complaints/{complaint.pk}/").content.decode()
    assert "/steps/approve/" not in page
    page = logged_in(desk.head_a).get(f"/complaints/{complaint.pk}/").content.decode()
    assert 'class="button primary" href="#step-approve"' in page and 'id="approve_note"' in page
