"""A fixed-window counter in the shared cache (Redis in production), for anonymous forms."""

from django.core.cache import cache


def allow(key: str, limit: int, window_seconds: int = 3600) -> bool:
    """Count one hit on `key`; False once `limit` hits fall in the current window."""
    cache_key = f"bankdesk:rate:{key}"
    cache.add(cache_key, 0, window_seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window_seconds)
        hits = 1
    return hits <= limit
