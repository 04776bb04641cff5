"""Complaints by e-mail (电子邮件): parse a mail, register it, or keep it for the consumer-protection office.

A mail becomes a complaint at once when it carries what the registration record needs; the only thing a
mail does not reliably carry is the customer's phone number, so:

* a mobile number (1[3-9] and nine digits) in the subject or text → registered straight away, channel
  "email", at the default unit (BANKDESK_EMAIL_DEFAULT_UNIT, else the head-office consumer-protection
  department "HO-CP", else the root unit), business category "other_business", cause "other". The
  acceptance review that follows puts it right (the unit concerned, the category), as for any channel.
* no mobile number, an automatic reply, or a registration the rules refuse → an `InboundEmail` in
  "needs completion", listed for the consumer-protection office, who call or write back, complete the
  prefilled form and register it (`complete`), or dismiss it with a reason (`dismiss`). Nothing a
  customer sent is thrown away, and no complaint is registered with an invented phone number.

Every mail is kept as it came (`InboundEmail.raw`) and, when registered, attached to the complaint as
"original.eml" next to its own attachments. A Message-ID is imported once: the second time nothing new
is made (the unique `InboundEmail.message_id` decides, also between two pollers racing).

Imported mails are registered by the user BANKDESK_EMAIL_INTAKE_USER (demo: "cp_officer") under the
audit source "import"; a mail completed by hand is registered by the person who completed it.
"""

import codecs
import email
import hashlib
import imaplib
import io
import logging
import mimetypes
import os
import re
import ssl
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from html.parser import HTMLParser

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bankdesk.complaints.audit_actions import ComplaintAction
from bankdesk.complaints.intake import (
    attachment_files,
    registration,
    registration_input,
)
from bankdesk.complaints.models import Complaint, InboundEmail, InboundEmailStatus
from bankdesk.complaints.permissions import ComplaintPermission
from bankdesk.core import audit, file_types, rules
from bankdesk.core.errors import PermissionDenied, ValidationFailed
from bankdesk.core.models import AuditSource
from bankdesk.core.permissions import has_permission, require
from bankdesk.orgs.models import OrgUnit, User

logger = logging.getLogger(__name__)

MOBILE_PATTERN = re.compile(r"(?<![\d+])(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)")
# Chinese mail clients label GBK text "gb2312"; GB18030 decodes all three (and the ASCII they share).
CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030",
                   "cp936": "gb18030", "euc-cn": "gb18030", "x-euc-cn": "gb18030", "chinese": "gb18030",
                   "csgb2312": "gb18030", "ms936": "gb18030", "windows-936": "gb18030"}
DESCRIPTION_LIMIT = 10000
ORIGINAL_NAME = "original.eml"
EMAIL_CHANNEL = "email"
EMAIL_BUSINESS_CATEGORY = "other_business"
EMAIL_CAUSE = "other"
DEFAULT_UNIT = "HO-CP"
DEFAULT_INTAKE_USER = "cp_officer"
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply", "donotreply")


class EmailIntakeError(Exception):
    """The e-mail intake is not set up (no intake user, no mailbox settings): nothing can be imported."""


def setting(name: str, default: str = "") -> str:
    """A value from the Django settings (settings.py reads it from the environment), else the default."""
    value = getattr(settings, name, None)
    return value if value not in (None, "") else default


# --- Parsing ---------------------------------------------------------------------------------------------------

