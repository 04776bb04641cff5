"""The maintenance switch of the audit trail's database triggers.

Production never turns it on. The test suite does, to flush its throw-away database after
tests that commit. On SQLite the triggers ask a function registered on every connection (a
client without it, such as the sqlite3 shell, cannot delete either); on PostgreSQL a session
setting.
"""

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_maintenance = False


@receiver(connection_created)
def register_sqlite_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("bankdesk_audit_maintenance", 0, lambda: int(_maintenance))


def set_maintenance(on: bool) -> None:
    global _maintenance
    _maintenance = on
    if connection.vendor == "postgresql" and connection.connection is not None:
        with connection.cursor() as cursor:
            cursor.execute(f"SET bankdesk.audit_maintenance = '{'on' if on else 'off'}'")
