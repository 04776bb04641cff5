"""Complaints by e-mail: parsed in GBK or UTF-8, registered once per Message-ID, completed by hand without a phone."""

import hashlib
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from bankdesk.complaints.intake import email_intake
from bankdesk.complaints.models import BusinessCategory, Cause, Channel, Complaint, InboundEmail, InboundEmailStatus
from bankdesk.core.models import AuditEvent, AuditSource

DATA = Path(__file__).parent / "data"
GBK_MAIL = (DATA / "gbk_with_attachment.eml").read_bytes()
HTML_MAIL = (DATA / "utf8_html_no_phone.eml").read_bytes()

@pytest.fixture(autouse=True)
def _setup(settings, desk):
    settings.LANGUAGE_CODE = "en"
    settings.BANKDESK_EMAIL_INTAKE_USER = "cp"
    settings.BANKDESK_EMAIL_DEFAULT_UNIT = ""


def _stored(attachment) -> bytes:
    with default_storage.open(f"attachments/{attachment.file.sha256[:2]}/{attachment.file.sha256}") as stored:
        return stored.read()


def _simple_mail(message_id="<plain-1@example.com>", body="我的卡被吞了，电话 +86 138 0013 8000。", **headers) -> bytes:
    lines = [f"From: {headers.pop('sender', 'wang@example.com')}", "To: complaints@bank.example.cn",
             f"Subject: {headers.pop('subject', 'ATM')}", f"Message-ID: {message_id}",
             "Date: Wed, 05 Mar 2025 08:00:00 +0800", *[f"{key.replace('_', '-')}: {value}"
                                                         for key, value in headers.items()],
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit", "",
             body]
    return "\r\n".join(lines).encode("utf-8")


# --- Parsing -------------------------------------------------------------------------------------------------------

def test_gbk_mail_is_decoded():
    parsed = email_intake.parse(GBK_MAIL)
    assert parsed.subject == "关于信用卡年费扣款的投诉（张喆）"  # 喆 is GBK, outside the GB2312 the mail claims
    assert (parsed.sender_name, parsed.sender) == ("张喆", "zhang.zhe@example.com")
    assert "被扣了300元年费" in parsed.body and parsed.phone == "13912345678"
    assert [(a.name, a.content_type) for a in parsed.attachments] == [("扣款记录.pdf", "application/pdf")]
    assert parsed.attachments[0].content.startswith(b"%PDF")
    assert parsed.message_id == "<20250303091500.GBK001@mail.example.com>"


def test_html_only_mail_is_turned_into_text():
    parsed = email_intake.parse(HTML_MAIL)
    assert parsed.body == "你好，\n\n我在人民路网点排队两个小时，柜员态度很差。\n\n请尽快处理&回复。"
    assert "color" not in parsed.body and parsed.phone == ""
    assert [a.name for a in parsed.attachments] == ["排队.png", "logs.zip"]
    assert parsed.complainant_name == "李四"


def test_raw_8bit_gbk_headers_and_no_display_name():
    raw = (b"From: li.lei@example.com\r\nSubject: " + "网银转账失败".encode("gbk") + b"\r\nMessage-ID: <x@y>\r\n"
           b"Content-Type: text/plain; charset=gbk\r\n\r\n" + "转账失败，请联系13700001111".encode("gbk"))
    parsed = email_intake.parse(raw)
    assert parsed.subject == "网银转账失败" and parsed.complainant_name == "li.lei"
    assert parsed.phone == "13700001111"


@pytest.mark.parametrize("text, phone", [
    ("电话：13912345678。", "13912345678"), ("手机 139 1234 5678", "13912345678"),
    ("+86-139-1234-5678", "13912345678"), ("卡号 6222021399123456789", ""), ("12345678901", ""),
    ("座机 010-12345678", ""),
])
def test_mobile_numbers_are_found(text, phone):
    assert email_intake.find_mobile(text) == phone


def test_a_mail_without_message_id_is_identified_by_its_content():
    raw = _simple_mail().replace(b"Message-ID: <plain-1@example.com>\r\n", b"")
    assert email_intake.parse(raw).message_id == f"<{hashlib.sha256(raw).hexdigest()}@bankdesk.invalid>"


# --- Import --------------------------------------------------------------------------------------------------------