def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    name = CHARSET_ALIASES.get(charset.strip().strip('"').lower(), charset.strip().strip('"').lower())
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text in the declared charset; without one (or when it is wrong) UTF-8, then GB18030."""
    for candidate in (_codec(charset), "utf-8", "gb18030"):
        if candidate:
            try:
                return data.decode(candidate)
            except (UnicodeDecodeError, LookupError):
                continue
    return data.decode("utf-8", errors="replace")


def _unescape_8bit(text: str) -> str:
    """Headers sent as raw 8-bit GBK or UTF-8 (against the RFC, but common) arrive as surrogate escapes."""
    if any("\udc80" <= ch <= "\udcff" for ch in text):
        return decode_bytes(text.encode("ascii", "surrogateescape"))
    return text


def decode_header_value(raw: str | None) -> str:
    """A header's text: RFC 2047 encoded words in any charset (GB2312 read as GB18030), or raw 8-bit."""
    if not raw:
        return ""
    text = _unescape_8bit(re.sub(r"\r?\n[ \t]", " ", str(raw)))
    try:
        parts = decode_header(text)
    except Exception:  # noqa: BLE001 - a malformed encoded word: keep the text as it is
        return text.strip()
    decoded = []
    for value, charset in parts:
        decoded.append(decode_bytes(value, charset) if isinstance(value, bytes) else value)
    return "".join(decoded).strip()


class _TextFromHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote", "pre"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    return _tidy("".join(parser.parts))


def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0\u3000]+", " ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def find_mobile(text: str) -> str:
    """The first mainland mobile number in the text (separators and +86 allowed), as 11 digits."""
    match = MOBILE_PATTERN.search(text or "")
    return "".join(match.groups()) if match else ""


@dataclass
class ParsedAttachment:
    name: str
    content: bytes
    content_type: str


@dataclass
class ParsedEmail:
    raw: bytes
    message_id: str
    sender: str
    sender_name: str
    subject: str
    body: str
    sent_at: datetime | None
    attachments: list[ParsedAttachment] = field(default_factory=list)
    automatic: bool = False

    @property
    def phone(self) -> str:
        return find_mobile(f"{self.subject}\n{self.body}")

    @property
    def complainant_name(self) -> str:
        return (self.sender_name or self.sender.split("@", 1)[0]).strip()[:100]

    @property
    def description(self) -> str:
        text = "\n\n".join(part for part in (self.subject, self.body) if part.strip()).strip()
        if len(text) <= DESCRIPTION_LIMIT:
            return text
        marker = "\n…" + _("(shortened; the whole mail is attached as %(name)s)") % {"name": ORIGINAL_NAME}
        return text[:DESCRIPTION_LIMIT - len(marker)] + marker


def _raw_header(message: EmailMessage, name: str) -> str | None:
    for key, value in message.raw_items():
        if key.lower() == name.lower():
            return value
    return None


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    text = decode_bytes(payload, part.get_content_charset())
    return html_to_text(text) if part.get_content_type() == "text/html" else _tidy(text)


def _safe_name(name: str, number: int, content_type: str) -> str:
    name = _unescape_8bit(name or "")
    if "=?" in name:
        name = decode_header_value(name)
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    if not name:
        extension = ".eml" if content_type == "message/rfc822" else (mimetypes.guess_extension(content_type) or ".bin")
        name = f"attachment-{number}{extension}"
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        name = f"{stem[:140]}.{extension[:9]}" if dot else name[:150]
    return name


def _attachments(message: EmailMessage, body_part) -> list[ParsedAttachment]:
    found: list[ParsedAttachment] = []

    def visit(part):
        if part is body_part:
            return
        content_type = part.get_content_type()
        if part.get_content_maintype() == "message":  # a forwarded mail: kept whole, not opened
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            content = inner.as_bytes() if hasattr(inner, "as_bytes") else bytes(str(inner), "utf-8")
            found.append(ParsedAttachment(_safe_name(part.get_filename() or "", len(found) + 1, "message/rfc822"),
                                          content, "message/rfc822"))
            return
        if part.is_multipart():
            for sub_part in part.iter_parts():
                visit(sub_part)
            return
        filename = part.get_filename()
        if not filename and content_type in ("text/plain", "text/html") and not part.is_attachment():
            return  # the other rendering of the text (HTML beside plain text)
        found.append(ParsedAttachment(_safe_name(filename or "", len(found) + 1, content_type),
                                      part.get_payload(decode=True) or b"", content_type))

    visit(message)
    return found


