"""Browser fixtures: Playwright driving Debian's headless Chromium.

In CI (``CI=true``) a missing Chromium is a failure; elsewhere the browser tests
are skipped with a message saying how to install it.
"""

import os
import shutil
import tempfile

import pytest

from home.demo import load

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make to arrange data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("HALLWAY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = (
            f"Browser tests need Chromium at {CHROMIUM}: apt-get install chromium "
            "(or set HALLWAY_CHROMIUM to its path)."
        )
        if _in_ci():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="hallway-chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser):
    """A fresh tab with no cookies from earlier tests."""
    browser.clear_cookies()
    tab = browser.new_page()
    tab.set_default_timeout(10_000)
    yield tab
    tab.close()


@pytest.fixture
def login(live_server):
    """Log a browser tab in through the real login form (first forgetting the
    drafts earlier tests left in the shared profile's localStorage)."""

    def do_login(tab, username: str, password: str = "pw") -> None:  # noqa: S107
        tab.goto(f"{live_server.url}/accounts/login/")
        tab.evaluate("localStorage.clear()")
        tab.get_by_label("Username").fill(username)
        tab.get_by_label("Password").fill(password)
        tab.get_by_role("button", name="Log in").click()
        tab.wait_for_load_state()

    return do_login


@pytest.fixture
def site_root(transactional_db):
    """The Wagtail home page set up as for a real install (live-server tests)."""

    return load()
