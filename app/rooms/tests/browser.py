"""A real browser for page tests: Debian's headless Chromium, driven by Playwright.

``with chromium() as browser:`` opens it (``browser.new_page()``, ...). Open it
after the test's database work: Playwright's synchronous API runs an event
loop, and Django refuses ORM calls from a thread with one running.

The browser is the system's (``apt-get install chromium``; CI installs it),
never one Playwright downloads. Without it the test is skipped, except in CI
(``CI`` set), where a missing browser fails.
"""

import contextlib
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextlib.contextmanager
def chromium():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: CI installs Debian's chromium (.ci/run)")
        pytest.skip(f"needs Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
