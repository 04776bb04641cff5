"""One-time codes of approvers (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, 6 digits, one step of clock
drift either way), checked when the rule `remediation.payment.require_code` is on.

django-otp is the architecture's choice for this, but it is not installed in this project's environment;
this module keeps the same model (a device per user with an encrypted secret and the last step used, so a
code is never accepted twice), so moving to django-otp's TOTPDevice changes this module only."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

from django.db import transaction
from django.utils.translation import gettext as _

from bankdesk.core import audit
from bankdesk.core.errors import ValidationFailed
from bankdesk.remediation.audit_actions import RemediationAction
from bankdesk.remediation.models import ApproverDevice

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
ISSUER = "BankDesk"


def code_at(secret: str, step: int) -> str:
    key = base64.b32decode(secret, casefold=True)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10 ** DIGITS).zfill(DIGITS)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def provisioning_uri(device: ApproverDevice) -> str:
    """What an authenticator app reads (as a QR code or typed in)."""
    label = quote(f"{ISSUER}:{device.user.username}")
    return f"otpauth://totp/{label}?secret={device.secret}&issuer={ISSUER}&digits={DIGITS}&period={STEP_SECONDS}"


@transaction.atomic
def enrol(actor) -> ApproverDevice:
    """A new secret for the actor's authenticator, unconfirmed until a code from it is entered."""
    secret = base64.b32encode(secrets.token_bytes(20)).decode()
    device, _created = ApproverDevice.objects.select_for_update().update_or_create(
        user=actor, defaults={"secret": secret, "confirmed": False, "last_step": 0})
    audit.record(RemediationAction.DEVICE_ENROL, device, actor=actor, after={"user": actor.pk})
    return device


def _matching_step(device: ApproverDevice, code: str, now: float | None) -> int | None:
    code = (code or "").strip()
    if len(code) != DIGITS or not code.isdigit():
        return None
    step = current_step(now)
    for candidate in range(step - DRIFT_STEPS, step + DRIFT_STEPS + 1):
        if candidate > device.last_step and hmac.compare_digest(code_at(device.secret, candidate), code):
            return candidate
    return None


@transaction.atomic
def confirm(actor, code: str, now: float | None = None) -> ApproverDevice:
    device = ApproverDevice.objects.select_for_update().filter(user=actor).first()
    if device is None:
        raise ValidationFailed(_("Set up your authenticator first."), field="code")
    step = _matching_step(device, code, now)
    if step is None:
        raise ValidationFailed(_("The code is not right; enter the code your authenticator shows now."), field="code")
    device.confirmed, device.last_step = True, step
    device.save(update_fields=["confirmed", "last_step"])
    audit.record(RemediationAction.DEVICE_CONFIRM, device, actor=actor, after={"user": actor.pk})
    return device


def check(actor, code: str, now: float | None = None) -> None:
    """The actor's confirmed authenticator shows `code` now (a code is used once); ValidationFailed otherwise.
    Called inside the approving transaction, so the step it uses is kept only when the approval is."""
    device = ApproverDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
    if device is None:
        raise ValidationFailed(_("Approving payments needs a one-time code: set up your authenticator first."),
                               field="code", code="code_required")
    step = _matching_step(device, code, now)
    if step is None:
        raise ValidationFailed(_("Enter the one-time code your authenticator shows now."), field="code",
                               code="code_required")
    device.last_step = step
    device.save(update_fields=["last_step"])