def test_a_mail_with_a_phone_number_is_registered_with_its_attachments_and_the_original(desk):
    outcome = email_intake.import_message(GBK_MAIL)
    assert outcome.created
    complaint = outcome.complaint
    assert complaint is not None and outcome.inbound.status == InboundEmailStatus.REGISTERED
    assert (complaint.channel.code, complaint.business_category.code, complaint.cause.code) == (
        "email", "other_business", "other")
    assert complaint.unit == desk.bank.root  # no "HO-CP" in the test bank: the root unit
    assert complaint.complainant_name == "张喆" and complaint.phone == "13912345678"
    assert complaint.email == "zhang.zhe@example.com" and complaint.registered_by == desk.cp
    assert complaint.description.startswith("关于信用卡年费扣款的投诉（张喆）\n\n您好")
    assert complaint.received_at == datetime(2025, 3, 3, 1, 15, tzinfo=UTC)
    attachments = list(complaint.attachments.all())
    assert [a.original_name for a in attachments] == ["扣款记录.pdf", "original.eml"]
    assert _stored(attachments[1]) == GBK_MAIL
    with outcome.inbound.raw.open("rb") as kept:
        assert kept.read() == GBK_MAIL
    registered = AuditEvent.objects.get(action="complaint.register")
    assert registered.source == AuditSource.IMPORT and registered.actor == desk.cp
    assert AuditEvent.objects.get(action="complaint.import.email").after["complaint"] == complaint.tracking_number


def test_the_default_unit_setting_wins(desk, settings):
    settings.BANKDESK_EMAIL_DEFAULT_UNIT = "A"
    assert email_intake.import_message(GBK_MAIL).complaint.unit == desk.bank.branch_a
    settings.BANKDESK_EMAIL_DEFAULT_UNIT = "NO-SUCH-UNIT"
    with pytest.raises(email_intake.EmailIntakeError, match="BANKDESK_EMAIL_DEFAULT_UNIT"):
        email_intake.import_message(_simple_mail())


def test_the_same_message_id_twice_makes_one_complaint(desk):
    first = email_intake.import_message(GBK_MAIL)
    second = email_intake.import_message(GBK_MAIL)
    resent = email_intake.import_message(GBK_MAIL.replace(b"Date: Mon, 03 Mar", b"Date: Tue, 04 Mar"))
    assert first.created and not second.created and not resent.created
    assert second.inbound.pk == first.inbound.pk
    assert Complaint.objects.count() == 1 and InboundEmail.objects.count() == 1


def test_a_mail_without_phone_waits_for_completion_then_is_registered(desk, client):
    outcome = email_intake.import_message(HTML_MAIL)
    inbound = outcome.inbound
    assert outcome.created and outcome.complaint is None
    assert inbound.status == InboundEmailStatus.NEEDS_REVIEW and "No mobile number" in inbound.review_reason
    assert Complaint.objects.count() == 0

    client.force_login(desk.cp)
    listing = client.get("/complaints/imports/emails/").content.decode()
    assert "网点排队时间过长" in listing
    page = client.get(f"/complaints/imports/emails/{inbound.pk}/").content.decode()
    assert 'value="李四"' in page and "li.si@example.org" in page and "请尽快处理&amp;回复" in page
    response = client.post(f"/complaints/imports/emails/{inbound.pk}/", {
        "action": "complete", "complainant_name": "李四", "phone": "13800138000", "email": "li.si@example.org",
        "channel": Channel.objects.get(code="email").pk, "received_at": "2025-03-04T20:01",
        "unit": desk.bank.outlet_a.pk, "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
        "cause": Cause.objects.get(code="attitude").pk, "description": "网点排队时间过长。柜员态度很差。",
        "demand": "道歉"})
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response.url == f"/complaints/{complaint.pk}/"
    inbound.refresh_from_db()
    assert inbound.status == InboundEmailStatus.REGISTERED and inbound.complaint == complaint
    assert inbound.reviewed_by == desk.cp and complaint.registered_by == desk.cp
    assert complaint.unit == desk.bank.outlet_a and complaint.phone == "13800138000"
    # the zip is not a type complaints accept: it stays inside original.eml
    assert [a.original_name for a in complaint.attachments.all()] == ["排队.png", "original.eml"]
    assert AuditEvent.objects.filter(action="complaint.import.email.complete").count() == 1
    # completing twice is refused
    again = client.post(f"/complaints/imports/emails/{inbound.pk}/", {"action": "complete"})
    assert again.status_code == 200 and Complaint.objects.count() == 1


