"""Background tasks of the core app (django-tasks: run by `manage.py db_worker`)."""

from importlib import import_module

from django.conf import settings
from django_tasks import task


@task()
def clear_expired_sessions() -> None:
    """Sessions past their expiry (idle timeout) are removed, whatever the session engine."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
