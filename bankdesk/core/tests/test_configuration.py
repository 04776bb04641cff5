"""Configuration comes from the environment through settings.py alone, and the README lists all of it."""

import re
from pathlib import Path

from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "bankdesk"
ENVIRONMENT_READ = re.compile(r"os\.environ(\.get\b|\[)|os\.getenv\b|getenv\(")  # a copy passed to a child is no read
NAME_READ = re.compile(r"""os\.environ(?:\.get)?[\[(]\s*["']([A-Z0-9_]+)["']""")
# Entry points that name the settings module for Django (setdefault, not a read of the configuration).
SETTINGS_MODULE_LINE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bankdesk.settings")'


def _source_files():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).parts
        if "tests" in parts or "migrations" in parts or path.name == "conftest.py":
            continue
        yield path


def test_only_settings_reads_the_environment():
    readers = []
    for path in _source_files():
        if path == PACKAGE / "settings.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ENVIRONMENT_READ.search(line) and line.strip() != SETTINGS_MODULE_LINE:
                readers.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert readers == []


def test_every_variable_settings_reads_is_in_the_readme():
    names = set(NAME_READ.findall((PACKAGE / "settings.py").read_text(encoding="utf-8")))
    assert "BANKDESK_SECRET_KEY" in names and "REDIS_URL" in names  # the scan finds what it should
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration (environment)"):]
    table = table[:table.index("\n## ")]
    assert sorted(name for name in names if f"`{name}`" not in table) == []