def test_a_completion_the_rules_refuse_keeps_the_form(desk, client):
    inbound = email_intake.import_message(HTML_MAIL).inbound
    client.force_login(desk.cp)
    response = client.post(f"/complaints/imports/emails/{inbound.pk}/", {
        "action": "complete", "complainant_name": "李四", "phone": "12", "channel": Channel.objects.get(code="email").pk,
        "received_at": "2025-03-04T20:01", "unit": desk.bank.outlet_a.pk,
        "business_category": BusinessCategory.objects.get(code="counter_waiting").pk,
        "cause": Cause.objects.get(code="attitude").pk, "description": "排队"})
    assert response.status_code == 200 and "Enter a mobile number" in response.content.decode()
    inbound.refresh_from_db()
    assert inbound.status == InboundEmailStatus.NEEDS_REVIEW and Complaint.objects.count() == 0


def test_a_mail_can_be_dismissed_with_a_reason(desk, client):
    inbound = email_intake.import_message(HTML_MAIL).inbound
    client.force_login(desk.cp)
    assert client.post(f"/complaints/imports/emails/{inbound.pk}/",
                       {"action": "dismiss", "reason": ""}).status_code == 200
    response = client.post(f"/complaints/imports/emails/{inbound.pk}/", {"action": "dismiss", "reason": "广告"})
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.status == InboundEmailStatus.DISMISSED and inbound.dismiss_reason == "广告"
    assert AuditEvent.objects.filter(action="complaint.import.email.dismiss").count() == 1


def test_automatic_replies_are_not_registered(desk):
    outcome = email_intake.import_message(_simple_mail(Auto_Submitted="auto-replied"))
    assert outcome.complaint is None and "automatic" in outcome.inbound.review_reason


def test_the_mailbox_pages_are_for_head_office_reviewers(desk, client):
    inbound = email_intake.import_message(HTML_MAIL).inbound
    for user in (desk.agent, desk.cp_b, desk.handler_a1):
        client.force_login(user)
        assert client.get("/complaints/imports/emails/").status_code == 403
        assert client.get(f"/complaints/imports/emails/{inbound.pk}/").status_code == 403
        assert client.get(f"/complaints/imports/emails/{inbound.pk}/original.eml").status_code == 403
    client.force_login(desk.cp)
    response = client.get(f"/complaints/imports/emails/{inbound.pk}/original.eml")
    assert response.status_code == 200 and response.content == HTML_MAIL


# --- Commands ------------------------------------------------------------------------------------------------------

def test_import_eml_command(desk, capsys):
    call_command("import_eml", str(DATA / "gbk_with_attachment.eml"), str(DATA))
    output = capsys.readouterr().out
    assert "registered TS-20250303-000001" in output
    assert "needs completion" in output and "already imported" in output
    assert Complaint.objects.count() == 1 and InboundEmail.objects.count() == 2


def test_a_missing_intake_user_is_a_clear_error(desk, settings):
    settings.BANKDESK_EMAIL_INTAKE_USER = "nobody"
    with pytest.raises(CommandError, match="no active user named 'nobody'.*BANKDESK_EMAIL_INTAKE_USER"):
        call_command("import_eml", str(DATA / "gbk_with_attachment.eml"))
    settings.BANKDESK_EMAIL_INTAKE_USER = "agent1"  # may register, fine
    call_command("import_eml", str(DATA / "gbk_with_attachment.eml"))
    settings.BANKDESK_EMAIL_INTAKE_USER = "root_admin"  # an administrator may not register complaints
    with pytest.raises(CommandError, match="may not register complaints"):
        call_command("import_eml", str(DATA / "utf8_html_no_phone.eml"))


