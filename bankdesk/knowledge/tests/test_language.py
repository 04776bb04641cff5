import pytest

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import NonAcceptanceReason, Status
from bankdesk.complaints.review import acceptance
from bankdesk.core.errors import ValidationFailed
from bankdesk.knowledge import language
from bankdesk.knowledge.models import PhraseKind, ServicePhrase


def test_the_seed_standard_is_loaded(db):
    assert ServicePhrase.objects.filter(kind=PhraseKind.POLITE).count() == 32
    assert ServicePhrase.objects.filter(kind=PhraseKind.FORBIDDEN).count() == 29
    texts = set(ServicePhrase.objects.values_list("text", flat=True))
    assert "很抱歉" in texts and "请您排队等候" in texts and "请留下宝贵意见" in texts
    assert not any("报歉" in t or "等侯" in t or "保贵" in t for t in texts)


@pytest.mark.parametrize("text, number", [
    ("您好！这事我管不了，你去找我们领导。", 19),
    ("你问我 我问谁", 18),
    ("请别叫他老太婆", 1),
    ("你少管闲事", 5),
])
def test_forbidden_phrases_are_found_whatever_the_punctuation(db, text, number):
    assert [f.number for f in language.check(text)] == [number]


def test_polite_text_passes(db):
    assert language.check("您好，很抱歉让您久等了，我们会尽量帮助您。") == []


def test_edited_table_takes_effect(db):
    phrase = ServicePhrase.objects.get(kind=PhraseKind.FORBIDDEN, number=16)
    assert language.check("烦不烦")
    phrase.is_active = False
    phrase.save()
    language.invalidate()
    assert language.check("烦不烦") == []


def test_api(agent, logged_in):
    client = logged_in(agent)
    response = client.post("/api/knowledge/language-check", {"text": "我就这态度。有本事你告去"},
                           content_type="application/json")
    assert response.json()["ok"] is False and response.json()["forbidden"][0]["number"] == 24
    clean = client.post("/api/knowledge/language-check", {"text": "请稍等"}, content_type="application/json")
    assert clean.json() == {"ok": True, "forbidden": []}


def test_api_needs_login(client, db):
    assert client.post("/api/knowledge/language-check", {"text": "x"},
                       content_type="application/json").status_code == 401


def test_a_notice_with_a_forbidden_phrase_is_not_sent(desk, registration):
    complaint = register_complaint(desk.agent, registration())
    with pytest.raises(ValidationFailed) as failure:
        acceptance.refuse_complaint(desk.cp, complaint, reason=NonAcceptanceReason.objects.first(),
                                    notice_channel="sms", notice_text="不关我的事，有意见，找领导。")
    assert failure.value.field == "notice_text" and "不关我的事" in failure.value.message
    complaint.refresh_from_db()
    assert complaint.status == Status.REGISTERED and not complaint.notices.exists()
