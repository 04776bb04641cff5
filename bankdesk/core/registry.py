"""A registry of named things that apps declare and register from their AppConfig.ready().

Registries keep the first entry of a key and remember any second claim to it, so the system check
(core/checks.py) can name both owners instead of one app silently replacing another's entry.
"""


class Registry:
    def __init__(self, what: str):
        self.what = what
        self.entries: dict = {}
        self.owners: dict = {}
        self.duplicates: list[tuple[object, str, str]] = []  # (key, first owner, second owner)

    def add(self, key, value, owner: str) -> None:
        if key in self.entries:
            if self.owners[key] != owner or self.entries[key] != value:
                self.duplicates.append((key, self.owners[key], owner))
            return
        self.entries[key] = value
        self.owners[key] = owner

    def get(self, key, default=None):
        return self.entries.get(key, default)

    def __contains__(self, key) -> bool:
        return key in self.entries

    def __getitem__(self, key):
        return self.entries[key]

    def values(self) -> list:
        return list(self.entries.values())


def owner_of(obj) -> str:
    """The app package that declares `obj` ("bankdesk.core" for bankdesk.core.permissions.CorePermission)."""
    module = obj if isinstance(obj, str) else obj.__module__
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] == "bankdesk" and len(parts) > 1 else module
