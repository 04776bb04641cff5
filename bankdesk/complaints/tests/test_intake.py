import io
import re
import zipfile
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.intake.registration_input import (
    Representative,
    resident_id_is_valid,
)
from bankdesk.complaints.models import (
    Attachment,
    BusinessCategory,
    Channel,
    Clock,
    ClockKind,
    Complaint,
    Severity,
    Status,
    StoredFile,
)
from bankdesk.core import file_types, rules
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditEvent, Notification


def test_registration_keeps_every_field_and_encrypts_pii(desk, registration):
    complaint = register_complaint(desk.agent, registration(
        id_type="resident_id", id_number="11010519491231002X", account_number="6222 0212 3456 7890"))
    assert re.fullmatch(r"TS-\d{8}-\d{6}", complaint.tracking_number)
    stored = Complaint.objects.get(pk=complaint.pk)
    assert (stored.phone, stored.id_number, stored.account_number) == (
        "13912345678", "11010519491231002X", "6222021234567890")
    assert stored.status == Status.REGISTERED and stored.unit_path == desk.bank.outlet_a.path
    assert stored.registered_by == desk.agent
    assert AuditEvent.objects.filter(action="complaint.register", object_id=str(complaint.pk)).exists()


def test_tracking_numbers_count_per_day(desk, registration):
    first = register_complaint(desk.agent, registration())
    second = register_complaint(desk.agent, registration(phone="13900000000"))
    assert int(second.tracking_number[-6:]) == int(first.tracking_number[-6:]) + 1


def test_acceptance_clock_is_two_working_days(desk, registration):
    friday = timezone.make_aware(datetime(2025, 9, 26, 10, 0))
    complaint = register_complaint(desk.agent, registration(received_at=friday))
    due = timezone.localtime(complaint.acceptance_deadline)
    assert due.isoformat() == "2025-09-30T00:00:00+08:00"  # the close of Mon 29 Sep: Sun 28 Sep was a working day
    assert not complaint.acceptance_deadline_provisional
    clock = Clock.objects.get(complaint=complaint, kind=ClockKind.ACCEPTANCE)
    assert Complaint.objects.get(pk=complaint.pk).acceptance_deadline == clock.due_at == due  # one deadline


def test_second_complaint_from_the_same_phone_is_a_repeat(desk, registration):
    first = register_complaint(desk.agent, registration())
    second = register_complaint(desk.agent, registration(phone="139-1234-5678"))
    assert second.is_repeat and second.repeat_of == first


@pytest.mark.parametrize("changes, field", [
    ({"complainant_name": " "}, "complainant_name"),
    ({"phone": "12345"}, "phone"),
    ({"description": ""}, "description"),
    ({"id_number": "110105194912310021", "id_type": "resident_id"}, "id_number"),
    ({"id_number": "X1234567"}, "id_type"),
    ({"account_number": "12ab"}, "account_number"),
    ({"amount_involved": Decimal(-1)}, "amount_involved"),
    ({"received_at": timezone.now() + timedelta(days=1)}, "received_at"),
    ({"is_group": True, "representatives": [Representative(f"代表{i}") for i in range(6)]}, "representatives"),
    ({"is_group": True, "group_size": 1}, "group_size"),
])
def test_bad_registration_names_the_field_and_saves_nothing(desk, registration, changes, field):
    with pytest.raises(ValidationFailed) as failure:
        register_complaint(desk.agent, registration(**changes))
    assert failure.value.field == field and failure.value.message
    assert not Complaint.objects.exists()


def test_parent_category_is_not_enough(desk, registration):
    with pytest.raises(ValidationFailed) as failure:
        register_complaint(desk.agent, registration(
            business_category=BusinessCategory.objects.get(code="counter")))
    assert failure.value.field == "business_category"


def test_resident_id_check_digit():
    assert resident_id_is_valid("11010519491231002X")
    assert not resident_id_is_valid("110105194912310021")


class TestChannels:
    def test_public_form_needs_no_login_but_only_its_channel(self, desk, registration):
        web = Channel.objects.get(code="web")
        assert register_complaint(None, registration(channel=web)).registered_by is None
        with pytest.raises(PermissionDenied):
            register_complaint(None, registration())

    def test_regulator_transfer_carries_reference_and_deadline(self, desk, registration):
        nfra = Channel.objects.get(code="nfra")
        deadline = timezone.now() + timedelta(days=10)
        complaint = register_complaint(desk.cp, registration(
            channel=nfra, external_reference="NFRA-2026-0042", external_deadline=deadline))
        assert (complaint.external_reference, complaint.external_deadline) == ("NFRA-2026-0042", deadline)
        assert complaint.severity >= Severity.IMPORTANT

    @pytest.mark.parametrize("changes, field", [
        ({"external_reference": ""}, "external_reference"),
        ({"external_deadline": None}, "external_deadline"),
    ])
    def test_regulator_transfer_needs_its_reference_and_deadline(self, desk, registration, changes, field):
        values = {"channel": Channel.objects.get(code="pboc"), "external_reference": "PBOC-1",
                  "external_deadline": timezone.now() + timedelta(days=5), **changes}
        with pytest.raises(ValidationFailed) as failure:
            register_complaint(desk.cp, registration(**values))
        assert failure.value.field == field

    def test_only_the_consumer_protection_office_registers_transfers(self, desk, registration):
        with pytest.raises(PermissionDenied):
            register_complaint(desk.agent, registration(
                channel=Channel.objects.get(code="pboc"), external_reference="P1",
                external_deadline=timezone.now() + timedelta(days=5)))

    def test_roles_without_the_right_cannot_register(self, desk, registration, auditor):
        with pytest.raises(PermissionDenied):
            register_complaint(auditor, registration())


