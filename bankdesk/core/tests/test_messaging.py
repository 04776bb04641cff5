import pytest
from django.db import connection

from bankdesk.conftest import PASSWORD
from bankdesk.core import messaging
from bankdesk.core.messaging import SmsMessage, notify, send_sms
from bankdesk.core.models import Notification, SmsOutbox, SmsStatus
from bankdesk.orgs import services

LOCMEM = "bankdesk.core.messaging.LocmemSmsBackend"


@pytest.fixture(autouse=True)
def _empty_locmem_outbox():
    messaging.outbox.clear()
    yield
    messaging.outbox.clear()


@pytest.fixture
def staff(bank):
    def make(username, email="", mobile=""):
        return services.create_user(bank.admin, username=username, display_name=username, password=PASSWORD,
                                    home_unit=bank.outlet_a, email=email, mobile=mobile)

    return [make("wang", "wang@bank.example", "13800000001"), make("zhao", "zhao@bank.example"),
            make("sun", mobile="13800000003")]


def test_one_notification_per_distinct_recipient_in_one_insert(staff, bank, django_assert_num_queries):
    wang, zhao, _sun = staff
    with django_assert_num_queries(1):
        created = notify([wang.pk, zhao.pk, wang.pk], kind="complaint.assigned", text="x" * 600,
                         link="/complaints/7/", obj=bank.outlet_a, email=False)
    assert created == 2
    rows = Notification.objects.filter(kind="complaint.assigned")
    assert {row.recipient_id for row in rows} == {wang.pk, zhao.pk}
    row = rows.first()
    assert (len(row.text), row.link, row.object_type, row.object_id, row.read_at) == (
        500, "/complaints/7/", "orgs.orgunit", str(bank.outlet_a.pk), None)


def test_no_recipients_no_queries(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert notify([], kind="x", text="nobody", sms=True) == 0


def test_email_after_commit_to_recipients_with_an_address(staff, settings, mailoutbox,
                                                          django_capture_on_commit_callbacks,
                                                          django_assert_num_queries):
    settings.BANKDESK_BASE_URL = "https://bankdesk.example.cn/"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with django_assert_num_queries(2):
            notify([user.pk for user in staff], kind="complaint.overdue", text="投诉 T-1 已超时\n请处理",
                   link="/complaints/1/")
        assert mailoutbox == []
    assert len(callbacks) == 1
    assert sorted(mail.to[0] for mail in mailoutbox) == ["wang@bank.example", "zhao@bank.example"]
    mail = mailoutbox[0]
    assert mail.subject.startswith("BankDesk") and mail.subject.endswith("投诉 T-1 已超时 请处理")
    assert mail.body == "投诉 T-1 已超时\n请处理\n\nhttps://bankdesk.example.cn/complaints/1/"


def test_email_without_base_url_carries_the_path(staff, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify([staff[0].pk], kind="x", text="Hello", link="/inbox/")
    assert mailoutbox[0].body == "Hello\n\n/inbox/"


def test_no_email_when_not_asked(staff, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify([user.pk for user in staff], kind="x", text="quiet", email=False)
    assert callbacks == [] and mailoutbox == []


def test_sms_goes_to_the_outbox_table_encrypted(staff):
    notify([user.pk for user in staff], kind="complaint.major", text="重大投诉", email=False, sms=True)
    queued = SmsOutbox.objects.order_by("phone")
    assert sorted(entry.phone for entry in queued) == ["13800000001", "13800000003"]
    assert {(entry.text, entry.kind, entry.status, entry.sent_at) for entry in queued} == {
        ("重大投诉", "complaint.major", SmsStatus.QUEUED, None)}
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM core_smsoutbox")
        stored = {row[0] for row in cursor.fetchall()}
    assert stored.isdisjoint({"13800000001", "13800000003"}) and all(value.startswith("v1:") for value in stored)


def test_sms_backend_is_a_setting(staff, settings):
    settings.SMS_BACKEND = LOCMEM
    notify([staff[0].pk], kind="k", text="短信", email=False, sms=True)
    send_sms("13912345678", "尊敬的客户", kind="customer.notice")
    assert messaging.outbox == [SmsMessage("13800000001", "短信", "k"),
                                SmsMessage("13912345678", "尊敬的客户", "customer.notice")]
    assert not SmsOutbox.objects.exists()


def test_send_sms_to_a_customer_is_queued(db):
    send_sms("13912345678", "您的投诉已受理", kind="complaint.accepted")
    entry = SmsOutbox.objects.get()
    assert (entry.phone, entry.text, entry.kind) == ("13912345678", "您的投诉已受理", "complaint.accepted")


def test_inactive_staff_get_no_copies(staff, bank, settings, mailoutbox, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = LOCMEM
    services.set_user_active(bank.admin, staff[0], False)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([staff[0].pk], kind="k", text="t", sms=True) == 1
    assert mailoutbox == [] and messaging.outbox == []
