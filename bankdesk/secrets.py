"""Secrets come from the environment (read by settings.py, which passes them in), or are generated once into
var/ (never committed)."""

import base64
import os
import secrets
import time
from pathlib import Path


def _read_or_create(path: Path, make) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = make()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return _read_when_written(path)
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    return value


def _read_when_written(path: Path) -> str:
    for _attempt in range(50):
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.02)
    raise RuntimeError(f"{path} stays empty")


def secret_key(var_dir: Path, configured: str = "") -> str:
    return configured or _read_or_create(
        var_dir / "secret_key", lambda: secrets.token_urlsafe(50)
    )


def field_encryption_key(var_dir: Path, configured: str = "") -> bytes:
    """The 32-byte master key for PII encryption and blind indexes (base64 in the env/file)."""
    encoded = configured or _read_or_create(
        var_dir / "field_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
    key = base64.b64decode(encoded)
    if len(key) != 32:
        raise ValueError("BANKDESK_FIELD_KEY must be 32 bytes, base64-encoded")
    return key
