"""Browser fixtures: Playwright driving Debian's chromium; skipped, with the reason, where it is absent."""

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-gpu"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"chromium not installed at {CHROMIUM}; apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    yield context.new_page()
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After every fixture's teardown, the connection must be as the test found it: a transaction left open (a
    generator suspended inside atomic(), autocommit switched off) breaks every later test on that worker that
    needs real commits, far from its cause. Closed here and reported against the test that left it."""
    yield
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if connection.connection is None or not (connection.in_atomic_block or not connection.autocommit):
            continue
        connection.atomic_blocks.clear()
        connection.in_atomic_block, connection.savepoint_ids, connection.needs_rollback = False, [], False
        connection.connection.rollback()  # the raw connection: the test's database access has ended
        connection._set_autocommit(True)
        connection.autocommit = True
        raise AssertionError(f"{item.nodeid} left a transaction open on {connection.alias!r}")
