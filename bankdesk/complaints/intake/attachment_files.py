"""A complaint's attachments: the types registration accepts, the checks (core/uploads.py) and the
content store, where every upload (attachments, inspection photos) is kept once by its hash."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from bankdesk.complaints.models import Attachment, Complaint, StoredFile
from bankdesk.core import rules, uploads
from bankdesk.core.errors import ValidationFailed

ALLOWED_ATTACHMENT_TYPES = {
    ".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".txt": "text/plain", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".eml": "message/rfc822", ".mp3": "audio/mpeg", ".wav": "audio/wav", ".amr": "audio/amr",
}


def check_attachments(attachments) -> None:
    uploads.check_files(
        attachments, allowed=ALLOWED_ATTACHMENT_TYPES, max_count=rules.get("complaint.attachment_max_count"),
        max_megabytes=rules.get("complaint.attachment_max_megabytes"), field="attachments",
        refused_type=_("%(name)s: this file type is not accepted (PDF, pictures, Office documents, text, e-mail, "
                       "recordings)."))


def attachment_path(sha256: str) -> str:
    """Where a file's content is stored: by its hash, so the same content is kept once."""
    return f"attachments/{sha256[:2]}/{sha256}"


def store_file(name: str, content: bytes, field: str = "attachments") -> StoredFile:
    """Keep a file's content once by its SHA-256, after the virus scan: how every upload is kept
    (complaint attachments, inspection photos); `name` gives the type, already checked."""
    digest = hashlib.sha256(content).hexdigest()
    verdict = uploads.scan(content)
    if verdict == "infected":
        raise ValidationFailed(_("%(name)s was rejected by the virus scan.") % {"name": name}, field=field)
    stored = StoredFile.objects.filter(sha256=digest).first()
    if stored is None:
        default_storage.save(attachment_path(digest), ContentFile(content))
        stored = StoredFile.objects.create(sha256=digest, size=len(content), scan_status=verdict,
                                           content_type=ALLOWED_ATTACHMENT_TYPES[uploads.suffix_of(name)])
    return stored


def store_attachment(actor, complaint: Complaint, upload) -> Attachment:
    stored = store_file(upload.name, upload.read())
    return Attachment.objects.create(complaint=complaint, file=stored, original_name=upload.name[:200],
                                     uploaded_by=actor if actor and actor.is_authenticated else None)
