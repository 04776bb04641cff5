from django.core.cache import cache
from django.db import transaction


def drop(key: str) -> None:
    """Drop a cached value now and again at commit, so no process keeps a stale copy."""
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
