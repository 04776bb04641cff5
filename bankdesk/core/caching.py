import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import transaction

_request_reads: ContextVar[dict | None] = ContextVar("request_reads", default=None)


@contextmanager
def request_scope():
    """Within the block (one request, or one long job such as an import) each value of `read_once` is looked up
    in the cache once: a registration asked the cache fourteen times for five values, each answer unpickled
    again, and an import would ask for every row."""
    token = _request_reads.set({})
    try:
        yield
    finally:
        _request_reads.reset(token)


def read_once(key: str, look_up):
    """`look_up()`, asked once per key within a request scope (and every time outside one)."""
    reads = _request_reads.get()
    if reads is None:
        return look_up()
    if key not in reads:
        reads[key] = look_up()
    return reads[key]


def drop(key: str) -> None:
    """Drop a cached value now and again at commit, so no process keeps a stale copy, nor the request at hand."""
    reads = _request_reads.get()
    if reads is not None:
        reads.pop(key, None)
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
        return read_once(self.key, self._current)

    def _current(self):
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
