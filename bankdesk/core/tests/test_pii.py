import pytest
from cryptography.exceptions import InvalidTag
from django.db import connection

from bankdesk.core import pii
from bankdesk.core.errors import NotFound, PermissionDenied
from bankdesk.core.models import AuditEvent
from bankdesk.core.services import reveal_pii
from bankdesk.orgs import services
from bankdesk.orgs.models import Role, RoleAssignment, User
from bankdesk.orgs.selectors import visible_users


def test_encryption_round_trip_and_fresh_nonce():
    token = pii.encrypt("13812345678")
    assert token.startswith("v1:") and "13812345678" not in token
    assert pii.decrypt(token) == "13812345678"
    assert pii.encrypt("13812345678") != token


def test_tampered_ciphertext_is_rejected():
    token = pii.encrypt("110101199001011234")
    tampered = token[:-4] + ("AAAA" if token[-4:] != "AAAA" else "BBBB")
    with pytest.raises(InvalidTag):
        pii.decrypt(tampered)


@pytest.fixture
def handler_with_mobile(bank):
    user = services.create_user(bank.admin, username="h1", display_name="张三", password="Test-pass-2026",
                                home_unit=bank.outlet_a, mobile="+86 138-1234-5678")
    RoleAssignment.objects.create(user=user, role=Role.HANDLER, unit=bank.outlet_a)
    return user


def test_stored_encrypted_and_read_back_in_clear(handler_with_mobile):
    with connection.cursor() as cursor:
        cursor.execute("SELECT mobile, mobile_index FROM orgs_user WHERE id = %s", [handler_with_mobile.pk])
        stored, index = cursor.fetchone()
    assert stored.startswith("v1:") and "5678" not in stored
    assert len(index) == 64
    assert User.objects.get(pk=handler_with_mobile.pk).mobile == "13812345678"


def test_blind_index_finds_by_exact_number_in_any_format(bank, handler_with_mobile):
    assert list(visible_users(bank.admin, search="138 1234 5678")) == [handler_with_mobile]
    assert not visible_users(bank.admin, search="13812345679").exists()
    assert pii.blind_index("138-1234-5678", "phone") == pii.blind_index("+8613812345678", "phone")


def test_blind_index_lookup_respects_scope(bank, handler_with_mobile):
    admin_b = bank.user("admin_b", Role.ADMIN, bank.branch_b)
    assert not visible_users(admin_b, search="13812345678").exists()


@pytest.mark.parametrize("masker, value, expected", [
    (pii.mask_phone, "13812345678", "138****5678"),
    (pii.mask_phone, "+86 138 1234 5678", "138****5678"),
    (pii.mask_id_number, "110101199001011234", "110101********1234"),
    (pii.mask_account, "6222 0212 3456 7890", "6222********7890"),
    (pii.mask_phone, "", ""),
])
def test_masking(masker, value, expected):
    assert masker(value) == expected


def test_reveal_needs_the_right_and_is_audited(bank, handler_with_mobile, agent):
    handler = bank.user("h2", Role.HANDLER, bank.branch_a)
    assert reveal_pii(handler, handler_with_mobile, "mobile", bank.outlet_a) == "13812345678"
    event = AuditEvent.objects.filter(action="pii.reveal").get()
    assert event.actor == handler and event.after == {"field": "mobile"}
    with pytest.raises(PermissionDenied):
        reveal_pii(agent, handler_with_mobile, "mobile", bank.outlet_a)
    handler_b = bank.user("h3", Role.HANDLER, bank.branch_b)
    with pytest.raises(NotFound):
        reveal_pii(handler_b, handler_with_mobile, "mobile", bank.outlet_a)
    assert AuditEvent.objects.filter(action="pii.reveal").count() == 1


def test_user_page_masks_and_reveals_through_htmx(bank, handler_with_mobile, logged_in):
    admin_with_reveal = bank.user("cp", Role.CONSUMER_PROTECTION, bank.root)
    services.assign_role(bank.admin, admin_with_reveal, Role.ADMIN, bank.root)
    client = logged_in(admin_with_reveal)
    page = client.get(f"/org/users/{handler_with_mobile.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    revealed = client.post(f"/org/users/{handler_with_mobile.pk}/reveal-mobile/", HTTP_HX_REQUEST="true")
    assert revealed.status_code == 200 and "13812345678" in revealed.content.decode()


def test_reveal_endpoint_refuses_without_the_right(bank, handler_with_mobile, logged_in, admin_a):
    # admin_a manages users in branch A but holds no right to see personal data in full
    response = logged_in(admin_a).post(f"/org/users/{handler_with_mobile.pk}/reveal-mobile/")
    assert response.status_code == 403
