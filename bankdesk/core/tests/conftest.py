import copy
import sqlite3
import threading
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.utils import load_backend


class SharedDatabase:
    """One database that several threads reach, each through its own connection, as app servers do.

    On PostgreSQL that is the test database itself (its data committed). SQLite's test database lives
    in memory, one connection's; here it is copied, the first time a thread asks, into a file in WAL
    mode, and each thread's default connection is pointed at that file for the `connection()` block.
    """

    def __init__(self, directory: Path):
        self.path = directory / "shared.sqlite3" if connection.vendor == "sqlite" else None
        self._copied = threading.Lock()

    @contextmanager
    def connection(self):
        if self.path is None:
            fresh = connections["default"].connection is None  # a thread's own connection, closed after
            try:
                yield
            finally:
                if fresh:
                    connections["default"].close()
            return
        self._copy_once()
        previous = connections["default"]
        settings_dict = copy.deepcopy(previous.settings_dict)
        settings_dict["NAME"] = str(self.path)
        wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
        connections["default"] = wrapper
        try:
            yield
        finally:
            wrapper.close()
            connections["default"] = previous

    def prepare(self) -> None:
        """Copy the data now, from the calling thread's connection (the test's, holding what its fixtures made),
        before threads start: a thread's first connection to the in-memory database waits for ever in
        sqlite3's backup while the test's connection holds a lock."""
        if self.path is not None:
            self._copy_once()

    def _copy_once(self):
        with self._copied:
            if not self.path.exists():
                source = connections["default"]
                source.ensure_connection()
                with closing(sqlite3.connect(self.path)) as target:
                    source.connection.backup(target)
                    target.execute("PRAGMA journal_mode=WAL")


@pytest.fixture
def shared_db(committed_db, tmp_path) -> SharedDatabase:
    return SharedDatabase(tmp_path)
