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


def notify(recipient_ids, *, kind: str, text: str, link: str = "", obj=None, email: bool = True,
           sms: bool = False) -> int:
    """Put a message in each recipient's inbox; copy it by e-mail (after commit) and SMS if asked.

    Returns the number of notifications created.
    """
    recipient_ids = list(dict.fromkeys(recipient_ids))
    text = text[:500]
    object_type, object_id = (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")
    created = Notification.objects.bulk_create([
        Notification(recipient_id=user_id, kind=kind, text=text, link=link, object_type=object_type,
                     object_id=object_id) for user_id in recipient_ids])
    if not created or not (email or sms):
        return len(created)
    contacts = list(get_user_model().objects.filter(pk__in=recipient_ids, is_active=True)
                    .values_list("email", "mobile"))
    if email:
        subject = _("BankDesk: %(text)s") % {"text": " ".join(text.split())[:60]}
        body = f"{text}\n\n{_absolute(link)}" if link else text
        mails = [(subject, body, None, [address]) for address, _mobile in contacts if address]
        if mails:
            transaction.on_commit(lambda: send_mass_mail(mails), robust=True)
    if sms:
        messages = [SmsMessage(mobile, text, kind) for _address, mobile in contacts if mobile]
        if messages:
            sms_backend().send_messages(messages)
    return len(created)
