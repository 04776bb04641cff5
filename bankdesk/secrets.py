"""Secrets come from the environment, or are generated once into var/ (never committed).

var/ holds the database, the keys and the uploads: only the user running BankDesk may read it
(directory 0700, files 0600), also when it was created earlier with looser modes.
"""

import base64
import os
import secrets
import time
from pathlib import Path


PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600


def secure_var_dir(var_dir: Path) -> None:
    """Create var/ private, and take away what others could read in it: the directory, its files
    (database, -wal, -shm, keys) and the uploads directory. Files inside media/ get 0600 when stored
    (FILE_UPLOAD_PERMISSIONS) and cannot be reached by others through the 0700 directories anyway."""
    var_dir.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
    _restrict(var_dir, PRIVATE_DIR_MODE)
    for entry in var_dir.iterdir():
        if entry.is_symlink():
            continue
        if entry.is_file():
            _restrict(entry, PRIVATE_FILE_MODE)
        elif entry.name == "media" and entry.is_dir():
            _restrict(entry, PRIVATE_DIR_MODE)


def create_private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 unless it exists (SQLite gives -wal and -shm the same mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE))
    except FileExistsError:
        pass


def _restrict(path: Path, mode: int) -> None:
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except (FileNotFoundError, PermissionError):  # gone meanwhile, or not ours to change
        pass


def _read_or_create(path: Path, make) -> str:
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
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


def secret_key(var_dir: Path) -> str:
    return os.environ.get("BANKDESK_SECRET_KEY") or _read_or_create(
        var_dir / "secret_key", lambda: secrets.token_urlsafe(50)
    )


def field_encryption_key(var_dir: Path) -> bytes:
    """The 32-byte master key for PII encryption and blind indexes (base64 in the env/file)."""
    encoded = os.environ.get("BANKDESK_FIELD_KEY") or _read_or_create(
        var_dir / "field_key", lambda: base64.b64encode(secrets.token_bytes(32)).decode()
    )
    return decode_field_key(encoded, "BANKDESK_FIELD_KEY")


def previous_field_keys() -> list[bytes]:
    """Earlier master keys, still tried for reading while `manage.py rotate_field_key` moves data off them."""
    encoded = os.environ.get("BANKDESK_FIELD_KEY_PREVIOUS", "")
    return [decode_field_key(part, "BANKDESK_FIELD_KEY_PREVIOUS") for part in encoded.split(",") if part.strip()]


def decode_field_key(encoded: str, name: str) -> bytes:
    key = base64.b64decode(encoded.strip())
    if len(key) != 32:
        raise ValueError(f"{name} must be 32 bytes, base64-encoded")
    return key
