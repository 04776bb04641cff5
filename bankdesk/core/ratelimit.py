"""Fixed-window counters for anonymous forms and look-ups, shared by every worker and kept across restarts.

With REDIS_URL the counters live in Redis (atomic INCR with the window's expiry); otherwise in the
database (`core.RateCount`, one row per caller and window, incremented by one UPDATE). A per-process
memory cache would count per worker and forget on every restart.
"""

import time
from dataclasses import dataclass
from datetime import datetime, timezone

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int  # seconds until the current window ends


def hit(key: str, limit: int, window_seconds: int = 3600) -> Decision:
    """Count one hit on `key`; refused once more than `limit` hits fall in the current window."""
    now = time.time()
    window = int(now // window_seconds)
    ends_at = (window + 1) * window_seconds
    window_key = f"bankdesk:rate:{key}:{window_seconds}:{window}"
    count = _cache_count if getattr(settings, "RATE_LIMIT_STORE", "database") == "cache" else _database_count
    hits = count(window_key, ends_at, window_seconds)
    return Decision(allowed=hits <= limit, retry_after=max(1, int(ends_at - now + 0.999)))


def allow(key: str, limit: int, window_seconds: int = 3600) -> bool:
    return hit(key, limit, window_seconds).allowed


def _cache_count(window_key: str, ends_at: float, window_seconds: int) -> int:
    cache.add(window_key, 0, window_seconds + 1)
    try:
        return cache.incr(window_key)
    except ValueError:  # expired between add and incr
        cache.set(window_key, 1, window_seconds + 1)
        return 1


def _database_count(window_key: str, ends_at: float, window_seconds: int) -> int:
    from bankdesk.core.models import RateCount

    counters = RateCount.objects.filter(key=window_key)
    with transaction.atomic():
        if not counters.update(hits=F("hits") + 1):
            expires_at = datetime.fromtimestamp(ends_at, tz=timezone.utc)
            try:
                with transaction.atomic():
                    RateCount.objects.create(key=window_key, hits=1, expires_at=expires_at)
            except IntegrityError:  # another worker opened the window first
                counters.update(hits=F("hits") + 1)
            else:
                RateCount.objects.filter(expires_at__lt=datetime.now(tz=timezone.utc)).delete()
        return counters.values_list("hits", flat=True).get()
