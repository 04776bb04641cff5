"""Personal data at rest: AES-GCM encrypted fields, HMAC blind indexes and masking.

An encrypted value is stored as "v1:" + base64(nonce + ciphertext). Exact look-up (a customer's
phone number) uses a blind index: an HMAC of the normalised value under a key derived from the
master key, so the index reveals nothing without the key.

Values are written under `settings.FIELD_ENCRYPTION_KEY`; while a key is being rotated
(`manage.py rotate_field_key`), `settings.FIELD_ENCRYPTION_PREVIOUS_KEYS` are tried in turn to read
values still under an earlier key.
"""

import base64
import functools
import hashlib
import hmac
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

FORMAT_PREFIX = "v1:"
NONCE_BYTES = 12


@functools.lru_cache(maxsize=16)
def _derived_key(purpose: bytes, master_key: bytes) -> bytes:
    """Derived once per purpose and master key: each field read or written needs one."""
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=b"bankdesk:" + purpose).derive(master_key)


@functools.lru_cache(maxsize=16)
def _cipher(master_key: bytes) -> AESGCM:
    """The AES-GCM cipher of a master key, made once (it holds no state between messages)."""
    return AESGCM(_derived_key(b"encrypt", master_key))


@functools.lru_cache(maxsize=16)
def _index_mac(kind: str, master_key: bytes):
    """The HMAC of a blind index keyed once; each value is hashed on a copy."""
    return hmac.new(_derived_key(b"index:" + kind.encode(), master_key), digestmod=hashlib.sha256)


def encrypt(plaintext: str) -> str:
    return encrypt_with(plaintext, settings.FIELD_ENCRYPTION_KEY)


def encrypt_with(plaintext: str, master_key: bytes) -> str:
    nonce = os.urandom(NONCE_BYTES)
    sealed = _cipher(master_key).encrypt(nonce, plaintext.encode(), None)
    return FORMAT_PREFIX + base64.b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    """The plaintext under the current key, or under a previous one while a rotation runs."""
    keys = (settings.FIELD_ENCRYPTION_KEY, *getattr(settings, "FIELD_ENCRYPTION_PREVIOUS_KEYS", ()))
    for master_key in keys[:-1]:
        try:
            return decrypt_with(token, master_key)
        except InvalidTag:
            continue
    return decrypt_with(token, keys[-1])


def decrypt_with(token: str, master_key: bytes) -> str:
    """Raises cryptography's InvalidTag when the value was not encrypted under this key."""
    if not token.startswith(FORMAT_PREFIX):
        raise ValueError("not an encrypted BankDesk value")
    raw = base64.b64decode(token[len(FORMAT_PREFIX):])
    return _cipher(master_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()


def key_fingerprint(master_key: bytes) -> str:
    """Names a master key without revealing it: backups and rotations record which key their data is under."""
    return _derived_key(b"fingerprint", master_key).hex()[:16]


def normalize_phone(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return digits[2:] if digits.startswith("86") and len(digits) == 13 else digits


def normalize_identifier(value: str) -> str:
    return re.sub(r"[\s-]", "", value).upper()


NORMALIZERS = {"phone": normalize_phone, "id_number": normalize_identifier, "account": normalize_identifier}


def blind_index(value: str, kind: str) -> str:
    return blind_index_with(value, kind, settings.FIELD_ENCRYPTION_KEY)


def blind_index_with(value: str, kind: str, master_key: bytes) -> str:
    mac = _index_mac(kind, master_key).copy()
    mac.update(NORMALIZERS[kind](value).encode())
    return mac.hexdigest()


class EncryptedTextField(models.TextField):
    """Holds plaintext in Python and AES-GCM ciphertext in the database."""

    def from_db_value(self, value, expression, connection):
        return value if value in (None, "") else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value in (None, "") else encrypt(value)

    def get_lookup(self, lookup_name):
        if lookup_name not in ("isnull",):
            return None  # ciphertext can't be compared: look up through the blind index
        return super().get_lookup(lookup_name)


class BlindIndexField(models.CharField):
    """An HMAC of another field's plaintext, computed on save; indexed for exact look-up."""

    def __init__(self, *args, source: str = "", kind: str = "phone", **kwargs):
        self.source = source
        self.kind = kind
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, kind=self.kind)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plaintext = getattr(model_instance, self.source)
        value = blind_index(plaintext, self.kind) if plaintext else ""
        setattr(model_instance, self.attname, value)
        return value


def mask_phone(value: str) -> str:
    digits = normalize_phone(value or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_id_number(value: str) -> str:
    text = normalize_identifier(value or "")
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:6]}{'*' * (len(text) - 10)}{text[-4:]}"


def mask_account(value: str) -> str:
    text = normalize_identifier(value or "")
    if len(text) <= 8:
        return "*" * len(text)
    return f"{text[:4]}{'*' * (len(text) - 8)}{text[-4:]}"



ADDRESS_SHOWN = 6  # a postal address shows its first characters (province, city) and hides the rest


def mask_address(value: str) -> str:
    text = (value or "").strip()
    return f"{text[:ADDRESS_SHOWN]}****" if len(text) > ADDRESS_SHOWN else "*" * len(text)