class TestSeverity:
    def test_minor_by_default(self, desk, registration):
        assert register_complaint(desk.agent, registration()).severity == Severity.MINOR

    @pytest.mark.parametrize("changes", [
        {"is_group": True, "group_size": 30, "representatives": [Representative("王先生", "13800000001")]},
        {"amount_involved": Decimal(600000)},
        {"description": "如果不解决我就去找记者曝光这件事"},
    ])
    def test_major_complaints_are_reported_at_once(self, desk, registration, changes):
        complaint = register_complaint(desk.agent, registration(**changes))
        assert complaint.severity == Severity.MAJOR
        told = set(Notification.objects.filter(kind="complaint.major").values_list("recipient__username", flat=True))
        assert {"head_a", "cp"} <= told and "cp_b" not in told

    def test_amount_over_threshold_is_important(self, desk, registration):
        complaint = register_complaint(desk.agent, registration(amount_involved=Decimal(60000)))
        assert complaint.severity == Severity.IMPORTANT


class TestAttachments:
    def test_stored_once_by_content_hash(self, desk, registration):
        upload = SimpleUploadedFile("凭证.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
        again = SimpleUploadedFile("凭证副本.pdf", b"%PDF-1.4 receipt", content_type="application/pdf")
        complaint = register_complaint(desk.agent, registration(), attachments=[upload, again])
        assert complaint.attachments.count() == 2 and StoredFile.objects.count() == 1

    def test_wrong_type_or_too_large_saves_nothing(self, desk, registration):
        with pytest.raises(ValidationFailed) as failure:
            register_complaint(desk.agent, registration(),
                               attachments=[SimpleUploadedFile("run.exe", b"MZ")])
        assert failure.value.field == "attachments"
        rules.set_value(desk.bank.admin, "complaint.attachment_max_megabytes", "1", "测试")
        with pytest.raises(ValidationFailed):
            register_complaint(desk.agent, registration(),
                               attachments=[SimpleUploadedFile("big.pdf", b"0" * (1024 * 1024 + 1))])
        assert not Complaint.objects.exists() and not Attachment.objects.exists()

    def test_a_program_renamed_to_pdf_is_refused(self, desk, registration):
        with pytest.raises(ValidationFailed) as failure:
            register_complaint(desk.agent, registration(), attachments=[
                SimpleUploadedFile("收据.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64,
                                   content_type="application/pdf")])
        assert failure.value.field == "attachments" and "收据.pdf" in failure.value.message
        assert not Complaint.objects.exists()

    @pytest.mark.parametrize("name, content", [
        ("a.pdf", b"%PDF-1.7\n"), ("a.jpg", b"\xff\xd8\xff\xe0JFIF"), ("a.png", b"\x89PNG\r\n\x1a\n...."),
        ("a.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32), ("a.txt", "客户来信".encode("gb18030")),
        ("a.txt", "客户来信".encode()), ("a.mp3", b"ID3\x04"), ("a.wav", b"RIFF\x24\x00\x00\x00WAVEfmt "),
        ("a.amr", b"#!AMR\n"), ("a.eml", b"From: a@b.cn\r\nSubject: x\r\n\r\nbody"),
    ])
    def test_each_accepted_type_is_recognised_by_its_content(self, name, content):
        assert file_types.content_matches("." + name.rsplit(".", 1)[1], SimpleUploadedFile(name, content))

    @pytest.mark.parametrize("name, content", [
        ("a.pdf", b"MZ\x90\x00"), ("a.jpg", b"%PDF-1.4"), ("a.txt", b"\x7fELF\x02\x01\x01\x00"),
        ("a.docx", b"PK\x03\x04 not a zip"), ("a.eml", b"MZ\x90\x00"), ("a.xlsx", b""),
    ])
    def test_content_of_another_type_is_refused(self, name, content):
        assert not file_types.content_matches("." + name.rsplit(".", 1)[1], SimpleUploadedFile(name, content))

    def test_office_open_xml_is_a_zip_with_its_parts(self):
        def zipped(*names):
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as archive:
                for name in names:
                    archive.writestr(name, "<x/>")
            return buffer.getvalue()

        docx = zipped("[Content_Types].xml", "word/document.xml")
        assert file_types.content_matches(".docx", SimpleUploadedFile("a.docx", docx))
        assert not file_types.content_matches(".xlsx", SimpleUploadedFile("a.xlsx", docx))
        assert not file_types.content_matches(".docx", SimpleUploadedFile("a.docx", zipped("run.exe")))

    def test_virus_scan_hook_rejects(self, desk, registration, settings):
        settings.ATTACHMENT_SCANNER = "bankdesk.complaints.tests.test_intake.scanner_finding_a_virus"
        with pytest.raises(ValidationFailed):
            register_complaint(desk.agent, registration(),
                               attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")])
        assert not Complaint.objects.exists()


def scanner_finding_a_virus(content: bytes) -> str:
    return "infected"