class FakeImap:
    """The part of imaplib.IMAP4 that poll_mailbox uses, recording every call."""

    def __init__(self, mails: dict[bytes, bytes]):
        self.mails = mails
        self.seen: set[bytes] = set()
        self.calls: list[tuple] = []

    def select(self, folder):
        self.calls.append(("select", folder))
        return "OK", [str(len(self.mails)).encode()]

    def uid(self, command, *args):
        self.calls.append((command, *args))
        if command == "SEARCH":
            return "OK", [b" ".join(uid for uid in self.mails if uid not in self.seen)]
        if command == "FETCH":
            uid, what = args
            assert what == "(BODY.PEEK[])"  # fetching must not set Seen by itself
            return "OK", [(uid + b" (UID " + uid + b" BODY[] {1}", self.mails[uid]), b")"]
        if command == "STORE":
            uid, operation, flags = args
            assert (operation, flags) == ("+FLAGS", "(\\Seen)")
            self.seen.add(uid)
            return "OK", [b""]
        raise AssertionError(command)

    def logout(self):
        self.calls.append(("logout",))
        return "BYE", [b""]


def test_poll_mailbox_flags_seen_only_after_a_successful_import(desk, monkeypatch, capsys):
    mailbox = FakeImap({b"101": GBK_MAIL, b"102": _simple_mail("<boom@example.com>"), b"103": HTML_MAIL})
    monkeypatch.setattr(email_intake, "open_mailbox", lambda: mailbox)
    real_import = email_intake.import_message

    def import_or_fail(raw, actor=None):
        if b"<boom@example.com>" in raw:
            raise RuntimeError("database went away")
        return real_import(raw, actor=actor)

    monkeypatch.setattr(email_intake, "import_message", import_or_fail)
    with pytest.raises(CommandError, match="1 mail"):
        call_command("poll_mailbox", "--once")
    assert mailbox.seen == {b"101", b"103"}
    stores = [call for call in mailbox.calls if call[0] == "STORE"]
    fetches = [call for call in mailbox.calls if call[0] == "FETCH"]
    assert [call[1] for call in fetches] == [b"101", b"102", b"103"]
    assert [call[1] for call in stores] == [b"101", b"103"]
    assert mailbox.calls.index(("STORE", b"101", "+FLAGS", "(\\Seen)")) > mailbox.calls.index(fetches[0])
    assert mailbox.calls[-1] == ("logout",)
    assert Complaint.objects.count() == 1
    assert InboundEmail.objects.filter(status=InboundEmailStatus.NEEDS_REVIEW).count() == 1

    # the next poll tries the failed mail again, and only it
    monkeypatch.setattr(email_intake, "import_message", real_import)
    call_command("poll_mailbox", "--once")
    assert mailbox.seen == {b"101", b"102", b"103"}
    assert "imported 1" in capsys.readouterr().out
    assert Complaint.objects.count() == 2


def test_poll_mailbox_with_a_missing_intake_user_touches_no_mail(desk, monkeypatch, settings):
    settings.BANKDESK_EMAIL_INTAKE_USER = "nobody"
    mailbox = FakeImap({b"1": GBK_MAIL})
    monkeypatch.setattr(email_intake, "open_mailbox", lambda: mailbox)
    with pytest.raises(CommandError, match="BANKDESK_EMAIL_INTAKE_USER"):
        call_command("poll_mailbox", "--once")
    assert not mailbox.seen and not [call for call in mailbox.calls if call[0] == "FETCH"]


def test_poll_mailbox_needs_the_imap_settings(desk, settings):
    settings.BANKDESK_IMAP_HOST = settings.BANKDESK_IMAP_USER = settings.BANKDESK_IMAP_PASSWORD = ""
    with pytest.raises(CommandError, match="BANKDESK_IMAP_HOST"):
        call_command("poll_mailbox", "--once")


def test_a_program_named_like_a_pdf_stays_inside_the_original_mail(desk):
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "wang@example.com", "complaints@bank.example.cn", "ATM"
    message["Message-ID"], message["Date"] = "<renamed-1@example.com>", "Wed, 05 Mar 2025 08:00:00 +0800"
    message.set_content("我的卡被吞了，电话 13800138000。")
    message.add_attachment(b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, maintype="application", subtype="pdf",
                           filename="收据.pdf")
    complaint = email_intake.import_message(message.as_bytes()).complaint
    assert [a.original_name for a in complaint.attachments.all()] == ["original.eml"]
