"""Counts what a generated test covered, written to test-results/<name>-<xdist worker>.json for the
release notes (figures like "requests fuzzed per role"), never asserted on."""

import atexit
import json
import os
from collections import Counter
from pathlib import Path

from django.conf import settings


class Tally(Counter):
    def __init__(self, name: str):
        super().__init__()
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.path = Path(settings.BASE_DIR) / "test-results" / f"{name}-{worker}.json"
        atexit.register(self.write)

    def write(self) -> None:
        if self:
            self.path.parent.mkdir(exist_ok=True)
            self.path.write_text(json.dumps(dict(sorted(self.items())), indent=1, ensure_ascii=False))
