import uuid

from django.core.cache import cache
from django.db import transaction


def drop(key: str) -> None:
    """Drop a cached value now and again at commit, so no process keeps a stale copy."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


class Memo:
    """A value read from the database and kept in this process, for what rarely changes and is read on
    every request (list entries, rules). A stamp in the cache says whether the process's copy is current:
    `drop` (call it on every change) removes it, so this process reads again at once and the others (with
    a shared cache, e.g. Redis) too; with a per-process cache the others read again when the stamp
    expires, at the latest `seconds` after the change, as rule settings do."""

    def __init__(self, key: str, read, seconds: int = 60):
        self.key, self.read, self.seconds = key, read, seconds
        self.memo: tuple[str, object] | None = None

    def get(self):
        stamp, memo = cache.get(self.key), self.memo
        if memo is not None and stamp is not None and memo[0] == stamp:
            return memo[1]
        value, stamp = self.read(), uuid.uuid4().hex
        cache.set(self.key, stamp, self.seconds)
        self.memo = (stamp, value)
        return value

    def drop(self, *_args, **_kwargs) -> None:
        """Forget the value (usable as a signal receiver)."""
        self.memo = None
        drop(self.key)
