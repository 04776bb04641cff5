"""What an uploaded file's content must look like for its name's type: a renamed program is refused.

A small signature table for the types the apps accept (complaint attachments, inspection photos),
checked on the first bytes (and, for Office Open XML, on the zip's table of contents), so no library
and no libmagic are needed.
"""

import codecs
import zipfile

HEAD_BYTES = 8192
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .xls (Compound File Binary)
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _text(head: bytes, _upload) -> bool:
    if head.startswith(UTF16_BOMS):
        return True
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return True
        except UnicodeDecodeError:
            continue
    return False


def _mail(head: bytes, _upload) -> bool:
    """A raw message is text in any 8-bit charset: no NUL bytes, no program header."""
    return b"\x00" not in head and not head.startswith((b"MZ", b"\x7fELF"))


def _ooxml(folder: str):
    def matches(head: bytes, upload) -> bool:
        if not head.startswith(b"PK\x03\x04"):
            return False
        try:
            names = zipfile.ZipFile(upload).namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return False
        return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
    return matches


def _starts(*signatures: bytes):
    return lambda head, _upload: head.startswith(signatures)


def _mp3(head: bytes, _upload) -> bool:
    return head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)


def _wav(head: bytes, _upload) -> bool:
    return head[:4] == b"RIFF" and head[8:12] == b"WAVE"


SIGNATURES = {
    ".pdf": _starts(b"%PDF-"),
    ".jpg": _starts(b"\xff\xd8\xff"),
    ".jpeg": _starts(b"\xff\xd8\xff"),
    ".png": _starts(b"\x89PNG\r\n\x1a\n"),
    ".txt": _text,
    ".doc": _starts(OLE_SIGNATURE),
    ".xls": _starts(OLE_SIGNATURE),
    ".docx": _ooxml("word/"),
    ".xlsx": _ooxml("xl/"),
    ".eml": _mail,
    ".mp3": _mp3,
    ".wav": _wav,
    ".amr": _starts(b"#!AMR"),
}


def content_matches(suffix: str, upload) -> bool:
    """Whether the file's bytes are of the type its suffix names; the file is left at its start."""
    check = SIGNATURES.get(suffix)
    if check is None:
        return False
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    try:
        return check(head, upload)
    finally:
        upload.seek(0)
