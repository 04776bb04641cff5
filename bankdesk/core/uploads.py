"""Checks every app makes of uploaded files before keeping them: how many, the type by the name, the
size, the content matching the type (file_types.py), and the virus-scan hook."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bankdesk.core.errors import ValidationFailed
from bankdesk.core.file_types import content_matches

MEGABYTE = 1024 * 1024


def suffix_of(name: str) -> str:
    """".jpg" of "Photo.JPG"; "" for a name without one."""
    return "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""


def check_files(uploads, *, allowed, max_count: int, max_megabytes: int, field: str, refused_type: str) -> None:
    """ValidationFailed on `field` for too many files, a type not in `allowed` (suffixes; `refused_type`
    says which are, with %(name)s), a file over `max_megabytes`, or content that is not of its type."""
    if len(uploads) > max_count:
        raise ValidationFailed(_("At most %(max)d attachments.") % {"max": max_count}, field=field)
    for upload in uploads:
        suffix = suffix_of(upload.name)
        if suffix not in allowed:
            raise ValidationFailed(refused_type % {"name": upload.name}, field=field)
        if upload.size > max_megabytes * MEGABYTE:
            raise ValidationFailed(_("%(name)s is larger than %(max)d MB.") % {"name": upload.name, "max": max_megabytes},
                                   field=field)
        if not content_matches(suffix, upload):
            raise ValidationFailed(_("%(name)s: the content of the file does not match its type; it is not "
                                     "accepted.") % {"name": upload.name}, field=field)


def scan(content: bytes) -> str:
    """The virus-scan hook: settings.ATTACHMENT_SCANNER names a callable(bytes) -> "clean" | "infected"."""
    scanner_path = getattr(settings, "ATTACHMENT_SCANNER", "")
    return import_string(scanner_path)(content) if scanner_path else "not_scanned"
