"""How people are told things: `notify` for staff (inbox, e-mail, SMS), `send_sms` for customers.

Text messages go through the backend named by settings.SMS_BACKEND. Backends run inside the
caller's transaction: the default one writes to the SmsOutbox table, so a message exists if and
only if the change that caused it was committed. A backend that calls a gateway directly should
wait for the commit itself.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bankdesk.core.models import Notification, SmsOutbox

outbox: list["SmsMessage"] = []  # what LocmemSmsBackend sent; tests clear it


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str
    kind: str = ""


class OutboxSmsBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        SmsOutbox.objects.bulk_create([SmsOutbox(phone=m.phone, text=m.text, kind=m.kind) for m in messages])
        return len(messages)


class LocmemSmsBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def sms_backend():
    return import_string(settings.SMS_BACKEND)()


def send_sms(phone: str, text: str, kind: str = "") -> None:
    """One text message to a customer."""
    sms_backend().send_messages([SmsMessage(phone, text, kind)])


def _absolute(link: str) -> str:
    return settings.BANKDESK_BASE_URL.rstrip("/") + link if link.startswith("/") else link


@dataclass(frozen=True)
class Message:
    """One message to staff: the same text to each recipient's inbox, copied by e-mail and SMS if asked."""

    recipient_ids: tuple
    kind: str
    text: str
    link: str = ""
    obj: object = None
    email: bool = True
    sms: bool = False


def notify(recipient_ids, *, kind: str, text: str, link: str = "", obj=None, email: bool = True,
           sms: bool = False) -> int:
    """Put a message in each recipient's inbox; copy it by e-mail (after commit) and SMS if asked.

    Returns the number of notifications created.
    """
    return notify_many([Message(tuple(recipient_ids), kind, text, link, obj, email, sms)])


def notify_many(messages: list[Message]) -> int:
    """Send many messages with one insert, one look-up of addresses and one SMS batch (the sweep's way)."""
    notifications, copies = [], []
    for message in messages:
        text = message.text[:500]
        object_type, object_id = (message.obj._meta.label_lower, str(message.obj.pk)) if message.obj else ("", "")
        for user_id in dict.fromkeys(message.recipient_ids):
            notifications.append(Notification(recipient_id=user_id, kind=message.kind, text=text, link=message.link,
                                              object_type=object_type, object_id=object_id))
            if message.email or message.sms:
                copies.append((user_id, message, text))
    Notification.objects.bulk_create(notifications)
    if copies:
        _send_copies(copies)
    return len(notifications)


def _send_copies(copies) -> None:
    contacts = dict((pk, (address, mobile)) for pk, address, mobile in get_user_model().objects.filter(
        pk__in={user_id for user_id, _message, _text in copies}, is_active=True).values_list("pk", "email", "mobile"))
    mails, texts = [], []
    for user_id, message, text in copies:
        address, mobile = contacts.get(user_id, ("", ""))
        if message.email and address:
            subject = _("BankDesk: %(text)s") % {"text": " ".join(text.split())[:60]}
            mails.append((subject, f"{text}\n\n{_absolute(message.link)}" if message.link else text, None, [address]))
        if message.sms and mobile:
            texts.append(SmsMessage(mobile, text, message.kind))
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails), robust=True)
    if texts:
        sms_backend().send_messages(texts)