def _sent_at(raw_date: str | None) -> datetime | None:
    if not raw_date:
        return None
    try:
        value = parsedate_to_datetime(raw_date.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if value is None:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _is_automatic(message: EmailMessage, sender: str) -> bool:
    auto_submitted = (_raw_header(message, "Auto-Submitted") or "no").strip().lower()
    precedence = (_raw_header(message, "Precedence") or "").strip().lower()
    return (auto_submitted != "no" or precedence in ("bulk", "junk", "auto_reply", "list")
            or message.get_content_type() == "multipart/report"
            or sender.split("@", 1)[0].lower() in AUTOMATIC_SENDERS)


def parse(raw: bytes) -> ParsedEmail:
    """Everything intake needs from an .eml: sender, decoded subject and text, attachments, the raw bytes."""
    message = email.message_from_bytes(raw, policy=policy.default)
    name, address = parseaddr(decode_header_value(_raw_header(message, "From")))
    message_id = (_raw_header(message, "Message-ID") or "").strip()
    message_id = re.sub(r"\s+", "", message_id)[:500] or f"<{hashlib.sha256(raw).hexdigest()}@bankdesk.invalid>"
    try:
        body_part = message.get_body(preferencelist=("plain", "html"))
    except Exception:  # noqa: BLE001 - a broken structure: treat the whole as having no text
        body_part = None
    if body_part is None and not message.is_multipart() and message.get_content_maintype() == "text":
        body_part = message
    body = _part_text(body_part) if body_part is not None else ""
    if not body and body_part is not None and body_part.get_content_type() == "text/plain":
        html = message.get_body(preferencelist=("html",))
        body = _part_text(html) if html is not None else ""
    sender = address.strip()[:254]
    return ParsedEmail(raw=raw, message_id=message_id, sender=sender, sender_name=name.strip()[:200],
                       subject=decode_header_value(_raw_header(message, "Subject"))[:500], body=body,
                       sent_at=_sent_at(_raw_header(message, "Date")),
                       attachments=_attachments(message, body_part), automatic=_is_automatic(message, sender))


# --- Configuration ---------------------------------------------------------------------------------------------

def intake_user() -> User:
    """The user imported mails are registered by; a clear error when it is missing or may not register."""
    username = setting("BANKDESK_EMAIL_INTAKE_USER", DEFAULT_INTAKE_USER)
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise EmailIntakeError(
            f"E-mail intake: no active user named {username!r}. Create one with a role that may register "
            f"complaints (e.g. consumer protection at the head office), or name another one in "
            f"BANKDESK_EMAIL_INTAKE_USER.")
    if not has_permission(user, ComplaintPermission.REGISTER_COMPLAINT):
        raise EmailIntakeError(
            f"E-mail intake: the user {username!r} (BANKDESK_EMAIL_INTAKE_USER) may not register complaints; "
            f"give them a role that may, e.g. consumer protection at the head office.")
    return user


def default_unit() -> OrgUnit:
    """BANKDESK_EMAIL_DEFAULT_UNIT when set; otherwise "HO-CP" if it exists, else the root of the tree."""
    configured = setting("BANKDESK_EMAIL_DEFAULT_UNIT", "")
    unit = OrgUnit.objects.filter(code=configured or DEFAULT_UNIT, is_active=True).first()
    if unit is None and configured:
        raise EmailIntakeError(f"E-mail intake: BANKDESK_EMAIL_DEFAULT_UNIT names {configured!r}, which is not an "
                               f"active unit code.")
    unit = unit or OrgUnit.objects.filter(parent__isnull=True, is_active=True).order_by("path").first()
    if unit is None:
        raise EmailIntakeError("E-mail intake: there is no organisation unit yet.")
    return unit


def require_mailbox(user) -> None:
    """The complaints mailbox is bank-wide: its reviewers review complaints at the e-mail unit (or above)."""
    require(user, ComplaintPermission.REVIEW_COMPLAINTS)
    if not has_permission(user, ComplaintPermission.REVIEW_COMPLAINTS, default_unit()):
        raise PermissionDenied(_("You do not have the right to do this."))


# --- Registration ----------------------------------------------------------------------------------------------

def _uploads(parsed: ParsedEmail) -> tuple[list[SimpleUploadedFile], list[str]]:
    """The mail's attachments the registration accepts, then original.eml; the names left out and why.

    What is left out (a type the complaint store refuses, too large, too many) stays inside original.eml
    and in `InboundEmail.raw`, so nothing is lost.
    """
    limit = rules.get("complaint.attachment_max_megabytes") * 1024 * 1024
    slots = rules.get("complaint.attachment_max_count") - 1
    uploads, skipped = [], []
    for attachment in parsed.attachments:
        suffix = os.path.splitext(attachment.name)[1].lower()
        if suffix not in attachment_files.ALLOWED_ATTACHMENT_TYPES or not file_types.content_matches(
                suffix, io.BytesIO(attachment.content)):
            skipped.append(_("%(name)s: file type not accepted, kept in the original mail")
                           % {"name": attachment.name})
        elif len(attachment.content) > limit:
            skipped.append(_("%(name)s: too large, kept in the original mail") % {"name": attachment.name})
        elif len(uploads) >= slots:
            skipped.append(_("%(name)s: too many attachments, kept in the original mail") % {"name": attachment.name})
        else:
            uploads.append(SimpleUploadedFile(attachment.name, attachment.content, attachment.content_type))
    if len(parsed.raw) <= limit:
        uploads.append(SimpleUploadedFile(ORIGINAL_NAME, parsed.raw, "message/rfc822"))
    else:
        skipped.append(_("%(name)s: too large to attach; kept with the inbound e-mail") % {"name": ORIGINAL_NAME})
    return uploads, skipped


def _received_at(parsed: ParsedEmail) -> datetime:
    """When the customer sent it, by the mail's Date, never later than now (a sender's clock may be ahead)."""
    now = timezone.now()
    return min(parsed.sent_at, now) if parsed.sent_at else now


def registration_values(parsed: ParsedEmail, unit: OrgUnit) -> dict:
    """The registration of an imported mail, as codes for `registration_input.build_registration`."""
    return {"complainant_name": parsed.complainant_name, "phone": parsed.phone, "channel": EMAIL_CHANNEL,
            "unit": unit.code, "business_category": EMAIL_BUSINESS_CATEGORY, "cause": EMAIL_CAUSE,
            "description": parsed.description, "email": parsed.sender if "@" in parsed.sender else "",
            "received_at": _received_at(parsed)}


def _review_reason(parsed: ParsedEmail) -> str:
    if parsed.automatic:
        return _("An automatic message (auto-reply or delivery report): check whether it is a complaint.")
    if not parsed.phone:
        return _("No mobile number in the mail: call or write back to the customer and complete the registration.")
    return ""


@dataclass
class ImportOutcome:
    inbound: InboundEmail
    created: bool  # False: this Message-ID was imported before and nothing new was made

    @property
    def complaint(self) -> Complaint | None:
        return self.inbound.complaint


def import_message(raw: bytes, actor: User | None = None) -> ImportOutcome:
    """Import one mail: a complaint, or an e-mail waiting for completion; once per Message-ID."""
    parsed = parse(raw)
    existing = InboundEmail.objects.filter(message_id=parsed.message_id).select_related("complaint").first()
    if existing is not None:
        return ImportOutcome(existing, created=False)
    actor = actor or intake_user()
    unit = default_unit()
    inbound = InboundEmail(message_id=parsed.message_id, sender=parsed.sender, sender_name=parsed.sender_name,
                           subject=parsed.subject, body=parsed.body, phone=parsed.phone, sent_at=parsed.sent_at,
                           attachment_names=[attachment.name for attachment in parsed.attachments])
    inbound.raw.save(f"{hashlib.sha256(raw).hexdigest()}.eml", ContentFile(raw), save=False)
    try:
        with audit.audit_context(actor=actor, source=AuditSource.IMPORT), transaction.atomic():
            inbound.save()  # first: a second import of the Message-ID stops here, before any complaint
            skipped: list[str] = []
            reason = _review_reason(parsed)
            if not reason:
                reason, skipped = _register(actor, inbound, parsed, unit)
            inbound.status = InboundEmailStatus.NEEDS_REVIEW if reason else InboundEmailStatus.REGISTERED
            inbound.review_reason = reason[:500]
            inbound.save()
            audit.record(ComplaintAction.EMAIL_RECEIVED, inbound, actor=actor, after={
                "message_id": inbound.message_id, "status": inbound.status, "reason": inbound.review_reason,
                "complaint": inbound.complaint.tracking_number if inbound.complaint else None,
                "attachments": inbound.attachment_names, "not_attached": skipped})
    except IntegrityError:
        inbound.raw.delete(save=False)
        existing = InboundEmail.objects.filter(message_id=parsed.message_id).select_related("complaint").first()
        if existing is None:
            raise
        return ImportOutcome(existing, created=False)
    except BaseException:
        inbound.raw.delete(save=False)
        raise
    return ImportOutcome(inbound, created=True)


def _register(actor, inbound: InboundEmail, parsed: ParsedEmail, unit: OrgUnit) -> tuple[str, list[str]]:
    """Register the mail; the reason it needs completion when the rules refuse it, else ""."""
    uploads, skipped = _uploads(parsed)
    try:
        with transaction.atomic():
            data = registration_input.build_registration(registration_values(parsed, unit))
            inbound.complaint = registration.register_complaint(actor, data, attachments=uploads)
    except ValidationFailed as failure:
        inbound.complaint = None
        return _("The registration was refused (%(field)s): %(message)s") % {
            "field": failure.field or "-", "message": failure.message}, skipped
    return "", skipped


def completion_initial(inbound: InboundEmail) -> dict:
    """What the completion form starts with: the mail's own data and the e-mail defaults."""
    parsed = parse(_read_raw(inbound))
    return {"complainant_name": parsed.complainant_name, "phone": inbound.phone or parsed.phone,
            "email": parsed.sender if "@" in parsed.sender else "", "description": parsed.description,
            "received_at": timezone.localtime(_received_at(parsed)), "unit": default_unit(),
            "channel_code": EMAIL_CHANNEL, "business_category_code": EMAIL_BUSINESS_CATEGORY,
            "cause_code": EMAIL_CAUSE}


def _read_raw(inbound: InboundEmail) -> bytes:
    with inbound.raw.open("rb") as stored:
        return stored.read()


def _lock_for_review(actor, inbound_id: int) -> InboundEmail:
    require_mailbox(actor)
    inbound = InboundEmail.objects.select_for_update().filter(pk=inbound_id).first()
    if inbound is None:
        raise ValidationFailed(_("This e-mail does not exist."))
    if inbound.status != InboundEmailStatus.NEEDS_REVIEW:
        raise ValidationFailed(_("This e-mail was dealt with meanwhile (%(status)s).")
                               % {"status": inbound.get_status_display()}, code="invalid_state")
    return inbound


@transaction.atomic
def complete(actor, inbound_id: int, data: registration_input.RegistrationInput) -> Complaint:
    """Register a mail that needed completion, with its attachments and original.eml, by `actor`."""
    inbound = _lock_for_review(actor, inbound_id)
    uploads, skipped = _uploads(parse(_read_raw(inbound)))
    complaint = registration.register_complaint(actor, data, attachments=uploads)
    inbound.status, inbound.complaint = InboundEmailStatus.REGISTERED, complaint
    inbound.reviewed_by, inbound.reviewed_at = actor, timezone.now()
    inbound.save()
    audit.record(ComplaintAction.EMAIL_COMPLETED, inbound, actor=actor, after={
        "message_id": inbound.message_id, "complaint": complaint.tracking_number, "not_attached": skipped})
    return complaint


@transaction.atomic
def dismiss(actor, inbound_id: int, reason: str) -> InboundEmail:
    """Not a complaint (spam, an automatic reply, a duplicate): closed with the reason, never deleted."""
    if not reason.strip():
        raise ValidationFailed(_("Say why this e-mail is not registered."), field="reason")
    inbound = _lock_for_review(actor, inbound_id)
    inbound.status, inbound.dismiss_reason = InboundEmailStatus.DISMISSED, reason.strip()[:500]
    inbound.reviewed_by, inbound.reviewed_at = actor, timezone.now()
    inbound.save()
    audit.record(ComplaintAction.EMAIL_DISMISSED, inbound, actor=actor,
                 after={"message_id": inbound.message_id, "reason": inbound.dismiss_reason})
    return inbound


# --- The mailbox (IMAP) ----------------------------------------------------------------------------------------

@dataclass
class PollResult:
    imported: int = 0
    duplicates: int = 0
    failed: int = 0
    complaints: list[str] = field(default_factory=list)
    needs_review: int = 0


def open_mailbox():
    """An IMAP connection, logged in, from the BANKDESK_IMAP_* settings. TLS always."""
    host = setting("BANKDESK_IMAP_HOST")
    user = setting("BANKDESK_IMAP_USER")
    password = setting("BANKDESK_IMAP_PASSWORD")
    if not (host and user and password):
        raise EmailIntakeError("E-mail intake: set BANKDESK_IMAP_HOST, BANKDESK_IMAP_USER and "
                               "BANKDESK_IMAP_PASSWORD (and BANKDESK_IMAP_PORT, BANKDESK_IMAP_FOLDER if needed).")
    port = int(setting("BANKDESK_IMAP_PORT", "993"))
    context = ssl.create_default_context()
    if port == 143:
        client = imaplib.IMAP4(host, port)
        client.starttls(ssl_context=context)
    else:
        client = imaplib.IMAP4_SSL(host, port, ssl_context=context)
    client.login(user, password)
    return client


def _fetched_bytes(data) -> bytes | None:
    for item in data or []:
        if isinstance(item, tuple) and len(item) >= 2 and isinstance(item[1], bytes):
            return item[1]
    return None


def poll_mailbox(client, folder: str | None = None) -> PollResult:
    """Import every unseen mail of the folder; a mail is flagged Seen only once it is safely imported.

    Mails are fetched with BODY.PEEK (fetching does not set Seen); a mail whose import fails stays unseen
    and is tried again at the next poll. Duplicates (a Message-ID imported before) are flagged Seen.
    """
    folder = folder or setting("BANKDESK_IMAP_FOLDER", "INBOX")
    actor = intake_user()  # a setup error stops the poll before any mail is touched
    status, _data = client.select(folder)
    if status != "OK":
        raise EmailIntakeError(f"E-mail intake: cannot open the IMAP folder {folder!r}.")
    status, data = client.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise EmailIntakeError("E-mail intake: the IMAP server refused the search for unseen mail.")
    result = PollResult()
    for uid in (data[0].split() if data and data[0] else []):
        try:
            status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = _fetched_bytes(fetched) if status == "OK" else None
            if raw is None:
                raise EmailIntakeError(f"cannot fetch mail {uid!r}")
            outcome = import_message(raw, actor=actor)
        except Exception:
            logger.exception("E-mail intake: mail %r could not be imported; it stays unseen", uid)
            result.failed += 1
            continue
        client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        if not outcome.created:
            result.duplicates += 1
        elif outcome.complaint is not None:
            result.imported += 1
            result.complaints.append(outcome.complaint.tracking_number)
        else:
            result.imported += 1
            result.needs_review += 1
    return result
