"""Playwright drives Debian's chromium against Django's live server.

The tests skip when /usr/bin/chromium is missing, unless
TRAEDESTEN_REQUIRE_BROWSER is set (as CI does), where they fail instead.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("TRAEDESTEN_CHROMIUM", "/usr/bin/chromium"))
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def _unavailable(reason):
    if os.environ.get("TRAEDESTEN_REQUIRE_BROWSER"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"{CHROMIUM} not found: apt-get install -y chromium")
    if not AXE.exists():
        _unavailable("axe-core not installed: run npm ci")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=FLAGS)
        yield browser
        browser.close()


class Page:
    """A Playwright page plus the checks every page must pass."""

    def __init__(self, page, base_url):
        self.raw = page
        self.base_url = base_url
        self.csp_violations = []
        page.on("console", self._on_console)

    def _on_console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def assert_accessible(self):
        result = self.raw.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} @ {[n['target'] for n in v['nodes']][:3]}"
               for v in result["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, "\n".join(bad)
        assert not self.csp_violations, self.csp_violations

    def screenshot_as(self, name):
        ARTIFACTS.mkdir(exist_ok=True)
        self.raw.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    def login(self, username, password="test-password-123"):
        self.raw.goto(self.base_url + "/log-ind/")
        self.raw.get_by_label("Brugernavn").fill(username)
        self.raw.get_by_label("Adgangskode").fill(password)
        self.raw.get_by_role("button", name="Log ind").click()
        self.raw.wait_for_url(self.base_url + "/")


def _close(context, raw):
    """Let requests still under way (htmx fragments, polling) finish before the database is flushed: on SQLite a
    statement still running in the live server's thread makes the flush fail."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        raw.wait_for_load_state("networkidle", timeout=5_000)
    except PlaywrightTimeout:
        pass  # a page that keeps polling; close it anyway
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900})
    context.add_init_script(path=str(AXE))
    raw = context.new_page()
    raw.set_default_timeout(10_000)
    yield Page(raw, live_server.url)
    _close(context, raw)


@pytest.fixture
def tablet(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport={"width": 820, "height": 1180},
                                  has_touch=True, is_mobile=True)
    context.add_init_script(path=str(AXE))
    raw = context.new_page()
    raw.set_default_timeout(10_000)
    yield Page(raw, live_server.url)
    _close(context, raw)


@pytest.fixture
def phone(browser, live_server):
    """A phone: narrow, touch, mobile user agent behaviour (Min side is built for it first)."""
    context = browser.new_context(base_url=live_server.url, locale="da-DK", viewport={"width": 390, "height": 844},
                                  has_touch=True, is_mobile=True, device_scale_factor=2)
    context.add_init_script(path=str(AXE))
    raw = context.new_page()
    raw.set_default_timeout(10_000)
    yield Page(raw, live_server.url)
    _close(context, raw)
