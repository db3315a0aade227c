"""Shared by the browser tests: Debian's Chromium driven by Playwright (never downloaded)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers import require

# pytest-django's live_server with Playwright's sync API: database calls made by the test
# itself run inside Playwright's event loop thread (TRAPS.md, browser tests).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser():
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def demo_live(live_server, settings):
    """The live server with the whole demo loaded (fast password hashing for the logins)."""
    from yuanqu.demo.loader import load_demo

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo(log=lambda m: None)
    return live_server
