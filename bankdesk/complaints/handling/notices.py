"""Messages to the customer: recorded as they were sent, delivered by e-mail or SMS when that channel is chosen.

Phone calls and letters are recorded here too; staff make the call or post the letter themselves.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from bankdesk.complaints.models import Complaint, CustomerNotice, NoticeChannel
from bankdesk.core.errors import ValidationFailed
from bankdesk.core.messaging import send_sms


def check_channel(complaint: Complaint, channel: str, field: str = "notice_channel") -> None:
    if channel not in NoticeChannel.values:
        raise ValidationFailed(_("Choose how the customer is told."), field=field)
    if channel == NoticeChannel.EMAIL and not complaint.email:
        raise ValidationFailed(_("The complaint has no e-mail address; choose another channel."), field=field)
    if channel == NoticeChannel.LETTER and not complaint.postal_address:
        raise ValidationFailed(_("The complaint has no postal address; choose another channel."), field=field)


def send(actor, complaint: Complaint, *, kind: str, channel: str, text: str,
         attachment: tuple[str, bytes, str] | None = None) -> CustomerNotice:
    """Record the notice; e-mail (with `attachment` (name, content, type)) or SMS it after the commit."""
    check_channel(complaint, channel)
    notice = CustomerNotice.objects.create(complaint=complaint, kind=kind, channel=channel, text=text.strip(),
                                           sent_by=actor)
    if channel == NoticeChannel.EMAIL:
        transaction.on_commit(lambda: _email(complaint, notice, attachment))
    elif channel == NoticeChannel.SMS:
        transaction.on_commit(lambda: send_sms(complaint.phone, notice.text, kind=f"complaint.{kind}"))
    return notice


def _email(complaint: Complaint, notice: CustomerNotice, attachment) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Your complaint %(number)s") % {"number": complaint.tracking_number}
    message = EmailMessage(subject, notice.text, None, [complaint.email])
    if attachment:
        message.attach(*attachment)
    message.send()
