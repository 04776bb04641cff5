import base64

import pytest
from cryptography.exceptions import InvalidTag
from django.core.management import CommandError, call_command
from django.db import connection

from bankdesk.complaints import selectors
from bankdesk.complaints.intake.registration import register_complaint
from bankdesk.complaints.models import Complaint
from bankdesk.core import key_rotation, pii
from bankdesk.core.models import AuditEvent, SmsOutbox
from bankdesk.orgs import services as org_services
from bankdesk.orgs.models import User
from bankdesk.orgs.selectors import visible_users

KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))
PHONE, ID_NUMBER, ACCOUNT = "13912345678", "E12345678", "6222021234567890"


@pytest.fixture
def written_with_key_a(settings, desk, registration):
    """Two complaints, a user's mobile and an outgoing text message, all written under key A."""
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_PREVIOUS_KEYS = KEY_A, []
    complaints = [register_complaint(desk.agent, registration(
        phone=PHONE, id_type="passport", id_number=ID_NUMBER, account_number=ACCOUNT)),
                  register_complaint(desk.agent, registration(phone="13700001111"))]
    user = org_services.create_user(desk.bank.admin, username="mobile_user", display_name="王五",
                                    password="Test-pass-2026", home_unit=desk.bank.outlet_a, mobile="138 0000 2222")
    SmsOutbox.objects.create(phone="13912345678", text="您的投诉已受理")
    return complaints, user


def stored(table: str, column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_every_model_with_personal_data_is_found_through_the_registry():
    found = {target.label: ([f.name for f in target.encrypted], [f.name for f in target.indexes])
             for target in key_rotation.encrypted_models()}
    assert found["complaints.complaint"] == (["phone", "id_number", "account_number", "postal_address"],
                                             ["phone_index", "id_number_index"])
    assert found["orgs.user"] == (["mobile"], ["mobile_index"])
    assert found["core.smsoutbox"] == (["phone"], [])


def test_after_rotation_only_the_new_key_reads_and_finds_everything(settings, desk, written_with_key_a):
    (complaint, other), user = written_with_key_a
    settings.FIELD_ENCRYPTION_KEY, settings.FIELD_ENCRYPTION_PREVIOUS_KEYS = KEY_B, [KEY_A]
    assert Complaint.objects.get(pk=complaint.pk).phone == PHONE  # read through the old key while rotating

    call_command("rotate_field_key", batch_size=1)

    settings.FIELD_ENCRYPTION_PREVIOUS_KEYS = []
    reread = Complaint.objects.get(pk=complaint.pk)
    assert (reread.phone, reread.id_number, reread.account_number) == (PHONE, ID_NUMBER, ACCOUNT)
    assert reread.postal_address == "北京市东城区人民路 8 号"  # the registration fixture's, rotated too
    assert User.objects.get(pk=user.pk).mobile == "13800002222"
    assert SmsOutbox.objects.get().phone == "13912345678"
    assert selectors.public_status(complaint.tracking_number, "139-1234-5678") == complaint
    assert list(selectors.customer_history(desk.agent, "13700001111")) == [other]
    assert list(visible_users(desk.bank.admin, search="13800002222")) == [user]
    assert Complaint.objects.filter(id_number_index=pii.blind_index(ID_NUMBER, "id_number")).get() == complaint
    with pytest.raises(InvalidTag):
        pii.decrypt_with(stored("complaints_complaint", "phone", complaint.pk), KEY_A)
    events = AuditEvent.objects.filter(action="pii.key_rotate")
    assert {event.object_type for event in events} == {"complaints.complaint", "orgs.user", "core.smsoutbox"}
    assert {event.after["key"] for event in events} == {pii.key_fingerprint(KEY_B)}


def test_rotation_from_a_key_file_stops_and_resumes_and_skips_what_is_done(settings, written_with_key_a, tmp_path,
                                                                           monkeypatch, capsys):
    (complaint, other), _user = written_with_key_a
    key_file = tmp_path / "new_key"
    key_file.write_text(base64.b64encode(KEY_B).decode())
    rotate_batch, calls = key_rotation._rotate_batch, []

    def interrupted(*args):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the operator stops it after the first batch
        return rotate_batch(*args)

    monkeypatch.setattr(key_rotation, "_rotate_batch", interrupted)
    with pytest.raises(KeyboardInterrupt):
        call_command("rotate_field_key", new_key_file=key_file, batch_size=1)
    monkeypatch.setattr(key_rotation, "_rotate_batch", rotate_batch)
    first_phone = stored("complaints_complaint", "phone", complaint.pk)
    assert pii.decrypt_with(first_phone, KEY_B) == PHONE  # the first batch is committed
    assert pii.decrypt_with(stored("complaints_complaint", "phone", other.pk), KEY_A) == "13700001111"

    report = key_rotation.rotate(KEY_B, [KEY_A])
    assert report.rotated["complaints.complaint"] == 1 and report.skipped["complaints.complaint"] == 1
    assert stored("complaints_complaint", "phone", complaint.pk) == first_phone  # left as it was
    again = key_rotation.rotate(KEY_B, [KEY_A])
    assert again.total_rotated == 0 and again.skipped["complaints.complaint"] == 2


def test_a_value_under_an_unknown_key_stops_the_rotation(settings, written_with_key_a):
    other_key = bytes(range(200, 232))
    with pytest.raises(key_rotation.RotationError):
        key_rotation.rotate(KEY_B, [other_key])
    assert not AuditEvent.objects.filter(action="pii.key_rotate").exists()


def test_nothing_to_rotate_without_an_old_key(settings):
    settings.FIELD_ENCRYPTION_PREVIOUS_KEYS = []
    with pytest.raises(CommandError):
        call_command("rotate_field_key")
