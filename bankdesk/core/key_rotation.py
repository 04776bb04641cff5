"""Rotating the field-encryption key: every encrypted value re-encrypted, every blind index recomputed.

The models are found through the app registry (every concrete field that is an EncryptedTextField
or a BlindIndexField), so a new app's personal data is rotated without being listed here. Rows are
read and written by primary key in batches, each batch in its own transaction with its audit
event, so the rotation can be stopped and run again: a value that already opens under the new key
is left as it is, and a row with nothing to change is counted as skipped.

Values are read and written as stored (ciphertext), through SQL, because the fields themselves
encrypt and decrypt with the configured key only.
"""

from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.db import connection, transaction

from bankdesk.core import audit, pii
from bankdesk.core.audit_actions import CoreAction

BATCH_SIZE = 500


class RotationError(Exception):
    """A value opens under none of the keys given: the rotation stops before that batch."""


@dataclass(frozen=True)
class EncryptedModel:
    model: type
    encrypted: tuple  # EncryptedTextField instances
    indexes: tuple  # BlindIndexField instances

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


@dataclass
class RotationReport:
    rotated: dict = field(default_factory=dict)  # model label -> rows changed
    skipped: dict = field(default_factory=dict)  # model label -> rows already under the new key

    @property
    def total_rotated(self) -> int:
        return sum(self.rotated.values())


def encrypted_models() -> list[EncryptedModel]:
    """Every model with a column of personal data, each table once (proxies and inherited fields excluded)."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = model._meta.local_concrete_fields
        encrypted = tuple(f for f in fields if isinstance(f, pii.EncryptedTextField))
        indexes = tuple(f for f in fields if isinstance(f, pii.BlindIndexField))
        if encrypted or indexes:
            found.append(EncryptedModel(model, encrypted, indexes))
    return sorted(found, key=lambda item: item.label)


def rotate(new_key: bytes, old_keys: list[bytes], batch_size: int = BATCH_SIZE, progress=None) -> RotationReport:
    """Move every encrypted value and blind index onto `new_key`; `old_keys` are tried for reading."""
    keys = [new_key, *[key for key in old_keys if key != new_key]]
    report = RotationReport()
    for target in encrypted_models():
        report.rotated[target.label] = report.skipped[target.label] = 0
        after = None
        while True:
            with transaction.atomic():
                rows = _read_batch(target, after, batch_size)
                if not rows:
                    break
                changed = _rotate_batch(target, rows, keys)
                if changed:
                    audit.record_event(CoreAction.PII_KEY_ROTATE, object_type=target.label,
                                       object_id=f"{rows[0][0]}-{rows[-1][0]}"[:64],
                                       after={"rows": changed, "key": pii.key_fingerprint(new_key)})
            report.rotated[target.label] += changed
            report.skipped[target.label] += len(rows) - changed
            after = rows[-1][0]
            if progress:
                progress(target.label, report.rotated[target.label], report.skipped[target.label])
    return report


def _columns(target: EncryptedModel) -> list[str]:
    """The primary key, the encrypted and index columns, and each index's source column if it is plain text."""
    stored = [target.model._meta.pk.column, *[f.column for f in (*target.encrypted, *target.indexes)]]
    sources = [target.model._meta.get_field(f.source).column for f in target.indexes]
    return [*stored, *[column for column in dict.fromkeys(sources) if column not in stored]]


def _read_batch(target: EncryptedModel, after, batch_size: int) -> list[tuple]:
    quote = connection.ops.quote_name
    columns, pk = _columns(target), quote(target.model._meta.pk.column)
    where, params = (f"WHERE {pk} > %s", [after]) if after is not None else ("", [])
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""  # SQLite: the write lock is held
    sql = (f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(target.model._meta.db_table)} {where} "
           f"ORDER BY {pk} LIMIT %s{lock}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, batch_size])
        return cursor.fetchall()


def _rotate_batch(target: EncryptedModel, rows: list[tuple], keys: list[bytes]) -> int:
    quote = connection.ops.quote_name
    columns = _columns(target)
    changed = 0
    with connection.cursor() as cursor:
        for row in rows:
            stored = dict(zip(columns, row))
            updates, plain = {}, {}
            for f in target.encrypted:
                token = stored[f.column]
                if token in (None, ""):
                    plain[f.column] = token
                    continue
                plain[f.column], key = _open(token, keys, target, stored[columns[0]])
                if key is not keys[0]:
                    updates[f.column] = pii.encrypt_with(plain[f.column], keys[0])
            for f in target.indexes:
                source = target.model._meta.get_field(f.source).column
                value = plain.get(source, stored[source])
                index = pii.blind_index_with(value, f.kind, keys[0]) if value else ""
                if index != stored[f.column]:
                    updates[f.column] = index
            if updates:
                assignments = ", ".join(f"{quote(column)} = %s" for column in updates)
                cursor.execute(f"UPDATE {quote(target.model._meta.db_table)} SET {assignments} "
                               f"WHERE {quote(columns[0])} = %s", [*updates.values(), stored[columns[0]]])
                changed += 1
    return changed


def _open(token: str, keys: list[bytes], target: EncryptedModel, pk) -> tuple[str, bytes]:
    for key in keys:
        try:
            return pii.decrypt_with(token, key), key
        except InvalidTag:
            continue
    raise RotationError(f"{target.label} {pk}: a value opens under none of the keys given")
