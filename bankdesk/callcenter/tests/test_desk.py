"""The agent's desk: standard scripts (language check, scope, search beside the knowledge), and a caller's
complaint read-only with the call logged, as pages and API."""

import pytest
from django.urls import reverse

from bankdesk.callcenter import scripts
from bankdesk.callcenter.models import CallReason, Script
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import CallerEnquiry
from bankdesk.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent
from bankdesk.knowledge import search
from bankdesk.orgs.models import Role

CARD_LOSS = "您好，很抱歉给您带来不便。请您先致电挂失，再携带身份证到网点补办新卡，新卡大约七天后寄到。"


@pytest.fixture
def reason(db):
    return CallReason.objects.create(code="card_loss", name="挂失补卡")


@pytest.fixture
def written(center, reason):
    return scripts.create_script(center.head, scripts.ScriptInput(reason, "挂失补卡话术", CARD_LOSS, center.unit))


def test_a_script_is_checked_audited_and_found_beside_the_knowledge(center, reason, written):
    event = AuditEvent.objects.get(action="callcenter.script.create", object_id=str(written.pk))
    assert event.after["title"] == "挂失补卡话术"
    with pytest.raises(ValidationFailed) as refused:
        scripts.create_script(center.head, scripts.ScriptInput(reason, "不耐烦", "你问我 我问谁", center.unit))
    assert refused.value.code == "forbidden_phrase" and refused.value.field == "body"
    hits = search.search(center.agent_user, "挂失 补卡", kinds=["script"]).hits
    assert [hit.id for hit in hits] == [written.pk]
    assert search.page_of(hits[0])[1] == reverse("callcenter:script", args=[written.pk])


def test_changes_are_versioned_and_searched_anew(center, reason, written):
    changed = scripts.update_script(center.head, written, scripts.ScriptInput(
        reason, "信用卡挂失", "您好，信用卡挂失请拨打本热线，我们马上为您办理。", center.unit), version=1)
    assert changed.version == 2
    assert search.search(center.agent_user, "信用卡", kinds=["script"]).total == 1
    assert search.search(center.agent_user, "补办", kinds=["script"]).total == 0
    with pytest.raises(Conflict):
        scripts.update_script(center.head, written, scripts.ScriptInput(reason, "x", "y", center.unit), version=1)
    assert AuditEvent.objects.filter(action="callcenter.script.update").count() == 1


def test_scripts_stay_in_their_call_center(bank, center, reason, written):
    """Branch B's call center neither reads nor finds the head-office call center's own script; a script written
    for the head office reaches both."""
    other = bank.user("b_agent", Role.AGENT, center.branch_center)
    assert not scripts.scripts(other).exists()
    assert search.search(other, "挂失", kinds=["script"]).total == 0
    with pytest.raises(NotFound):
        scripts.script(other, written.pk)
    office = bank.user("cp_root", Role.CONSUMER_PROTECTION, bank.root)
    everyone = scripts.create_script(office, scripts.ScriptInput(reason, "通用挂失", CARD_LOSS, bank.root))
    assert list(scripts.scripts(other)) == [everyone]
    assert set(scripts.scripts(center.agent_user)) == {written, everyone}
    with pytest.raises(NotFound):  # a head of one call center writes for none other
        scripts.create_script(center.head, scripts.ScriptInput(reason, "t", "您好", center.branch_center))
    with pytest.raises(PermissionDenied):
        scripts.create_script(center.agent_user, scripts.ScriptInput(reason, "t", "您好", center.unit))


def test_script_pages(client, center, reason, written):
    client.force_login(center.agent_user)
    listed = client.get(reverse("callcenter:scripts"))
    assert listed.status_code == 200 and "挂失补卡话术" in listed.content.decode()
    found = client.get(reverse("callcenter:scripts"), {"q": "挂失"}).content.decode()
    assert reverse("callcenter:script", args=[written.pk]) in found
    assert client.get(reverse("callcenter:script_create")).status_code == 403
    client.force_login(center.head)
    answer = client.post(reverse("callcenter:script_edit", args=[written.pk]), {
        "reason": reason.pk, "title": "挂失补卡话术", "body": "你少管闲事", "unit": center.unit.pk, "is_active": "on",
        "version": 1})
    assert answer.status_code == 400 and Script.objects.get().version == 1
    answer = client.post(reverse("callcenter:script_create"), {
        "reason": reason.pk, "title": "密码重置", "body": "您好，请携带身份证和U盾到网点重置密码。", "unit": center.unit.pk,
        "is_active": "on"})
    assert answer.status_code == 302 and Script.objects.count() == 2


def test_the_desk_pages(client, desk, registration, center):
    complaint = register_complaint(desk.agent, registration())
    client.force_login(center.agent_user)
    assert client.get(f"/complaints/{complaint.pk}/").status_code == 403  # the handler's page stays closed
    found = client.post(reverse("callcenter:desk"), {"phone": "13912345678"}).content.decode()
    assert complaint.tracking_number in found
    page = client.get(reverse("callcenter:desk_complaint", args=[complaint.pk]))
    assert page.status_code == 200 and complaint.tracking_number in page.content.decode()
    answer = client.post(reverse("callcenter:desk_call", args=[complaint.pk]), {"text": ""})
    assert answer.status_code == 302 and CallerEnquiry.objects.get().staff == center.agent_user


def test_the_desk_api(client, desk, registration, center, reason, written):
    complaint = register_complaint(desk.agent, registration())
    client.force_login(center.agent_user)
    found = client.post("/api/callcenter/desk/complaints/find", {"tracking_number": complaint.tracking_number},
                        content_type="application/json")
    assert [row["id"] for row in found.json()] == [complaint.pk]
    detail = client.get(f"/api/callcenter/desk/complaints/{complaint.pk}").json()
    assert detail["registered_at"] and detail["decision"] is None and detail["calls"] == []
    logged = client.post(f"/api/callcenter/desk/complaints/{complaint.pk}/calls", {"text": "客户问何时答复"},
                         content_type="application/json")
    assert logged.status_code == 201 and logged.json()["text"] == "客户问何时答复"
    assert client.get(f"/api/callcenter/desk/complaints/{complaint.pk}").json()["calls"][0]["text"] == "客户问何时答复"
    assert [s["id"] for s in client.get("/api/callcenter/scripts", {"q": "挂失"}).json()] == [written.pk]
    assert client.get("/api/callcenter/scripts", {"reason": "nope"}).status_code == 404
    client.force_login(desk.teller)
    assert client.get(f"/api/callcenter/desk/complaints/{complaint.pk}").status_code == 403
