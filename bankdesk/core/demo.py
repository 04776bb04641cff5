"""Demo data: each app registers a loader from AppConfig.ready(); `manage.py load_demo` runs them
in INSTALLED_APPS order. A loader is idempotent and writes what it made to `stdout`."""

from django.apps import apps

from bankdesk.core.registry import Registry, owner_of

LOADERS = Registry("demo loader")  # app package -> loader(stdout)


def register(loader, owner: str) -> None:
    LOADERS.add(owner_of(owner), loader, owner_of(owner))


def load_all(stdout) -> None:
    for config in apps.get_app_configs():
        loader = LOADERS.get(config.name)
        if loader is not None:
            loader(stdout)
